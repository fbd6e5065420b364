/**
 * What the engine tells buyers and organizers about a room: pure reads of the actor's state.
 * Thousands of buyers watch one room, so positions are worked out once per queue (O(n), cached
 * by the queue's identity: every change makes a new one) and each buyer's view is then O(1).
 */
import { admissionsInLastMinute, roomInUse, roomOf, roomOpensAt } from "./room.ts";
import type { RoomEntry, RoomState } from "./room-types.ts";
import { availability } from "./state.ts";
import type { EventState } from "./types.ts";

const positionsByQueue = new WeakMap<RoomState["queue"], ReadonlyMap<string, number>>();

/** 1 for the front of the queue, and so on: by queue order, so a lapse moves everyone up. */
export function queuePositions(room: RoomState): ReadonlyMap<string, number> {
  const cached = positionsByQueue.get(room.queue);
  if (cached) return cached;
  const positions = new Map<string, number>();
  let position = 0;
  for (const id of room.queue.keys()) positions.set(id, ++position);
  positionsByQueue.set(room.queue, positions);
  return positions;
}

const soldOutByState = new WeakMap<EventState, boolean>();

/** Nothing left to hold or book right now (holds may still expire): once per state. */
export function roomSoldOut(state: EventState): boolean {
  const cached = soldOutByState.get(state);
  if (cached !== undefined) return cached;
  const soldOut = availability(state).available === 0;
  soldOutByState.set(state, soldOut);
  return soldOut;
}

export interface RoomView {
  /**
   * `open`: the room is not in use, buy without a token. `gone`: the room holds no live entry of
   * this id (never entered, or it ended: the engine's store knows how).
   */
  readonly state: "open" | "waiting" | "admitted" | "gone";
  readonly entry: RoomEntry | null;
  /** 1 for the front; null unless waiting after the draw. */
  readonly position: number | null;
  readonly ahead: number | null;
  readonly queueLength: number;
  readonly opensAt: number | null;
  readonly soldOut: boolean;
  readonly admittedLastMinute: number;
  /** Until this entry's turn, at the pace of the last minute (or the organizer's rate before). */
  readonly estimatedWaitSeconds: number | null;
}

/** Admissions per second lately: measured since the draw (at most the last minute), else set. */
export function admissionRate(state: EventState, now: number): number | null {
  const { room } = state;
  const recent = admissionsInLastMinute(room, now);
  if (recent > 0 && room.drawnAt !== null) {
    const seconds = Math.min(60, Math.max(1, (now - room.drawnAt) / 1000));
    return recent / seconds;
  }
  const rate = roomOf(state.config).admitPerMinute;
  return rate === null ? null : rate / 60;
}

/** One entry's view of the room (`entryId` null: someone not in it). */
export function roomView(state: EventState, entryId: string | null, now: number): RoomView {
  const { room } = state;
  const inUse = roomInUse(state, now);
  const entry =
    entryId === null ? null : (room.queue.get(entryId) ?? room.admitted.get(entryId) ?? null);
  const position =
    inUse && entry?.state === "waiting" && room.drawnAt !== null
      ? (queuePositions(room).get(entry.id) ?? null)
      : null;
  const rate = position === null ? null : admissionRate(state, now);
  return {
    state: !inUse
      ? "open"
      : entry === null
        ? "gone"
        : entry.state === "admitted"
          ? "admitted"
          : "waiting",
    entry,
    position,
    ahead: position === null ? null : position - 1,
    queueLength: room.queue.size,
    opensAt: roomOpensAt(state.config),
    soldOut: roomSoldOut(state),
    admittedLastMinute: admissionsInLastMinute(room, now),
    estimatedWaitSeconds: position === null ? null : waitSeconds(position, rate),
  };
}

/** The honest estimate: a place over the admissions a second lately; null when none are known. */
export const waitSeconds = (position: number, rate: number | null): number | null =>
  rate === null || rate <= 0 ? null : Math.ceil(position / rate);

export interface RoomCounts {
  /** off: not enabled; before: waiting for the draw; queueing: admitting; open: doors open. */
  readonly state: "off" | "before" | "queueing" | "open";
  readonly opensAt: number | null;
  /** Everyone who ever entered (their arrival numbers run 1..n). */
  readonly entrants: number;
  readonly waiting: number;
  /** Admitted with a token not yet spent or expired. */
  readonly shopping: number;
  readonly admittedTotal: number;
  readonly admittedLastMinute: number;
  readonly drawnAt: number | null;
  readonly seed: string | null;
  readonly doorsOpenAt: number | null;
}

/** The organizer's figures (`room.stats`, less what only the store counts, such as lapses). */
export function roomCounts(state: EventState, now: number): RoomCounts {
  const { room } = state;
  const phase =
    room.doorsOpenAt !== null
      ? "open"
      : !roomOf(state.config).enabled
        ? "off"
        : room.drawnAt === null
          ? "before"
          : "queueing";
  return {
    state: phase,
    opensAt: roomOpensAt(state.config),
    entrants: room.lastSeq,
    waiting: room.queue.size,
    shopping: room.admitted.size,
    admittedTotal: room.admittedTotal,
    admittedLastMinute: admissionsInLastMinute(room, now),
    drawnAt: room.drawnAt,
    seed: room.seed,
    doorsOpenAt: room.doorsOpenAt,
  };
}
