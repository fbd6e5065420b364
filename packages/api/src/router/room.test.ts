/** The on-sale room through the API (docs/API.md "room"), on a fresh database file. */
import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import { solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { createTestWorld, type TestWorld } from "../testing.ts";

const DAY = 86_400_000;
let world: TestWorld;
let clock: ManualClock;

afterEach(async () => {
  await world.close();
});

type Caller = Awaited<ReturnType<TestWorld["signUp"]>>["caller"];

/** Lets timers' turns run and commit. */
async function settle(rounds = 10) {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Moves the clock one room tick at a time, letting each tick's turn commit. */
async function tick(seconds = 1) {
  for (let i = 0; i < seconds; i++) {
    clock.advance(1_000);
    await settle();
  }
}

interface RoomSettings {
  opensInMs?: number | null;
  admitPerMinute?: number | null;
  tokenSeconds?: number;
  graceSeconds?: number;
  capacity?: number;
  guestCheckout?: boolean;
}

/** A published event with its room on, opening a minute from now unless said otherwise. */
async function setUp(settings: RoomSettings = {}) {
  // The wall clock: ALTCHA's library checks a challenge's expiry against it too. Never on a
  // whole 100 ms: the opening's wake-up (rounded up to 100 ms) would then fall on a tick rather
  // than the tick after, and the draw would run a second earlier than the tests expect.
  const now = Date.now();
  clock = new ManualClock(now % 100 === 0 ? now + 1 : now);
  world = await createTestWorld({ clock });
  const organizer = await world.signUp("organizer");
  const eventId = await roomEvent(organizer.caller, settings);
  const event = await organizer.caller.events.get({ eventId });
  return { organizer, eventId, typeId: event.ticketTypes[0]!.id };
}

async function roomEvent(caller: Caller, settings: RoomSettings) {
  const opensIn = settings.opensInMs === undefined ? 60_000 : settings.opensInMs;
  const created = await caller.events.create({
    title: "Big on-sale",
    startsAt: new Date(clock.now() + 30 * DAY).toISOString(),
    ticketTypes: [{ name: "GA", priceCents: 2500, capacity: settings.capacity ?? 100 }],
    guestCheckout: settings.guestCheckout ?? true,
    onSaleRoom: {
      enabled: true,
      opensAt: opensIn === null ? null : new Date(clock.now() + opensIn).toISOString(),
      admitPerMinute: settings.admitPerMinute ?? null,
      tokenSeconds: settings.tokenSeconds ?? 60,
      graceSeconds: settings.graceSeconds ?? 120,
      difficulty: 1,
    },
  });
  await caller.events.publish({ eventId: created.id });
  return created.id;
}

/** What the widget would submit: a solved challenge, base64 JSON. */
async function solution(caller: Caller, eventId: string): Promise<string> {
  const challenge = await caller.room.challenge({ eventId });
  const solved = await solveChallenge({ challenge, deriveKey });
  return Buffer.from(JSON.stringify({ challenge, solution: solved })).toString("base64");
}

async function enter(caller: Caller, eventId: string, email?: string) {
  return caller.room.enter({ eventId, solution: await solution(caller, eventId), email });
}

const items = (typeId: string, quantity = 1) => [{ ticketTypeId: typeId, quantity }];

describe("room: entering", () => {
  it("lets a buyer who solved the challenge wait, then admits them with a token after the draw", async () => {
    const { eventId } = await setUp({ admitPerMinute: 1 });
    const [ada, bob] = [await world.signUp(), await world.signUp()];
    const entered = await enter(ada.caller, eventId);
    expect(entered).toMatchObject({ state: "waiting", position: null, queueLength: 1 });
    expect(entered.entryKey).toMatch(/^rm_[a-z2-9]+\.[\w-]+$/);
    await enter(bob.caller, eventId);
    expect(await bob.caller.room.position({ eventId })).toMatchObject({
      state: "waiting",
      position: null,
      queueLength: 2,
      spent: false,
    });

    // Wake-ups are rounded up to 100 ms: a tick past the opening.
    await tick(61);
    const [a, b] = [
      await ada.caller.room.position({ eventId }),
      await bob.caller.room.position({ eventId }),
    ];
    // One admission a minute: the lottery's first is admitted, the other is next in line.
    const [first, second] = a.state === "admitted" ? [a, b] : [b, a];
    expect(first).toMatchObject({ state: "admitted", position: null, queueLength: 1 });
    expect(first.admissionToken).toBeString();
    expect(Date.parse(first.tokenExpiresAt ?? "")).toBe(clock.now() + 60_000);
    expect(second).toMatchObject({ state: "waiting", position: 1, ahead: 0, queueLength: 1 });
    expect(second.estimatedWaitSeconds).toBeGreaterThan(0);
  });

  it("gives a person entering twice the same place", async () => {
    const { eventId } = await setUp();
    const ada = await world.signUp();
    const once = await enter(ada.caller, eventId);
    const twice = await enter(ada.caller, eventId);
    expect(twice.entryKey).toBe(once.entryKey);
    expect(twice.queueLength).toBe(1);
  });

  it("counts a guest with an account's email as that account's person", async () => {
    const { eventId } = await setUp();
    const ada = await world.signUp();
    const account = await enter(ada.caller, eventId);
    const { email } = world.services.db.$client
      .prepare("select email from users where id = ?")
      .get(ada.userId) as { email: string };
    const guest = await enter(world.anonymous(), eventId, ` ${email.toUpperCase()} `);
    expect(guest.entryKey).toBe(account.entryKey);
  });

  it("asks a signed-out buyer for their email, and finds a guest's place by its entry key", async () => {
    const { eventId } = await setUp();
    const guest = world.anonymous();
    const refused = await guest.room
      .enter({ eventId, solution: await solution(guest, eventId) })
      .catch((e) => e);
    expect(refused).toMatchObject({ code: "BAD_REQUEST" });
    expect(refused.data?.issues ?? refused.cause?.issues).toEqual([
      expect.objectContaining({ path: "email" }),
    ]);
    const entered = await enter(guest, eventId, "Grace@Example.org");
    expect(await guest.room.position({ eventId })).toMatchObject({ state: "none" });
    expect(await guest.room.position({ eventId, entryKey: entered.entryKey ?? "" })).toMatchObject({
      state: "waiting",
      queueLength: 1,
    });
    const forged = `${(entered.entryKey ?? "").split(".")[0]}.AAAA`;
    expect(await guest.room.position({ eventId, entryKey: forged })).toMatchObject({
      state: "none",
    });
  });

  it("refuses guests where the organizer turned guest checkout off", async () => {
    const { eventId } = await setUp({ guestCheckout: false });
    const guest = world.anonymous();
    await expect(enter(guest, eventId, "grace@example.org")).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      reason: "SIGN_IN_REQUIRED",
    });
  });

  it("refuses a wrong, replayed, foreign or expired solution with an issue on solution", async () => {
    const { organizer, eventId } = await setUp();
    const other = await roomEvent(organizer.caller, {});
    const ada = await world.signUp();
    const issueOf = async (answer: string, event = eventId) => {
      const error = await ada.caller.room
        .enter({ eventId: event, solution: answer })
        .catch((e) => e);
      expect(error).toMatchObject({ code: "BAD_REQUEST" });
      return (error.cause?.issues ?? []) as { path: string; message: string }[];
    };

    const good = await solution(ada.caller, eventId);
    await ada.caller.room.enter({ eventId, solution: good });
    expect(await issueOf(good)).toEqual([
      { path: "solution", message: expect.stringMatching(/already used/) },
    ]);

    expect(await issueOf(await solution(ada.caller, eventId), other)).toEqual([
      { path: "solution", message: expect.stringMatching(/another event/) },
    ]);

    const payload = JSON.parse(
      Buffer.from(await solution(ada.caller, eventId), "base64").toString(),
    );
    payload.solution.derivedKey = "00".repeat(32);
    const wrong = Buffer.from(JSON.stringify(payload)).toString("base64");
    expect(await issueOf(wrong)).toEqual([
      { path: "solution", message: expect.stringMatching(/not solved/) },
    ]);

    expect(await issueOf("bm90IGpzb24=")).toEqual([
      { path: "solution", message: "Not a challenge solution" },
    ]);

    const stale = await solution(ada.caller, eventId);
    clock.advance(601_000);
    expect(await issueOf(stale)).toEqual([
      { path: "solution", message: expect.stringMatching(/expired/) },
    ]);
  });

  it("says open, without queueing, once the room is not in use", async () => {
    const { eventId, typeId } = await setUp({ opensInMs: null });
    await tick(2);
    const ada = await world.signUp();
    expect(await ada.caller.room.position({ eventId })).toMatchObject({ state: "open" });
    const entered = await enter(ada.caller, eventId);
    expect(entered).toMatchObject({ state: "open" });
    expect(entered.entryKey).toBeUndefined();
    await expect(
      ada.caller.bookings.hold({ eventId, items: items(typeId) }),
    ).resolves.toMatchObject({
      eventId,
    });
  });
});

describe("room: admission tokens", () => {
  it("refuses holds without a valid token while the room is in use (NOT_ADMITTED)", async () => {
    const { organizer, eventId, typeId } = await setUp({ admitPerMinute: 1 });
    const otherEvent = await roomEvent(organizer.caller, { opensInMs: 3_600_000 });
    const [ada, bob, eve] = [await world.signUp(), await world.signUp(), await world.signUp()];
    await enter(ada.caller, eventId);
    await enter(bob.caller, eventId);
    const notAdmitted = { code: "PRECONDITION_FAILED", reason: "NOT_ADMITTED" };

    // Before opening: nobody, whether they entered or not.
    for (const buyer of [ada, eve]) {
      await expect(
        buyer.caller.bookings.hold({ eventId, items: items(typeId) }),
      ).rejects.toMatchObject(notAdmitted);
    }
    const details = await ada.caller.bookings
      .hold({ eventId, items: items(typeId) })
      .catch((e) => e.cause?.details);
    expect(details).toEqual({ opensAt: expect.any(String) });

    await tick(61);
    const statuses = await Promise.all([ada, bob].map((b) => b.caller.room.position({ eventId })));
    const winner = statuses[0]?.state === "admitted" ? ada : bob;
    const loser = winner === ada ? bob : ada;
    const token = (await winner.caller.room.position({ eventId })).admissionToken ?? "";
    expect(token).not.toBe("");

    const hold = (admissionToken: string, buyer = winner, event = eventId) =>
      buyer.caller.bookings.hold({ eventId: event, items: items(typeId), admissionToken });
    // Forged (a changed expiry keeps the old signature), another buyer's, another event's.
    const [entryId, expires, mac] = token.split(".");
    await expect(hold(`${entryId}.${Number(expires) + 1000}.${mac}`)).rejects.toMatchObject(
      notAdmitted,
    );
    await expect(
      hold(`${entryId}.${expires}.${"A".repeat(mac?.length ?? 43)}`),
    ).rejects.toMatchObject(notAdmitted);
    await expect(hold(token, loser)).rejects.toMatchObject(notAdmitted);
    await expect(hold(token, eve)).rejects.toMatchObject(notAdmitted);
    const otherType = (await organizer.caller.events.get({ eventId: otherEvent })).ticketTypes[0]!
      .id;
    await expect(
      winner.caller.bookings.hold({
        eventId: otherEvent,
        items: items(otherType),
        admissionToken: token,
      }),
    ).rejects.toMatchObject(notAdmitted);

    // A refused hold spends nothing; the first good one spends the token; a replay is refused.
    await expect(
      winner.caller.bookings.hold({ eventId, items: items(typeId, 11), admissionToken: token }),
    ).rejects.toMatchObject({ reason: "LIMIT_EXCEEDED" });
    await expect(hold(token)).resolves.toMatchObject({ eventId });
    await expect(hold(token)).rejects.toMatchObject(notAdmitted);
    expect(await winner.caller.room.position({ eventId })).toMatchObject({
      state: "admitted",
      spent: true,
    });
    expect((await winner.caller.room.position({ eventId })).admissionToken).toBeUndefined();
  });

  it("books directly with a token, once", async () => {
    const { eventId, typeId } = await setUp({ opensInMs: 1_000 });
    const ada = await world.signUp();
    await enter(ada.caller, eventId);
    await tick(2);
    const { admissionToken } = await ada.caller.room.position({ eventId });
    const book = () => ada.caller.bookings.book({ eventId, items: items(typeId), admissionToken });
    // Admitted alone, the queue is empty: the doors open, so a spent token no longer matters.
    await expect(book()).resolves.toMatchObject({ status: "confirmed" });
  });

  it("expires a token not spent in time", async () => {
    const { eventId, typeId } = await setUp({ opensInMs: 1_000, admitPerMinute: 1 });
    // One admission a minute and three buyers: the queue stays non-empty, the doors shut.
    const buyers = [await world.signUp(), await world.signUp(), await world.signUp()];
    for (const b of buyers) await enter(b.caller, eventId);
    await tick(2);
    const statuses = await Promise.all(buyers.map((b) => b.caller.room.position({ eventId })));
    const at = statuses.findIndex((s) => s.state === "admitted");
    const winner = buyers[at]!;
    const { admissionToken } = statuses[at]!;
    expect(admissionToken).toBeString();
    await tick(61);
    expect(await winner.caller.room.position({ eventId })).toMatchObject({
      state: "expired",
      spent: false,
    });
    await expect(
      winner.caller.bookings.hold({ eventId, items: items(typeId), admissionToken }),
    ).rejects.toMatchObject({ reason: "NOT_ADMITTED" });
  });
});

describe("room: the doors", () => {
  it("opens the doors once the queue is empty after the draw: tokens are no longer needed", async () => {
    const { organizer, eventId, typeId } = await setUp({ opensInMs: 5_000 });
    const ada = await world.signUp();
    const guest = world.anonymous();
    await enter(ada.caller, eventId);
    const entered = await enter(guest, eventId, "grace@example.org");
    await tick(6);
    // Both admitted at once (default rate): nobody waits, so the doors opened.
    const stats = await organizer.caller.room.stats({ eventId });
    const first = await stats[Symbol.asyncIterator]().next();
    const [, figures] = first.value as unknown as [string, Record<string, unknown>];
    await stats[Symbol.asyncIterator]().return?.(undefined);
    expect(figures).toMatchObject({
      state: "open",
      entrants: 2,
      waiting: 0,
      shopping: 2,
      admittedTotal: 2,
      seed: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(await guest.room.position({ eventId, entryKey: entered.entryKey ?? "" })).toMatchObject({
      state: "open",
    });
    const late = await world.signUp();
    await expect(
      late.caller.bookings.hold({ eventId, items: items(typeId) }),
    ).resolves.toMatchObject({
      eventId,
    });
  });

  it("keeps a place across a restart, with its token still good once", async () => {
    const { eventId, typeId } = await setUp({ opensInMs: 1_000, admitPerMinute: 1 });
    const [ada, bob] = [await world.signUp(), await world.signUp()];
    await enter(ada.caller, eventId);
    await enter(bob.caller, eventId);
    await tick(2);
    const before = await Promise.all([ada, bob].map((b) => b.caller.room.position({ eventId })));
    await world.restart();
    const after = await Promise.all([ada, bob].map((b) => b.caller.room.position({ eventId })));
    expect(after.map((s) => [s.state, s.position, s.admissionToken])).toEqual(
      before.map((s) => [s.state, s.position, s.admissionToken]),
    );
    const winner = before[0]?.state === "admitted" ? ada : bob;
    const token = (before[0]?.admissionToken ?? before[1]?.admissionToken) as string;
    const hold = () =>
      winner.caller.bookings.hold({ eventId, items: items(typeId), admissionToken: token });
    await expect(hold()).resolves.toMatchObject({ eventId });
    await world.restart();
    await expect(hold()).rejects.toMatchObject({ reason: "NOT_ADMITTED" });
  });
});

describe("room: presence", () => {
  it("lapses a waiting buyer not seen for the grace period, but not one whose stream is open", async () => {
    // Nothing to sell: the room admits nobody, so all three keep waiting after the draw.
    const { eventId } = await setUp({ opensInMs: 1_000, graceSeconds: 30, capacity: 0 });
    const [ada, bob, cyd] = [await world.signUp(), await world.signUp(), await world.signUp()];
    for (const b of [ada, bob, cyd]) await enter(b.caller, eventId);
    await tick(2);
    const stream = await bob.caller.room.status({ eventId });
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toBeDefined();
    // Ada asks now and then (as the page does when its stream drops); Cyd has gone.
    for (let i = 0; i < 40; i++) {
      await tick(1);
      if (i % 10 === 0) await ada.caller.room.position({ eventId });
    }
    const states = await Promise.all(
      [ada, bob, cyd].map((b) => b.caller.room.position({ eventId })),
    );
    expect(states.map((s) => s.state)).toEqual(["waiting", "waiting", "expired"]);
    expect(states.map((s) => s.position).sort()).toEqual([1, 2, null]);
    // A stream that closes counts as a last sighting: Bob lapses a grace later.
    await iterator.return?.(undefined);
    for (let i = 0; i < 31; i++) {
      await tick(1);
      if (i % 10 === 0) await ada.caller.room.position({ eventId });
    }
    expect(await bob.caller.room.position({ eventId })).toMatchObject({ state: "expired" });
  });
});

describe("room: live status", () => {
  it("streams the status at once and again when the buyer is admitted", async () => {
    const { eventId } = await setUp({ opensInMs: 2_000 });
    const ada = await world.signUp();
    await enter(ada.caller, eventId);
    const stream = await ada.caller.room.status({ eventId });
    const iterator = stream[Symbol.asyncIterator]();
    const first = (await iterator.next()).value as unknown as [string, { state: string }];
    expect(first[1]).toMatchObject({ state: "waiting" });
    await tick(3);
    const second = (await iterator.next()).value as unknown as [
      string,
      { state: string; admissionToken?: string },
    ];
    await iterator.return?.(undefined);
    expect(Number(second[0])).toBeGreaterThan(Number(first[0]));
    expect(second[1].state).toMatch(/admitted|open/);
  });
});

describe("room: the organizer's settings", () => {
  it("shows every setting on the event, defaults when never set", async () => {
    const { organizer, eventId } = await setUp({ admitPerMinute: 120 });
    const event = await organizer.caller.events.get({ eventId });
    expect(event.onSaleRoom).toEqual({
      enabled: true,
      opensAt: expect.any(String),
      admitPerMinute: 120,
      tokenSeconds: 60,
      graceSeconds: 120,
      difficulty: 1,
    });
    const plain = await organizer.caller.events.create({
      title: "No room",
      startsAt: new Date(clock.now() + DAY).toISOString(),
      ticketTypes: [{ name: "GA", priceCents: 0, capacity: 1 }],
    });
    expect(plain.onSaleRoom).toEqual({
      enabled: false,
      opensAt: null,
      admitPerMinute: null,
      tokenSeconds: 600,
      graceSeconds: 120,
      difficulty: 4,
    });
    const updated = await organizer.caller.events.update({
      eventId: plain.id,
      onSaleRoom: { enabled: true, difficulty: 7 },
    });
    expect(updated.onSaleRoom).toMatchObject({ enabled: true, difficulty: 7, tokenSeconds: 600 });
    const kept = await organizer.caller.events.update({ eventId: plain.id, title: "Still a room" });
    expect(kept.onSaleRoom).toMatchObject({ enabled: true, difficulty: 7 });
  });

  it("refuses a room opening after sales end, naming onSaleRoom.opensAt", async () => {
    clock = new ManualClock(Date.now());
    world = await createTestWorld({ clock });
    const organizer = await world.signUp("organizer");
    const startsAt = clock.now() + DAY;
    const late = new Date(startsAt + 60_000).toISOString();
    const created = await organizer.caller.events
      .create({
        title: "Late room",
        startsAt: new Date(startsAt).toISOString(),
        ticketTypes: [{ name: "GA", priceCents: 0, capacity: 1 }],
        onSaleRoom: { enabled: true, opensAt: late },
      })
      .catch((e) => e);
    expect(created).toMatchObject({ code: "BAD_REQUEST" });
    expect(JSON.stringify(created.cause?.issues ?? created.message)).toContain("onSaleRoom");
    const event = await organizer.caller.events.create({
      title: "Room",
      startsAt: new Date(startsAt).toISOString(),
      salesEndAt: new Date(startsAt - DAY / 2).toISOString(),
      ticketTypes: [{ name: "GA", priceCents: 0, capacity: 1 }],
    });
    const updated = await organizer.caller.events
      .update({
        eventId: event.id,
        onSaleRoom: { enabled: true, opensAt: new Date(startsAt - 60_000).toISOString() },
      })
      .catch((e) => e);
    expect(updated).toMatchObject({ code: "BAD_REQUEST" });
    expect(updated.cause?.issues).toEqual([
      { path: "onSaleRoom.opensAt", message: expect.stringMatching(/sales end/) },
    ]);
  });

  it("streams room.stats to the event's organizer only", async () => {
    const { organizer, eventId } = await setUp();
    const ada = await world.signUp();
    await enter(ada.caller, eventId);
    await expect(ada.caller.room.stats({ eventId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(world.anonymous().room.stats({ eventId })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    const other = await world.signUp("organizer");
    await expect(other.caller.room.stats({ eventId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const stream = await organizer.caller.room.stats({ eventId });
    const iterator = stream[Symbol.asyncIterator]();
    const [, figures] = (await iterator.next()).value as unknown as [string, object];
    await iterator.return?.(undefined);
    expect(figures).toEqual({
      state: "before",
      opensAt: expect.any(String),
      entrants: 1,
      waiting: 1,
      shopping: 0,
      admittedTotal: 0,
      admittedLastMinute: 0,
      lapsedTotal: 0,
      drawnAt: null,
      seed: null,
      doorsOpenAt: null,
    });
  });
});
