import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import { confirmed, createTestWorld, type TestWorld } from "../testing.ts";
import { salesByDay } from "./analytics.ts";

const DAY = 86_400_000;
let world: TestWorld;

afterEach(async () => {
  await world.close();
});

/**
 * A scripted sale in New York (UTC-4 in June): two bookings late on June 1st local time (after
 * midnight UTC), two early on June 2nd; one attendee cancellation (fee 500), one organizer
 * cancellation (full refund), one live hold, three tickets scanned in.
 */
async function scriptedSale() {
  const clock = new ManualClock(Date.parse("2026-06-01T12:00:00.000Z"));
  world = await createTestWorld({ clock });
  const organizer = await world.signUp("organizer");
  const created = await organizer.caller.events.create({
    title: "Analytics night",
    startsAt: new Date(clock.now() + 30 * DAY).toISOString(),
    timezone: "America/New_York",
    cancellationPolicy: {
      refundable: true,
      feeCents: 500,
      rules: [{ hoursBeforeStart: 0, refundPercent: 100 }],
    },
    ticketTypes: [
      { name: "GA", priceCents: 2000, capacity: 10 },
      { name: "VIP", priceCents: 5000, capacity: 5 },
    ],
  });
  const event = await organizer.caller.events.publish({ eventId: created.id });
  const [ga, vip] = event.ticketTypes.map((t) => t.id) as [string, string];
  const book = async (items: { ticketTypeId: string; quantity: number }[]) => {
    const buyer = await world.signUp();
    const booking = confirmed(await buyer.caller.bookings.book({ eventId: event.id, items }));
    return { buyer, booking };
  };
  const at = (iso: string) => clock.advance(Date.parse(iso) - clock.now());
  at("2026-06-02T03:30:00.000Z"); // 23:30 on June 1st in New York
  const a = await book([{ ticketTypeId: ga, quantity: 2 }]);
  at("2026-06-02T03:40:00.000Z");
  const b = await book([{ ticketTypeId: vip, quantity: 1 }]);
  at("2026-06-02T04:30:00.000Z"); // 00:30 on June 2nd in New York
  const c = await book([
    { ticketTypeId: ga, quantity: 1 },
    { ticketTypeId: vip, quantity: 1 },
  ]);
  const d = await book([{ ticketTypeId: ga, quantity: 3 }]);
  await b.buyer.caller.bookings.cancel({ bookingId: b.booking.id });
  await organizer.caller.bookings.cancel({ bookingId: d.booking.id });
  const holder = await world.signUp();
  await holder.caller.bookings.hold({
    eventId: event.id,
    items: [{ ticketTypeId: ga, quantity: 1 }],
  });
  const scan = (code: string) => organizer.caller.checkin.scan({ eventId: event.id, code });
  for (const t of a.booking.tickets) await scan(t.code);
  await scan(c.booking.tickets[0]!.code);
  expect((await scan(d.booking.tickets[0]!.code)).result).toBe("cancelled");
  return { clock, organizer, event, ga, vip };
}

describe("analytics.event", () => {
  it("reports exact figures after cancellations, refunds, a live hold and check-ins", async () => {
    const { organizer, event, ga, vip } = await scriptedSale();
    const figures = await organizer.caller.analytics.event({ eventId: event.id });
    expect(figures).toEqual({
      capacity: 15,
      sold: 4,
      held: 1,
      available: 10,
      currency: "USD",
      revenueCents: 22_000,
      refundedCents: 10_500,
      netRevenueCents: 11_500,
      bookings: 2,
      cancellations: 2,
      checkedIn: 3,
      waitlist: { waiting: 0, offered: 0, converted: 0, expired: 0, left: 0 },
      byTicketType: [
        {
          ticketTypeId: ga,
          name: "GA",
          priceCents: 2000,
          capacity: 10,
          sold: 3,
          revenueCents: 6000,
        },
        {
          ticketTypeId: vip,
          name: "VIP",
          priceCents: 5000,
          capacity: 5,
          sold: 1,
          revenueCents: 5000,
        },
      ],
      salesByDay: [
        { day: "2026-06-01", tickets: 3, revenueCents: 9000 },
        { day: "2026-06-02", tickets: 5, revenueCents: 13_000 },
      ],
    });
  });

  it("gives the same inventory figures from SQLite once the event's actor is evicted", async () => {
    const { clock, organizer, event } = await scriptedSale();
    const awake = await organizer.caller.analytics.event({ eventId: event.id });
    // Let the hold expire so the actor may be evicted, then read from the database alone.
    clock.advance(11 * 60_000);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    clock.advance(2 * 60_000);
    world.services.engine.evictIdle();
    expect(world.services.engine.isLoaded(event.id)).toBe(false);
    const asleep = await organizer.caller.analytics.event({ eventId: event.id });
    expect(asleep).toEqual({ ...awake, held: 0, available: 11 });
  });

  it("refuses attendees and other organizers", async () => {
    const { event } = await scriptedSale();
    const attendee = await world.signUp();
    const stranger = await world.signUp("organizer");
    await expect(attendee.caller.analytics.event({ eventId: event.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(stranger.caller.analytics.event({ eventId: event.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(attendee.caller.analytics.overview()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("analytics.overview", () => {
  it("sums an organizer's own events, ranks them by sales, and shows an admin everyone's", async () => {
    const { clock, organizer, event } = await scriptedSale();
    const other = await organizer.caller.events.create({
      title: "Free matinee",
      startsAt: new Date(clock.now() + 20 * DAY).toISOString(),
      capacity: 6,
      ticketTypes: [{ name: "Seat", priceCents: 0, capacity: 8 }],
    });
    await organizer.caller.events.publish({ eventId: other.id });
    const fan = await world.signUp();
    await fan.caller.bookings.book({
      eventId: other.id,
      items: [{ ticketTypeId: other.ticketTypes[0]!.id, quantity: 5 }],
    });
    const rival = await world.signUp("organizer");
    await rival.caller.events.create({
      title: "Rival draft",
      startsAt: new Date(clock.now() + 20 * DAY).toISOString(),
      ticketTypes: [{ name: "GA", priceCents: 100, capacity: 3 }],
    });

    expect(await organizer.caller.analytics.overview()).toEqual({
      events: 2,
      ticketsSold: 9,
      revenueCents: 22_000,
      refundedCents: 10_500,
      popular: [
        { eventId: other.id, title: "Free matinee", sold: 5, capacity: 6 },
        { eventId: event.id, title: "Analytics night", sold: 4, capacity: 15 },
      ],
    });
    const admin = await world.signUp("admin");
    const all = await admin.caller.analytics.overview();
    expect(all).toMatchObject({ events: 3, ticketsSold: 9, revenueCents: 22_000 });
    expect(all.popular.map((p) => p.title)).toEqual([
      "Free matinee",
      "Analytics night",
      "Rival draft",
    ]);
  });
});

describe("salesByDay", () => {
  it("puts quarter-hour buckets into local days, half-hour offsets and DST included", () => {
    const q = (iso: string, tickets: number) => ({
      startsAt: Date.parse(iso),
      tickets,
      revenueCents: tickets * 100,
    });
    // Kolkata is UTC+5:30: 18:15Z is 23:45 local, 18:30Z is midnight of the next day.
    expect(
      salesByDay([q("2026-03-01T18:15:00Z", 1), q("2026-03-01T18:30:00Z", 2)], "Asia/Kolkata"),
    ).toEqual([
      { day: "2026-03-01", tickets: 1, revenueCents: 100 },
      { day: "2026-03-02", tickets: 2, revenueCents: 200 },
    ]);
    // Berlin switches to UTC+2 on 2026-03-29: 21:45Z is 23:45 local, 22:00Z the next day.
    expect(
      salesByDay([q("2026-03-29T21:45:00Z", 1), q("2026-03-29T22:00:00Z", 1)], "Europe/Berlin").map(
        (d) => d.day,
      ),
    ).toEqual(["2026-03-29", "2026-03-30"]);
  });
});

describe("analytics.event waitlist figures", () => {
  it("counts waitlist entries by state, ended ones included", async () => {
    const clock = new ManualClock(Date.parse("2026-06-01T12:00:00.000Z"));
    world = await createTestWorld({ clock });
    const organizer = await world.signUp("organizer");
    const created = await organizer.caller.events.create({
      title: "Tiny room",
      startsAt: new Date(clock.now() + 30 * DAY).toISOString(),
      waitlist: { enabled: true, mode: "offer", offerSeconds: 3600 },
      ticketTypes: [{ name: "GA", priceCents: 0, capacity: 1 }],
    });
    await organizer.caller.events.publish({ eventId: created.id });
    const typeId = created.ticketTypes[0]!.id;
    const buyer = await world.signUp();
    confirmed(
      await buyer.caller.bookings.book({
        eventId: created.id,
        items: [{ ticketTypeId: typeId, quantity: 1 }],
      }),
    );
    const stays = await world.signUp();
    const leaves = await world.signUp();
    await stays.caller.waitlist.join({ eventId: created.id });
    await leaves.caller.waitlist.join({ eventId: created.id });
    await leaves.caller.waitlist.leave({ eventId: created.id });
    const figures = await organizer.caller.analytics.event({ eventId: created.id });
    expect(figures.waitlist).toEqual({ waiting: 1, offered: 0, converted: 0, expired: 0, left: 1 });
  });
});
