/**
 * What a hold or booking request would get, decided once: an earlier answer under the same
 * idempotency key, a refusal, the priced lines it would be admitted with, or a place on the
 * waitlist. `decide` acts on it; the engine asks it before charging a card, so that nobody pays
 * for a request that is certain to be refused and the price charged is the price decided.
 */
import { ConflictError, DomainError, InputError } from "../errors.ts";
import { type Answer, type Attendee, checkCheckout, checkoutOf, personOf } from "./checkout.ts";
import { decide } from "./decide.ts";
import { evolve } from "./evolve.ts";
import { admissionRefusal } from "./room.ts";
import { type Admitted, admit, type Refusal, ticketSlots, totalOf } from "./rules.ts";
import { orderedSeats, seatLines } from "./seats.ts";
import { availability, quantityOf } from "./state.ts";
import {
  type BookTickets,
  type ConfirmHold,
  type EventConfig,
  type EventState,
  type Hold,
  idempotencyScope,
  type LineItem,
  type PlaceHold,
} from "./types.ts";

export type Quote =
  /** An earlier request with this key placed this hold, which still lives. */
  | { readonly kind: "heldBefore"; readonly hold: Hold }
  /** An earlier request with this key made this booking. */
  | { readonly kind: "bookedBefore"; readonly bookingId: string }
  | { readonly kind: "refused"; readonly refusal: Refusal }
  | {
      readonly kind: "admitted";
      readonly lines: readonly LineItem[];
      readonly seatIds: readonly string[];
      readonly totalCents: number;
      /** The code the order uses, or null. */
      readonly codeId: string | null;
      /** The hold being confirmed, for ConfirmHold. */
      readonly hold: Hold | null;
      /** For a booking: its tickets' attendees (in ticket order) and the answers to store. */
      readonly attendees: readonly (Attendee | null)[];
      readonly answers: readonly Answer[];
    }
  /** Sold out, and the buyer asked to wait: the entry it would join. */
  | { readonly kind: "waitlist"; readonly ticketTypeId: string | null; readonly quantity: number };

export type QuotedCommand = PlaceHold | ConfirmHold | BookTickets;

/**
 * Whether a direct booking on this event can cost anything. Its prices are its ticket types'
 * (a seat's too) and a code only lowers them, so with no priced type every total is 0: there is
 * nothing to charge, and the engine leaves the quote to the decider alone. A hold's confirmation
 * costs what the hold was priced at, which this does not say.
 */
export const mayCost = (config: EventConfig): boolean =>
  config.ticketTypes.some((type) => type.priceCents > 0);

const isRefusal = (a: Admitted | Refusal): a is Refusal => !("lines" in a);

const refused = (refusal: Refusal): Quote => ({ kind: "refused", refusal });

const conflictingKey = () =>
  refused(new ConflictError("This idempotencyKey was already used for a different request"));

/** The booking an earlier request under the same key made, if any. */
function bookedBefore(state: EventState, cmd: ConfirmHold | BookTickets): Quote | null {
  if (cmd.idempotencyKey === null) return null;
  const seen = state.idempotency.get(idempotencyScope(cmd.userId, cmd.idempotencyKey));
  if (!seen) return null;
  if (seen.requestHash !== cmd.requestHash) return conflictingKey();
  return { kind: "bookedBefore", bookingId: seen.bookingId };
}

/** The live hold an earlier request under the same key placed, if any. */
function heldBefore(state: EventState, cmd: PlaceHold): Quote | null {
  if (!cmd.idempotencyKey) return null;
  const seen = state.holdKeys.get(idempotencyScope(cmd.userId, cmd.idempotencyKey));
  const hold = seen && state.holds.get(seen.holdId);
  if (!seen || !hold) return null;
  if (seen.requestHash !== (cmd.requestHash ?? null)) return conflictingKey();
  return { kind: "heldBefore", hold };
}

function admitted(state: EventState, admit: Admitted, seatIds: readonly string[]) {
  return {
    kind: "admitted",
    lines: admit.lines,
    seatIds: orderedSeats(state, seatIds),
    totalCents: totalOf(admit.lines),
    codeId: admit.code?.id ?? null,
    hold: null,
    attendees: [],
    answers: [],
  } as const;
}

/**
 * A booking's names and answers checked against the event's checkout settings, with its tickets
 * in the order they will be issued: refused (BAD_REQUEST naming each problem) before any charge.
 */
function withCheckout(
  state: EventState,
  cmd: ConfirmHold | BookTickets,
  q: Extract<Quote, { kind: "admitted" }>,
): Quote {
  const checkout = checkoutOf(state.config);
  // The on-sale rush's usual case: nothing to ask, nothing given, nothing to check.
  const plain = checkout.questions.length === 0 && checkout.personalizedTickets === "off";
  if (plain && !cmd.attendees?.length && !cmd.answers?.length) return q;
  const types = ticketSlots(state.seating, q.lines, q.seatIds).map((s) => s.ticketTypeId);
  const checked = checkCheckout(checkout, types, cmd.attendees, cmd.answers);
  if (checked.issues.length > 0) return refused(new InputError(checked.issues));
  return { ...q, attendees: checked.attendees, answers: checked.answers };
}

/**
 * For a sold-out request that may wait: the entry it joins. A single-type request keeps its
 * type, a mixed one waits for the same number of tickets of whichever type frees up. Taken seats
 * in a section with room elsewhere are no sell-out: the buyer should pick other seats, not queue.
 */
function waitlistPlace(state: EventState, cmd: BookTickets, refusal: Refusal): Quote | null {
  if (!cmd.joinWaitlist || !state.config.waitlist.enabled) return null;
  if (!(refusal instanceof DomainError)) return null;
  if (state.seating && cmd.seatIds.length > 0) {
    if (refusal.reason !== "SOLD_OUT" && refusal.reason !== "SEAT_UNAVAILABLE") return null;
    const types = new Set(
      seatLines(state.config, state.seating, cmd.seatIds).map((l) => l.ticketTypeId),
    );
    const only = types.size === 1 ? ([...types][0] ?? null) : null;
    const figures = availability(state);
    const free =
      only === null
        ? figures.available
        : (figures.byType.find((t) => t.id === only)?.available ?? 0);
    if (free >= cmd.seatIds.length) return null;
    return { kind: "waitlist", ticketTypeId: only, quantity: cmd.seatIds.length };
  }
  if (refusal.reason !== "SOLD_OUT") return null;
  const only = cmd.items.length === 1 ? (cmd.items[0]?.ticketTypeId ?? null) : null;
  const quantity = cmd.items.reduce((sum, i) => sum + i.quantity, 0);
  return { kind: "waitlist", ticketTypeId: only, quantity };
}

function quoteHold(state: EventState, cmd: PlaceHold, now: number): Quote {
  const before = heldBefore(state, cmd);
  if (before) return before;
  const notAdmitted = admissionRefusal(state, cmd, now);
  if (notAdmitted) return refused(notAdmitted);
  // A reused id would overwrite the live hold while counting its tickets twice.
  if (state.holds.has(cmd.holdId)) return refused(new ConflictError("This hold id is in use"));
  const admission = admit(state, cmd, cmd.items, cmd.seatIds, now);
  if (isRefusal(admission)) return refused(admission);
  const overCap = heldCapRefusal(state, cmd, quantityOf(admission.lines));
  return overCap ? refused(overCap) : admitted(state, admission, cmd.seatIds);
}

/**
 * Without the organizer's `maxPerUser`, live holds still count against the server's cap, so that
 * one account cannot hold a whole event with many small holds.
 */
function heldCapRefusal(state: EventState, cmd: PlaceHold, quantity: number): DomainError | null {
  const { maxPerUser, maxPerOrder } = state.config;
  if (maxPerUser !== null || cmd.heldCap === undefined) return null;
  const max = Math.max(cmd.heldCap, maxPerOrder);
  const already = state.heldByUser.get(personOf(cmd)) ?? 0;
  if (already + quantity <= max) return null;
  return new DomainError("LIMIT_EXCEEDED", `At most ${max} tickets held at once per person`, {
    limit: "heldPerBuyer",
    max,
    already,
  });
}

function quoteConfirm(state: EventState, cmd: ConfirmHold, now: number): Quote {
  const before = bookedBefore(state, cmd);
  if (before) return before;
  const hold = state.holds.get(cmd.holdId);
  // Someone else's hold looks exactly like a missing one.
  if (!hold || hold.userId !== cmd.userId) {
    return refused(new DomainError("HOLD_NOT_FOUND", "No such hold"));
  }
  if (hold.expiresAt <= now)
    return refused(new DomainError("HOLD_EXPIRED", "The hold has expired"));
  return withCheckout(state, cmd, {
    kind: "admitted",
    lines: hold.items,
    seatIds: hold.seatIds,
    totalCents: hold.totalCents,
    codeId: hold.codeId ?? null,
    hold,
    attendees: [],
    answers: [],
  });
}

function quoteBook(state: EventState, cmd: BookTickets, now: number): Quote {
  const before = bookedBefore(state, cmd);
  if (before) return before;
  const notAdmitted = admissionRefusal(state, cmd, now);
  if (notAdmitted) return refused(notAdmitted);
  const admission = admit(state, cmd, cmd.items, cmd.seatIds, now);
  if (!isRefusal(admission)) {
    return withCheckout(state, cmd, admitted(state, admission, cmd.seatIds));
  }
  return waitlistPlace(state, cmd, admission) ?? refused(admission);
}

/**
 * The state as the actor's next turn will see it when its wake-up is due: holds past their
 * deadline expired (and the waitlist served), for a quote made before that turn.
 */
export function afterDueExpiries(state: EventState, now: number): EventState {
  return decide(state, { type: "ExpireHolds" }, now).events.reduce(evolve, state);
}

/** Pure and deterministic, like `decide`, which acts on exactly this answer. */
export function quote(state: EventState, cmd: QuotedCommand, now: number): Quote {
  switch (cmd.type) {
    case "PlaceHold":
      return quoteHold(state, cmd, now);
    case "ConfirmHold":
      return quoteConfirm(state, cmd, now);
    case "BookTickets":
      return quoteBook(state, cmd, now);
  }
}
