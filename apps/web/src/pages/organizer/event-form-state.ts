/**
 * The event form's state (strings, as inputs hold them) and its translation to the API's input,
 * validated with the server's own zod schema so inline errors match what the server enforces.
 */
import { createEventInput } from "@boxoffice/api/schemas/events";
import { fromLocalInput, toLocalInput } from "../../lib/format.ts";
import { type FieldErrors, fieldErrors } from "../../lib/forms.ts";
import type { RouterInputs, RouterOutputs } from "../../lib/trpc.ts";

export interface TicketTypeRow {
  id?: string;
  name: string;
  price: string;
  capacity: string;
}

export interface RuleRow {
  hoursBeforeStart: string;
  refundPercent: string;
}

export interface EventFormState {
  /** New events: ticket types, or the seats of one of the organizer's venues. */
  seating: "general" | "seated";
  venueId: string;
  /** An existing seated event: its ticket types are its sections (renamed and repriced only). */
  sectionTypes: boolean;
  title: string;
  description: string;
  venueName: string;
  startsAt: string;
  endsAt: string;
  timezone: string;
  salesStartAt: string;
  salesEndAt: string;
  capacity: string;
  maxPerOrder: string;
  maxPerUser: string;
  holdMinutes: string;
  currency: string;
  ticketTypes: TicketTypeRow[];
  waitlistEnabled: boolean;
  waitlistMode: "auto" | "offer";
  offerHours: string;
  refundable: boolean;
  fee: string;
  rules: RuleRow[];
}

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

export function emptyForm(venueId = ""): EventFormState {
  return {
    seating: venueId ? "seated" : "general",
    venueId,
    sectionTypes: false,
    title: "",
    description: "",
    venueName: "",
    startsAt: "",
    endsAt: "",
    timezone: browserZone(),
    salesStartAt: "",
    salesEndAt: "",
    capacity: "",
    maxPerOrder: "10",
    maxPerUser: "",
    holdMinutes: "10",
    currency: "USD",
    ticketTypes: [{ name: "General admission", price: "0", capacity: "100" }],
    waitlistEnabled: false,
    waitlistMode: "offer",
    offerHours: "24",
    refundable: true,
    fee: "0",
    rules: [],
  };
}

const cents = (dollars: number) => (dollars / 100).toFixed(2);

export function formFromEvent(e: RouterOutputs["events"]["get"]): EventFormState {
  return {
    seating: "general",
    venueId: "",
    sectionTypes: e.venueId !== null,
    title: e.title,
    description: e.description,
    venueName: e.venueName ?? "",
    startsAt: toLocalInput(e.startsAt),
    endsAt: toLocalInput(e.endsAt),
    timezone: e.timezone,
    salesStartAt: toLocalInput(e.salesStartAt),
    salesEndAt: toLocalInput(e.salesEndAt),
    capacity: e.capacity === null ? "" : String(e.capacity),
    maxPerOrder: String(e.maxPerOrder),
    maxPerUser: e.maxPerUser === null ? "" : String(e.maxPerUser),
    holdMinutes: String(e.holdSeconds / 60),
    currency: e.currency,
    ticketTypes: e.ticketTypes.map((t) => ({
      id: t.id,
      name: t.name,
      price: cents(t.priceCents),
      capacity: String(t.capacity),
    })),
    waitlistEnabled: e.waitlist.enabled,
    waitlistMode: e.waitlist.mode,
    offerHours: String(e.waitlist.offerSeconds / 3600),
    refundable: e.cancellationPolicy.refundable,
    fee: cents(e.cancellationPolicy.feeCents),
    rules: e.cancellationPolicy.rules.map((r) => ({
      hoursBeforeStart: String(r.hoursBeforeStart),
      refundPercent: String(r.refundPercent),
    })),
  };
}

/** "" → undefined; anything else → a number (NaN stays NaN so zod names the field). */
const num = (text: string) => (text.trim() === "" ? undefined : Number(text));
const moneyCents = (text: string) => {
  const n = num(text);
  return n === undefined ? undefined : Math.round(n * 100);
};

/** The create input the form describes (before zod's defaults). */
function createShape(s: EventFormState) {
  const hold = num(s.holdMinutes);
  const offer = num(s.offerHours);
  const seated = s.seating === "seated";
  return {
    // Seated: the venue's sections become the ticket types, so none are sent.
    venueId: seated ? s.venueId : undefined,
    title: s.title,
    description: s.description,
    venueName: s.venueName.trim() || null,
    startsAt: fromLocalInput(s.startsAt) ?? "",
    endsAt: fromLocalInput(s.endsAt),
    timezone: s.timezone,
    salesStartAt: fromLocalInput(s.salesStartAt),
    salesEndAt: fromLocalInput(s.salesEndAt),
    capacity: num(s.capacity) ?? null,
    maxPerOrder: num(s.maxPerOrder),
    maxPerUser: num(s.maxPerUser) ?? null,
    holdSeconds: hold === undefined ? undefined : Math.round(hold * 60),
    currency: s.currency.trim().toUpperCase(),
    ticketTypes: (seated ? [] : s.ticketTypes).map((t) => ({
      name: t.name,
      priceCents: moneyCents(t.price),
      capacity: num(t.capacity),
    })),
    waitlist: {
      enabled: s.waitlistEnabled,
      mode: s.waitlistMode,
      offerSeconds: offer === undefined ? undefined : Math.round(offer * 3600),
    },
    cancellationPolicy: {
      refundable: s.refundable,
      feeCents: moneyCents(s.fee),
      rules: s.rules.map((r) => ({
        hoursBeforeStart: num(r.hoursBeforeStart),
        refundPercent: num(r.refundPercent),
      })),
    },
  };
}

export type CreateInput = RouterInputs["events"]["create"];
export type UpdateInput = RouterInputs["events"]["update"];

/** Validates the whole form with the server's create schema: the same rules, inline. */
export function validateEvent(
  s: EventFormState,
): { ok: true; input: CreateInput } | { ok: false; errors: FieldErrors } {
  const parsed = createEventInput.safeParse(createShape(s));
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  return { ok: true, input: parsed.data as CreateInput };
}

/** An update sends every field: null clears what the form left empty; types keep their ids. */
export function toUpdate(eventId: string, s: EventFormState, input: CreateInput): UpdateInput {
  const { venueId: _seatedAtCreation, ...fields } = input;
  return {
    ...fields,
    eventId,
    venueName: input.venueName ?? null,
    endsAt: input.endsAt ?? null,
    salesStartAt: input.salesStartAt ?? null,
    salesEndAt: input.salesEndAt ?? null,
    capacity: input.capacity ?? null,
    maxPerUser: input.maxPerUser ?? null,
    ticketTypes: (input.ticketTypes ?? []).map((t, i) => ({ ...t, id: s.ticketTypes[i]?.id })),
  };
}
