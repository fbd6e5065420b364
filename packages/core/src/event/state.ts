import { Map as IMap, OrderedMap } from "immutable";
import { personOf } from "./checkout.ts";
import { RerootMap } from "./reroot-map.ts";
import { loadRoom } from "./room-evolve.ts";
import type { LoadedRoom } from "./room-types.ts";
import { buildSeating, loadSeatOwners } from "./seats.ts";
import {
  type BookingRecord,
  type CodeConfig,
  codeUseScope,
  type EventConfig,
  type EventState,
  type Hold,
  idempotencyScope,
  type LineItem,
  type SeatLayout,
  type TypeCount,
  type WaitlistEntry,
} from "./types.ts";

export interface LoadedEvent {
  readonly config: EventConfig;
  readonly holds: readonly Hold[];
  readonly bookings: readonly BookingRecord[];
  readonly idempotency: readonly {
    userId: string;
    key: string;
    bookingId: string;
    requestHash: string | null;
  }[];
  /** Active entries (waiting or offered) in queue order; none when omitted. */
  readonly waitlist?: readonly WaitlistEntry[];
  /** The highest seq ever handed out for this event, ended entries included. */
  readonly waitlistSeq?: number;
  /** The seat layout of a seated event; none when omitted. */
  readonly seating?: SeatLayout | null;
  /** The event's codes; none when omitted. */
  readonly codes?: readonly CodeConfig[];
  /** The on-sale room's live entries and its row; none: an empty room. */
  readonly room?: LoadedRoom;
}

const quantityOf = (items: readonly LineItem[]): number =>
  items.reduce((sum, item) => sum + item.quantity, 0);

export { quantityOf };

/** Builds an actor's state from what was loaded; counts are derived, never stored twice. */
export function initialState(loaded: LoadedEvent): EventState {
  const counts: Record<string, TypeCount> = {};
  for (const type of loaded.config.ticketTypes) counts[type.id] = { sold: 0, held: 0 };
  let sold = 0;
  let held = 0;
  const perUser = new Map<string, number>();
  const bump = (userId: string, n: number) => perUser.set(userId, (perUser.get(userId) ?? 0) + n);
  for (const booking of loaded.bookings) {
    for (const item of booking.items) {
      const c = counts[item.ticketTypeId] ?? { sold: 0, held: 0 };
      counts[item.ticketTypeId] = { sold: c.sold + item.quantity, held: c.held };
      sold += item.quantity;
    }
    bump(personOf(booking), quantityOf(booking.items));
  }
  const heldByUser = new Map<string, number>();
  for (const hold of loaded.holds) {
    for (const item of hold.items) {
      const c = counts[item.ticketTypeId] ?? { sold: 0, held: 0 };
      counts[item.ticketTypeId] = { sold: c.sold, held: c.held + item.quantity };
      held += item.quantity;
    }
    const person = personOf(hold);
    bump(person, quantityOf(hold.items));
    heldByUser.set(person, (heldByUser.get(person) ?? 0) + quantityOf(hold.items));
  }
  const uses = codeUsesOf([...loaded.holds, ...loaded.bookings]);
  const waitlist = [...(loaded.waitlist ?? [])].sort((a, b) => a.seq - b.seq);
  const seating = loaded.seating ? buildSeating(loaded.seating) : null;
  const seatOwners = seating
    ? loadSeatOwners(seating, [...loaded.holds, ...loaded.bookings])
    : new Map<number, string>();
  return {
    config: loaded.config,
    counts,
    sold,
    held,
    holds: RerootMap.of(loaded.holds.map((h) => [h.id, h] as const)),
    bookings: RerootMap.of(loaded.bookings.map((b) => [b.id, b] as const)),
    perUser: RerootMap.of(perUser),
    heldByUser: RerootMap.of(heldByUser),
    idempotency: RerootMap.of(
      loaded.idempotency.map(
        (e) =>
          [
            idempotencyScope(e.userId, e.key),
            { bookingId: e.bookingId, requestHash: e.requestHash },
          ] as const,
      ),
    ),
    holdKeys: RerootMap.of(
      loaded.holds.flatMap((h) =>
        h.idempotencyKey
          ? [
              [
                idempotencyScope(h.userId, h.idempotencyKey),
                { holdId: h.id, requestHash: h.requestHash ?? null },
              ] as const,
            ]
          : [],
      ),
    ),
    waitlist: OrderedMap(waitlist.map((e) => [e.id, e] as const)),
    waitlistUsers: IMap(waitlist.map((e) => [e.userId, e.id] as const)),
    waitlistSeq: Math.max(loaded.waitlistSeq ?? 0, ...waitlist.map((e) => e.seq)),
    seating,
    seatOwners: IMap(seatOwners),
    codes: IMap((loaded.codes ?? []).map((c) => [c.code, c] as const)),
    codeUses: uses.total,
    codeUsesByPerson: uses.byPerson,
    room: loadRoom(loaded.room),
    version: 0,
  };
}

/** A code's uses are the live holds and standing bookings carrying it: derived, never stored. */
function codeUsesOf(orders: readonly (Hold | BookingRecord)[]) {
  const total = new Map<string, number>();
  const byPerson = new Map<string, number>();
  for (const order of orders) {
    if (!order.codeId) continue;
    total.set(order.codeId, (total.get(order.codeId) ?? 0) + 1);
    const scope = codeUseScope(order.codeId, personOf(order));
    byPerson.set(scope, (byPerson.get(scope) ?? 0) + 1);
  }
  return { total: RerootMap.of(total), byPerson: RerootMap.of(byPerson) };
}

export interface TypeAvailability {
  readonly id: string;
  readonly capacity: number;
  readonly sold: number;
  readonly held: number;
  readonly available: number;
}

export interface Availability {
  readonly capacity: number;
  readonly sold: number;
  readonly held: number;
  readonly available: number;
  /** Entries waiting (not those holding an offer). */
  readonly waitlistLength: number;
  readonly byType: readonly TypeAvailability[];
}

/** 1 for the first waiting entry, and so on; null when the entry is not waiting. */
export function waitlistPosition(state: EventState, entryId: string): number | null {
  let position = 0;
  for (const entry of state.waitlist.values()) {
    if (entry.state === "waiting") position += 1;
    if (entry.id === entryId) return entry.state === "waiting" ? position : null;
  }
  return null;
}

/**
 * What can still be held, per type and in total, from the figures alone: the same rule whether
 * they come from an actor's state or from SQLite. A type's availability is also bounded by what
 * the event-wide cap leaves, so the figures never promise more than a hold would get.
 */
export function availabilityOf(
  config: EventConfig,
  counts: Readonly<Record<string, TypeCount>>,
  waitlistLength: number,
): Availability {
  let sold = 0;
  let held = 0;
  for (const type of config.ticketTypes) {
    sold += counts[type.id]?.sold ?? 0;
    held += counts[type.id]?.held ?? 0;
  }
  const typesCapacity = config.ticketTypes.reduce((sum, t) => sum + t.capacity, 0);
  const capacity =
    config.capacity === null ? typesCapacity : Math.min(config.capacity, typesCapacity);
  const eventLeft =
    config.capacity === null ? Number.POSITIVE_INFINITY : config.capacity - sold - held;
  let typesLeft = 0;
  const byType = config.ticketTypes.map((type) => {
    const count = counts[type.id] ?? { sold: 0, held: 0 };
    const own = Math.max(0, type.capacity - count.sold - count.held);
    typesLeft += own;
    return {
      id: type.id,
      capacity: type.capacity,
      sold: count.sold,
      held: count.held,
      available: Math.max(0, Math.min(own, eventLeft)),
    };
  });
  const available = config.status === "cancelled" ? 0 : Math.max(0, Math.min(typesLeft, eventLeft));
  return { capacity, sold, held, available, waitlistLength, byType };
}

/** An actor's availability: its counts and the entries waiting (not those holding an offer). */
export function availability(state: EventState): Availability {
  let waiting = 0;
  for (const entry of state.waitlist.values()) if (entry.state === "waiting") waiting += 1;
  return availabilityOf(state.config, state.counts, waiting);
}

/** The earliest instant at which a live hold expires, or null when there is none. */
export function earliestExpiry(state: EventState): number | null {
  let earliest: number | null = null;
  for (const hold of state.holds.values()) {
    if (earliest === null || hold.expiresAt < earliest) earliest = hold.expiresAt;
  }
  return earliest;
}
