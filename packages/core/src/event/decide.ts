import { ConflictError, DomainError, InputError } from "../errors.ts";
import { upsertCodes } from "./code-admin.ts";
import { evolve } from "./evolve.ts";
import { type Quote, quote } from "./quote.ts";
import { fullRefund, quoteRefund } from "./refund.ts";
import { admissionRefusal, enterRoom, reconfiguredRoom, roomTick, spendingToken } from "./room.ts";
import type { Tick } from "./room-types.ts";
import { type Decision, type Refusal, refuse, ticketSlots, ticketsOf } from "./rules.ts";
import { seatedConfigRefusal } from "./seats.ts";
import { availability, quantityOf, waitlistPosition } from "./state.ts";
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
  JoinWaitlist,
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
  const decision = newHold(state, cmd, now);
  return spendingToken(state, cmd.admission, decision, (reply) => reply.hold.id, now);
}

function newHold(state: EventState, cmd: PlaceHold, now: number): DecisionFor<PlaceHold> {
  const q = quote(state, cmd, now);
  if (q.kind === "heldBefore") return { events: [], reply: { hold: q.hold } };
  if (q.kind !== "admitted") return refuse(refusalOf(q));
  const hold: Hold = {
    id: cmd.holdId,
    userId: cmd.userId,
    ...(cmd.personKey === undefined ? {} : { personKey: cmd.personKey }),
    ...(cmd.buyerName ? { buyerName: cmd.buyerName } : {}),
    items: q.lines,
    seatIds: q.seatIds,
    totalCents: q.totalCents,
    currency: state.config.currency,
    createdAt: now,
    expiresAt: now + state.config.holdSeconds * 1000,
    idempotencyKey: cmd.idempotencyKey ?? null,
    requestHash: cmd.idempotencyKey ? (cmd.requestHash ?? null) : null,
    ...(q.codeId === null ? {} : { codeId: q.codeId }),
  };
  return { events: [{ type: "HoldPlaced", hold }], reply: { hold } };
}

/** A quote that is neither admitted nor an earlier answer, as the refusal it amounts to. */
function refusalOf(q: Quote): Refusal {
  if (q.kind === "refused") return q.refusal;
  // Unreachable for the command that got this quote; refused rather than thrown all the same.
  return new ConflictError(`Unexpected quote: ${q.kind}`);
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
  q: Extract<Quote, { kind: "admitted" }>,
  now: number,
): Decision<BookingReply> {
  // A reused id would overwrite the live booking (and fail the whole batch's commit in SQLite).
  if (state.bookings.has(cmd.bookingId)) {
    return refuse(new ConflictError("This booking id is already in use"));
  }
  const { lines, seatIds, totalCents } = q;
  const declined = paymentRefusal(cmd, totalCents);
  if (declined) return refuse(declined);
  // A confirmed hold's person is the hold's; a direct booking's is the command's.
  const personKey = q.hold
    ? q.hold.personKey
    : cmd.type === "BookTickets"
      ? cmd.personKey
      : undefined;
  const buyerName = cmd.buyerName ?? q.hold?.buyerName ?? null;
  const slots = ticketSlots(state.seating, lines, seatIds);
  const booking: ConfirmedBooking = {
    id: cmd.bookingId,
    eventId: state.config.id,
    holdId,
    userId: cmd.userId,
    ...(personKey === undefined ? {} : { personKey }),
    items: lines,
    seatIds,
    totalCents,
    paidCents: totalCents === 0 ? 0 : (cmd.payment?.amountCents ?? 0),
    currency: state.config.currency,
    createdAt: now,
    tickets: ticketsOf(cmd.bookingId, slots, cmd.codes).map((t, i) =>
      q.attendees[i] ? { ...t, attendee: q.attendees[i] } : t,
    ),
    payment: totalCents === 0 ? null : cmd.payment,
    idempotencyKey: cmd.idempotencyKey,
    requestHash: cmd.requestHash,
    orderToken: cmd.orderToken ?? null,
    buyerName,
    answers: q.answers,
    ...(q.codeId === null ? {} : { codeId: q.codeId }),
  };
  return {
    events: [{ type: "BookingConfirmed", booking }],
    reply: { status: "created", booking },
  };
}

function confirmHold(state: EventState, cmd: ConfirmHold, now: number): DecisionFor<ConfirmHold> {
  const q = quote(state, cmd, now);
  if (q.kind === "bookedBefore") {
    return { events: [], reply: { status: "replayed", bookingId: q.bookingId } };
  }
  if (q.kind !== "admitted" || q.hold === null) {
    const refusal = refusalOf(q);
    const hold = state.holds.get(cmd.holdId);
    if (!(refusal instanceof DomainError) || refusal.reason !== "HOLD_EXPIRED" || !hold) {
      return refuse(refusal);
    }
    // Found expired before the sweep: expire it now, and its tickets serve the waitlist with
    // the codes this booking would have used.
    const expired = refuse<BookingReply>(refusal, [
      { type: "HoldExpired", holdId: hold.id, at: now },
      ...offerEnded(state, hold.id, "expired", now),
    ]);
    return thenServe(state, expired, now, cmd.codes);
  }
  const decision = confirmed(state, cmd, q.hold.id, q, now);
  const entry = entryOfHold(state, q.hold.id);
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

/** Joins the waitlist for a book-or-wait request, and serves it at once if tickets are free. */
function waitInstead(
  state: EventState,
  cmd: BookTickets,
  request: { ticketTypeId: string | null; quantity: number },
  now: number,
): DecisionFor<BookTickets> {
  if (cmd.entryId === undefined) {
    return refuse(new InputError(["entryId"], "A waitlist entry id is needed to wait"));
  }
  const joined = joinWaitlist(
    state,
    {
      type: "JoinWaitlist",
      entryId: cmd.entryId,
      userId: cmd.userId,
      ...(cmd.personKey === undefined ? {} : { personKey: cmd.personKey }),
      ...request,
    },
    now,
  );
  if (joined.reply instanceof Error) return refuse(joined.reply);
  const served = thenServe(state, joined, now, cmd.codes);
  const after = served.events.reduce(evolve, state);
  const entry = after.waitlist.get(cmd.entryId);
  const offer = entry?.holdId ? (after.holds.get(entry.holdId) ?? null) : null;
  return {
    events: served.events,
    reply: {
      status: "waitlisted",
      entryId: cmd.entryId,
      position: waitlistPosition(after, cmd.entryId),
      offer,
    },
  };
}

/** What a booking's token paid for: the booking, or the waitlist place it took instead. */
const bookedOrder = (reply: EventReplies["BookTickets"]): string | null =>
  reply.status === "created"
    ? reply.booking.id
    : reply.status === "waitlisted"
      ? reply.entryId
      : null;

function bookTickets(state: EventState, cmd: BookTickets, now: number): DecisionFor<BookTickets> {
  return spendingToken(state, cmd.admission, bookOrWait(state, cmd, now), bookedOrder, now);
}

function bookOrWait(state: EventState, cmd: BookTickets, now: number): DecisionFor<BookTickets> {
  const q = quote(state, cmd, now);
  switch (q.kind) {
    case "bookedBefore":
      return { events: [], reply: { status: "replayed", bookingId: q.bookingId } };
    case "waitlist":
      return waitInstead(state, cmd, q, now);
    case "admitted": {
      // Tickets freed since the caller saw a sell-out and charged nothing: it waits for them
      // (and is served at once if nobody earlier fits) rather than being refused for payment.
      const unpaid = q.totalCents > 0 && cmd.payment === null;
      if (unpaid && cmd.joinWaitlist && state.config.waitlist.enabled) {
        const only = q.lines.length === 1 ? (q.lines[0]?.ticketTypeId ?? null) : null;
        return waitInstead(state, cmd, { ticketTypeId: only, quantity: quantityOf(q.lines) }, now);
      }
      return confirmed(state, cmd, null, q, now);
    }
    default:
      return refuse(refusalOf(q));
  }
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
          sold: count.sold,
          held: count.held,
          capacity: type?.capacity ?? 0,
        }),
      );
    }
  }
  if (next.capacity !== null && next.capacity < state.sold + state.held) {
    return refuse(
      new DomainError("CAPACITY_BELOW_SOLD", "Capacity cannot go below what is sold or held", {
        taken: state.sold + state.held,
        sold: state.sold,
        held: state.held,
        capacity: next.capacity,
      }),
    );
  }
  return {
    events: [
      { type: "EventReconfigured", config: next, details: cmd.details, at: now },
      ...reconfiguredRoom(state, next, now),
    ],
    reply: { config: next },
  };
}

/** Holds past their deadline expire, and the tickets they free serve the waitlist. */
function expireHolds(
  state: EventState,
  codes: readonly string[] | undefined,
  now: number,
): Decision<{ expired: number }> {
  const events: EventEvent[] = [];
  let expired = 0;
  for (const hold of state.holds.values()) {
    if (hold.expiresAt > now) continue;
    expired += 1;
    events.push({ type: "HoldExpired", holdId: hold.id, at: now });
    events.push(...offerEnded(state, hold.id, "expired", now));
  }
  return thenServe(state, { events, reply: { expired } }, now, codes);
}

/** The timer: expiries first (they may free tickets for those the room admits), then the room. */
function tick(state: EventState, cmd: Tick, now: number): DecisionFor<Tick> {
  const expiries = expireHolds(state, cmd.codes, now);
  const after = expiries.events.reduce(evolve, state);
  const room = roomTick(after, cmd, now);
  return room.length === 0 ? expiries : { ...expiries, events: [...expiries.events, ...room] };
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
 * Joining the waitlist needs no admission token, so while the on-sale room is in use it is for a
 * sold-out event only: with tickets left, a join would be served at once and jump the room.
 */
function joinWaitlistPastRoom(
  state: EventState,
  cmd: JoinWaitlist,
  now: number,
): DecisionFor<JoinWaitlist> {
  const jumping = availability(state).available > 0 && admissionRefusal(state, cmd, now);
  if (jumping) return refuse(jumping);
  return joinWaitlist(state, cmd, now);
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
    case "ExpireHolds":
      return expireHolds(state, cmd.codes, now);
    case "Tick":
      return tick(state, cmd, now);
    case "EnterRoom":
      return enterRoom(state, cmd, now);
    case "Reconfigure":
      return thenServe(state, reconfigure(state, cmd, now), now, cmd.codes);
    case "JoinWaitlist":
      return joinWaitlistPastRoom(state, cmd, now);
    case "LeaveWaitlist":
      return thenServe(state, leaveWaitlist(state, cmd.userId, now), now, cmd.codes);
    case "OfferNext":
      return offerNext(state, cmd, now);
    case "PublishEvent":
      return publishEvent(state, now);
    case "CancelEvent":
      return cancelEvent(state, cmd, now);
    case "UpsertCodes":
      return upsertCodes(state, cmd, now);
  }
}
