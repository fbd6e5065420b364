/**
 * Inputs of the events router. Plain zod with no server imports, so the web app's forms can
 * validate with exactly what the server enforces. Instants stay ISO strings here; the router
 * turns them into epoch milliseconds.
 */
import { z } from "zod";
import { editCutoffHoursInput, personalizedTicketsInput, questionsInput } from "./checkout.ts";
import { cursorSchema, idSchema as id, multiLine, singleLine } from "./text.ts";

export const MAX_CAPACITY = 1_000_000;
export const MAX_PRICE_CENTS = 100_000_000;
export const MAX_TICKET_TYPES = 50;

/** An instant with an explicit offset (`Z` or `+02:00`), so nobody's server time zone matters. */
export const instant = z.iso.datetime({
  offset: true,
  message: "Use an ISO-8601 instant with an offset, e.g. 2026-12-31T20:00:00Z",
});

/** An IANA zone name, canonicalised ("europe/berlin" → "Europe/Berlin"). */
export const timezone = singleLine(1, 64).transform((zone, ctx) => {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    ctx.addIssue({ code: "custom", message: "Not an IANA time zone (e.g. Europe/Berlin)" });
    return z.NEVER;
  }
});

export const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, "Use a three-letter ISO 4217 code in capitals, e.g. USD");

const title = singleLine(1, 200);
const description = multiLine(5000);
const venueName = singleLine(1, 200);
const capacity = z.number().int().min(0).max(MAX_CAPACITY);
const priceCents = z.number().int().min(0).max(MAX_PRICE_CENTS);
const maxPerOrder = z.number().int().min(1).max(100);
const maxPerUser = z.number().int().min(1).max(10_000);
const holdSeconds = z.number().int().min(30).max(3600);
const ticketTypeName = singleLine(1, 100);

/** `hidden`: left out of public views, sold only with a code that unlocks it. */
export const ticketTypeInput = z.object({
  name: ticketTypeName,
  priceCents,
  capacity,
  hidden: z.boolean().optional(),
});

export const waitlistInput = z.object({
  enabled: z.boolean(),
  mode: z.enum(["auto", "offer"]).default("offer"),
  offerSeconds: z.number().int().min(60).max(604_800).default(86_400),
});

/**
 * The on-sale room's settings (docs/API.md "room"), defaults as in core's DEFAULT_ROOM. Here, not
 * in room.ts, because room.ts reads `instant` from this file (no import cycle).
 */
export const onSaleRoomInput = z.object({
  enabled: z.boolean(),
  opensAt: instant.nullish(),
  admitPerMinute: z.number().int().min(1).max(100_000).nullish(),
  tokenSeconds: z.number().int().min(60).max(3600).default(600),
  graceSeconds: z.number().int().min(30).max(3600).default(120),
  difficulty: z.number().int().min(1).max(10).default(4),
});

export const cancellationPolicyInput = z.object({
  refundable: z.boolean(),
  feeCents: priceCents.default(0),
  rules: z
    .array(
      z.object({
        hoursBeforeStart: z.number().min(0).max(87_600),
        refundPercent: z.number().int().min(0).max(100),
      }),
    )
    .max(20),
});

export interface EventTimes {
  readonly startsAt: number;
  readonly endsAt: number | null;
  readonly salesStartAt: number | null;
  readonly salesEndAt: number | null;
}

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Rules across fields, on epoch milliseconds. Shared by create (inside the schema) and update
 * (after merging with what is stored, since a partial update can break them either way).
 */
export function eventTimeIssues(t: EventTimes): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (t.endsAt !== null && t.endsAt <= t.startsAt) {
    issues.push({ path: "endsAt", message: "Must be after startsAt" });
  }
  const lastSale = t.endsAt ?? t.startsAt;
  if (t.salesEndAt !== null && t.salesEndAt > lastSale) {
    issues.push({ path: "salesEndAt", message: "Sales cannot end after the event ends" });
  }
  if (t.salesStartAt !== null && t.salesStartAt >= (t.salesEndAt ?? lastSale)) {
    issues.push({ path: "salesStartAt", message: "Sales must start before they end" });
  }
  return issues;
}

/**
 * The room opens (draws its lottery) while tickets can still be sold: no later than sales end
 * (`salesEndAt`, else the event's end). Checked on create and, after merging, on update.
 */
export function roomTimeIssues(opensAt: number | null | undefined, t: EventTimes): FieldIssue[] {
  if (opensAt == null) return [];
  const lastSale = t.salesEndAt ?? t.endsAt ?? t.startsAt;
  if (opensAt <= lastSale) return [];
  return [{ path: "onSaleRoom.opensAt", message: "The room must open no later than sales end" }];
}

/** Ticket type names must differ, or attendees cannot tell the types apart. */
export function duplicateNameIssues(names: readonly string[], pathOf: (i: number) => string) {
  const seen = new Set<string>();
  const issues: FieldIssue[] = [];
  for (const [i, name] of names.entries()) {
    const key = name.toLowerCase();
    if (seen.has(key)) issues.push({ path: pathOf(i), message: "Ticket type names must differ" });
    seen.add(key);
  }
  return issues;
}

/**
 * Auto mode books freed tickets without asking, hence without payment: free events only. Checked
 * on create and, after merging, on update (adding a price can break it as well).
 */
export function waitlistModeIssues(
  waitlist: { readonly mode: "auto" | "offer" } | undefined,
  types: readonly { readonly priceCents: number }[],
): FieldIssue[] {
  if (waitlist?.mode !== "auto" || !types.some((t) => t.priceCents > 0)) return [];
  return [
    {
      path: "waitlist.mode",
      message: 'Events with priced ticket types need mode "offer": auto mode books without payment',
    },
  ];
}

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);

/** Ticket types are required, unless the event is seated: then its venue's sections are the types. */
function seatedTypeIssues(venueId: string | null | undefined, types: number): FieldIssue[] {
  if (venueId && types > 0) {
    return [
      {
        path: "venueId",
        message: "A seated event's ticket types come from its venue's sections; omit ticketTypes",
      },
    ];
  }
  if (!venueId && types === 0) {
    return [{ path: "ticketTypes", message: "Add at least one ticket type (or a venueId)" }];
  }
  return [];
}

export const createEventInput = z
  .object({
    title,
    description: description.default(""),
    venueName: venueName.nullish(),
    // Seated: the venue's sections become the ticket types (see the refinement below).
    venueId: id.nullish(),
    startsAt: instant,
    endsAt: instant.nullish(),
    timezone: timezone.default("UTC"),
    salesStartAt: instant.nullish(),
    salesEndAt: instant.nullish(),
    capacity: capacity.nullish(),
    maxPerOrder: maxPerOrder.default(10),
    maxPerUser: maxPerUser.nullish(),
    holdSeconds: holdSeconds.default(600),
    currency: currency.default("USD"),
    ticketTypes: z.array(ticketTypeInput).max(MAX_TICKET_TYPES).default([]),
    waitlist: waitlistInput.optional(),
    cancellationPolicy: cancellationPolicyInput.optional(),
    guestCheckout: z.boolean().default(true),
    personalizedTickets: personalizedTicketsInput.default("off"),
    editCutoffHours: editCutoffHoursInput.default(0),
    questions: questionsInput.default([]),
    onSaleRoom: onSaleRoomInput.optional(),
  })
  .superRefine((v, ctx) => {
    const times = {
      startsAt: Date.parse(v.startsAt),
      endsAt: ms(v.endsAt),
      salesStartAt: ms(v.salesStartAt),
      salesEndAt: ms(v.salesEndAt),
    };
    const issues = [
      ...seatedTypeIssues(v.venueId, v.ticketTypes.length),
      ...eventTimeIssues(times),
      ...roomTimeIssues(ms(v.onSaleRoom?.opensAt), times),
      ...duplicateNameIssues(
        v.ticketTypes.map((t) => t.name),
        (i) => `ticketTypes.${i}.name`,
      ),
      ...waitlistModeIssues(v.waitlist, v.ticketTypes),
    ];
    for (const issue of issues) {
      ctx.addIssue({ code: "custom", path: issue.path.split("."), message: issue.message });
    }
  });

/** With `id`: changes that type (omitted fields stay). Without: a new type, fully described. */
export const ticketTypeUpdateInput = z
  .object({
    id: id.optional(),
    name: ticketTypeName.optional(),
    priceCents: priceCents.optional(),
    capacity: capacity.optional(),
    hidden: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.id !== undefined) return;
    for (const key of ["name", "priceCents", "capacity"] as const) {
      if (v[key] === undefined) {
        ctx.addIssue({ code: "custom", path: [key], message: "Required for a new ticket type" });
      }
    }
  });

/** Every field optional; `null` clears the nullable ones (endsAt, capacity, ...). */
export const updateEventInput = z.object({
  eventId: id,
  title: title.optional(),
  description: description.optional(),
  venueName: venueName.nullish(),
  startsAt: instant.optional(),
  endsAt: instant.nullish(),
  timezone: timezone.optional(),
  salesStartAt: instant.nullish(),
  salesEndAt: instant.nullish(),
  capacity: capacity.nullish(),
  maxPerOrder: maxPerOrder.optional(),
  maxPerUser: maxPerUser.nullish(),
  holdSeconds: holdSeconds.optional(),
  currency: currency.optional(),
  ticketTypes: z.array(ticketTypeUpdateInput).max(MAX_TICKET_TYPES).optional(),
  // Saved types to drop: drafts only (nothing can have been sold), never a seated event's sections.
  removeTicketTypeIds: z.array(id).max(MAX_TICKET_TYPES).optional(),
  waitlist: waitlistInput.optional(),
  cancellationPolicy: cancellationPolicyInput.optional(),
  guestCheckout: z.boolean().optional(),
  personalizedTickets: personalizedTicketsInput.optional(),
  editCutoffHours: editCutoffHoursInput.optional(),
  /** The whole list: saved questions not listed are removed. */
  questions: questionsInput.optional(),
  /** The whole setting, as `waitlist`: fields left out take their defaults. */
  onSaleRoom: onSaleRoomInput.optional(),
});

export const eventIdInput = z.object({ eventId: id });

export const cancelEventInput = z.object({
  eventId: id,
  reason: singleLine(1, 500),
});

export const listEventsInput = z
  .object({
    search: singleLine(0, 200).optional(),
    from: instant.optional(),
    to: instant.optional(),
    organizerId: id.optional(),
    includePast: z.boolean().default(false),
    mine: z.boolean().default(false),
    cursor: cursorSchema(500).optional(),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .default({ includePast: false, mine: false, limit: 20 });

export type CreateEventInput = z.infer<typeof createEventInput>;
export type UpdateEventInput = z.infer<typeof updateEventInput>;
export type ListEventsInput = z.infer<typeof listEventsInput>;
