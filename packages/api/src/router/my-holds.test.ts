/**
 * What is the caller's own (docs/API.md "bookings", "venues"): `bookings.myHolds`, a paid hold
 * naming its booking, and `mine` on seat maps and their live changes.
 */
import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import { createTestWorld, type TestWorld } from "../testing.ts";

const DAY = 86_400_000;
let world: TestWorld;
let clock: ManualClock;

afterEach(async () => {
  await world.close();
});

async function setUp() {
  clock = new ManualClock(Date.parse("2026-06-01T12:00:00.000Z"));
  world = await createTestWorld({ clock });
  const organizer = await world.signUp("organizer");
  const startsAt = new Date(clock.now() + 30 * DAY).toISOString();
  const created = await organizer.caller.events.create({
    title: "Harbour jazz",
    startsAt,
    timezone: "Europe/Berlin",
    holdSeconds: 600,
    ticketTypes: [{ name: "GA", priceCents: 1500, capacity: 4 }],
    waitlist: { enabled: true, mode: "offer", offerSeconds: 3_600 },
  });
  const event = await organizer.caller.events.publish({ eventId: created.id });
  const venue = await organizer.caller.venues.create({
    name: "Hall",
    sections: [{ name: "Stalls", priceCents: 4_000, rows: [{ label: "A", seats: 6 }] }],
  });
  const seatedDraft = await organizer.caller.events.create({
    title: "Seated",
    startsAt,
    venueId: venue.id,
  });
  const seated = await organizer.caller.events.publish({ eventId: seatedDraft.id });
  return { organizer, event, seated, typeId: event.ticketTypes[0]!.id };
}

describe("bookings.myHolds", () => {
  it("lists the caller's live holds with their event, and nothing that has ended", async () => {
    const { event, seated, typeId } = await setUp();
    const buyer = await world.signUp();
    const other = await world.signUp();
    const items = (quantity: number) => [{ ticketTypeId: typeId, quantity }];
    const first = await buyer.caller.bookings.hold({ eventId: event.id, items: items(1) });
    clock.advance(60_000);
    const seats = await buyer.caller.bookings.hold({ eventId: seated.id, seatIds: ["s1-r1-2"] });
    await other.caller.bookings.hold({ eventId: event.id, items: items(1) });

    const all = await buyer.caller.bookings.myHolds();
    // Soonest to lapse first, each with what a list needs to show it.
    expect(all.map((h) => h.id)).toEqual([first.id, seats.id]);
    expect(all[0]).toMatchObject({
      ...first,
      event: { title: "Harbour jazz", startsAt: event.startsAt, timezone: "Europe/Berlin" },
      waitlistOffer: false,
    });
    expect(all[1]).toMatchObject({ seatIds: ["s1-r1-2"], event: { title: "Seated" } });
    const ofEvent = await buyer.caller.bookings.myHolds({ eventId: seated.id });
    expect(ofEvent.map((h) => h.id)).toEqual([seats.id]);

    await buyer.caller.bookings.confirm({ holdId: seats.id });
    const released = await buyer.caller.bookings.hold({ eventId: event.id, items: items(1) });
    await buyer.caller.bookings.releaseHold({ holdId: released.id });
    expect((await buyer.caller.bookings.myHolds()).map((h) => h.id)).toEqual([first.id]);
    // Lapsed at its deadline, whether or not the sweep has run yet.
    clock.advance(540_000);
    expect(await buyer.caller.bookings.myHolds()).toEqual([]);
  });

  it("marks a waitlist offer as one", async () => {
    const { event, typeId } = await setUp();
    const holder = await world.signUp();
    const waiting = await world.signUp();
    const hold = await holder.caller.bookings.hold({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 4 }],
    });
    await waiting.caller.waitlist.join({ eventId: event.id, quantity: 2 });
    await holder.caller.bookings.releaseHold({ holdId: hold.id });
    const [offer] = await waiting.caller.bookings.myHolds({ eventId: event.id });
    expect(offer).toMatchObject({ waitlistOffer: true, items: [{ quantity: 2 }] });
    expect((await holder.caller.bookings.myHolds()).length).toBe(0);
  });

  it("needs a signed-in caller", async () => {
    await setUp();
    await expect(world.anonymous().bookings.myHolds()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});

describe("a hold that was paid for", () => {
  it("names its booking to its owner, and to nobody else", async () => {
    const { event, typeId } = await setUp();
    const buyer = await world.signUp();
    const stranger = await world.signUp();
    const hold = await buyer.caller.bookings.hold({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 2 }],
    });
    const booking = await buyer.caller.bookings.confirm({ holdId: hold.id });
    const gone = {
      code: "NOT_FOUND",
      reason: "HOLD_NOT_FOUND",
      details: { bookingId: booking.id },
    };
    await expect(buyer.caller.bookings.getHold({ holdId: hold.id })).rejects.toMatchObject(gone);
    // Pay pressed again on a stale page, with a new key: no second booking, the first named.
    await expect(
      buyer.caller.bookings.confirm({ holdId: hold.id, idempotencyKey: "another try" }),
    ).rejects.toMatchObject(gone);
    await expect(stranger.caller.bookings.getHold({ holdId: hold.id })).rejects.toMatchObject({
      reason: "HOLD_NOT_FOUND",
      details: null,
    });
    const released = await buyer.caller.bookings.hold({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 1 }],
    });
    await buyer.caller.bookings.releaseHold({ holdId: released.id });
    await expect(buyer.caller.bookings.getHold({ holdId: released.id })).rejects.toMatchObject({
      reason: "HOLD_NOT_FOUND",
      details: null,
    });
  });
});

describe("mine on seat maps", () => {
  async function seatScene() {
    const s = await setUp();
    const buyer = await world.signUp();
    const other = await world.signUp();
    const booked = await buyer.caller.bookings.hold({ eventId: s.seated.id, seatIds: ["s1-r1-1"] });
    await buyer.caller.bookings.confirm({ holdId: booked.id });
    await buyer.caller.bookings.hold({ eventId: s.seated.id, seatIds: ["s1-r1-3", "s1-r1-4"] });
    await other.caller.bookings.hold({ eventId: s.seated.id, seatIds: ["s1-r1-5"] });
    return { ...s, buyer, other };
  }

  async function mapsOf(caller: ReturnType<TestWorld["anonymous"]>, eventId: string) {
    const full = await caller.events.seatMap({ eventId });
    const compact = await caller.events.seatMapCompact({ eventId });
    const seats = full.sections[0]!.rows[0]!.seats;
    return {
      mineIds: seats.filter((seat) => seat.mine).map((seat) => seat.id),
      statuses: seats.map((seat) => seat.status),
      compactRow: compact.sections[0]!.rows[0]!.statuses,
      compactMine: compact.mine,
    };
  }

  it("marks the caller's held and booked seats, awake or read from storage", async () => {
    const { seated, buyer, other } = await seatScene();
    const awake = await mapsOf(buyer.caller, seated.id);
    expect(awake).toEqual({
      mineIds: ["s1-r1-1", "s1-r1-3", "s1-r1-4"],
      statuses: ["booked", "free", "held", "held", "held", "free"],
      compactRow: "bfhhhf",
      compactMine: { held: ["s1-r1-3", "s1-r1-4"], booked: ["s1-r1-1"] },
    });
    expect(await mapsOf(other.caller, seated.id)).toMatchObject({
      mineIds: ["s1-r1-5"],
      compactMine: { held: ["s1-r1-5"], booked: [] },
    });
    expect(await mapsOf(world.anonymous(), seated.id)).toMatchObject({
      mineIds: [],
      compactRow: "bfhhhf",
      compactMine: null,
    });

    await world.restart();
    expect(await mapsOf(buyer.caller, seated.id)).toEqual(awake);
    expect(world.services.engine.loadedActors).toBe(0);
  });

  it("leaves the shared map untouched for everyone else", async () => {
    const { seated, buyer } = await seatScene();
    await buyer.caller.events.seatMap({ eventId: seated.id });
    const anonymous = await world.anonymous().events.seatMap({ eventId: seated.id });
    const marked = anonymous.sections.flatMap((s) => s.rows.flatMap((r) => r.seats));
    expect(marked.filter((seat) => seat.mine)).toEqual([]);
  });

  it("names the subscriber's seats in the live snapshot and in changes", async () => {
    const { seated, buyer, other } = await seatScene();
    const stream = await buyer.caller.events.seatMapChanges({ eventId: seated.id });
    const iterator = stream[Symbol.asyncIterator]();
    const next = async () => {
      const { value } = await iterator.next();
      // Called directly, a tracked message is its [id, data, marker] envelope.
      return (value as unknown as [string, Record<string, unknown>])[1];
    };
    expect(await next()).toMatchObject({
      type: "snapshot",
      seatMap: { mine: { held: ["s1-r1-3", "s1-r1-4"], booked: ["s1-r1-1"] } },
    });
    await buyer.caller.bookings.hold({ eventId: seated.id, seatIds: ["s1-r1-6"] });
    expect(await next()).toMatchObject({
      type: "changes",
      changes: [{ seatId: "s1-r1-6", status: "held", mine: true }],
    });
    await other.caller.bookings.hold({ eventId: seated.id, seatIds: ["s1-r1-2"] });
    const theirs = (await next()) as { changes: Record<string, unknown>[] };
    expect(theirs.changes).toEqual([{ seatId: "s1-r1-2", status: "held" }]);

    // Released and taken by someone else within one coalescing window: still held, not theirs.
    const sixth = (await buyer.caller.bookings.myHolds({ eventId: seated.id })).find((h) =>
      h.seatIds.includes("s1-r1-6"),
    );
    await buyer.caller.bookings.releaseHold({ holdId: sixth!.id });
    await other.caller.bookings.hold({ eventId: seated.id, seatIds: ["s1-r1-6"] });
    const passed = (await next()) as { changes: Record<string, unknown>[] };
    expect(passed.changes).toEqual([{ seatId: "s1-r1-6", status: "held" }]);
    await iterator.return?.(undefined);
  });
});
