/**
 * The on-sale room's state: built from what the store loaded, and moved by the room's events.
 * Each event asserts what it needs (house style 11): an event that cannot apply throws.
 */
import { Map as IMap, List } from "immutable";
import { RoomQueue } from "./room-queue.ts";
import type { LoadedRoom, RoomEntry, RoomEvent, RoomState } from "./room-types.ts";
import type { EventEvent, EventState } from "./types.ts";

export const emptyRoom = (): RoomState => ({
  queue: RoomQueue.EMPTY,
  admitted: IMap(),
  byPerson: IMap(),
  lastSeq: 0,
  lastPlace: 0,
  drawnAt: null,
  seed: null,
  doorsOpenAt: null,
  recentAdmissions: List(),
  admittedTotal: 0,
});

/** The room as loaded: waiting entries in queue order (place, else arrival), admitted apart. */
export function loadRoom(loaded: LoadedRoom | undefined): RoomState {
  if (!loaded) return emptyRoom();
  const waiting = loaded.entries
    .filter((e) => e.state === "waiting")
    .sort((a, b) => (a.place ?? 0) - (b.place ?? 0) || a.seq - b.seq);
  const admitted = loaded.entries.filter((e) => e.state === "admitted");
  const live = [...waiting, ...admitted];
  return {
    queue: RoomQueue.of(waiting),
    admitted: IMap(admitted.map((e) => [e.id, e] as const)),
    byPerson: IMap(live.map((e) => [e.personKey, e.id] as const)),
    // A fold, not Math.max(...spread): a big room's entries would overflow the call stack.
    lastSeq: live.reduce((max, e) => Math.max(max, e.seq), loaded.lastSeq),
    lastPlace: live.reduce((max, e) => Math.max(max, e.place ?? 0), loaded.lastPlace),
    drawnAt: loaded.drawnAt,
    seed: loaded.seed,
    doorsOpenAt: loaded.doorsOpenAt,
    recentAdmissions: List([...loaded.recentAdmissions].sort((a, b) => a - b)),
    admittedTotal: loaded.admittedTotal,
  };
}

export type RoomEventType = RoomEvent["type"];

const broken = (event: RoomEvent, why: string) => new Error(`Cannot apply ${event.type}: ${why}`);

function drawn(room: RoomState, event: Extract<RoomEvent, { type: "RoomDrawn" }>): RoomState {
  if (room.drawnAt !== null) throw broken(event, "the lottery was drawn already");
  const { entrants, order } = event;
  if (entrants.length !== room.queue.size || order.length !== entrants.length) {
    throw broken(event, "the entrants are not the waiting entries");
  }
  for (const id of entrants) if (!room.queue.has(id)) throw broken(event, `${id} is not waiting`);
  if (new Set(order).size !== order.length) throw broken(event, "the order repeats an entrant");
  const queue = RoomQueue.of(
    order.map((id, i): RoomEntry => {
      const entry = room.queue.get(id);
      if (!entry) throw broken(event, `${id} is not waiting`);
      return { ...entry, place: i + 1 };
    }),
  );
  return {
    ...room,
    queue,
    lastPlace: room.lastPlace + order.length,
    drawnAt: event.at,
    seed: event.seed,
  };
}

function admitted(room: RoomState, event: Extract<RoomEvent, { type: "RoomAdmitted" }>) {
  let admittedMap = room.admitted;
  for (const id of event.entryIds) {
    const entry = room.queue.get(id);
    if (!entry) throw broken(event, `${id} is not waiting`);
    if (admittedMap.has(id)) throw broken(event, `${id} is admitted twice`);
    admittedMap = admittedMap.set(id, {
      ...entry,
      state: "admitted",
      admittedAt: event.at,
      tokenExpiresAt: event.tokenExpiresAt,
    });
  }
  const since = event.at - 60_000;
  const recent = room.recentAdmissions
    .skipWhile((at) => at <= since)
    .concat(List(event.entryIds.map(() => event.at)));
  return {
    ...room,
    queue: room.queue.without(event.entryIds),
    admitted: admittedMap,
    recentAdmissions: recent,
    admittedTotal: room.admittedTotal + event.entryIds.length,
  };
}

/** Ends live entries: waiting ones (lapsed) or admitted ones (spent, expired). */
function ended(
  room: RoomState,
  event: RoomEvent,
  ids: readonly string[],
  from: "queue" | "admitted",
) {
  let byPerson = room.byPerson;
  for (const id of ids) {
    const entry = room[from].get(id);
    if (!entry) throw broken(event, `${id} is not ${from === "queue" ? "waiting" : "admitted"}`);
    if (byPerson.get(entry.personKey) === id) byPerson = byPerson.delete(entry.personKey);
  }
  if (new Set(ids).size !== ids.length) throw broken(event, "an entry ends twice");
  return from === "queue"
    ? { ...room, queue: room.queue.without(ids), byPerson }
    : { ...room, admitted: room.admitted.deleteAll(ids), byPerson };
}

export function applyRoom(room: RoomState, event: RoomEvent): RoomState {
  switch (event.type) {
    case "RoomEntered": {
      const { entry } = event;
      if (room.byPerson.has(entry.personKey)) throw broken(event, "the person has a place");
      if (room.queue.has(entry.id) || room.admitted.has(entry.id)) {
        throw broken(event, "the entry id is in use");
      }
      if (entry.state !== "waiting" || entry.seq <= room.lastSeq) {
        throw broken(event, "a new entry waits, after every earlier one");
      }
      return {
        ...room,
        queue: room.queue.push(entry),
        byPerson: room.byPerson.set(entry.personKey, entry.id),
        lastSeq: entry.seq,
        lastPlace: Math.max(room.lastPlace, entry.place ?? 0),
      };
    }
    case "RoomDrawn":
      return drawn(room, event);
    case "RoomLapsed":
      return ended(room, event, event.entryIds, "queue");
    case "RoomAdmitted":
      return admitted(room, event);
    case "RoomTokenSpent":
      return ended(room, event, [event.entryId], "admitted");
    case "RoomTokensExpired":
      return ended(room, event, event.entryIds, "admitted");
    case "RoomDoorsOpened":
      if (room.doorsOpenAt !== null) throw broken(event, "the doors are open already");
      return { ...room, doorsOpenAt: event.at };
  }
}

/** `applyRoom` on a whole state, for deciding on what earlier events of a tick left. */
export function applyRoomTo(state: EventState, event: RoomEvent): EventState {
  return { ...state, room: applyRoom(state.room, event) };
}

const ROOM_EVENTS: ReadonlySet<string> = new Set<RoomEventType>([
  "RoomEntered",
  "RoomDrawn",
  "RoomLapsed",
  "RoomAdmitted",
  "RoomTokenSpent",
  "RoomTokensExpired",
  "RoomDoorsOpened",
]);

export const isRoomEvent = (event: EventEvent): event is RoomEvent => ROOM_EVENTS.has(event.type);
