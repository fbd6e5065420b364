/**
 * The waitlist half of the event actor's decider. Strict FIFO (DESIGN.md invariant 4): whenever
 * tickets may have freed up, the earliest waiting entry whose request fits what is free is served,
 * then the next, until none fits. Serving is appended to the decision that freed the tickets, so
 * freed tickets never reach the open market while someone waiting could take them.
 */
import { DomainError, InputError } from "../errors.ts";
import { personOf } from "./checkout.ts";
import { evolve } from "./evolve.ts";
import { type Decision, inventoryRefusal, issueTickets, refuse, salesRefusal } from "./rules.ts";
import { pickSeats, seatTickets } from "./seats.ts";
import { waitlistPosition } from "./state.ts";
import type {
  ConfirmedBooking,
  EventEvent,
  EventReplies,
  EventState,
  JoinWaitlist,
  LineItem,
  OfferNext,
  WaitlistEntry,
} from "./types.ts";

/** The line that would serve the entry now, or null when its request does not fit. */
export function fittingLine(state: EventState, entry: WaitlistEntry): LineItem | null {
  // Offers carry no code: a hidden type is never what "any type" falls back on.
  const types = state.config.ticketTypes.filter((t) =>
    entry.ticketTypeId === null ? !t.hidden : t.id === entry.ticketTypeId,
  );
  for (const type of types) {
    const line = {
      ticketTypeId: type.id,
      quantity: entry.quantity,
      unitPriceCents: type.priceCents,
    };
    if (inventoryRefusal(state, personOf(entry), [line]) === null) return line;
  }
  return null;
}

/** Whether the waitlist may be served at all right now. */
const serving = (state: EventState, now: number): boolean =>
  state.config.waitlist.enabled && salesRefusal(state.config, now) === null;

/**
 * Serves one entry with `line` (and, for a seated event, the seats picked for it): books it
 * (auto, free, codes at hand) or offers a hold.
 */
function serveEntry(
  state: EventState,
  entry: WaitlistEntry,
  line: LineItem,
  seatIds: readonly string[],
  codes: readonly string[],
  now: number,
): EventEvent {
  const { config } = state;
  const totalCents = line.quantity * line.unitPriceCents;
  // Auto mode books without payment, so only free tickets; short of codes, it offers instead.
  if (config.waitlist.mode === "auto" && totalCents === 0 && codes.length >= line.quantity) {
    const bookingId = `${entry.id}-b`;
    const booking: ConfirmedBooking = {
      id: bookingId,
      eventId: config.id,
      holdId: null,
      userId: entry.userId,
      ...(entry.personKey === undefined ? {} : { personKey: entry.personKey }),
      items: [line],
      seatIds,
      totalCents: 0,
      paidCents: 0,
      currency: config.currency,
      createdAt: now,
      tickets: state.seating
        ? seatTickets(state.seating, bookingId, seatIds, codes)
        : issueTickets(bookingId, [line], codes),
      payment: null,
      idempotencyKey: null,
      requestHash: null,
    };
    return { type: "WaitlistAutoBooked", entryId: entry.id, booking };
  }
  const hold = {
    id: `${entry.id}-offer`,
    userId: entry.userId,
    ...(entry.personKey === undefined ? {} : { personKey: entry.personKey }),
    items: [line],
    seatIds,
    totalCents,
    currency: config.currency,
    createdAt: now,
    expiresAt: now + config.waitlist.offerSeconds * 1000,
  };
  return { type: "WaitlistOffered", entryId: entry.id, hold };
}

/**
 * Serves the queue against `state` (what the freeing events left): at most `limit` entries, each
 * the earliest waiting one that fits at that moment. Returns the events, in order.
 */
export function serveWaitlist(
  state: EventState,
  now: number,
  codes: readonly string[] = [],
  limit = Number.POSITIVE_INFINITY,
): EventEvent[] {
  if (!serving(state, now)) return [];
  const events: EventEvent[] = [];
  let current = state;
  let used = 0;
  while (events.length < limit) {
    let served: EventEvent | null = null;
    for (const entry of current.waitlist.values()) {
      if (entry.state !== "waiting") continue;
      const line = fittingLine(current, entry);
      if (!line) continue;
      // Seats follow the counts (a section's capacity is its seats), so a fitting line finds them.
      const seats = current.seating ? pickSeats(current, line.ticketTypeId, line.quantity) : [];
      if (!seats) continue;
      served = serveEntry(current, entry, line, seats, codes.slice(used), now);
      break;
    }
    if (!served) break;
    if (served.type === "WaitlistAutoBooked") used += served.booking.tickets.length;
    events.push(served);
    current = evolve(current, served);
  }
  return events;
}

/** A decision with the waitlist served after its events (when it changed anything). */
export function thenServe<R>(
  state: EventState,
  decision: Decision<R>,
  now: number,
  codes: readonly string[] | undefined,
): Decision<R> {
  if (decision.events.length === 0) return decision;
  const after = decision.events.reduce(evolve, state);
  const served = serveWaitlist(after, now, codes);
  return served.length === 0 ? decision : { ...decision, events: [...decision.events, ...served] };
}

/** The active entry whose offer is this hold, if any. */
export const entryOfHold = (state: EventState, holdId: string): WaitlistEntry | undefined =>
  state.waitlist.find((e) => e.holdId === holdId);

/** What ends an entry when its offer hold ends: expired, given back, or confirmed. */
export function offerEnded(
  state: EventState,
  holdId: string,
  how: "expired" | "released",
  at: number,
): EventEvent[] {
  const entry = entryOfHold(state, holdId);
  if (!entry) return [];
  return how === "expired"
    ? [{ type: "WaitlistOfferExpired", entryId: entry.id, at }]
    : [{ type: "WaitlistLeft", entryId: entry.id, at }];
}

function waitlistRefusal(state: EventState, now: number): DomainError | null {
  const { config } = state;
  if (config.status === "cancelled" || config.status === "draft") return salesRefusal(config, now);
  if (!config.waitlist.enabled) {
    return new DomainError("WAITLIST_DISABLED", "This event has no waitlist");
  }
  return salesRefusal(config, now);
}

export function joinWaitlist(
  state: EventState,
  cmd: JoinWaitlist,
  now: number,
): Decision<EventReplies["JoinWaitlist"]> {
  const closed = waitlistRefusal(state, now);
  if (closed) return refuse(closed);
  if (state.waitlistUsers.has(cmd.userId)) {
    return refuse(new DomainError("ALREADY_ON_WAITLIST", "You are already on this waitlist"));
  }
  if (state.waitlist.has(cmd.entryId)) return refuse(new InputError(["entryId"], "Id in use"));
  // Nobody waits for a hidden type: offers carry no code that could unlock it.
  const asked = state.config.ticketTypes.find((t) => t.id === cmd.ticketTypeId);
  if (cmd.ticketTypeId !== null && (!asked || asked.hidden))
    return refuse(new InputError(["ticketTypeId"], "No such ticket type for this event"));
  if (!Number.isInteger(cmd.quantity) || cmd.quantity < 1) {
    return refuse(new InputError(["quantity"], "Quantity must be a whole number above 0"));
  }
  const { maxPerOrder } = state.config;
  if (cmd.quantity > maxPerOrder) {
    return refuse(
      new DomainError("LIMIT_EXCEEDED", `At most ${maxPerOrder} tickets per order`, {
        limit: "maxPerOrder",
        max: maxPerOrder,
      }),
    );
  }
  const entry: WaitlistEntry = {
    id: cmd.entryId,
    userId: cmd.userId,
    ...(cmd.personKey === undefined ? {} : { personKey: cmd.personKey }),
    ticketTypeId: cmd.ticketTypeId,
    quantity: cmd.quantity,
    joinedAt: now,
    seq: state.waitlistSeq + 1,
    state: "waiting",
    holdId: null,
  };
  const after = evolve(state, { type: "WaitlistJoined", entry });
  return {
    events: [{ type: "WaitlistJoined", entry }],
    reply: { entry, position: waitlistPosition(after, entry.id) ?? 0 },
  };
}

export function leaveWaitlist(
  state: EventState,
  userId: string,
  now: number,
): Decision<EventReplies["LeaveWaitlist"]> {
  const entryId = state.waitlistUsers.get(userId);
  const entry = entryId === undefined ? undefined : state.waitlist.get(entryId);
  if (!entry) return refuse(new DomainError("NOT_ON_WAITLIST", "You are not on this waitlist"));
  const events: EventEvent[] = [];
  // Leaving with an offer in hand gives the offered tickets back.
  if (entry.holdId !== null && state.holds.has(entry.holdId)) {
    events.push({ type: "HoldReleased", holdId: entry.holdId, at: now });
  }
  events.push({ type: "WaitlistLeft", entryId: entry.id, at: now });
  return { events, reply: { ok: true } };
}

export function offerNext(
  state: EventState,
  cmd: OfferNext,
  now: number,
): Decision<EventReplies["OfferNext"]> {
  const closed = waitlistRefusal(state, now);
  if (closed) return refuse(closed);
  if (!state.waitlist.some((e) => e.state === "waiting")) {
    return refuse(new DomainError("NOT_ON_WAITLIST", "Nobody is waiting"));
  }
  const [served] = serveWaitlist(state, now, cmd.codes, 1);
  if (served?.type === "WaitlistOffered") {
    const reply = { entryId: served.entryId, state: "offered", hold: served.hold } as const;
    return { events: [served], reply };
  }
  if (served?.type === "WaitlistAutoBooked") {
    return { events: [served], reply: { entryId: served.entryId, state: "converted", hold: null } };
  }
  return refuse(new DomainError("SOLD_OUT", "No waiting request fits what is free"));
}
