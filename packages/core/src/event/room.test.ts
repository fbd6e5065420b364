import { describe, expect, it } from "bun:test";
import { DomainError } from "../errors.ts";
import { eventBehavior } from "./behavior.ts";
import { DEFAULT_CHECKOUT } from "./checkout.ts";
import { decide } from "./decide.ts";
import { evolve } from "./evolve.ts";
import {
  bookTickets,
  confirmHold,
  enterRoom,
  eventConfig,
  given,
  HOUR,
  items,
  NOW,
  pay,
  placeHold,
  roomAsLoaded,
  roomConfig,
  roomEvent,
  SEED,
  step,
  tick,
} from "./fixtures.ts";
import { roomInUse, roomOpensAt } from "./room.ts";
import { drawOrder } from "./room-draw.ts";
import type { RoomEntry, RoomEvent, RoomState } from "./room-types.ts";
import { ROOM_LIMITS } from "./room-types.ts";
import { queuePositions, roomCounts, roomView } from "./room-view.ts";
import { snapshot } from "./snapshot.ts";
import { initialState } from "./state.ts";
import type { EventCommand, EventEvent, EventState, PlaceHold } from "./types.ts";

const roomEvents = (events: readonly EventEvent[]) =>
  events.filter((e): e is RoomEvent => e.type.startsWith("Room"));

const types = (events: readonly EventEvent[]) => events.map((e) => e.type);

const reasonOf = (reply: unknown) => (reply instanceof DomainError ? reply.reason : "OK");

/** A room where u1..un entered in that order, drawn at NOW with SEED. */
function drawnRoom(n: number, room = {}, config = {}): EventState {
  const entered = given(
    roomEvent(room, config),
    Array.from({ length: n }, (_, i) => enterRoom(`u${i + 1}`, `rm${i + 1}`)),
    NOW - 60_000,
  );
  return given(entered, [tick({ seed: SEED })], NOW);
}

/** The ids admitted so far (unspent), in no particular order. */
const admittedIds = (room: RoomState) => [...room.admitted.keys()].sort();

const withToken = (cmd: PlaceHold, admission: string): PlaceHold => ({ ...cmd, admission });

describe("roomInUse", () => {
  const cases: [string, EventState, number, boolean][] = [
    ["a room switched off", roomEvent({ enabled: false }), NOW, false],
    ["a draft", roomEvent({}, { status: "draft" }), NOW, false],
    ["a cancelled event", roomEvent({}, { status: "cancelled" }), NOW, false],
    ["sales closed", roomEvent({}, { salesEndAt: NOW }), NOW, false],
    ["before its opening", roomEvent({ opensAt: NOW + HOUR }), NOW, true],
    ["a published event with the room on", roomEvent(), NOW, true],
  ];
  for (const [name, state, now, inUse] of cases) {
    it(`is ${inUse ? "" : "not "}in use for ${name}`, () => {
      expect(roomInUse(state, now)).toBe(inUse);
    });
  }

  it("opens with its own opensAt, else the sales start, else at once", () => {
    expect(roomOpensAt(eventConfig({ room: roomConfig({ opensAt: 5 }), salesStartAt: 9 }))).toBe(5);
    expect(roomOpensAt(eventConfig({ room: roomConfig({ opensAt: null }), salesStartAt: 9 }))).toBe(
      9,
    );
    expect(roomOpensAt(eventConfig({ room: roomConfig({ opensAt: null }) }))).toBeNull();
  });
});

describe("EnterRoom", () => {
  it("refuses a guest where only accounts may buy (SIGN_IN_REQUIRED), as buying would", () => {
    const accountsOnly = { checkout: { ...DEFAULT_CHECKOUT, guestCheckout: false } };
    const state = roomEvent({}, accountsOnly);
    expect(reasonOf(step(state, enterRoom("guest:a@example.test")).decision.reply)).toBe(
      "SIGN_IN_REQUIRED",
    );
    expect(reasonOf(step(state, enterRoom("usr_a")).decision.reply)).toBe("OK");
  });

  it("answers open, with no events, while the room is not in use", () => {
    const { decision } = step(roomEvent({ enabled: false }), enterRoom("u1"));
    expect(decision).toEqual({ events: [], reply: { state: "open" } });
  });

  it("puts a newcomer in the queue before the draw, without a place", () => {
    const { state, decision } = step(roomEvent({ opensAt: NOW + HOUR }), enterRoom("u1", "rm1"));
    const entry = { id: "rm1", userId: "u1", personKey: "u1", seq: 1, enteredAt: NOW, place: null };
    expect(decision.reply).toMatchObject({ state: "entry", entry: { ...entry, state: "waiting" } });
    expect(types(decision.events)).toEqual(["RoomEntered"]);
    expect([...state.room.queue.keys()]).toEqual(["rm1"]);
    expect(state.room.byPerson.get("u1")).toBe("rm1");
  });

  it("returns the same entry to a person who enters twice, with no events", () => {
    const once = given(roomEvent({ opensAt: NOW + HOUR }), [enterRoom("u1", "rm1")]);
    // Another principal of the same person (a guest with the account's email) gets it too.
    const again = decide(once, enterRoom("guest:a@x.org", "rm2", "u1"), NOW + 1);
    expect(again.events).toEqual([]);
    expect(again.reply).toEqual({ state: "entry", entry: once.room.queue.get("rm1") as RoomEntry });
  });

  it("returns an admitted person's entry, token and all", () => {
    const state = drawnRoom(2, { admitPerMinute: 60 });
    const entry = [...state.room.admitted.values()][0] as RoomEntry;
    expect(entry.state).toBe("admitted");
    const again = enterRoom(entry.userId, "rm9", entry.personKey);
    expect(decide(state, again, NOW).reply).toEqual({ state: "entry", entry });
  });

  it("puts late arrivals at the back, in arrival order", () => {
    const state = drawnRoom(3, { admitPerMinute: 60 });
    const late = given(state, [enterRoom("late1", "l1"), enterRoom("late2", "l2")], NOW + 10);
    expect(late.room.queue.get("l1")?.place).toBe(4);
    expect(late.room.queue.get("l2")?.place).toBe(5);
    expect([...late.room.queue.keys()].slice(-2)).toEqual(["l1", "l2"]);
  });

  it("refuses an entry id already in use", () => {
    const once = given(roomEvent({ opensAt: NOW + HOUR }), [enterRoom("u1", "rm1")]);
    expect(decide(once, enterRoom("u2", "rm1"), NOW).reply).toBeInstanceOf(Error);
  });
});

describe("Tick: the draw", () => {
  const entered = given(
    roomEvent(),
    ["a", "b", "c", "d", "e"].map((u) => enterRoom(u, `rm-${u}`)),
    NOW - 1_000,
  );

  it("does not draw before the opening", () => {
    expect(roomEvents(decide(entered, tick({ seed: SEED }), NOW - 1).events)).toEqual([]);
  });

  it("waits for a seed when the draw is due", () => {
    expect(roomEvents(decide(entered, tick(), NOW).events)).toEqual([]);
  });

  it("draws everyone present at the opening with the seed, in drawOrder's order", () => {
    const { state, decision } = step(entered, tick({ seed: SEED }), NOW);
    const entrants = ["rm-a", "rm-b", "rm-c", "rm-d", "rm-e"];
    const drawn = decision.events.find((e) => e.type === "RoomDrawn");
    expect(drawn).toEqual({
      type: "RoomDrawn",
      seed: SEED,
      entrants,
      order: drawOrder(SEED, entrants),
      at: NOW,
    });
    expect(state.room.drawnAt).toBe(NOW);
    expect(state.room.seed).toBe(SEED);
    expect(state.room.lastPlace).toBe(5);
    // Everyone got admitted at once here (tickets enough): in the lottery's order.
    expect(decision.events.find((e) => e.type === "RoomAdmitted")).toMatchObject({
      entryIds: drawOrder(SEED, entrants),
    });
  });

  it("lapses the absent before the draw, so they get no place", () => {
    const { decision } = step(entered, tick({ seed: SEED, absent: ["rm-b", "rm-d", "x"] }), NOW);
    expect(roomEvents(decision.events).slice(0, 2)).toEqual([
      { type: "RoomLapsed", entryIds: ["rm-b", "rm-d"], at: NOW },
      {
        type: "RoomDrawn",
        seed: SEED,
        entrants: ["rm-a", "rm-c", "rm-e"],
        order: drawOrder(SEED, ["rm-a", "rm-c", "rm-e"]),
        at: NOW,
      },
    ]);
  });

  it("draws at once with neither an opensAt nor a sales start, and opens an empty room", () => {
    const state = roomEvent({ opensAt: null });
    const { decision } = step(state, tick({ seed: SEED }), NOW);
    expect(types(roomEvents(decision.events))).toEqual(["RoomDrawn", "RoomDoorsOpened"]);
  });

  it("opens at the sales start when the room sets no opensAt", () => {
    const state = roomEvent({ opensAt: null }, { salesStartAt: NOW + HOUR });
    expect(roomEvents(decide(state, tick({ seed: SEED }), NOW).events)).toEqual([]);
    const due = decide(state, tick({ seed: SEED }), NOW + HOUR).events;
    expect(types(roomEvents(due))).toContain("RoomDrawn");
  });

  it("still expires holds as ExpireHolds does, with the same reply", () => {
    const held = given(emptyOpen(), [placeHold("u1", items(["ga", 1]), "h1")]);
    const later = NOW + 600_000;
    const { decision } = step(held, tick(), later);
    expect(decision.reply).toEqual({ expired: 1 });
    expect(decision.events).toEqual(decide(held, { type: "ExpireHolds" }, later).events);
  });
});

function emptyOpen(): EventState {
  return roomEvent({ enabled: false });
}

describe("Tick: admission", () => {
  it("admits at most a second's share of admitPerMinute per tick", () => {
    const state = drawnRoom(10, { admitPerMinute: 120 });
    expect(state.room.admitted.size).toBe(2);
    expect(state.room.queue.size).toBe(8);
    const next = given(state, [tick()], NOW + 1_000);
    expect(next.room.admitted.size).toBe(4);
  });

  it("never admits more than admitPerMinute in 60 seconds", () => {
    let state = drawnRoom(10, { admitPerMinute: 3 });
    for (let s = 1; s < 60; s += 1) state = given(state, [tick()], NOW + s * 1_000);
    expect(state.room.admittedTotal).toBe(3);
    state = given(state, [tick()], NOW + 60_000);
    expect(state.room.admittedTotal).toBe(4);
  });

  it("without a rate, admits while fewer shop than tickets are left", () => {
    // 10 tickets (5 + 2 + 3): ten entrants of twelve are admitted at once.
    const state = drawnRoom(12);
    expect(state.room.admitted.size).toBe(10);
    const [first] = admittedIds(state.room);
    const owner = state.room.admitted.get(first as string)?.userId as string;
    const held = given(state, [withToken(placeHold(owner, items(["ga", 1])), first as string)]);
    // The hold took a ticket and the token: still ten shopping, nine tickets left, nobody more.
    expect(held.room.admitted.size).toBe(9);
    expect(given(held, [tick()], NOW + 1_000).room.admitted.size).toBe(9);
    // Once the hold is given back, a ticket is free for the next in line.
    const released = given(held, [
      { type: "ReleaseHold", holdId: [...held.holds.keys()][0] as string, userId: owner },
    ]);
    expect(given(released, [tick()], NOW + 1_000).room.admitted.size).toBe(10);
  });

  it("without a rate, admits for the tickets left while others hold theirs", () => {
    // 10 General tickets, 12 entrants: 10 admitted; 5 hold one each, the other 5 tokens lapse.
    const ga = eventConfig()
      .ticketTypes.filter((t) => t.id === "ga")
      .map((t) => ({ ...t, capacity: 10 }));
    let state = drawnRoom(12, { tokenSeconds: 60 }, { ticketTypes: ga });
    const admitted = admittedIds(state.room);
    for (const id of admitted.slice(0, 5)) {
      const owner = state.room.admitted.get(id)?.userId as string;
      state = given(state, [withToken(placeHold(owner, items(["ga", 1])), id)]);
    }
    expect(state.held).toBe(5);
    // The five unspent tokens expire: five tickets are free, so the last two get their turn even
    // though five holds are still open (holds are not counted twice).
    const later = given(state, [tick()], NOW + 61_000);
    expect(later.room.admitted.size).toBe(2);
    expect(later.room.queue.size).toBe(0);
  });

  it("bounds default admissions by ROOM_LIMITS per tick", () => {
    const big = eventConfig().ticketTypes.map((t) => ({ ...t, capacity: 10_000 }));
    const state = drawnRoom(ROOM_LIMITS.maxPerTick + 5, {}, { ticketTypes: big });
    expect(state.room.admitted.size).toBe(ROOM_LIMITS.maxPerTick);
  });

  it("admits nobody while the event is sold out with nothing held", () => {
    const soldOut = eventConfig().ticketTypes.map((t) => ({ ...t, capacity: 0 }));
    const state = drawnRoom(3, { admitPerMinute: 600 }, { ticketTypes: soldOut });
    expect(state.room.admitted.size).toBe(0);
    expect(state.room.queue.size).toBe(3);
  });

  it("expires unspent tokens and admits the next in their stead", () => {
    const state = drawnRoom(3, { admitPerMinute: 60, tokenSeconds: 60 });
    const first = admittedIds(state.room);
    const { state: after, decision } = step(state, tick(), NOW + 60_000);
    expect(roomEvents(decision.events)[0]).toEqual({
      type: "RoomTokensExpired",
      entryIds: first,
      at: NOW + 60_000,
    });
    expect(after.room.admitted.size).toBe(1);
    expect(after.room.byPerson.has(first[0] as string)).toBe(false);
  });

  it("lapses an absent entry in the middle of the queue, moving the rest up", () => {
    const state = drawnRoom(5, { admitPerMinute: 1 });
    const queue = [...state.room.queue.keys()];
    const middle = queue[1] as string;
    const { state: after, decision } = step(state, tick({ absent: [middle] }), NOW + 1_000);
    expect(roomEvents(decision.events)).toEqual([
      { type: "RoomLapsed", entryIds: [middle], at: NOW + 1_000 },
    ]);
    expect([...after.room.queue.keys()]).toEqual(queue.filter((id) => id !== middle));
  });

  it("opens the doors when the queue runs empty after the draw, and only once", () => {
    const state = drawnRoom(2, { admitPerMinute: 60 });
    const { state: after, decision } = step(state, tick(), NOW + 1_000);
    expect(types(roomEvents(decision.events))).toEqual(["RoomAdmitted", "RoomDoorsOpened"]);
    expect(after.room.doorsOpenAt).toBe(NOW + 1_000);
    expect(roomInUse(after, NOW + 1_000)).toBe(false);
    // Admitted buyers still shop; their tokens run out in time, the doors stay open.
    expect(after.room.admitted.size).toBe(2);
    const later = decide(after, tick(), NOW + 1_000 + 600_000).events;
    expect(types(roomEvents(later))).toEqual(["RoomTokensExpired"]);
  });

  it("does nothing at all for an event without a room", () => {
    expect(decide(emptyOpen(), tick({ seed: SEED }), NOW).events).toEqual([]);
  });
});

describe("admission tokens", () => {
  // Two entrants, one a second: rm1 or rm2 first, whichever the lottery says.
  const state = drawnRoom(2, { admitPerMinute: 60 });
  const [first] = admittedIds(state.room);
  const firstEntry = state.room.admitted.get(first as string);
  const owner = firstEntry?.userId as string;

  it("refuses a hold without a token while the room is in use, naming the opening", () => {
    const { decision } = step(state, placeHold(owner, items(["ga", 1])));
    expect(decision.reply).toBeInstanceOf(DomainError);
    expect(decision.reply).toMatchObject({
      reason: "NOT_ADMITTED",
      details: { opensAt: new Date(NOW).toISOString() },
    });
    expect(decision.events).toEqual([]);
  });

  it("lets the admitted buyer hold once, and spends the token with the hold", () => {
    const cmd = withToken(placeHold(owner, items(["ga", 1]), "h1"), first as string);
    const { state: after, decision } = step(state, cmd);
    expect(types(decision.events)).toEqual(["HoldPlaced", "RoomTokenSpent"]);
    expect(decision.events[1]).toEqual({
      type: "RoomTokenSpent",
      entryId: first as string,
      orderId: "h1",
      at: NOW,
    });
    expect(after.room.admitted.has(first as string)).toBe(false);
    expect(after.room.byPerson.has(firstEntry?.personKey as string)).toBe(false);
    // Spent: a second hold with it is refused, and so is the same token in other hands.
    const again = withToken(placeHold(owner, items(["ga", 1])), first as string);
    expect(reasonOf(decide(after, again, NOW).reply)).toBe("NOT_ADMITTED");
  });

  it("lets the same person use the turn under another principal (a guest who signed in)", () => {
    // The place is the person's (the normalised email), so is the token: the account with the
    // guest's email may spend it; a stranger who claims another email may not.
    const guest = given(
      roomEvent({ admitPerMinute: 60 }),
      // Someone after Ann keeps the queue (and the room) going once she is admitted.
      [enterRoom("guest:ann@example.test", "rmA", "ann@example.test"), enterRoom("usr_cy", "rmC")],
      NOW - 1,
    );
    // One a minute: SEED's draw puts Ann first, so she is admitted and Cy still waits.
    const drawn = given(guest, [tick({ seed: SEED })], NOW);
    expect([...drawn.room.admitted.keys()]).toEqual(["rmA"]);
    const asAccount = { ...placeHold("usr_ann", items(["ga", 1])), personKey: "ann@example.test" };
    const stranger = { ...placeHold("usr_bob", items(["ga", 1])), personKey: "bob@example.test" };
    expect(reasonOf(decide(drawn, withToken(stranger, "rmA"), NOW).reply)).toBe("NOT_ADMITTED");
    expect(reasonOf(decide(drawn, withToken(asAccount, "rmA"), NOW).reply)).toBe("OK");
  });

  const refusals: [string, () => EventCommand, number][] = [
    [
      "another buyer's hold with it",
      () => withToken(placeHold("x", items(["ga", 1])), first as string),
      NOW,
    ],
    [
      "an expired token",
      () => withToken(placeHold(owner, items(["ga", 1])), first as string),
      firstEntry?.tokenExpiresAt ?? 0,
    ],
    ["an unknown entry", () => withToken(placeHold(owner, items(["ga", 1])), "rm-nope"), NOW],
    [
      "a waiting entry's",
      () => {
        const waiting = [...state.room.queue.values()][0];
        return withToken(
          placeHold(waiting?.userId as string, items(["ga", 1])),
          waiting?.id as string,
        );
      },
      NOW,
    ],
  ];
  for (const [name, cmd, at] of refusals) {
    it(`refuses ${name} with NOT_ADMITTED`, () => {
      const decision = decide(state, cmd(), at);
      expect(reasonOf(decision.reply)).toBe("NOT_ADMITTED");
      expect(decision.events).toEqual([]);
    });
  }

  it("does not spend a token on a refused hold", () => {
    const tooMany = withToken(placeHold(owner, items(["ga", 9])), first as string);
    const { state: after, decision } = step(state, tooMany);
    expect(reasonOf(decision.reply)).toBe("SOLD_OUT");
    expect(after.room.admitted.has(first as string)).toBe(true);
  });

  it("spends a token on a direct booking, naming the booking", () => {
    const cmd = bookTickets(owner, items(["ga", 1]), pay(2_000), {
      bookingId: "b1",
      admission: first as string,
    });
    const { decision } = step(state, cmd);
    expect(types(decision.events)).toEqual(["BookingConfirmed", "RoomTokenSpent"]);
    expect(roomEvents(decision.events)[0]).toMatchObject({ entryId: first, orderId: "b1" });
  });

  it("spends a token on the waitlist place a sold-out booking takes instead", () => {
    const one = eventConfig().ticketTypes.map((t) => ({ ...t, capacity: 1 }));
    const waitlist = { enabled: true, mode: "offer", offerSeconds: 600 } as const;
    let room = drawnRoom(3, { admitPerMinute: 120 }, { ticketTypes: one, waitlist });
    const [a, b] = admittedIds(room.room);
    const ua = room.room.admitted.get(a as string)?.userId as string;
    const ub = room.room.admitted.get(b as string)?.userId as string;
    room = given(room, [withToken(placeHold(ua, items(["ga", 1])), a as string)]);
    const cmd = bookTickets(ub, items(["ga", 1]), null, {
      joinWaitlist: true,
      entryId: "wl1",
      admission: b as string,
    });
    const { decision } = step(room, cmd);
    expect(decision.reply).toMatchObject({ status: "waitlisted", entryId: "wl1" });
    expect(roomEvents(decision.events)).toEqual([
      { type: "RoomTokenSpent", entryId: b as string, orderId: "wl1", at: NOW },
    ]);
  });

  it("refuses a waitlist join while tickets are left, so nobody jumps the room", () => {
    const waitlist = { enabled: true, mode: "offer", offerSeconds: 600 } as const;
    const open = drawnRoom(3, { admitPerMinute: 120 }, { waitlist });
    const join = {
      type: "JoinWaitlist",
      entryId: "wl9",
      userId: "outsider",
      ticketTypeId: null,
      quantity: 1,
    } as const;
    expect(reasonOf(step(open, join).decision.reply)).toBe("NOT_ADMITTED");
    const gaOnly = eventConfig().ticketTypes.filter((t) => t.id === "ga");
    const one = gaOnly.map((t) => ({ ...t, capacity: 1 }));
    let soldOut = drawnRoom(3, { admitPerMinute: 120 }, { ticketTypes: one, waitlist });
    const [a] = admittedIds(soldOut.room);
    const ua = soldOut.room.admitted.get(a as string)?.userId as string;
    soldOut = given(soldOut, [withToken(placeHold(ua, items(["ga", 1])), a as string)]);
    expect(reasonOf(step(soldOut, join).decision.reply)).toBe("OK");
  });

  it("needs no token to confirm a hold", () => {
    const held = given(state, [
      withToken(placeHold(owner, items(["ga", 1]), "h1"), first as string),
    ]);
    const { decision } = step(held, confirmHold(owner, "h1", pay(2_000)));
    expect(types(decision.events)).toEqual(["BookingConfirmed"]);
  });

  it("answers a retried hold (same idempotency key) without a token", () => {
    const keyed = { ...placeHold(owner, items(["ga", 1]), "h1"), idempotencyKey: "k1" };
    const held = given(state, [withToken(keyed, first as string)]);
    const retry = decide(held, { ...keyed, holdId: "h2" }, NOW);
    expect(retry.reply).toMatchObject({ hold: { id: "h1" } });
    expect(retry.events).toEqual([]);
  });

  it("neither needs nor spends tokens once the doors are open", () => {
    const open = given(state, [tick()], NOW + 1_000);
    expect(open.room.doorsOpenAt).not.toBeNull();
    const { decision } = step(open, placeHold("anyone", items(["ga", 1])), NOW + 1_000);
    expect(types(decision.events)).toEqual(["HoldPlaced"]);
    const withIt = withToken(placeHold(owner, items(["ga", 1])), first as string);
    expect(types(decide(open, withIt, NOW + 1_000).events)).toEqual(["HoldPlaced"]);
  });

  it("refuses with SALES_CLOSED, not NOT_ADMITTED, once sales have closed", () => {
    const closed = drawnRoom(2, { admitPerMinute: 60 }, { salesEndAt: NOW + HOUR });
    const decision = decide(closed, placeHold("x", items(["ga", 1])), NOW + HOUR);
    expect(reasonOf(decision.reply)).toBe("SALES_CLOSED");
  });
});

describe("Reconfigure and the room", () => {
  const off = (state: EventState): EventCommand => ({
    type: "Reconfigure",
    config: { ...state.config, room: roomConfig({ enabled: false }) },
    details: null,
  });

  it("opens the doors when an organizer switches off a room that has drawn", () => {
    const state = drawnRoom(3, { admitPerMinute: 1 });
    const { state: after, decision } = step(state, off(state), NOW + 1);
    expect(types(decision.events)).toEqual(["EventReconfigured", "RoomDoorsOpened"]);
    expect(after.room.doorsOpenAt).toBe(NOW + 1);
  });

  it("only pauses a room switched off before its draw", () => {
    const state = given(roomEvent({ opensAt: NOW + HOUR }), [enterRoom("u1", "rm1")]);
    const { state: after, decision } = step(state, off(state));
    expect(types(decision.events)).toEqual(["EventReconfigured"]);
    expect(after.room.queue.has("rm1")).toBe(true);
  });
});

describe("evolve asserts the room's invariants", () => {
  const state = drawnRoom(3, { admitPerMinute: 60 });
  const [admittedId] = admittedIds(state.room);
  const waitingId = [...state.room.queue.keys()][0] as string;
  const entry = state.room.admitted.get(admittedId as string) as RoomEntry;
  const cases: [string, RoomEvent][] = [
    ["a second draw", { type: "RoomDrawn", seed: SEED, entrants: [], order: [], at: NOW }],
    [
      "an entry of a person already in",
      { type: "RoomEntered", entry: { ...entry, id: "new", seq: 99, state: "waiting" } },
    ],
    [
      "an entry that reuses an arrival number",
      {
        type: "RoomEntered",
        entry: { ...entry, id: "new", personKey: "p", seq: 1, state: "waiting" },
      },
    ],
    [
      "admitting someone not waiting",
      { type: "RoomAdmitted", entryIds: [admittedId as string], at: NOW, tokenExpiresAt: NOW },
    ],
    [
      "spending a waiting entry's token",
      { type: "RoomTokenSpent", entryId: waitingId, orderId: "h", at: NOW },
    ],
    ["expiring an unknown token", { type: "RoomTokensExpired", entryIds: ["nope"], at: NOW }],
    [
      "lapsing an admitted entry",
      { type: "RoomLapsed", entryIds: [admittedId as string], at: NOW },
    ],
  ];
  for (const [name, event] of cases) {
    it(`throws on ${name}`, () => {
      expect(() => evolve(state, event)).toThrow();
    });
  }

  it("throws on opening open doors", () => {
    const open = evolve(state, { type: "RoomDoorsOpened", at: NOW });
    expect(() => evolve(open, { type: "RoomDoorsOpened", at: NOW })).toThrow();
  });

  it("throws on a draw whose entrants are not the waiting entries", () => {
    const entered = given(roomEvent(), [enterRoom("a", "ra"), enterRoom("b", "rb")], NOW - 1);
    const bad: RoomEvent = {
      type: "RoomDrawn",
      seed: SEED,
      entrants: ["ra"],
      order: ["ra"],
      at: NOW,
    };
    expect(() => evolve(entered, bad)).toThrow();
    const twice: RoomEvent = {
      type: "RoomDrawn",
      seed: SEED,
      entrants: ["ra", "rb"],
      order: ["ra", "ra"],
      at: NOW,
    };
    expect(() => evolve(entered, twice)).toThrow();
  });

  it("bumps the version with every room event", () => {
    const { state: after } = step(state, enterRoom("late", "late"));
    expect(after.version).toBe(state.version + 1);
  });
});

describe("a restart", () => {
  it("loads the room its events imply: the same snapshot, and the same decisions", () => {
    let state = drawnRoom(6, { admitPerMinute: 120 });
    state = given(state, [enterRoom("late", "late")], NOW + 500);
    const [a] = admittedIds(state.room);
    const ua = state.room.admitted.get(a as string)?.userId as string;
    state = given(
      state,
      [withToken(placeHold(ua, items(["ga", 1]), "h1"), a as string)],
      NOW + 600,
    );
    state = given(
      state,
      [tick({ absent: [[...state.room.queue.keys()][1] as string] })],
      NOW + 1_000,
    );
    const at = NOW + 1_500;
    const loaded = initialState({
      config: state.config,
      holds: [...state.holds.values()],
      bookings: [],
      idempotency: [],
      room: roomAsLoaded(state.room, at),
    });
    expect(snapshot(loaded)).toEqual(snapshot(state));
    for (const cmd of [tick(), enterRoom("next", "n1"), enterRoom("late", "x")] as EventCommand[]) {
      const later = at + 1_000;
      expect(decide(loaded, cmd, later)).toEqual(decide(state, cmd, later));
    }
  });

  it("loads an empty room when nothing was stored", () => {
    const state = initialState({ config: eventConfig(), holds: [], bookings: [], idempotency: [] });
    expect(state.room.queue.size).toBe(0);
    expect(state.room.drawnAt).toBeNull();
  });
});

describe("the actor's wake-ups for the room", () => {
  const wake = (state: EventState, now: number) => eventBehavior.nextWake(state, [], null, now);

  it("wakes at the opening while the room waits for its draw", () => {
    expect(wake(roomEvent({ opensAt: NOW + HOUR }), NOW)).toBe(NOW + HOUR);
  });

  it("wakes at once when the opening has passed and nothing was drawn", () => {
    expect(wake(roomEvent({ opensAt: NOW - HOUR }), NOW)).toBe(NOW);
  });

  it("ticks every tickMs while anyone waits or shops after the draw", () => {
    expect(wake(drawnRoom(3, { admitPerMinute: 1 }), NOW)).toBe(NOW + ROOM_LIMITS.tickMs);
  });

  it("keeps ticking after the doors open until the last token is spent or expired", () => {
    const open = given(drawnRoom(2, { admitPerMinute: 60 }), [tick()], NOW + 1_000);
    expect(wake(open, NOW + 1_000)).toBe(NOW + 1_000 + ROOM_LIMITS.tickMs);
    const done = given(open, [tick()], NOW + 700_000);
    expect(wake(done, NOW + 700_000)).toBeNull();
  });

  it("never wakes for a room that is off, or idle", () => {
    expect(wake(roomEvent({ enabled: false }), NOW)).toBeNull();
    expect(wake(given(roomEvent(), [tick({ seed: SEED })]), NOW)).toBeNull();
  });

  it("keeps the hold expiry when it comes first", () => {
    const held = given(roomEvent({ opensAt: NOW + HOUR, enabled: false }), [
      placeHold("u1", items(["ga", 1])),
    ]);
    const reopened: EventState = {
      ...held,
      config: { ...held.config, room: roomConfig({ opensAt: NOW + HOUR }) },
    };
    expect(wake(reopened, NOW)).toBe(NOW + 600_000);
  });
});

describe("roomView and roomCounts", () => {
  const state = drawnRoom(5, { admitPerMinute: 60 });
  const queue = [...state.room.queue.keys()];
  const [admittedId] = admittedIds(state.room);

  it("gives a waiting entry its position and the people ahead, from the front", () => {
    const view = roomView(state, queue[2] as string, NOW);
    expect(view).toMatchObject({ state: "waiting", position: 3, ahead: 2, queueLength: 4 });
    expect(view.opensAt).toBe(NOW);
    expect(view.soldOut).toBe(false);
    expect(view.admittedLastMinute).toBe(1);
  });

  it("moves everyone behind a lapsed entry up", () => {
    const slow = drawnRoom(5, { admitPerMinute: 1 });
    const line = [...slow.room.queue.keys()];
    expect(roomView(slow, line[2] as string, NOW).position).toBe(3);
    const after = given(slow, [tick({ absent: [line[0] as string] })], NOW + 500);
    expect(roomView(after, line[2] as string, NOW + 500).position).toBe(2);
  });

  it("estimates the wait from the pace since the draw, else the organizer's rate", () => {
    // One admitted in the 1 s since the draw: one a second, so the third in line waits ~3 s.
    expect(roomView(state, queue[2] as string, NOW + 1_000).estimatedWaitSeconds).toBe(3);
    // Nobody admitted in the last minute: the set rate of one a second.
    expect(roomView(state, queue[2] as string, NOW + 61_000).estimatedWaitSeconds).toBe(3);
    const unknown = drawnRoom(3, { admitPerMinute: null }, { ticketTypes: [] });
    expect(
      roomView(unknown, [...unknown.room.queue.keys()][0] as string, NOW + 61_000),
    ).toMatchObject({
      estimatedWaitSeconds: null,
      soldOut: true,
    });
  });

  it("has no position before the draw, and says open once the doors are", () => {
    const before = given(roomEvent({ opensAt: NOW + HOUR }), [enterRoom("u1", "rm1")]);
    expect(roomView(before, "rm1", NOW)).toMatchObject({
      state: "waiting",
      position: null,
      ahead: null,
    });
    const two = drawnRoom(2, { admitPerMinute: 60 });
    const open = given(two, [tick()], NOW + 1_000);
    expect(open.room.doorsOpenAt).toBe(NOW + 1_000);
    const [shopper] = admittedIds(open.room);
    expect(roomView(open, shopper as string, NOW + 1_000).state).toBe("open");
  });

  it("shows an admitted entry with its token's expiry, and knows nothing of others", () => {
    expect(roomView(state, admittedId as string, NOW)).toMatchObject({
      state: "admitted",
      position: null,
      entry: { tokenExpiresAt: NOW + 600_000 },
    });
    expect(roomView(state, "rm-unknown", NOW).state).toBe("gone");
    expect(roomView(state, null, NOW).state).toBe("gone");
  });

  it("works out positions once per queue, however many watch it", () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `rm${i}`);
    const crowd = given(
      roomEvent({ admitPerMinute: 1 }),
      ids.map((id, i) => enterRoom(`u${i}`, id)),
      NOW - 1,
    );
    const drawn = given(crowd, [tick({ seed: SEED })], NOW);
    const positions = queuePositions(drawn.room);
    expect(queuePositions(drawn.room)).toBe(positions);
    const started = performance.now();
    for (const id of ids) roomView(drawn, id, NOW);
    // 20,000 views of one state: O(1) each (a quadratic walk would take seconds).
    expect(performance.now() - started).toBeLessThan(1_000);
    const after = given(drawn, [tick({ absent: [ids[0] as string] })], NOW + 1_000);
    expect(queuePositions(after.room)).not.toBe(positions);
  });

  it("counts the room for its organizer", () => {
    expect(roomCounts(state, NOW)).toEqual({
      state: "queueing",
      opensAt: NOW,
      entrants: 5,
      waiting: 4,
      shopping: 1,
      admittedTotal: 1,
      admittedLastMinute: 1,
      drawnAt: NOW,
      seed: SEED,
      doorsOpenAt: null,
    });
    expect(roomCounts(roomEvent({ enabled: false }), NOW).state).toBe("off");
    expect(roomCounts(roomEvent({ opensAt: NOW + HOUR }), NOW).state).toBe("before");
    expect(roomCounts(given(state, [tick()], NOW + 60_000), NOW + 60_000).state).toBe("queueing");
  });
});
