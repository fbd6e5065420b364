/**
 * What buyers and organizers are told of a room (docs/API.md "room"), and the per-state snapshot
 * that lets thousands of status streams share one change's work.
 */
import {
  admissionRate,
  type EventState,
  queuePositions,
  type RoomCounts,
  type RoomEntry,
  type RoomView,
  roomCounts,
  roomView,
  waitSeconds,
} from "@boxoffice/core";
import { type Db, roomCountsOf } from "@boxoffice/db";

/** A buyer's view of the room (epoch milliseconds; the API makes the wire shape). */
export interface RoomStatusView {
  readonly state: "none" | "waiting" | "admitted" | "expired" | "open";
  readonly position: number | null;
  readonly ahead: number | null;
  readonly queueLength: number;
  readonly opensAt: number | null;
  /** While admitted with the token unspent. */
  readonly admissionToken: string | null;
  readonly tokenExpiresAt: number | null;
  readonly spent: boolean;
  readonly estimatedWaitSeconds: number | null;
  readonly soldOut: boolean;
}

/** The organizer's figures (`room.stats`): core's counts, and what only SQLite knows. */
export interface RoomStatsView extends Omit<RoomCounts, "soldOut"> {
  readonly lapsedTotal: number;
  readonly doorsOpenAt: number | null;
}

/** How an entry is looked for: by person (an account) or by entry id (a guest's key). */
export interface Target {
  readonly personKey: string | null;
  readonly entryId: string | null;
}

/** Whether a stream would tell its buyer nothing new (every field equal). */
export function sameStatus(a: RoomStatusView, b: RoomStatusView): boolean {
  return (
    a.state === b.state &&
    a.position === b.position &&
    a.queueLength === b.queueLength &&
    a.estimatedWaitSeconds === b.estimatedWaitSeconds &&
    a.soldOut === b.soldOut &&
    a.spent === b.spent &&
    a.opensAt === b.opensAt &&
    a.admissionToken === b.admissionToken &&
    a.ahead === b.ahead &&
    a.tokenExpiresAt === b.tokenExpiresAt
  );
}

export const OPEN = {
  state: "open",
  position: null,
  ahead: null,
  estimatedWaitSeconds: null,
  admissionToken: null,
  tokenExpiresAt: null,
  spent: false,
} as const;

/**
 * What every buyer's status shares in one state of the room, worked out once per state (and
 * second) however many buyers read it: each buyer's status is then a few look-ups. Nothing here
 * is O(n) until a buyer needs it: a buyer entering is told their status from the new state, and
 * copying the whole queue for each of them made entering quadratic (and kept a copy of it alive).
 * Positions (core's, cached per queue) are worked out only after the draw, when they are shown.
 */
interface Snapshot {
  readonly at: number;
  /** The room as someone not in it sees it (open, or the queue's figures). */
  readonly shared: RoomView;
  readonly common: Pick<RoomStatusView, "queueLength" | "opensAt" | "soldOut">;
  /** The entry, if it waits in the queue. */
  waitingEntry(entryId: string): RoomEntry | undefined;
  /** A waiting entry's position (1 for the front); O(n) once per queue, unless it is the last. */
  positionOf(entry: RoomEntry): number | undefined;
  /** An admitted entry with a live token, by id. */
  admittedEntry(entryId: string): RoomEntry | undefined;
  liveIdOf(target: Target): string | null;
  /** Seconds until the entry at `position` is admitted, at the recent pace; null: unknown. */
  waitFor(position: number): number | null;
}

const snapshots = new WeakMap<EventState, Snapshot>();

export function snapshotOf(state: EventState, at: number): Snapshot {
  const cached = snapshots.get(state);
  if (cached && Math.abs(cached.at - at) < 1_000) return cached;
  const { room } = state;
  const shared = roomView(state, null, at);
  const rate = admissionRate(state, at);
  const snap: Snapshot = {
    at,
    shared,
    common: { queueLength: shared.queueLength, opensAt: shared.opensAt, soldOut: shared.soldOut },
    waitingEntry: (id) => room.queue.get(id),
    positionOf(entry) {
      // A newcomer after the draw is at the back (the highest place so far: places grow along
      // the queue): no need to number everyone ahead of them.
      if (entry.place !== null && entry.place === room.lastPlace) return room.queue.size;
      return queuePositions(room).get(entry.id);
    },
    admittedEntry: (id) => room.admitted.get(id),
    liveIdOf(target) {
      if (target.personKey !== null) return room.byPerson.get(target.personKey) ?? null;
      const id = target.entryId;
      return id !== null && (room.queue.has(id) || room.admitted.has(id)) ? id : null;
    },
    waitFor: (position) => waitSeconds(position, rate),
  };
  snapshots.set(state, snap);
  return snap;
}

/** Lapses are counted by the store only (the actor forgets lapsed entries). */
export function statsOf(
  db: Db,
  state: EventState,
  at: number,
): RoomStatsView & { version: number } {
  const counts = roomCounts(state, at);
  return {
    ...counts,
    lapsedTotal: roomCountsOf(db, state.config.id).lapsedTotal,
    version: state.version,
  };
}
