/**
 * An actor's state as plain, ordered data: what must survive a round trip through SQLite. Two
 * states with equal snapshots decide every command alike (the version, a change marker for
 * subscribers, is left out).
 */
import type { RoomState } from "./room-types.ts";
import type { EventState, LineItem } from "./types.ts";

/** Items as stored: the list price is the unit price where no code changed it. */
const canonicalItems = (items: readonly LineItem[]) =>
  items.map((i) => ({ ...i, listPriceCents: i.listPriceCents ?? i.unitPriceCents }));

const byKey = <T>(entries: Iterable<[string | number, T]>) =>
  [...entries].sort(([a], [b]) => String(a).localeCompare(String(b)));

export function snapshot(state: EventState) {
  return {
    config: state.config,
    counts: byKey(Object.entries(state.counts)),
    sold: state.sold,
    held: state.held,
    holds: byKey(state.holds.entries()).map(([, h]) => ({
      ...h,
      idempotencyKey: h.idempotencyKey ?? null,
      requestHash: h.idempotencyKey ? (h.requestHash ?? null) : null,
      items: canonicalItems(h.items),
      codeId: h.codeId ?? null,
    })),
    bookings: byKey(state.bookings.entries()).map(([, b]) => ({
      ...b,
      items: canonicalItems(b.items),
      codeId: b.codeId ?? null,
    })),
    perUser: byKey(state.perUser.entries()),
    heldByUser: byKey(state.heldByUser.entries()),
    idempotency: byKey(state.idempotency.entries()),
    holdKeys: byKey(state.holdKeys.entries()),
    waitlist: [...state.waitlist.values()],
    waitlistUsers: byKey(state.waitlistUsers.entries()),
    waitlistSeq: state.waitlistSeq,
    seatOwners: [...state.seatOwners.entries()].sort(([a], [b]) => a - b),
    codes: byKey(state.codes.entries()),
    codeUses: byKey(state.codeUses.entries()),
    codeUsesByPerson: byKey(state.codeUsesByPerson.entries()),
    room: roomSnapshot(state.room),
  };
}

/**
 * The room less its rate window: that one is relative to the clock (a loader takes the
 * admissions of the minute before it loads), and from then on both count the same minute.
 */
function roomSnapshot(room: RoomState) {
  return {
    queue: [...room.queue.values()],
    admitted: byKey(room.admitted.entries()).map(([, e]) => e),
    byPerson: byKey(room.byPerson.entries()),
    lastSeq: room.lastSeq,
    lastPlace: room.lastPlace,
    drawnAt: room.drawnAt,
    seed: room.seed,
    doorsOpenAt: room.doorsOpenAt,
    admittedTotal: room.admittedTotal,
  };
}
