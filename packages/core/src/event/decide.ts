import { ConflictError, DomainError, InputError } from "../errors.ts";
import { fullRefund, quoteRefund } from "./refund.ts";
import { admit, type Decision, issueTickets, type Refusal, refuse, totalOf } from "./rules.ts";
import { orderedSeats, seatedConfigRefusal, seatTickets } from "./seats.ts";
import type {
  BookingReply,
  BookTickets,
  CancelBooking,
  CancelEvent,
  ConfirmedBooking,
  ConfirmHold,
  EventCommand,
  EventConfig,
  EventEvent,
  EventReplies,
  EventState,
  Hold,
  LineItem,
  PlaceHold,
  PublishEvent,
  Reconfigure,
} from "./types.ts";
import {
  entryOfHold,
  joinWaitlist,
  leaveWaitlist,
  offerEnded,
  offerNext,
  thenServe,
} from "./waitlist.ts";

export type { Decision, Refusal };

type DecisionFor<C extends EventCommand> = Decision<EventReplies[C["type"]]>;

function placeHold(state: EventState, cmd: PlaceHold, now: number): DecisionFor<PlaceHold> {
  // A reused id would overwrite the live hold while counting its tickets twice.
  if (state.holds.has(cmd.holdId))
    return refuse(new ConflictError("This hold id is already in use"));
  const lines = admit(state, cmd.userId, cmd.items, cmd.seatIds, now);
  if (!Array.isArray(lines)) return refuse(lines);
  const hold: Hold = {
    id: cmd.holdId,
    userId: cmd.userId,
    items: lines,
    seatIds: orderedSeats(state, cmd.seatIds),
    totalCents: totalOf(lines),
    currency: state.config.currency,
    createdAt: now,
    expiresAt: now + state.config.holdSeconds * 1000,
  };
  return { events: [{ type: "HoldPlaced", hold }], reply: { hold } };
}

/** An earlier booking under the same idempotency key, or a conflict if the request differs. */
function replay(state: EventState, cmd: ConfirmHold | BookTickets): Decision<BookingReply> | null {
  if (cmd.idempotencyKey === null) return null;
  const seen = state.idempotency.get(`${cmd.userId}\u0000${cmd.idempotencyKey}`);
  if (!seen) return null;
  if (seen.requestHash !== cmd.requestHash) {
    return refuse(
      new ConflictError("This idempotencyKey was already used for a different request"),
    );
  }
  return { events: [], reply: { created: false, bookingId: seen.bookingId } };
}

function paymentRefusal(cmd: ConfirmHold | BookTickets, totalCents: number): DomainError | null {
  if (totalCents === 0) return null;
  if (cmd.payment === null || cmd.payment.amountCents !== totalCents) {
    return new DomainError("PAYMENT_DECLINED", "The payment does not cover the total", {
      totalCents,
    });
  }
  return null;
}

function confirmed(
  state: EventState,
  cmd: ConfirmHold | BookTickets,
  holdId: string | null,
  lines: readonly LineItem[],
  seatIds: readonly string[],
  now: number,
): Decision<BookingReply> {
  // A reused id would overwrite the live booking (and fail the whole batch's commit in SQLite).
  if (state.bookings.has(cmd.bookingId)) {
    return refuse(new ConflictError("This booking id is already in use"));
  }
  const totalCents = totalOf(lines);
  const declined = paymentRefusal(cmd, totalCents);
  if (declined) return refuse(declined);
  const booking: ConfirmedBooking = {
    id: cmd.bookingId,
    eventId: state.config.id,
    holdId,
    userId: cmd.userId,
    items: lines,
    seatIds,
    totalCents,
    paidCents: totalCents === 0 ? 0 : (cmd.payment?.amountCents ?? 0),
    currency: state.config.currency,
    createdAt: now,
    tickets:
      state.seating && seatIds.length > 0
        ? seatTickets(state.seating, cmd.bookingId, seatIds, cmd.codes)
        : issueTickets(cmd.bookingId, lines, cmd.codes),
    payment: totalCents === 0 ? null : cmd.payment,
    idempotencyKey: cmd.idempotencyKey,
    requestHash: cmd.requestHash,
  };
  return { events: [{ type: "BookingConfirmed", booking }], reply: { created: true, booking } };
}

function confirmHold(state: EventState, cmd: ConfirmHold, now: number): DecisionFor<ConfirmHold> {
  const replayed = replay(state, cmd);
  if (replayed) return replayed;
  const hold = state.holds.get(cmd.holdId);
  if (!hold || hold.userId !== cmd.userId) {
    return refuse(new DomainError("HOLD_NOT_FOUND", "No such hold"));
  }
  if (hold.expiresAt <= now) {
    const expired = refuse<BookingReply>(new DomainError("HOLD_EXPIRED", "The hold has expired"), [
      { type: "HoldExpired", holdId: hold.id, at: now },
      ...offerEnded(state, hold.id, "expired", now),
    ]);
    // The booking's codes went unused: they serve the waitlist instead.
    return thenServe(state, expired, now, cmd.codes);
  }
  const decision = confirmed(state, cmd, hold.id, hold.items, hold.seatIds, now);
  const entry = entryOfHold(state, hold.id);
  if (!entry || decision.events.length === 0) return decision;
  // Confirming an offer converts its waitlist entry.
  const converted: EventEvent = {
    type: "WaitlistConverted",
    entryId: entry.id,
    bookingId: cmd.bookingId,
    at: now,
  };
  return { ...decision, events: [...decision.events, converted] };
}

function bookTickets(state: EventState, cmd: BookTickets, now: number): DecisionFor<BookTickets> {
  const replayed = replay(state, cmd);
  if (replayed) return replayed;
  const lines = admit(state, cmd.userId, cmd.items, cmd.seatIds, now);
  if (!Array.isArray(lines)) return refuse(lines);
  return confirmed(state, cmd, null, lines, orderedSeats(state, cmd.seatIds), now);
}

function cancelBooking(
  state: EventState,
  cmd: CancelBooking,
  now: number,
): DecisionFor<CancelBooking> {
  const booking = state.bookings.get(cmd.bookingId);
  if (!booking)
    return refuse(new DomainError("ALREADY_CANCELLED", "The booking is already cancelled"));
  // Attendees cancel only their own bookings; organizers (and admins) any of the event's.
  if (!cmd.byOrganizer && booking.userId !== cmd.byUserId) {
    return refuse(new InputError(["bookingId"], "No such booking"));
  }
  const { config } = state;
  const quote = cmd.byOrganizer
    ? fullRefund(booking.paidCents)
    : quoteRefund(config.cancellationPolicy, booking.paidCents, config.startsAt, now);
  return {
    events: [
      {
        type: "BookingCancelled",
        bookingId: booking.id,
        refundCents: quote.refundCents,
        feeCents: quote.feeCents,
        reason: cmd.byOrganizer ? "organizer" : "attendee",
        byUserId: cmd.byUserId,
        at: now,
      },
    ],
    reply: { bookingId: booking.id, refundCents: quote.refundCents, feeCents: quote.feeCents },
  };
}

function reconfigure(state: EventState, cmd: Reconfigure, now: number): DecisionFor<Reconfigure> {
  if (state.config.status === "cancelled") {
    return refuse(new DomainError("EVENT_CANCELLED", "A cancelled event cannot be changed"));
  }
  // The status is not the update's to change: publishing and cancelling are commands of their
  // own, so an edit racing a publish can never put the event back to draft.
  const next: EventConfig = { ...cmd.config, status: state.config.status };
  if (next.id !== state.config.id) {
    return refuse(new InputError(["id"], "The configuration belongs to another event"));
  }
  // Cancelling must go through CancelEvent, which refunds the bookings and frees the holds.
  if (cmd.config.status === "cancelled") {
    return refuse(new InputError(["status"], "Cancel the event instead of setting its status"));
  }
  const seated = state.seating && seatedConfigRefusal(state.seating, next);
  if (seated) return refuse(seated);
  for (const [id, count] of Object.entries(state.counts)) {
    const type = next.ticketTypes.find((t) => t.id === id);
    const taken = count.sold + count.held;
    if ((type?.capacity ?? 0) < taken) {
      return refuse(
        new DomainError("CAPACITY_BELOW_SOLD", "Capacity cannot go below what is sold or held", {
          ticketTypeId: id,
          taken,
        }),
      );
    }
  }
  if (next.capacity !== null && next.capacity < state.sold + state.held) {
    return refuse(
      new DomainError("CAPACITY_BELOW_SOLD", "Capacity cannot go below what is sold or held", {
        taken: state.sold + state.held,
      }),
    );
  }
  return {
    events: [{ type: "EventReconfigured", config: next, details: cmd.details, at: now }],
    reply: { config: next },
  };
}

function publishEvent(state: EventState, now: number): DecisionFor<PublishEvent> {
  if (state.config.status === "cancelled") {
    return refuse(new DomainError("EVENT_CANCELLED", "A cancelled event cannot be published"));
  }
  if (state.config.status === "published") return { events: [], reply: { config: state.config } };
  const config: EventConfig = { ...state.config, status: "published" };
  return {
    events: [{ type: "EventReconfigured", config, details: null, at: now }],
    reply: { config },
  };
}

function cancelEvent(state: EventState, cmd: CancelEvent, now: number): DecisionFor<CancelEvent> {
  if (state.config.status === "cancelled") {
    return refuse(new DomainError("ALREADY_CANCELLED", "The event is already cancelled"));
  }
  const events: EventEvent[] = [];
  for (const hold of state.holds.values())
    events.push({ type: "HoldReleased", holdId: hold.id, at: now });
  const refunds: { bookingId: string; userId: string; refundCents: number }[] = [];
  for (const booking of state.bookings.values()) {
    const { refundCents } = fullRefund(booking.paidCents);
    refunds.push({ bookingId: booking.id, userId: booking.userId, refundCents });
    events.push({
      type: "BookingCancelled",
      bookingId: booking.id,
      refundCents,
      feeCents: 0,
      reason: "event_cancelled",
      // Whoever cancelled (the organizer or an admin), as for a single cancellation.
      byUserId: cmd.byUserId,
      at: now,
    });
  }
  if (state.waitlist.size > 0) events.push({ type: "WaitlistClosed", at: now });
  events.push({ type: "EventCancelled", reason: cmd.reason, at: now });
  return { events, reply: { refunds } };
}

/**
 * Checks one command against the state and says what happened, without changing anything.
 * Deterministic: the same state, command and instant always give the same decision.
 */
export function decide<C extends EventCommand>(
  state: EventState,
  cmd: C,
  now: number,
): DecisionFor<C>;
export function decide(state: EventState, cmd: EventCommand, now: number): Decision<unknown> {
  switch (cmd.type) {
    case "PlaceHold":
      return placeHold(state, cmd, now);
    case "ReleaseHold": {
      const hold = state.holds.get(cmd.holdId);
      if (!hold || hold.userId !== cmd.userId)
        return refuse(new DomainError("HOLD_NOT_FOUND", "No such hold"));
      // Giving back a waitlist offer is declining it: the entry leaves, the next one is served.
      const events: EventEvent[] = [
        { type: "HoldReleased", holdId: hold.id, at: now },
        ...offerEnded(state, hold.id, "released", now),
      ];
      return thenServe(state, { events, reply: { ok: true } }, now, cmd.codes);
    }
    case "ConfirmHold":
      return confirmHold(state, cmd, now);
    case "BookTickets":
      return bookTickets(state, cmd, now);
    case "CancelBooking":
      return thenServe(state, cancelBooking(state, cmd, now), now, cmd.codes);
    case "ExpireHolds": {
      const events: EventEvent[] = [];
      let expired = 0;
      for (const hold of state.holds.values()) {
        if (hold.expiresAt > now) continue;
        expired += 1;
        events.push({ type: "HoldExpired", holdId: hold.id, at: now });
        events.push(...offerEnded(state, hold.id, "expired", now));
      }
      return thenServe(state, { events, reply: { expired } }, now, cmd.codes);
    }
    case "Reconfigure":
      return thenServe(state, reconfigure(state, cmd, now), now, cmd.codes);
    case "JoinWaitlist":
      return joinWaitlist(state, cmd, now);
    case "LeaveWaitlist":
      return thenServe(state, leaveWaitlist(state, cmd.userId, now), now, cmd.codes);
    case "OfferNext":
      return offerNext(state, cmd, now);
    case "PublishEvent":
      return publishEvent(state, now);
    case "CancelEvent":
      return cancelEvent(state, cmd, now);
  }
}
