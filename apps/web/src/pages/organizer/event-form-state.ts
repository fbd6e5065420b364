/**
 * The event form's state (strings, as inputs hold them) and its translation to the API's input,
 * validated with the server's own zod schema so inline errors match what the server enforces.
 * Date-time inputs hold wall-clock times in the event's time zone (not the browser's).
 */
import { editCutoffHoursInput } from "@boxoffice/api/schemas/checkout";
import { createEventInput } from "@boxoffice/api/schemas/events";
import type { Personalization, QuestionView } from "../../lib/checkout-form.ts";
import { type FieldErrors, fieldErrors } from "../../lib/forms.ts";
import type { RouterInputs, RouterOutputs } from "../../lib/trpc.ts";
import { fromZonedInput, isTimeZone, toZonedInput, viewerZone } from "../../lib/zoned-time.ts";
import {
  type QuestionRow,
  questionLabel,
  readQuestions,
  rowsFromQuestions,
} from "./question-form-state.ts";
import {
  defaultRoomForm,
  ROOM_FORM_KEYS,
  ROOM_LABELS,
  type RoomForm,
  readRoom,
  roomFormFrom,
  roomMessage,
} from "./room-form-state.ts";

export interface TicketTypeRow {
  id?: string;
  name: string;
  price: string;
  capacity: string;
  /** Sold only to buyers with an access code that unlocks it. */
  hidden?: boolean;
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
  /** "new" until created; saved types can be removed only while a draft. */
  status: "new" | "draft" | "published" | "cancelled";
  title: string;
  description: string;
  venueName: string;
  /** Wall-clock times ("2030-06-01T19:00") in `timezone`. */
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
  /** Saved types the organizer removed (a draft's), sent as `removeTicketTypeIds`. */
  removedTypeIds: string[];
  waitlistEnabled: boolean;
  waitlistMode: "auto" | "offer";
  offerHours: string;
  refundable: boolean;
  fee: string;
  rules: RuleRow[];
  /** Checkout: signed-out buyers may buy; names on tickets; edits until N hours before. */
  guestCheckout: boolean;
  personalizedTickets: Personalization;
  editCutoffHours: string;
  questions: QuestionRow[];
  /** The on-sale room (`onSaleRoom`). */
  room: RoomForm;
}

export function emptyForm(venueId = ""): EventFormState {
  return {
    seating: venueId ? "seated" : "general",
    venueId,
    sectionTypes: false,
    status: "new",
    title: "",
    description: "",
    venueName: "",
    startsAt: "",
    endsAt: "",
    timezone: viewerZone(),
    salesStartAt: "",
    salesEndAt: "",
    capacity: "",
    maxPerOrder: "10",
    maxPerUser: "",
    holdMinutes: "10",
    currency: "USD",
    ticketTypes: [{ name: "General admission", price: "0", capacity: "100" }],
    removedTypeIds: [],
    waitlistEnabled: false,
    waitlistMode: "offer",
    offerHours: "24",
    refundable: true,
    fee: "0",
    rules: [],
    guestCheckout: true,
    personalizedTickets: "off",
    editCutoffHours: "0",
    questions: [],
    room: defaultRoomForm(),
  };
}

const cents = (dollars: number) => (dollars / 100).toFixed(2);

export function formFromEvent(e: RouterOutputs["events"]["get"]): EventFormState {
  const wall = (iso: string | null) => toZonedInput(iso, e.timezone);
  return {
    seating: "general",
    venueId: "",
    sectionTypes: e.venueId !== null,
    status: e.status,
    title: e.title,
    description: e.description,
    venueName: e.venueName ?? "",
    startsAt: wall(e.startsAt),
    endsAt: wall(e.endsAt),
    timezone: e.timezone,
    salesStartAt: wall(e.salesStartAt),
    salesEndAt: wall(e.salesEndAt),
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
      hidden: t.hidden,
    })),
    removedTypeIds: [],
    waitlistEnabled: e.waitlist.enabled,
    waitlistMode: e.waitlist.mode,
    offerHours: String(e.waitlist.offerSeconds / 3600),
    refundable: e.cancellationPolicy.refundable,
    fee: cents(e.cancellationPolicy.feeCents),
    rules: e.cancellationPolicy.rules.map((r) => ({
      hoursBeforeStart: String(r.hoursBeforeStart),
      refundPercent: String(r.refundPercent),
    })),
    guestCheckout: e.guestCheckout,
    personalizedTickets: e.personalizedTickets,
    editCutoffHours: String(e.editCutoffHours),
    questions: rowsFromQuestions(e.questions as readonly QuestionView[]),
    room: roomFormFrom(e.onSaleRoom, e.timezone),
  };
}

/** Whether a saved ticket type may be removed: a draft's only (nothing can have sold). */
export const mayRemoveSavedTypes = (s: EventFormState) => s.status === "draft" && !s.sectionTypes;

/** "" → undefined; anything else → a number (NaN stays NaN so zod names the field). */
const num = (text: string) => (text.trim() === "" ? undefined : Number(text));
const moneyCents = (text: string) => {
  const n = num(text);
  return n === undefined ? undefined : Math.round(n * 100);
};

export const TIME_FIELDS = ["startsAt", "endsAt", "salesStartAt", "salesEndAt"] as const;
type TimeField = (typeof TIME_FIELDS)[number];

/**
 * The form's wall-clock times as instants with an offset, read in the event's zone (UTC while the
 * zone is not a real one: its own field says so). "" for an empty or impossible value.
 */
function instants(s: EventFormState) {
  const zone = isTimeZone(s.timezone) ? s.timezone : "UTC";
  const out = {} as Record<TimeField, ReturnType<typeof fromZonedInput>>;
  for (const field of TIME_FIELDS) out[field] = fromZonedInput(s[field], zone);
  return out;
}

const isoOf = (t: ReturnType<typeof fromZonedInput>) => (t ? new Date(t.ms).toISOString() : null);

/** The create input the form describes (before zod's defaults). */
function createShape(s: EventFormState) {
  const hold = num(s.holdMinutes);
  const offer = num(s.offerHours);
  const seated = s.seating === "seated";
  const at = instants(s);
  return {
    // Seated: the venue's sections become the ticket types, so none are sent, and the venue's
    // name is the event's venue name.
    venueId: seated ? s.venueId : undefined,
    title: s.title,
    description: s.description,
    venueName: seated ? undefined : s.venueName.trim() || null,
    startsAt: isoOf(at.startsAt) ?? "",
    endsAt: isoOf(at.endsAt),
    timezone: s.timezone,
    salesStartAt: isoOf(at.salesStartAt),
    salesEndAt: isoOf(at.salesEndAt),
    capacity: num(s.capacity) ?? null,
    maxPerOrder: num(s.maxPerOrder),
    maxPerUser: num(s.maxPerUser) ?? null,
    holdSeconds: hold === undefined ? undefined : Math.round(hold * 60),
    currency: s.currency.trim().toUpperCase(),
    ticketTypes: (seated ? [] : s.ticketTypes).map((t) => ({
      name: t.name,
      priceCents: moneyCents(t.price),
      capacity: num(t.capacity),
      hidden: t.hidden ?? false,
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

/** The API's field names, as the form's labels call them (for messages and summaries). */
const LABELS: Record<string, string> = {
  title: "Title",
  description: "Description",
  venueName: "Venue",
  venueId: "Seat map",
  startsAt: "Starts at",
  endsAt: "Ends at",
  timezone: "Time zone",
  salesStartAt: "Sales start",
  salesEndAt: "Sales end",
  capacity: "Total capacity",
  maxPerOrder: "Max tickets per order",
  maxPerUser: "Max tickets per person",
  holdSeconds: "Hold time",
  holdMinutes: "Hold time",
  currency: "Currency",
  ticketTypes: "Ticket types",
  removeTicketTypeIds: "Ticket types",
  "waitlist.mode": "Waitlist mode",
  "waitlist.offerSeconds": "Offer time",
  offerHours: "Offer time",
  fee: "Cancellation fee",
  "cancellationPolicy.feeCents": "Cancellation fee",
  editCutoffHours: "Edits allowed until",
  personalizedTickets: "Names on tickets",
  questions: "Questions",
  ...ROOM_LABELS,
};

/** Where an API field's error shows in the form (the form's own key for it). */
const FORM_KEYS: Record<string, string> = {
  holdSeconds: "holdMinutes",
  "waitlist.offerSeconds": "offerHours",
  removeTicketTypeIds: "ticketTypes",
  ...ROOM_FORM_KEYS,
};

/** "ticketTypes.1.capacity" → "Type 2 capacity"; "startsAt" → "Starts at". */
export function labelOf(path: string): string {
  const question = questionLabel(path);
  if (question) return question;
  const type = /^ticketTypes\.(\d+)\.(\w+)$/.exec(path);
  if (type) return `Type ${Number(type[1]) + 1} ${type[2] === "priceCents" ? "price" : type[2]}`;
  const rule = /^cancellationPolicy\.rules\.(\d+)\./.exec(path);
  if (rule) return `Refund rule ${Number(rule[1]) + 1}`;
  const key = path.replace(/\.\d+$/, "");
  return LABELS[key] ?? LABELS[path] ?? path;
}

/** A message in the form's words: API field names ("startsAt") become labels ("Starts at"). */
export function inWords(message: string): string {
  return message.replace(
    /\b(startsAt|endsAt|salesStartAt|salesEndAt|ticketTypes|venueId)\b/g,
    (m) => (m === "ticketTypes" ? "ticket types" : m === "venueId" ? "seat map" : (LABELS[m] ?? m)),
  );
}

/** Hold and offer times are entered in minutes and hours: so are their limits. */
function unitMessage(key: string, message: string): string {
  const bound = /at (least|most) (\d+)/i.exec(message);
  if (!bound) return message;
  const seconds = Number(bound[2]);
  if (key === "holdSeconds") {
    return bound[1] === "least"
      ? `At least ${seconds} seconds (${seconds / 60} minutes)`
      : `At most ${seconds / 60} minutes`;
  }
  if (key === "waitlist.offerSeconds") {
    return bound[1] === "least"
      ? `At least ${seconds / 60} minute`
      : `At most ${seconds / 3600} hours`;
  }
  return message;
}

/** Errors keyed by the form's fields, in the form's words, from the API's field paths. */
export function formErrors(apiErrors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(apiErrors)) {
    const key = FORM_KEYS[path] ?? FORM_KEYS[path.replace(/\.\d+$/, "")] ?? path;
    out[key] ??= inWords(unitMessage(path, roomMessage(path, message)));
  }
  return out;
}

/** What the schema cannot know: times that do not exist in the zone, and a start in the past. */
function timeErrors(s: EventFormState, now: number, savedStartsAt: string | null): FieldErrors {
  const errors: FieldErrors = {};
  const at = instants(s);
  for (const field of TIME_FIELDS) {
    if (at[field]?.kind === "skipped") {
      errors[field] =
        `There is no ${s[field].slice(11)} on that day in ${s.timezone}: the clocks go forward. Choose another time`;
    }
  }
  // A new start must lie ahead; an event already under way may still be edited otherwise.
  const start = at.startsAt;
  const changed = savedStartsAt === null || (start && start.ms !== Date.parse(savedStartsAt));
  if (start && changed && start.ms <= now && !errors.startsAt) {
    errors.startsAt = "Must be in the future";
  }
  return errors;
}

/**
 * Validates the whole form with the server's create schema (the same rules, inline), plus the
 * time checks only the form can make. `savedStartsAt`: the stored start of an edited event.
 */
export function validateEvent(
  s: EventFormState,
  now = Date.now(),
  savedStartsAt: string | null = null,
): { ok: true; input: CreateInput } | { ok: false; errors: FieldErrors } {
  const parsed = createEventInput.safeParse(createShape(s));
  const checkout = checkoutSettings(s);
  const room = readRoom(s.room, s.timezone);
  const errors = {
    ...timeErrors(s, now, savedStartsAt),
    ...(parsed.success ? {} : formErrors(fieldErrors(parsed.error))),
    ...(checkout.ok ? {} : checkout.errors),
    ...(room.ok ? {} : room.errors),
  };
  if (!parsed.success || !checkout.ok || !room.ok || Object.keys(errors).length > 0) {
    return { ok: false, errors };
  }
  const onSaleRoom = room.onSaleRoom;
  return { ok: true, input: { ...parsed.data, ...checkout.settings, onSaleRoom } as CreateInput };
}

/** Guest checkout, names on tickets, the edit cutoff and the questions, checked. */
function checkoutSettings(s: EventFormState) {
  const errors: FieldErrors = {};
  const cutoff = editCutoffHoursInput.safeParse(num(s.editCutoffHours) ?? 0);
  if (!cutoff.success) {
    errors.editCutoffHours = formErrors(fieldErrors(cutoff.error)).form ?? "Enter whole hours";
  }
  const questions = readQuestions(s.questions);
  if (!questions.ok) Object.assign(errors, questions.errors);
  if (!cutoff.success || !questions.ok) return { ok: false as const, errors };
  return {
    ok: true as const,
    settings: {
      guestCheckout: s.guestCheckout,
      personalizedTickets: s.personalizedTickets,
      editCutoffHours: cutoff.data,
      questions: questions.questions,
    },
  };
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
    ...(s.removedTypeIds.length > 0 ? { removeTicketTypeIds: s.removedTypeIds } : {}),
  };
}
