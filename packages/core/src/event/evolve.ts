import { personOf } from "./checkout.ts";
import type { RerootMap } from "./reroot-map.ts";
import { applyRoom, isRoomEvent } from "./room-evolve.ts";
import type { RoomEvent } from "./room-types.ts";
import { freeSeats, takeSeats } from "./seats.ts";
import { quantityOf } from "./state.ts";
import {
  type BookingRecord,
  type ConfirmedBooking,
  codeUseScope,
  type EventEvent,
  type EventState,
  type Hold,
  idempotencyScope,
  type LineItem,
  type TypeCount,
  type WaitlistEntry,
} from "./types.ts";

type Delta = { sold: number; held: number };

/** Adds `sign × items` to the sold or held counts (both per type and in total). */
function shift(state: EventState, items: readonly LineItem[], delta: Delta): EventState {
  const counts: Record<string, TypeCount> = { ...state.counts };
  let sold = state.sold;
  let held = state.held;
  for (const item of items) {
    const c = counts[item.ticketTypeId] ?? { sold: 0, held: 0 };
    counts[item.ticketTypeId] = {
      sold: c.sold + delta.sold * item.quantity,
      held: c.held + delta.held * item.quantity,
    };
    sold += delta.sold * item.quantity;
    held += delta.held * item.quantity;
  }
  return { ...state, counts, sold, held };
}

/** Adds n to a user's count, dropping users whose count is back to 0. */
const bumped = (counts: RerootMap<string, number>, userId: string, n: number) => {
  const next = (counts.get(userId) ?? 0) + n;
  return next === 0 ? counts.delete(userId) : counts.set(userId, next);
};

/** Counts (n = 1) or gives back (n = -1) the use of a code an order carries. */
function useCode(
  state: EventState,
  order: { readonly codeId?: string | null; readonly userId: string; readonly personKey?: string },
  n: number,
): EventState {
  if (!order.codeId) return state;
  return {
    ...state,
    codeUses: bumped(state.codeUses, order.codeId, n),
    codeUsesByPerson: bumped(
      state.codeUsesByPerson,
      codeUseScope(order.codeId, personOf(order)),
      n,
    ),
  };
}

function addPerUser(state: EventState, userId: string, n: number): EventState {
  return { ...state, perUser: bumped(state.perUser, userId, n) };
}

function dropHold(state: EventState, holdId: string): EventState {
  const hold = state.holds.get(holdId);
  if (!hold) return state;
  const freed = shift(state, hold.items, { sold: 0, held: -1 });
  const seatOwners = freeSeats(state, hold.seatIds, hold.id);
  // A key is only good while its hold lives: after that, the same key may place a new one.
  const holdKeys = hold.idempotencyKey
    ? state.holdKeys.delete(idempotencyScope(hold.userId, hold.idempotencyKey))
    : state.holdKeys;
  const heldByUser = bumped(state.heldByUser, personOf(hold), -quantityOf(hold.items));
  const unused = useCode(freed, hold, -1);
  return addPerUser(
    { ...unused, holds: state.holds.delete(holdId), seatOwners, holdKeys, heldByUser },
    personOf(hold),
    -quantityOf(hold.items),
  );
}

function placeHold(state: EventState, hold: Hold): EventState {
  const held = shift(state, hold.items, { sold: 0, held: 1 });
  const seatOwners = takeSeats(state, hold.seatIds, hold.id);
  const holdKeys = hold.idempotencyKey
    ? state.holdKeys.set(idempotencyScope(hold.userId, hold.idempotencyKey), {
        holdId: hold.id,
        requestHash: hold.requestHash ?? null,
      })
    : state.holdKeys;
  const heldByUser = bumped(state.heldByUser, personOf(hold), quantityOf(hold.items));
  const used = useCode(held, hold, 1);
  const next = { ...used, holds: state.holds.set(hold.id, hold), seatOwners, holdKeys, heldByUser };
  return addPerUser(next, personOf(hold), quantityOf(hold.items));
}

function confirmBooking(state: EventState, booking: ConfirmedBooking): EventState {
  // A confirmed hold turns its held tickets into sold ones; a direct booking adds sold ones.
  const base = booking.holdId ? dropHold(state, booking.holdId) : state;
  const sold = shift(base, booking.items, { sold: 1, held: 0 });
  const record: BookingRecord = {
    id: booking.id,
    userId: booking.userId,
    ...(booking.personKey === undefined ? {} : { personKey: booking.personKey }),
    items: booking.items,
    seatIds: booking.seatIds,
    totalCents: booking.totalCents,
    paidCents: booking.paidCents,
    createdAt: booking.createdAt,
    ...(booking.codeId ? { codeId: booking.codeId } : {}),
  };
  const seatOwners = takeSeats(base, booking.seatIds, booking.id);
  // A confirmed hold gave its use back just above: the booking keeps it from here on.
  const used = useCode(sold, booking, 1);
  const withBooking = addPerUser(
    { ...used, bookings: sold.bookings.set(booking.id, record), seatOwners },
    personOf(booking),
    quantityOf(booking.items),
  );
  if (booking.idempotencyKey === null) return withBooking;
  const scope = idempotencyScope(booking.userId, booking.idempotencyKey);
  return {
    ...withBooking,
    idempotency: withBooking.idempotency.set(scope, {
      bookingId: booking.id,
      requestHash: booking.requestHash,
    }),
  };
}

/** An entry that converted, expired or left is no longer active: SQLite keeps its end. */
function endEntry(state: EventState, entryId: string): EventState {
  const entry = state.waitlist.get(entryId);
  if (!entry) return state;
  const mine = state.waitlistUsers.get(entry.userId) === entryId;
  return {
    ...state,
    waitlist: state.waitlist.delete(entryId),
    waitlistUsers: mine ? state.waitlistUsers.delete(entry.userId) : state.waitlistUsers,
  };
}

function apply(state: EventState, event: Exclude<EventEvent, RoomEvent>): EventState {
  switch (event.type) {
    case "HoldPlaced":
      return placeHold(state, event.hold);
    case "HoldReleased":
    case "HoldExpired":
      return dropHold(state, event.holdId);
    case "BookingConfirmed":
      return confirmBooking(state, event.booking);
    case "BookingCancelled": {
      const booking = state.bookings.get(event.bookingId);
      if (!booking) return state;
      const freed = useCode(shift(state, booking.items, { sold: -1, held: 0 }), booking, -1);
      const seatOwners = freeSeats(state, booking.seatIds, booking.id);
      return addPerUser(
        { ...freed, bookings: state.bookings.delete(event.bookingId), seatOwners },
        personOf(booking),
        -quantityOf(booking.items),
      );
    }
    case "EventReconfigured": {
      const counts: Record<string, TypeCount> = { ...state.counts };
      for (const type of event.config.ticketTypes) counts[type.id] ??= { sold: 0, held: 0 };
      return { ...state, config: event.config, counts };
    }
    case "CodesChanged": {
      let codes = state.codes;
      for (const code of event.codes) {
        // A code's text never changes (update takes no `code`), so its key is stable.
        codes = codes.set(code.code, code);
      }
      return { ...state, codes };
    }
    case "EventCancelled":
      return { ...state, config: { ...state.config, status: "cancelled" } };
    case "WaitlistJoined": {
      const { entry } = event;
      return {
        ...state,
        waitlist: state.waitlist.set(entry.id, entry),
        waitlistUsers: state.waitlistUsers.set(entry.userId, entry.id),
        waitlistSeq: Math.max(state.waitlistSeq, entry.seq),
      };
    }
    case "WaitlistOffered": {
      const entry = state.waitlist.get(event.entryId);
      if (!entry) return state;
      const offered: WaitlistEntry = { ...entry, state: "offered", holdId: event.hold.id };
      const held = placeHold(state, event.hold);
      return { ...held, waitlist: held.waitlist.set(entry.id, offered) };
    }
    case "WaitlistAutoBooked":
      return endEntry(confirmBooking(state, event.booking), event.entryId);
    case "WaitlistLeft":
    case "WaitlistOfferExpired":
    case "WaitlistConverted":
      return endEntry(state, event.entryId);
    case "WaitlistClosed":
      return {
        ...state,
        waitlist: state.waitlist.clear(),
        waitlistUsers: state.waitlistUsers.clear(),
      };
  }
}

/** Applies one domain event. Pure: the previous state is left as it was. */
export function evolve(state: EventState, event: EventEvent): EventState {
  const next = isRoomEvent(event)
    ? { ...state, room: applyRoom(state.room, event) }
    : apply(state, event);
  return { ...next, version: state.version + 1 };
}
