/**
 * How the on-sale room's events land in SQLite (docs/API.md "room"): the room's row and one row
 * per entry. Called by event-writes' `apply`, inside the writer's savepoint, like every event's
 * writes; an entry that is not where memory says it is fails the batch.
 */
import type { RoomEntry, RoomEntryState, RoomEvent } from "@boxoffice/core";
import type { Db } from "./open.ts";

/** The on-sale room's writes: the room's row (made on first need) and one row per entry. */
function prepareRoomStatements(db: Db) {
  const c = db.$client;
  return {
    ensureRoom: c.prepare("insert into rooms (event_id) values (?) on conflict do nothing"),
    insertRoomEntry: c.prepare(
      `insert into room_entries (id, event_id, user_id, person_key, seq, place, state, entered_at,
         admitted_at, token_expires_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // The room's row is made by its first entry (or by a draw or opening with nobody in it).
    roomEntered: c.prepare(
      `insert into rooms (event_id, last_seq, last_place) values (?, ?, ?)
       on conflict (event_id) do update set last_seq = max(last_seq, excluded.last_seq),
         last_place = max(last_place, excluded.last_place)`,
    ),
    roomDrawn: c.prepare(
      `update rooms set seed = ?, drawn_at = ?, entrants = ?, last_place = last_place + ?
        where event_id = ?`,
    ),
    placeRoomEntry: c.prepare(
      "update room_entries set place = ? where id = ? and event_id = ? and state = 'waiting'",
    ),
    admitRoomEntry: c.prepare(
      `update room_entries set state = 'admitted', admitted_at = ?, token_expires_at = ?
        where id = ? and event_id = ? and state = 'waiting'`,
    ),
    // Ends a live entry: lapsed (from waiting), spent or expired (from admitted).
    endRoomEntry: c.prepare(
      `update room_entries set state = ?, ended_at = ?, order_id = ?
        where id = ? and event_id = ? and state = ?`,
    ),
    countRoom: c.prepare(
      `update rooms set admitted_total = admitted_total + ?, lapsed_total = lapsed_total + ?
        where event_id = ?`,
    ),
    openRoomDoors: c.prepare("update rooms set doors_open_at = ? where event_id = ?"),
  };
}

type RoomStatements = ReturnType<typeof prepareRoomStatements>;

/** Moves live entries on; a missing live row means memory and disk disagree. */
function moveRoomEntries(
  eventId: string,
  entryIds: readonly string[],
  move: (entryId: string) => { changes: number },
): void {
  for (const entryId of entryIds) {
    if (move(entryId).changes !== 1) {
      throw new Error(
        `Room entry ${entryId} of ${eventId} is not live as expected in the database`,
      );
    }
  }
}

function enterRoom(st: RoomStatements, eventId: string, e: RoomEntry): void {
  st.insertRoomEntry.run(
    e.id,
    eventId,
    e.userId,
    e.personKey,
    e.seq,
    e.place,
    e.state,
    e.enteredAt,
    e.admittedAt,
    e.tokenExpiresAt,
  );
  st.roomEntered.run(eventId, e.seq, e.place ?? 0);
}

/**
 * The lottery: the seed, and each entrant's place (its index in `order`, plus one). One statement
 * run per entrant, in arrival order: the rows were written in that order, so the table is walked
 * front to back (measured a little cheaper than in place order for 20,000; room.test.ts).
 */
function drawRoom(
  st: RoomStatements,
  eventId: string,
  event: Extract<RoomEvent, { type: "RoomDrawn" }>,
) {
  const { seed, entrants, order, at } = event;
  const placeOf = new Map(order.map((entryId, i) => [entryId, i + 1]));
  if (placeOf.size !== entrants.length || order.length !== entrants.length) {
    throw new Error(`The draw of ${eventId} does not place each entrant once`);
  }
  st.ensureRoom.run(eventId);
  st.roomDrawn.run(seed, at, entrants.length, order.length, eventId);
  moveRoomEntries(eventId, entrants, (entryId) => {
    return st.placeRoomEntry.run(placeOf.get(entryId) ?? null, entryId, eventId);
  });
}

/** The counters' updates need no `ensureRoom`: the entries they count made the row. */
function applyRoom(st: RoomStatements, eventId: string, event: RoomEvent): void {
  const end = (state: RoomEntryState, from: RoomEntryState, at: number, orderId?: string) => {
    return (id: string) => st.endRoomEntry.run(state, at, orderId ?? null, id, eventId, from);
  };
  switch (event.type) {
    case "RoomEntered":
      enterRoom(st, eventId, event.entry);
      return;
    case "RoomDrawn":
      drawRoom(st, eventId, event);
      return;
    case "RoomLapsed":
      moveRoomEntries(eventId, event.entryIds, end("lapsed", "waiting", event.at));
      st.countRoom.run(0, event.entryIds.length, eventId);
      return;
    case "RoomAdmitted": {
      const { at, tokenExpiresAt } = event;
      moveRoomEntries(eventId, event.entryIds, (id) =>
        st.admitRoomEntry.run(at, tokenExpiresAt, id, eventId),
      );
      st.countRoom.run(event.entryIds.length, 0, eventId);
      return;
    }
    case "RoomTokenSpent":
      moveRoomEntries(eventId, [event.entryId], end("spent", "admitted", event.at, event.orderId));
      return;
    case "RoomTokensExpired":
      moveRoomEntries(eventId, event.entryIds, end("expired", "admitted", event.at));
      return;
    case "RoomDoorsOpened":
      st.ensureRoom.run(eventId);
      st.openRoomDoors.run(event.at, eventId);
      return;
  }
}

export function createRoomWrites(db: Db) {
  const st = prepareRoomStatements(db);
  return {
    /** Writes one Room* event; call inside a transaction. */
    apply(eventId: string, event: RoomEvent): void {
      applyRoom(st, eventId, event);
    },
  };
}
