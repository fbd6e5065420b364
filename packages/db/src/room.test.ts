import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import {
  DEFAULT_ROOM,
  drawOrder,
  type EventEvent,
  type EventState,
  evolve,
  type Hold,
  initialState,
  newId,
  type RoomEntry,
  type RoomEvent,
  type RoomState,
} from "@boxoffice/core";
import fc from "fast-check";
import { loadEvent } from "./event-load.ts";
import { createEventWrites } from "./event-writes.ts";
import { closeDb, type Db, openDb } from "./open.ts";
import { deleteDraftEvent } from "./queries/drafts.ts";
import {
  LIVE_ENTRIES,
  latestRoomEntryOf,
  RECENT_ADMISSIONS,
  roomCountsOf,
  roomDrawOf,
  roomEntryById,
  roomsInUse,
} from "./queries/room.ts";
import {
  createRoomEvent,
  entered,
  NOW,
  OPENS_AT,
  ROOM,
  roomEntry,
  roomView,
  roomViewAt,
} from "./room-fixtures.ts";
import { openTestDb, type TestDb, testHold } from "./testing.ts";
import { createGroupCommitWriter } from "./writer.ts";

const SEED = "0123456789abcdef0123456789abcdef";

let testDb: TestDb;
let db: Db;

beforeEach(() => {
  testDb = openTestDb();
  db = testDb.db;
});

afterEach(() => testDb.close());

/** Writes one actor batch in its own transaction, as the writer's savepoint does. */
function apply(eventId: string, ...events: EventEvent[]): void {
  const writes = createEventWrites(db);
  db.$client.transaction(() => writes.apply(eventId, events))();
}

/** What a restarted server loads: a new connection to the same file. */
function reloaded(eventId: string, now: number) {
  const fresh = openDb(db.$client.name);
  try {
    const loaded = loadEvent(fresh, eventId, now);
    if (!loaded) throw new Error(`${eventId} did not load`);
    return loaded;
  } finally {
    closeDb(fresh);
  }
}

const isGuest = (e: RoomEntry) => e.userId.startsWith("guest:");

const ids = (...ns: number[]) => ns.map((n) => roomEntry(n).id);

/** A draw of entries 1..n at the opening, in the lottery's order. */
function drawn(n: number, at = OPENS_AT): EventEvent {
  const entrants = ids(...Array.from({ length: n }, (_, i) => i + 1));
  return { type: "RoomDrawn", seed: SEED, entrants, order: drawOrder(SEED, entrants), at };
}

const hold = (id: string, userId: string, personKey: string, createdAt: number): Hold =>
  testHold({
    id,
    userId,
    personKey,
    items: [{ ticketTypeId: "ev-ga", quantity: 1, unitPriceCents: 2_000 }],
    createdAt,
  });

describe("the room's settings", () => {
  it("leaves the room unset for an event whose room was never configured", () => {
    createRoomEvent(db, "ev", { onSaleRoom: null });
    const loaded = loadEvent(db, "ev", NOW);
    expect(loaded?.config.room).toBeUndefined();
    expect(loaded?.room).toBeUndefined();
    expect(roomsInUse(db)).toEqual([]);
  });

  it("loads the organizer's settings, with defaults for settings stored before they existed", () => {
    createRoomEvent(db, "ev");
    const { difficulty: _, graceSeconds: __, ...older } = ROOM;
    createRoomEvent(db, "old", { onSaleRoom: older as typeof ROOM });
    expect(loadEvent(db, "ev", NOW)?.config.room).toEqual(ROOM);
    expect(loadEvent(db, "old", NOW)?.config.room).toEqual({
      ...older,
      difficulty: DEFAULT_ROOM.difficulty,
      graceSeconds: DEFAULT_ROOM.graceSeconds,
    });
  });

  it("stores the room a reconfiguration sets, and clears one it leaves out", () => {
    createRoomEvent(db, "ev", { onSaleRoom: null });
    const config = loadEvent(db, "ev", NOW)?.config;
    if (!config) throw new Error("no event");
    const room = { ...ROOM, admitPerMinute: null, difficulty: 9 };
    apply("ev", { type: "EventReconfigured", config: { ...config, room }, details: null, at: NOW });
    expect(loadEvent(db, "ev", NOW)?.config.room).toEqual(room);
    apply("ev", { type: "EventReconfigured", config, details: null, at: NOW });
    expect(loadEvent(db, "ev", NOW)?.config.room).toBeUndefined();
  });

  it("lists the rooms in use for the engine to wake, until their doors open", () => {
    createRoomEvent(db, "ev");
    createRoomEvent(db, "by-sales", {
      onSaleRoom: { ...ROOM, opensAt: null },
      salesStartAt: NOW + 5,
    });
    createRoomEvent(db, "off", { onSaleRoom: { ...ROOM, enabled: false } });
    createRoomEvent(db, "draft", { status: "draft" });
    createRoomEvent(db, "opened");
    apply("opened", { type: "RoomDoorsOpened", at: NOW });
    const inUse = roomsInUse(db).sort((a, b) => (a.eventId < b.eventId ? -1 : 1));
    expect(inUse).toEqual([
      { eventId: "by-sales", opensAt: NOW + 5 },
      { eventId: "ev", opensAt: OPENS_AT },
    ]);
  });
});

describe("the room's round trip", () => {
  it("loads back, through the group-commit writer and a restart, the room the actor evolved", async () => {
    createRoomEvent(db, "ev");
    const writer = createGroupCommitWriter(db);
    let state: EventState = initialState(loadEvent(db, "ev", NOW) ?? never());
    const at = (n: number) => OPENS_AT + n * 1_000;
    const commit = async (...events: EventEvent[]) => {
      state = events.reduce(evolve, state);
      await writer.commit("ev", events);
    };
    const expectSameRoom = (now: number) => {
      expect(roomView(initialState(reloaded("ev", now)).room)).toEqual(roomViewAt(state, now));
    };
    // Six arrive before the opening; the second is gone at the draw.
    await commit(...[1, 2, 3, 4, 5, 6].map((n) => entered(roomEntry(n))));
    expectSameRoom(NOW);
    const entrants = ids(1, 3, 4, 5, 6);
    const order = drawOrder(SEED, entrants);
    await commit(
      { type: "RoomLapsed", entryIds: ids(2), at: OPENS_AT },
      { type: "RoomDrawn", seed: SEED, entrants, order, at: OPENS_AT },
    );
    // Two late arrivals join at the back; the front three are admitted.
    await commit(
      entered(roomEntry(7, { enteredAt: at(1), place: 6 })),
      entered(roomEntry(8, { enteredAt: at(1), place: 7 })),
    );
    const front = order.slice(0, 3);
    const tokenExpiresAt = at(2) + ROOM.tokenSeconds * 1_000;
    await commit({ type: "RoomAdmitted", entryIds: front, at: at(2), tokenExpiresAt });
    expectSameRoom(at(3));
    // A guest spends their token on a hold; another's expires; the last arrival lapses.
    const guest = front.map((id) => state.room.admitted.get(id) ?? never()).find(isGuest);
    const buyer = guest ?? never();
    const other = front.find((id) => id !== buyer.id) ?? never();
    await commit(
      { type: "HoldPlaced", hold: hold("hld_1", buyer.userId, buyer.personKey, at(4)) },
      { type: "RoomTokenSpent", entryId: buyer.id, orderId: "hld_1", at: at(4) },
    );
    await commit(
      { type: "RoomTokensExpired", entryIds: [other], at: tokenExpiresAt },
      { type: "RoomLapsed", entryIds: ids(8), at: tokenExpiresAt },
    );
    expectSameRoom(tokenExpiresAt);
    // The rest are admitted and the doors open; a minute on, the rate window is empty again.
    const rest = [...state.room.queue.keys()];
    const last = tokenExpiresAt + 1_000;
    await commit(
      { type: "RoomAdmitted", entryIds: rest, at: last, tokenExpiresAt: last + 60_000 },
      { type: "RoomDoorsOpened", at: last },
    );
    await writer.close();
    expectSameRoom(last);
    expectSameRoom(last + 60_000);
    expect(reloaded("ev", last + 60_000).room?.recentAdmissions).toEqual([]);
    expect(roomCountsOf(db, "ev")).toEqual({
      entrants: 8,
      lapsedTotal: 2,
      admittedTotal: 3 + rest.length,
      drawnAt: OPENS_AT,
      seed: SEED,
      doorsOpenAt: last,
      entrantsAtDraw: 5,
    });
  });

  it("loads back the room the actor evolved after any run of entries, a draw, admissions and ends", () => {
    const step = fc.record({
      kind: fc.constantFrom(...STEP_KINDS),
      person: fc.nat(5),
      pick: fc.nat(),
      count: fc.integer({ min: 1, max: 3 }),
      // Seconds since the last step: admissions leave the minute's rate window as time passes.
      after: fc.integer({ min: 0, max: 45 }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 5, maxLength: 30 }), (steps) => {
        const eventId = newId("event");
        createRoomEvent(db, eventId);
        let state = initialState(loadEvent(db, eventId, NOW) ?? never());
        let now = NOW;
        for (const s of steps) {
          now += s.after * 1_000;
          const event = nextRoomEvent(eventId, state.room, s, now);
          if (event) {
            state = evolve(state, event);
            apply(eventId, event);
          }
          const loaded = initialState(loadEvent(db, eventId, now) ?? never());
          expect(roomView(loaded.room)).toEqual(roomViewAt(state, now));
        }
      }),
      { numRuns: 60 },
    );
  });

  it("reads the live entries' index to load a room, and the admitted entries' for its rate", () => {
    const plan = (sql: string, ...params: (string | number)[]) =>
      (db.$client.prepare(`explain query plan ${sql}`).all(...params) as { detail: string }[])
        .map((p) => p.detail)
        .join(" ");
    expect(plan(LIVE_ENTRIES, "ev")).toContain("USING INDEX room_entries_live_person_idx");
    expect(plan(RECENT_ADMISSIONS, "ev", NOW)).toContain(
      "USING COVERING INDEX room_entries_event_admitted_idx (event_id=? AND admitted_at>?)",
    );
  });

  it("loads the queue by arrival before the draw and by place after it", () => {
    createRoomEvent(db, "ev");
    // Ids sort against arrival: only seq orders the queue before the draw.
    const early = [1, 2, 3, 4].map((n) => roomEntry(n, { id: `rm_${9 - n}` }));
    apply("ev", ...early.map(entered));
    expect(loadEvent(db, "ev", NOW)?.room?.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    const entrants = early.map((e) => e.id);
    const order = drawOrder(SEED, entrants);
    apply("ev", { type: "RoomDrawn", seed: SEED, entrants, order, at: OPENS_AT });
    apply("ev", entered(roomEntry(5, { place: 5, enteredAt: OPENS_AT + 1 })));
    const room = loadEvent(db, "ev", OPENS_AT)?.room;
    expect(room?.entries.map((e) => e.id)).toEqual([...order, roomEntry(5).id]);
    expect(room?.entries.map((e) => e.place)).toEqual([1, 2, 3, 4, 5]);
    expect(room).toMatchObject({ lastSeq: 5, lastPlace: 5, drawnAt: OPENS_AT, seed: SEED });
  });

  it("never loads a spent, expired or lapsed entry as live, but still finds it as the person's latest", () => {
    createRoomEvent(db, "ev");
    apply("ev", ...[1, 2, 3, 4].map((n) => entered(roomEntry(n))));
    apply("ev", { type: "RoomLapsed", entryIds: ids(4), at: OPENS_AT });
    apply("ev", drawn(3));
    const admittedAt = OPENS_AT + 1_000;
    const tokenExpiresAt = admittedAt + 60_000;
    apply("ev", { type: "RoomAdmitted", entryIds: ids(1, 2, 3), at: admittedAt, tokenExpiresAt });
    apply("ev", {
      type: "RoomTokenSpent",
      entryId: roomEntry(1).id,
      orderId: "bkg_1",
      at: admittedAt + 5,
    });
    apply("ev", { type: "RoomTokensExpired", entryIds: ids(2), at: tokenExpiresAt });
    const room = loadEvent(db, "ev", admittedAt + 10)?.room;
    expect(room?.entries.map((e) => [e.id, e.state])).toEqual([[roomEntry(3).id, "admitted"]]);
    expect(room?.admittedTotal).toBe(3);
    expect(room?.recentAdmissions).toEqual([admittedAt, admittedAt, admittedAt]);
    expect(latestRoomEntryOf(db, "ev", roomEntry(1).personKey)).toMatchObject({
      state: "spent",
      endedAt: admittedAt + 5,
      orderId: "bkg_1",
      admittedAt,
    });
    expect(latestRoomEntryOf(db, "ev", roomEntry(2).personKey)).toMatchObject({
      state: "expired",
      endedAt: tokenExpiresAt,
    });
    expect(roomEntryById(db, roomEntry(4).id)).toMatchObject({
      state: "lapsed",
      endedAt: OPENS_AT,
      place: null,
      eventId: "ev",
    });
    expect(latestRoomEntryOf(db, "ev", "nobody@example.test")).toBeNull();
    expect(roomEntryById(db, "rm_nope")).toBeNull();
  });

  it("gives a person whose entry ended a new one at the back, and finds that as their latest", () => {
    createRoomEvent(db, "ev");
    apply("ev", entered(roomEntry(1)), entered(roomEntry(2)));
    apply("ev", { type: "RoomLapsed", entryIds: ids(1), at: NOW + 5 });
    const again = roomEntry(3, { id: "rm_again", personKey: roomEntry(1).personKey });
    apply("ev", entered(again));
    expect(latestRoomEntryOf(db, "ev", again.personKey)).toMatchObject({
      id: "rm_again",
      state: "waiting",
      seq: 3,
    });
    expect(loadEvent(db, "ev", NOW)?.room?.entries.map((e) => e.id)).toEqual([
      roomEntry(2).id,
      "rm_again",
    ]);
  });

  it("refuses a second live entry for one person, and a move the database does not hold", () => {
    createRoomEvent(db, "ev");
    apply("ev", entered(roomEntry(1)));
    const twice = roomEntry(2, { personKey: roomEntry(1).personKey });
    expect(() => apply("ev", entered(twice))).toThrow();
    expect(() =>
      apply("ev", {
        type: "RoomAdmitted",
        entryIds: ids(1, 9),
        at: OPENS_AT,
        tokenExpiresAt: OPENS_AT + 1,
      }),
    ).toThrow(/not live/);
    expect(() =>
      apply("ev", { type: "RoomTokenSpent", entryId: roomEntry(1).id, orderId: "h", at: OPENS_AT }),
    ).toThrow(/not live/);
    // The failed batches left nothing behind.
    expect(loadEvent(db, "ev", OPENS_AT)?.room?.entries).toEqual([roomEntry(1)]);
    expect(roomCountsOf(db, "ev").admittedTotal).toBe(0);
  });

  it("keeps the lottery for an audit: replaying the seed over the entrants gives their places", () => {
    createRoomEvent(db, "ev");
    expect(roomDrawOf(db, "ev")).toBeNull();
    expect(roomCountsOf(db, "ev")).toEqual({
      entrants: 0,
      lapsedTotal: 0,
      admittedTotal: 0,
      drawnAt: null,
      seed: null,
      doorsOpenAt: null,
      entrantsAtDraw: 0,
    });
    apply("ev", ...[1, 2, 3, 4, 5, 6].map((n) => entered(roomEntry(n))));
    apply("ev", drawn(6));
    apply("ev", entered(roomEntry(7, { place: 7 })));
    const tokenExpiresAt = OPENS_AT + 61_000;
    apply("ev", {
      type: "RoomAdmitted",
      entryIds: drawOrder(SEED, ids(1, 2, 3, 4, 5, 6)).slice(0, 2),
      at: OPENS_AT + 1_000,
      tokenExpiresAt,
    });
    const draw = roomDrawOf(db, "ev");
    expect(draw).toMatchObject({ seed: SEED, drawnAt: OPENS_AT, entrants: ids(1, 2, 3, 4, 5, 6) });
    const replayed = drawOrder(SEED, draw?.entrants ?? []);
    expect(draw?.places).toEqual(draw?.entrants.map((id) => replayed.indexOf(id) + 1));
    expect(roomCountsOf(db, "ev")).toMatchObject({
      entrants: 7,
      entrantsAtDraw: 6,
      admittedTotal: 2,
    });
  });

  it("deletes a draft's room with the draft", () => {
    createRoomEvent(db, "ev", { status: "draft" });
    apply("ev", { type: "RoomDoorsOpened", at: NOW });
    expect(deleteDraftEvent(db, "ev")).toBe("deleted");
    expect(roomCountsOf(db, "ev").doorsOpenAt).toBeNull();
  });
});

describe("a room of 20,000", () => {
  it("writes the draw of 20,000 entrants and loads them back in place order (timed)", () => {
    const eventId = newId("event");
    createRoomEvent(db, eventId);
    const n = 20_000;
    // Random ids, as in production: the id index is walked in no useful order.
    const entries = Array.from({ length: n }, (_, i) =>
      roomEntry(i + 1, { id: newId("roomEntry") }),
    );
    for (let i = 0; i < n; i += 1_000) {
      apply(eventId, ...entries.slice(i, i + 1_000).map(entered));
    }
    const entrants = entries.map((e) => e.id);
    const order = drawOrder(SEED, entrants);
    const write = timed(() =>
      apply(eventId, { type: "RoomDrawn", seed: SEED, entrants, order, at: OPENS_AT }),
    );
    const load = timed(() => loadEvent(db, eventId, OPENS_AT) ?? never());
    const state = timed(() => initialState(load.value));
    const pages = db.$client.pragma("page_count", { simple: true }) as number;
    const pageSize = db.$client.pragma("page_size", { simple: true }) as number;
    console.info(
      `room of ${n}: draw written in ${write.ms} ms (${write.cpuMs} ms CPU), loaded in ${load.ms} ms ` +
        `(${load.cpuMs} ms CPU), initialState in ${state.ms} ms; ` +
        `${Math.round((pages * pageSize) / n)} database bytes per entry`,
    );
    expect(load.value.room?.entries.map((e) => e.id)).toEqual(order);
    expect(state.value.room.queue.size).toBe(n);
    expect(state.value.room.lastPlace).toBe(n);
    // Bounds that catch a quadratic plan, not a busy machine (CPU time, not wall time); the log
    // line has the real figures.
    expect(write.cpuMs).toBeLessThan(2_000);
    expect(load.cpuMs).toBeLessThan(2_000);
  }, 30_000);
});

/**
 * What a step of the room's property can do. Entering and admitting weigh more, so that runs reach
 * the ends of admitted entries.
 */
const STEP_KINDS = [
  "enter",
  "enter",
  "enter",
  "draw",
  "admit",
  "admit",
  "spend",
  "expire",
  "lapse",
] as const;

interface RoomStep {
  readonly kind: (typeof STEP_KINDS)[number];
  /** Who enters, of six people (odd ones have accounts, even ones are guests). */
  readonly person: number;
  /** Which live entry is spent, expires or lapses. */
  readonly pick: number;
  /** How many of the front are admitted. */
  readonly count: number;
}

/** The event the actor would apply for `step` at `now`, or null where the room allows none. */
function nextRoomEvent(
  eventId: string,
  room: RoomState,
  step: RoomStep,
  now: number,
): RoomEvent | null {
  const waiting = [...room.queue.keys()];
  const admitted = [...room.admitted.keys()];
  const chosen = (from: string[]) => from[step.pick % from.length] ?? never();
  switch (step.kind) {
    case "enter": {
      const personKey = `person${step.person}@example.test`;
      if (room.byPerson.has(personKey)) return null;
      const seq = room.lastSeq + 1;
      return entered(
        roomEntry(seq, {
          id: `${eventId}-rm-${seq}`,
          userId: step.person % 2 === 1 ? `usr_${step.person}` : `guest:${personKey}`,
          personKey,
          enteredAt: now,
          place: room.drawnAt === null ? null : room.lastPlace + 1,
        }),
      );
    }
    case "draw":
      if (room.drawnAt !== null) return null;
      return {
        type: "RoomDrawn",
        seed: SEED,
        entrants: waiting,
        order: drawOrder(SEED, waiting),
        at: now,
      };
    case "admit":
      if (room.drawnAt === null || waiting.length === 0) return null;
      return {
        type: "RoomAdmitted",
        entryIds: waiting.slice(0, step.count),
        at: now,
        tokenExpiresAt: now + 60_000,
      };
    case "spend": {
      if (admitted.length === 0) return null;
      const entryId = chosen(admitted);
      return { type: "RoomTokenSpent", entryId, orderId: `bkg_${entryId}`, at: now };
    }
    case "expire":
      return admitted.length === 0
        ? null
        : { type: "RoomTokensExpired", entryIds: [chosen(admitted)], at: now };
    case "lapse":
      return waiting.length === 0
        ? null
        : { type: "RoomLapsed", entryIds: [chosen(waiting)], at: now };
  }
}

/** Runs `f` once: its value, wall time and CPU time (this process), in whole milliseconds. */
function timed<T>(f: () => T): { value: T; ms: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = f();
  const ms = Math.round(performance.now() - start);
  const used = process.cpuUsage(cpu);
  return { value, ms, cpuMs: Math.round((used.user + used.system) / 1_000) };
}

function never(): never {
  throw new Error("unreachable");
}
