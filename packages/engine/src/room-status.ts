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
 * second) however many buyers read it: each buyer's status is then a few plain map look-ups.
 * (Immutable.js look-ups by a string id cost microseconds each, and the rate's window is a scan:
 * 20,000 streams must not repeat either per change.)
 */
interface Snapshot {
  readonly at: number;
  /** The room as someone not in it sees it (open, or the queue's figures). */
  readonly shared: RoomView;
  readonly common: Pick<RoomStatusView, "queueLength" | "opensAt" | "soldOut">;
  /** Waiting entry id → position (1 for the front), core's, cached per queue. */
  readonly positions: ReadonlyMap<string, number>;
  /** Admitted entries with a live token, by id. */
  readonly admitted: ReadonlyMap<string, RoomEntry>;
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
  const positions = queuePositions(room);
  const admitted = new Map<string, RoomEntry>(room.admitted.entries());
  let byPerson: Map<string, string> | null = null;
  const rate = admissionRate(state, at);
  const snap: Snapshot = {
    at,
    shared,
    common: { queueLength: shared.queueLength, opensAt: shared.opensAt, soldOut: shared.soldOut },
    positions,
    admitted,
    liveIdOf(target) {
      if (target.personKey !== null) {
        byPerson ??= new Map(room.byPerson.entries());
        return byPerson.get(target.personKey) ?? null;
      }
      const id = target.entryId;
      return id !== null && (positions.has(id) || admitted.has(id)) ? id : null;
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
