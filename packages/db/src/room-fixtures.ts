/**
 * Test helpers for the on-sale room's storage (room.test.ts, room-crash.test.ts): an event with
 * a room, entries and events as the actor makes them, and the room part of an actor's state in a
 * form `toEqual` compares (Immutable's tries depend on insertion history, plain arrays do not).
 */
import type { EventState, RoomConfig, RoomEntry, RoomEvent, RoomState } from "@boxoffice/core";
import type { Db } from "./open.ts";
import type { NewEventRow } from "./queries/events.ts";
import { insertTestEvent } from "./testing.ts";

export const NOW = 1_700_000_000_000;
export const OPENS_AT = NOW + 3_600_000;

export const ROOM: RoomConfig = {
  enabled: true,
  opensAt: OPENS_AT,
  admitPerMinute: 600,
  tokenSeconds: 60,
  graceSeconds: 120,
  difficulty: 4,
};

/** A published event with a room and plenty of tickets, and its organizer. */
export function createRoomEvent(db: Db, id: string, fields: Partial<NewEventRow> = {}): void {
  insertTestEvent(db, {
    eventId: id,
    ticketTypeId: `${id}-ga`,
    now: NOW,
    priceCents: 2_000,
    capacity: 100_000,
    fields: { onSaleRoom: ROOM, ...fields },
  });
}

/** The n-th arrival: an account for odd n, a guest for even n (principal `guest:<email>`). */
export function roomEntry(n: number, fields: Partial<RoomEntry> = {}): RoomEntry {
  const email = `buyer${n}@example.test`;
  return {
    id: `rm_${String(n).padStart(6, "0")}`,
    userId: n % 2 === 1 ? `usr_${n}` : `guest:${email}`,
    personKey: email,
    seq: n,
    enteredAt: NOW + n,
    place: null,
    state: "waiting",
    admittedAt: null,
    tokenExpiresAt: null,
    ...fields,
  };
}

export const entered = (entry: RoomEntry): RoomEvent => ({ type: "RoomEntered", entry });

/** The room part of an actor's state, as plain values in a stable order. */
export function roomView(room: RoomState) {
  const bySeq = (a: RoomEntry, b: RoomEntry) => a.seq - b.seq;
  return {
    queue: [...room.queue.values()],
    admitted: [...room.admitted.values()].sort(bySeq),
    byPerson: [...room.byPerson.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
    lastSeq: room.lastSeq,
    lastPlace: room.lastPlace,
    drawnAt: room.drawnAt,
    seed: room.seed,
    doorsOpenAt: room.doorsOpenAt,
    recentAdmissions: [...room.recentAdmissions],
    admittedTotal: room.admittedTotal,
  };
}

/** The room's view of a state, its rate window cut at `now` as a load at `now` cuts it. */
export function roomViewAt(state: EventState, now: number) {
  const view = roomView(state.room);
  return { ...view, recentAdmissions: view.recentAdmissions.filter((at) => at > now - 60_000) };
}
