import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import { createTestWorld, type TestWorld } from "../testing.ts";

const DAY = 86_400_000;
let world: TestWorld;

afterEach(async () => {
  await world.close();
});

async function setUp(holdSeconds = 60) {
  const clock = new ManualClock(Date.parse("2026-06-01T12:00:00.000Z"));
  world = await createTestWorld({ clock });
  const organizer = await world.signUp("organizer");
  const created = await organizer.caller.events.create({
    title: "Expiry test",
    startsAt: new Date(clock.now() + 30 * DAY).toISOString(),
    holdSeconds,
    ticketTypes: [{ name: "GA", priceCents: 1500, capacity: 2 }],
  });
  const event = await organizer.caller.events.publish({ eventId: created.id });
  return { clock, organizer, event, typeId: event.ticketTypes[0]!.id };
}

/** Lets the actor's timer-driven sweep run and commit. */
async function settle() {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe("hold expiry", () => {
  it("frees the tickets of an expired hold for the next buyer", async () => {
    const { clock, event, typeId } = await setUp(60);
    const first = await world.signUp();
    const second = await world.signUp();
    await first.caller.bookings.hold({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 2 }],
    });
    await expect(
      second.caller.bookings.hold({
        eventId: event.id,
        items: [{ ticketTypeId: typeId, quantity: 1 }],
      }),
    ).rejects.toMatchObject({ code: "CONFLICT", reason: "SOLD_OUT" });

    clock.advance(60_000 + 200);
    await settle();
    const row = world.services.db.$client.prepare("select status from holds").get() as {
      status: string;
    };
    expect(row.status).toBe("expired");
    const hold = await second.caller.bookings.hold({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 2 }],
    });
    expect(hold.items[0]!.quantity).toBe(2);
  });

  it("refuses to confirm an expired hold with HOLD_EXPIRED and charges nothing", async () => {
    const { clock, event, typeId } = await setUp(60);
    const buyer = await world.signUp();
    const hold = await buyer.caller.bookings.hold({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 1 }],
    });
    clock.advance(59_000);
    await expect(buyer.caller.bookings.getHold({ holdId: hold.id })).resolves.toMatchObject({
      id: hold.id,
    });
    clock.advance(1_000);
    const error = await buyer.caller.bookings.confirm({ holdId: hold.id }).catch((e) => e);
    expect(error).toMatchObject({ code: "CONFLICT", reason: "HOLD_EXPIRED" });
    const payments = world.services.db.$client.prepare("select count(*) n from payments").get() as {
      n: number;
    };
    expect(payments.n).toBe(0);
  });

  it("keeps a hold alive right up to its deadline", async () => {
    const { clock, event, typeId } = await setUp(60);
    const buyer = await world.signUp();
    const hold = await buyer.caller.bookings.hold({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 1 }],
    });
    clock.advance(59_999);
    await settle();
    const booking = await buyer.caller.bookings.confirm({ holdId: hold.id });
    expect(booking.totalCents).toBe(1500);
  });
});

describe("bookings.mine", () => {
  it("pages through a user's bookings newest first without repeats", async () => {
    const { clock, organizer } = await setUp(60);
    const big = await organizer.caller.events.create({
      title: "Many",
      startsAt: new Date(clock.now() + 30 * DAY).toISOString(),
      ticketTypes: [{ name: "Free", priceCents: 0, capacity: 100 }],
      maxPerUser: 100,
    });
    await organizer.caller.events.publish({ eventId: big.id });
    const buyer = await world.signUp();
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      clock.advance(1000);
      const result = await buyer.caller.bookings.book({
        eventId: big.id,
        items: [{ ticketTypeId: big.ticketTypes[0]!.id, quantity: 1 }],
      });
      if (result.status !== "confirmed") throw new Error("expected a confirmed booking");
      made.push(result.booking.id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await buyer.caller.bookings.mine({ limit: 3, cursor });
      seen.push(...page.items.map((b) => b.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(made.reverse());
    await expect(buyer.caller.bookings.mine({ cursor: "not-a-cursor" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});

describe("idempotent holds", () => {
  it("answers retries of a hold with the same key with the same hold, taking nothing more", async () => {
    const { event, typeId } = await setUp();
    const buyer = await world.signUp();
    const request = {
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 1 }],
      idempotencyKey: "hold-attempt-1",
    };
    // A client that retried while the first attempt was still in flight, and once after.
    const racing = await Promise.all([1, 2, 3].map(() => buyer.caller.bookings.hold(request)));
    const later = await buyer.caller.bookings.hold(request);
    expect(new Set([...racing, later].map((h) => h.id)).size).toBe(1);
    const figures = await world.anonymous().events.get({ eventId: event.id });
    expect(figures.availability).toMatchObject({ held: 1, available: 1 });
  });

  it("refuses the same key for a different request with CONFLICT", async () => {
    const { event, typeId } = await setUp();
    const buyer = await world.signUp();
    const key = { eventId: event.id, idempotencyKey: "k" };
    await buyer.caller.bookings.hold({ ...key, items: [{ ticketTypeId: typeId, quantity: 1 }] });
    const other = await buyer.caller.bookings
      .hold({ ...key, items: [{ ticketTypeId: typeId, quantity: 2 }] })
      .catch((e) => e);
    expect(other).toMatchObject({ code: "CONFLICT" });
  });

  it("lets the key place a new hold once the first was released, and keeps buyers' keys apart", async () => {
    const { event, typeId } = await setUp();
    const [buyer, other] = [await world.signUp(), await world.signUp()];
    const request = {
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 1 }],
      idempotencyKey: "k",
    };
    const first = await buyer.caller.bookings.hold(request);
    const theirs = await other.caller.bookings.hold(request);
    expect(theirs.id).not.toBe(first.id);
    await buyer.caller.bookings.releaseHold({ holdId: first.id });
    const again = await buyer.caller.bookings.hold(request);
    expect(again.id).not.toBe(first.id);
  });

  it("survives a restart: the retried hold is still the same hold", async () => {
    const { event, typeId } = await setUp();
    const buyer = await world.signUp();
    const request = {
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 1 }],
      idempotencyKey: "k",
    };
    const first = await buyer.caller.bookings.hold(request);
    await world.restart();
    expect((await buyer.caller.bookings.hold(request)).id).toBe(first.id);
  });
});

describe("drafts", () => {
  it("look exactly like a missing event to anyone but their organizer", async () => {
    const clock = new ManualClock(Date.parse("2026-06-01T12:00:00.000Z"));
    world = await createTestWorld({ clock });
    const organizer = await world.signUp("organizer");
    const draft = await organizer.caller.events.create({
      title: "Not yet",
      startsAt: new Date(clock.now() + 30 * DAY).toISOString(),
      ticketTypes: [{ name: "GA", priceCents: 0, capacity: 5 }],
      waitlist: { enabled: true, mode: "offer" },
    });
    const items = [{ ticketTypeId: draft.ticketTypes[0]!.id, quantity: 1 }];
    const stranger = await world.signUp();
    const answers = async (eventId: string) =>
      Promise.all(
        [
          stranger.caller.bookings.hold({ eventId, items }),
          stranger.caller.bookings.book({ eventId, items, joinWaitlist: true }),
          stranger.caller.waitlist.join({ eventId }),
        ].map((call) =>
          call.then(
            () => "accepted",
            (e) => ({ code: e.code, reason: e.reason, message: e.message }),
          ),
        ),
      );
    expect(await answers(draft.id)).toEqual(await answers("evt_does_not_exist"));
    expect((await answers(draft.id))[0]).toMatchObject({ code: "NOT_FOUND" });
    // Its organizer is told why.
    const own = await organizer.caller.bookings.hold({ eventId: draft.id, items }).catch((e) => e);
    expect(own).toMatchObject({ reason: "EVENT_NOT_PUBLISHED" });
  });
});
