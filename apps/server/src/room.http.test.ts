/**
 * The on-sale room over HTTP (docs/API.md "room"): 2,000 buyers (half accounts, half guests) wait
 * on a real server over a real SQLite file; nobody holds without a token; the lottery drawn at
 * opening is core's `drawOrder` over the entrants in arrival order, and admission takes its front
 * first; a token buys one hold once, for its own buyer only; a forged or expired one buys nothing;
 * when the queue runs empty the doors open. The test's clock is the real one plus an offset, moved
 * only to let tokens expire.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { type Client, confirmedBooking, roomSolution } from "@boxoffice/client";
import { drawOrder } from "@boxoffice/core";
import {
  eventually,
  OffsetClock,
  publishedEvent,
  startTestServer,
  type TestServer,
} from "./testing.ts";

const BUYERS = 2_000;
const CAPACITY = 3_000;

let ts: TestServer;
const clock = new OffsetClock();

beforeAll(async () => {
  ts = await startTestServer(
    { GUEST_HOLDS_PER_IP_PER_MINUTE: "100000", HELD_TICKETS_PER_BUYER: "100" },
    { clock },
  );
});

afterAll(async () => {
  await ts.stop();
}, 20_000);

interface Buyer {
  readonly kind: "account" | "guest";
  readonly email: string;
  readonly client: Client;
  entryId?: string;
  entryKey?: string;
}

async function enter(eventId: string, buyer: Buyer) {
  const challenge = await buyer.client.room.challenge.query({ eventId });
  const status = await buyer.client.room.enter.mutate({
    eventId,
    solution: await roomSolution(challenge),
    email: buyer.kind === "guest" ? buyer.email : undefined,
  });
  if (!status.entryKey) throw new Error("room.enter gave no entryKey");
  buyer.entryKey = status.entryKey;
  buyer.entryId = status.entryKey.split(".")[0];
  return status;
}

const positionOf = (eventId: string, buyer: Buyer) =>
  buyer.client.room.position.query({
    eventId,
    entryKey: buyer.kind === "guest" ? buyer.entryKey : undefined,
  });

/** Runs `work` over `items`, `width` at a time. */
async function pooled<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

/** The refusal's reason and details; throws if the call succeeded. */
async function refused(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    const data = (error as { data?: { reason?: string; details?: unknown } }).data;
    return { reason: data?.reason ?? null, details: data?.details ?? null };
  }
  throw new Error("Expected the call to be refused, but it succeeded");
}

/** The scenario's state, built up step by step: each test goes on from where the last stopped. */
interface Scenario {
  organizer: Client;
  eventId: string;
  typeId: string;
  room: {
    enabled: boolean;
    opensAt: string;
    admitPerMinute: number | null;
    tokenSeconds: number;
    graceSeconds: number;
    difficulty: number;
  };
  buyers: Buyer[];
  byEntry: Map<string, Buyer>;
  outsider: Buyer;
  outsiderGuest: Buyer;
  /** The entrants' ids in the lottery's order (place 1 first). */
  order: string[];
  /** Entry → the hold or booking its token paid for. */
  paidBy: Map<string, string>;
}

describe("the on-sale room with 2,000 buyers", () => {
  const s = {} as Scenario;
  let guests = 0;
  const newGuest = (): Buyer => ({
    kind: "guest",
    email: `guest${++guests}-${Math.random().toString(36).slice(2, 7)}@example.test`,
    client: ts.client(),
  });
  const newAccount = (): Buyer => {
    const user = ts.user();
    return { kind: "account", email: `${user.userId}@example.test`, client: user.client };
  };
  const asBuyer = (buyer: Buyer) =>
    buyer.kind === "guest" ? { email: buyer.email, name: "Guest" } : undefined;
  const hold = (buyer: Buyer, admissionToken?: string, quantity = 1) =>
    buyer.client.bookings.hold.mutate({
      eventId: s.eventId,
      items: [{ ticketTypeId: s.typeId, quantity }],
      admissionToken,
      buyer: asBuyer(buyer),
    });
  const book = (buyer: Buyer, admissionToken?: string) =>
    buyer.client.bookings.book.mutate({
      eventId: s.eventId,
      items: [{ ticketTypeId: s.typeId, quantity: 1 }],
      admissionToken,
      buyer: asBuyer(buyer),
    });
  const db = () => ts.server.services.db.$client;
  /** Everyone served so far (admitted, spent, expired), as the database has them. */
  const served = () =>
    (
      db()
        .prepare(
          "select id, state, admitted_at from room_entries where event_id = ? and state != 'waiting'",
        )
        .all(s.eventId) as { id: string; state: string; admitted_at: number | null }[]
    ).filter((e) => s.byEntry.has(e.id));
  /** Admission goes by the lottery: whoever was served is a prefix of its order. */
  const expectPrefix = () => {
    const ids = new Set(served().map((e) => e.id));
    expect(ids).toEqual(new Set(s.order.slice(0, ids.size)));
  };
  const tokenOf = async (buyer: Buyer) => {
    const status = await positionOf(s.eventId, buyer);
    expect(status.state).toBe("admitted");
    expect(Date.parse(status.tokenExpiresAt ?? "")).toBeGreaterThan(clock.now() + 50_000);
    return status.admissionToken as string;
  };

  it("lets 2,000 buyers enter before opening, one place per person, and nobody hold or book without a token", async () => {
    s.organizer = (await ts.register("organizer")).client;
    s.room = {
      enabled: true,
      opensAt: new Date(clock.now() + 3_600_000).toISOString(),
      admitPerMinute: 120,
      tokenSeconds: 60,
      graceSeconds: 3_600,
      difficulty: 1,
    };
    const event = await publishedEvent(s.organizer, {
      ticketTypes: [{ name: "GA", priceCents: 0, capacity: CAPACITY }],
      maxPerOrder: 4,
      onSaleRoom: s.room,
    });
    s.eventId = event.id;
    s.typeId = event.ticketTypes[0]!.id;

    // Half accounts, half guests; each solves a challenge at difficulty 1.
    s.buyers = Array.from({ length: BUYERS }, (_, i) => (i % 2 ? newGuest() : newAccount()));
    const entering = performance.now();
    await pooled(s.buyers, 16, async (buyer) => {
      const status = await enter(s.eventId, buyer);
      expect(status).toMatchObject({ state: "waiting", position: null, spent: false });
    });
    console.log(
      `room: ${BUYERS} buyers entered in ${((performance.now() - entering) / 1000).toFixed(1)} s`,
    );
    s.byEntry = new Map(s.buyers.map((b) => [b.entryId as string, b]));
    expect(s.byEntry.size).toBe(BUYERS);

    // Entering again (a new solution each time) returns the same place, for an account and a
    // guest; the account's email entering as a guest is the same person.
    for (const buyer of s.buyers.slice(0, 2)) {
      const before = buyer.entryId;
      await enter(s.eventId, buyer);
      expect(buyer.entryId).toBe(before as string);
    }
    const asGuest: Buyer = { kind: "guest", email: s.buyers[0]!.email, client: ts.client() };
    await enter(s.eventId, asGuest);
    expect(asGuest.entryId).toBe(s.buyers[0]!.entryId as string);

    const waiting = await positionOf(s.eventId, s.buyers[1]!);
    expect(waiting).toMatchObject({ state: "waiting", position: null, queueLength: BUYERS });
    expect(waiting.opensAt).toBe(s.room.opensAt);

    s.outsider = newAccount();
    s.outsiderGuest = newGuest();
    for (const buyer of [...s.buyers.slice(0, 10), s.outsider, s.outsiderGuest]) {
      expect(await refused(hold(buyer))).toEqual({
        reason: "NOT_ADMITTED",
        details: { opensAt: s.room.opensAt },
      });
      expect((await refused(book(buyer))).reason).toBe("NOT_ADMITTED");
      expect((await refused(hold(buyer, "rm_forged.1.AAAA"))).reason).toBe("NOT_ADMITTED");
    }
  }, 60_000);

  it("draws the lottery at opening: the places are core's drawOrder over the entrants in arrival order", async () => {
    // Opening a second from now; two admissions a tick (120 a minute).
    s.room = { ...s.room, opensAt: new Date(clock.now() + 1_000).toISOString() };
    await s.organizer.events.update.mutate({
      eventId: s.eventId,
      onSaleRoom: s.room,
    });
    const drawn = await statsWhen(s.organizer, s.eventId, (stats) => stats.seed !== null);
    expect(drawn).toMatchObject({ entrants: BUYERS, lapsedTotal: 0 });
    expect(drawn.seed).toMatch(/^[0-9a-f]{32}$/);

    const entries = db()
      .prepare("select id, place from room_entries where event_id = ? order by seq")
      .all(s.eventId) as { id: string; place: number | null }[];
    expect(entries).toHaveLength(BUYERS);
    s.order = drawOrder(
      drawn.seed as string,
      entries.map((e) => e.id),
    );
    const byPlace = [...entries].sort((a, b) => (a.place ?? 0) - (b.place ?? 0));
    expect(byPlace.map((e) => e.id)).toEqual(s.order);
    expect(byPlace.map((e) => e.place)).toEqual(s.order.map((_, i) => i + 1));

    // Each buyer is told their place, less those served before them.
    for (const index of [1_999, 1_500, 1_000, 500, 100]) {
      const status = await positionOf(s.eventId, s.byEntry.get(s.order[index]!)!);
      if (status.state !== "waiting") continue;
      expect(status.position).toBe(index + 1 - (BUYERS - status.queueLength));
      expect(status.ahead).toBe((status.position ?? 0) - 1);
    }
  }, 30_000);

  it("admits the lottery's front first, no faster than the organizer's rate", async () => {
    // A few admissions, at least one guest among them.
    await eventually(async () => {
      const now = served();
      return (
        now.filter((e) => s.byEntry.get(e.id)?.kind === "account").length >= 3 &&
        now.some((e) => s.byEntry.get(e.id)?.kind === "guest")
      );
    }, 30_000);
    expectPrefix();
    const first = served();
    const firstAt = Math.min(...first.map((e) => e.admitted_at ?? Infinity));
    const firstBatch = first.filter((e) => e.admitted_at === firstAt).map((e) => e.id);
    expect(new Set(firstBatch)).toEqual(new Set(s.order.slice(0, firstBatch.length)));
    // 120 a minute: at most two a tick.
    const perTick = db()
      .prepare(
        "select max(n) as n from (select count(*) as n from room_entries where event_id = ? and admitted_at is not null group by admitted_at)",
      )
      .get(s.eventId) as { n: number };
    expect(perTick.n).toBeLessThanOrEqual(2);
  }, 40_000);

  it("spends a token on one hold or booking of its own buyer; replayed, foreign, forged or expired it is refused", async () => {
    const admitted = served().map((e) => s.byEntry.get(e.id) as Buyer);
    const [a, b, c] = admitted.filter((x) => x.kind === "account") as [Buyer, Buyer, Buyer];
    const g = admitted.find((x) => x.kind === "guest") as Buyer;
    const last = s.byEntry.get(s.order.at(-1) as string) as Buyer;
    const [tokenA, tokenB, tokenC, tokenG] = (await Promise.all([a, b, c, g].map(tokenOf))) as [
      string,
      string,
      string,
      string,
    ];

    // Someone still waiting is refused, without a token or with another's; so is an outsider,
    // and another guest with the admitted guest's token.
    expect((await positionOf(s.eventId, last)).state).toBe("waiting");
    expect((await refused(hold(last))).reason).toBe("NOT_ADMITTED");
    expect((await refused(hold(last, tokenA))).reason).toBe("NOT_ADMITTED");
    expect((await refused(hold(s.outsider, tokenA))).reason).toBe("NOT_ADMITTED");
    expect((await refused(hold(newGuest(), tokenG))).reason).toBe("NOT_ADMITTED");

    // Forged: another expiry under the same MAC, another entry's id, an altered MAC, nonsense.
    const [entryA, expiresA, macA] = tokenA.split(".") as [string, string, string];
    const forgeries = [
      `${entryA}.${Number(expiresA) + 60_000}.${macA}`,
      `${b.entryId}.${expiresA}.${macA}`,
      `${entryA}.${expiresA}.${macA.slice(0, -2)}${macA.endsWith("AA") ? "BB" : "AA"}`,
      "not a token",
    ];
    for (const forged of forgeries) {
      expect((await refused(hold(a, forged))).reason).toBe("NOT_ADMITTED");
    }

    // A refused hold spends nothing: beyond maxPerOrder first, then the same token holds.
    expect((await refused(hold(b, tokenB, 5))).reason).toBe("LIMIT_EXCEEDED");

    // The token buys one hold, once: replayed by its buyer or presented by another, refused.
    const held = await hold(a, tokenA);
    expect((await refused(hold(a, tokenA))).reason).toBe("NOT_ADMITTED");
    expect((await refused(book(a, tokenA))).reason).toBe("NOT_ADMITTED");
    expect((await refused(hold(last, tokenA))).reason).toBe("NOT_ADMITTED");
    expect(await positionOf(s.eventId, a)).toMatchObject({ spent: true });
    // Confirming the hold needs no token.
    await a.client.bookings.confirm.mutate({ holdId: held.id });
    const heldB = await hold(b, tokenB);
    const guestBooking = confirmedBooking(await book(g, tokenG));
    expect((await refused(book(g, tokenG))).reason).toBe("NOT_ADMITTED");
    s.paidBy = new Map([
      [a.entryId as string, held.id],
      [b.entryId as string, heldB.id],
      [g.entryId as string, guestBooking.id],
    ]);

    // A token not spent in time expires: its buyer is refused, and shown "expired".
    clock.advance(61_000);
    expect((await refused(hold(c, tokenC))).reason).toBe("NOT_ADMITTED");
    await eventually(async () => (await positionOf(s.eventId, c)).state === "expired", 5_000);
    expectPrefix();
  }, 30_000);

  it("opens the doors once the queue runs empty, and then nobody needs a token", async () => {
    // As fast as tickets free up: every admitted buyer books with their token until the doors
    // open (from then on, whoever is still shopping needs none).
    await s.organizer.events.update.mutate({
      eventId: s.eventId,
      onSaleRoom: { ...s.room, admitPerMinute: null },
    });
    const handled = new Set(served().map((e) => e.id));
    let withToken = 0;
    let afterDoors = 0;
    const doorsOpenAt = () =>
      (
        db().prepare("select doors_open_at as at from rooms where event_id = ?").get(s.eventId) as {
          at: number | null;
        }
      ).at;
    const draining = performance.now();
    for (;;) {
      const open = doorsOpenAt() !== null;
      const fresh = served().filter((e) => e.state === "admitted" && !handled.has(e.id));
      for (const e of fresh) handled.add(e.id);
      await pooled(fresh, 32, async (e) => {
        const buyer = s.byEntry.get(e.id) as Buyer;
        const status = await positionOf(s.eventId, buyer);
        if (status.state === "open") {
          expect((await book(buyer)).status).toBe("confirmed");
          afterDoors += 1;
          return;
        }
        expect(status.state).toBe("admitted");
        s.paidBy.set(e.id, confirmedBooking(await book(buyer, status.admissionToken)).id);
        withToken += 1;
      });
      expectPrefix();
      if (open && fresh.length === 0) break;
      if (fresh.length === 0) await Bun.sleep(50);
      if (performance.now() - draining > 30_000) throw new Error("the queue did not run empty");
    }
    console.log(`room: ${withToken} booked with a token, ${afterDoors} after the doors opened`);
    expect(withToken + afterDoors).toBeGreaterThan(BUYERS - 100);

    const stats = await statsWhen(s.organizer, s.eventId, () => true);
    expect(stats).toMatchObject({ state: "open", waiting: 0, lapsedTotal: 0 });
    expect(stats.doorsOpenAt).not.toBeNull();
    expect((await hold(s.outsider)).items[0]?.quantity).toBe(1);
    expect((await positionOf(s.eventId, s.outsiderGuest)).state).toBe("open");

    // Each token paid for one order, the one it was presented for; a token presented after the
    // doors opened was not needed, and stays unspent.
    const spent = db()
      .prepare("select id, order_id from room_entries where event_id = ? and state = 'spent'")
      .all(s.eventId) as { id: string; order_id: string }[];
    for (const entry of spent) expect(entry.order_id).toBe(s.paidBy.get(entry.id) as string);
    const spentIds = new Set(spent.map((e) => e.id));
    const createdAt = db().prepare("select created_at as at from bookings where id = ?");
    for (const [entryId, orderId] of s.paidBy) {
      if (spentIds.has(entryId)) continue;
      expect((createdAt.get(orderId) as { at: number }).at).toBeGreaterThanOrEqual(
        doorsOpenAt() as number,
      );
    }
    const left = db()
      .prepare(
        "select count(*) as n from room_entries where event_id = ? and state in ('waiting', 'lapsed')",
      )
      .get(s.eventId) as { n: number };
    expect(left.n).toBe(0);
  }, 60_000);
});

/** What the test reads of `room.stats` (docs/API.md "room"). */
interface Stats {
  readonly state: string;
  readonly entrants: number;
  readonly waiting: number;
  readonly lapsedTotal: number;
  readonly seed: string | null;
  readonly doorsOpenAt: string | null;
}

/** The first `room.stats` message that passes `check` (the stream sends the current one first). */
function statsWhen(
  organizer: Client,
  eventId: string,
  check: (stats: Stats) => boolean,
  ms = 15_000,
): Promise<Stats> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error("room.stats never reached the expected state"));
    }, ms);
    const subscription = organizer.room.stats.subscribe(
      { eventId },
      {
        onData: (message) => {
          // A tracked message arrives as {id, data}.
          const stats = (
            typeof message === "object" && message !== null && "data" in message
              ? message.data
              : message
          ) as Stats;
          if (!check(stats)) return;
          clearTimeout(timer);
          subscription.unsubscribe();
          resolve(stats);
        },
        onError: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      },
    );
  });
}
