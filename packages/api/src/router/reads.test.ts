/**
 * Reads never load an event's actor: with every actor out of memory (after a restart), each read
 * answers from SQLite exactly what it answered from the awake actor, and no actor comes back.
 */
import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import { confirmed, createTestWorld, type TestWorld } from "../testing.ts";

let world: TestWorld;

afterEach(async () => {
  await world.close();
});

const T0 = Date.parse("2026-06-01T12:00:00.000Z");
const DAY = 86_400_000;

async function scene() {
  const clock = new ManualClock(T0);
  world = await createTestWorld({ clock });
  const organizer = await world.signUp("organizer");
  const [buyer, second, third, seatBuyer, seatHolder] = await Promise.all(
    Array.from({ length: 5 }, () => world.signUp()),
  );
  if (!buyer || !second || !third || !seatBuyer || !seatHolder) throw new Error("no buyers");
  const startsAt = new Date(T0 + 30 * DAY).toISOString();

  const sold = await organizer.caller.events.create({
    title: "Sold out",
    startsAt,
    ticketTypes: [{ name: "GA", priceCents: 2_500, capacity: 2 }],
    waitlist: { enabled: true, mode: "offer", offerSeconds: 3_600 },
    cancellationPolicy: {
      refundable: true,
      feeCents: 100,
      rules: [{ hoursBeforeStart: 48, refundPercent: 50 }],
    },
  });
  await organizer.caller.events.publish({ eventId: sold.id });
  const items = [{ ticketTypeId: sold.ticketTypes[0]!.id, quantity: 2 }];
  const booking = confirmed(await buyer.caller.bookings.book({ eventId: sold.id, items }));
  const one = [{ ticketTypeId: sold.ticketTypes[0]!.id, quantity: 1 }];
  await second.caller.bookings.book({ eventId: sold.id, items: one, joinWaitlist: true });
  await third.caller.waitlist.join({ eventId: sold.id });

  const venue = await organizer.caller.venues.create({
    name: "Hall",
    sections: [{ name: "Stalls", priceCents: 4_000, rows: [{ label: "A", seats: 4 }] }],
  });
  const seated = await organizer.caller.events.create({
    title: "Seated",
    startsAt,
    venueId: venue.id,
  });
  await organizer.caller.events.publish({ eventId: seated.id });
  await seatBuyer.caller.bookings.book({ eventId: seated.id, seatIds: ["s1-r1-1"] });
  const hold = await seatHolder.caller.bookings.hold({ eventId: seated.id, seatIds: ["s1-r1-3"] });

  return { organizer, buyer, second, third, seatHolder, sold, seated, booking, hold };
}

type Scene = Awaited<ReturnType<typeof scene>>;

/** Every read a person or an organizer makes of these events. */
async function reads(s: Scene) {
  const anonymous = world.anonymous();
  const { version: _fullVersion, ...seatMap } = await anonymous.events.seatMap({
    eventId: s.seated.id,
  });
  const { version: _compactVersion, ...compact } = await anonymous.events.seatMapCompact({
    eventId: s.seated.id,
  });
  return {
    sold: await anonymous.events.get({ eventId: s.sold.id }),
    seated: await anonymous.events.get({ eventId: s.seated.id }),
    list: await anonymous.events.list({}),
    seatMap,
    compact,
    secondStatus: await s.second.caller.waitlist.status({ eventId: s.sold.id }),
    thirdStatus: await s.third.caller.waitlist.status({ eventId: s.sold.id }),
    entries: await s.organizer.caller.waitlist.entries({ eventId: s.sold.id }),
    quote: await s.buyer.caller.bookings.refundQuote({ bookingId: s.booking.id }),
    booking: await s.buyer.caller.bookings.get({ bookingId: s.booking.id }),
    hold: await s.seatHolder.caller.bookings.getHold({ holdId: s.hold.id }),
    analytics: await s.organizer.caller.analytics.event({ eventId: s.sold.id }),
    seatedAnalytics: await s.organizer.caller.analytics.event({ eventId: s.seated.id }),
    attendees: await s.organizer.caller.bookings.forEvent({ eventId: s.sold.id }),
    checkin: await s.organizer.caller.checkin.stats({ eventId: s.sold.id }),
  };
}

describe("reads of events whose actor is not in memory", () => {
  it("answer from SQLite what the awake actors answered, and load no actor", async () => {
    const s = await scene();
    expect(world.services.engine.isLoaded(s.sold.id)).toBe(true);
    const awake = await reads(s);
    // What the scene set up, so that the comparison below compares something.
    expect(awake.sold.availability).toMatchObject({ sold: 2, available: 0, waitlistLength: 2 });
    expect(awake.secondStatus).toMatchObject({ state: "waiting", position: 1 });
    expect(awake.thirdStatus).toMatchObject({ state: "waiting", position: 2 });
    expect(awake.compact.sections[0]?.rows[0]?.statuses).toBe("bfhf");
    expect(awake.quote).toMatchObject({ refundCents: 2_400, feeCents: 100 });

    await world.restart();
    expect(world.services.engine.loadedActors).toBe(0);
    const asleep = await reads(s);
    expect(asleep).toEqual(awake);
    expect(world.services.engine.loadedActors).toBe(0);
  });

  it("say an offered entry's deadline from SQLite too", async () => {
    const s = await scene();
    await s.buyer.caller.bookings.cancel({ bookingId: s.booking.id });
    const offered = await s.second.caller.waitlist.status({ eventId: s.sold.id });
    expect(offered.state).toBe("offered");
    await world.restart();
    expect(await s.second.caller.waitlist.status({ eventId: s.sold.id })).toEqual(offered);
    expect(world.services.engine.loadedActors).toBe(0);
  });

  it("count the caller's tickets as the actor's perUser does, guest orders under their email too", async () => {
    const clock = new ManualClock(T0);
    world = await createTestWorld({ clock });
    const organizer = await world.signUp("organizer");
    const buyer = await world.signUp();
    const other = await world.signUp();
    const email = (await buyer.caller.auth.me())?.email ?? "";
    const event = await organizer.caller.events.create({
      title: "Per person",
      startsAt: new Date(T0 + 30 * DAY).toISOString(),
      maxPerUser: 10,
      ticketTypes: [{ name: "GA", priceCents: 1_000, capacity: 50 }],
    });
    await organizer.caller.events.publish({ eventId: event.id });
    const line = (quantity: number) => [{ ticketTypeId: event.ticketTypes[0]!.id, quantity }];
    await buyer.caller.bookings.book({ eventId: event.id, items: line(2) });
    await buyer.caller.bookings.hold({ eventId: event.id, items: line(1) });
    await world.anonymous().bookings.book({
      eventId: event.id,
      items: line(3),
      buyer: { email: ` ${email.toUpperCase()} `, name: "Me, as a guest" },
    });
    await other.caller.bookings.book({ eventId: event.id, items: line(4) });
    const cancelled = confirmed(
      await buyer.caller.bookings.book({ eventId: event.id, items: line(1) }),
    );
    await buyer.caller.bookings.cancel({ bookingId: cancelled.id });

    const mine = async () => ({
      buyer: (await buyer.caller.events.get({ eventId: event.id })).mine,
      other: (await other.caller.events.get({ eventId: event.id })).mine,
      anonymous: (await world.anonymous().events.get({ eventId: event.id })).mine,
    });
    const awake = await mine();
    expect(awake).toEqual({ buyer: { tickets: 6 }, other: { tickets: 4 }, anonymous: null });

    await world.restart();
    expect(await mine()).toEqual(awake);
    expect(world.services.engine.loadedActors).toBe(0);
  });
});
