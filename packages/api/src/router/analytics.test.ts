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
      revenue: [
        { currency: "USD", revenueCents: 22_000, refundedCents: 10_500, netRevenueCents: 11_500 },
      ],
      bookings: 2,
      cancellations: 2,
      checkedIn: 3,
      checkedInCancelled: 0,
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
      // Tickets still sold by the day they were sold (they add up to `sold`), the cancelled
      // ones apart; revenue is what each day took, refunds counted apart.
      salesByDay: [
        {
          day: "2026-06-01",
          tickets: 2,
          cancelledTickets: 1,
          revenueCents: 9000,
          revenue: [{ currency: "USD", revenueCents: 9000 }],
        },
        {
          day: "2026-06-02",
          tickets: 2,
          cancelledTickets: 3,
          revenueCents: 13_000,
          revenue: [{ currency: "USD", revenueCents: 13_000 }],
        },
      ],
      questions: [],
      codes: [],
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
      revenue: [{ currency: "USD", revenueCents: 22_000, refundedCents: 10_500 }],
      popular: [
        { eventId: other.id, title: "Free matinee", sold: 5, capacity: 6 },
        { eventId: event.id, title: "Analytics night", sold: 4, capacity: 15 },
      ],
    });
    const admin = await world.signUp("admin");
    const all = await admin.caller.analytics.overview();
    expect(all).toMatchObject({ events: 3, ticketsSold: 9 });
    expect(all.revenue).toEqual([{ currency: "USD", revenueCents: 22_000, refundedCents: 10_500 }]);
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
      currency: "USD",
      tickets,
      cancelledTickets: 0,
      revenueCents: tickets * 100,
    });
    const day = (date: string, tickets: number) => ({
      day: date,
      tickets,
      cancelledTickets: 0,
      revenueCents: tickets * 100,
      revenue: [{ currency: "USD", revenueCents: tickets * 100 }],
    });
    // Kolkata is UTC+5:30: 18:15Z is 23:45 local, 18:30Z is midnight of the next day.
    expect(
      salesByDay(
        [q("2026-03-01T18:15:00Z", 1), q("2026-03-01T18:30:00Z", 2)],
        "Asia/Kolkata",
        "USD",
      ),
    ).toEqual([day("2026-03-01", 1), day("2026-03-02", 2)]);
    // Berlin switches to UTC+2 on 2026-03-29: 21:45Z is 23:45 local, 22:00Z the next day.
    expect(
      salesByDay(
        [q("2026-03-29T21:45:00Z", 1), q("2026-03-29T22:00:00Z", 1)],
        "Europe/Berlin",
        "USD",
      ).map((d) => d.day),
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

describe("money and check-ins that agree", () => {
  async function organizerWith(currency: string, priceCents: number, quantity: number) {
    const organizer = await world.signUp("organizer");
    const created = await organizer.caller.events.create({
      title: `In ${currency}`,
      startsAt: new Date(world.services.clock.now() + 30 * DAY).toISOString(),
      currency,
      ticketTypes: [{ name: "GA", priceCents, capacity: 20 }],
    });
    const event = await organizer.caller.events.publish({ eventId: created.id });
    const buyer = await world.signUp();
    const booking = confirmed(
      await buyer.caller.bookings.book({
        eventId: event.id,
        items: [{ ticketTypeId: event.ticketTypes[0]!.id, quantity }],
      }),
    );
    return { organizer, event, booking };
  }

  it("totals money per currency, never adding euros to pounds", async () => {
    world = await createTestWorld();
    const { organizer, event } = await organizerWith("EUR", 5500, 2);
    const london = await organizer.caller.events.create({
      title: "In GBP",
      startsAt: new Date(world.services.clock.now() + 30 * DAY).toISOString(),
      currency: "GBP",
      ticketTypes: [{ name: "GA", priceCents: 1200, capacity: 20 }],
    });
    await organizer.caller.events.publish({ eventId: london.id });
    const buyer = await world.signUp();
    await buyer.caller.bookings.book({
      eventId: london.id,
      items: [{ ticketTypeId: london.ticketTypes[0]!.id, quantity: 1 }],
    });
    expect((await organizer.caller.analytics.overview()).revenue).toEqual([
      { currency: "EUR", revenueCents: 11_000, refundedCents: 0 },
      { currency: "GBP", revenueCents: 1200, refundedCents: 0 },
    ]);
    const figures = await organizer.caller.analytics.event({ eventId: event.id });
    expect(figures).toMatchObject({ currency: "EUR", revenueCents: 11_000 });
    expect(figures.revenue).toEqual([
      { currency: "EUR", revenueCents: 11_000, refundedCents: 0, netRevenueCents: 11_000 },
    ]);
  });

  it("keeps the check-ins of bookings the event's cancellation took, as the attendee list does", async () => {
    world = await createTestWorld();
    const { organizer, event, booking } = await organizerWith("USD", 1000, 3);
    for (const t of booking.tickets.slice(0, 2)) {
      await organizer.caller.checkin.scan({ eventId: event.id, code: t.code });
    }
    const before = await organizer.caller.analytics.event({ eventId: event.id });
    expect([before.checkedIn, before.checkedInCancelled]).toEqual([2, 0]);
    await organizer.caller.events.cancel({ eventId: event.id, reason: "Storm" });
    const after = await organizer.caller.analytics.event({ eventId: event.id });
    expect([after.sold, after.checkedIn, after.checkedInCancelled]).toEqual([0, 0, 2]);
    expect(after.salesByDay.map((d) => [d.tickets, d.cancelledTickets])).toEqual([[0, 3]]);
    const listed = await organizer.caller.bookings.forEvent({ eventId: event.id });
    const scanned = listed.items.flatMap((i) => i.booking.tickets).filter((t) => t.checkedInAt);
    expect(scanned).toHaveLength(after.checkedIn + after.checkedInCancelled);
  });
});

describe("analytics for admins", () => {
  it("narrows an admin's overview to one organizer; another organizer's id gives nothing", async () => {
    world = await createTestWorld();
    const ada = await world.signUp("organizer", "Ada");
    const bo = await world.signUp("organizer", "Bo");
    const startsAt = new Date(world.services.clock.now() + 30 * DAY).toISOString();
    const ticketTypes = [{ name: "GA", priceCents: 0, capacity: 5 }];
    for (const title of ["A1", "A2"])
      await ada.caller.events.create({ title, startsAt, ticketTypes });
    await bo.caller.events.create({ title: "B1", startsAt, ticketTypes });
    const admin = await world.signUp("admin");
    expect((await admin.caller.analytics.overview()).events).toBe(3);
    expect((await admin.caller.analytics.overview({ organizerId: bo.userId })).events).toBe(1);
    expect((await ada.caller.analytics.overview({ organizerId: ada.userId })).events).toBe(2);
    expect(await ada.caller.analytics.overview({ organizerId: bo.userId })).toEqual({
      events: 0,
      ticketsSold: 0,
      revenue: [],
      popular: [],
    });
  });

  it("lists the organizers who run events, with how many, to admins only", async () => {
    world = await createTestWorld();
    const bo = await world.signUp("organizer", "Bo Booker");
    const ada = await world.signUp("organizer", "Ada Arranger");
    await world.signUp("organizer", "Idle Ida");
    const startsAt = new Date(world.services.clock.now() + 30 * DAY).toISOString();
    const ticketTypes = [{ name: "GA", priceCents: 0, capacity: 5 }];
    await ada.caller.events.create({ title: "A1", startsAt, ticketTypes });
    await bo.caller.events.create({ title: "B1", startsAt, ticketTypes });
    await bo.caller.events.create({ title: "B2", startsAt, ticketTypes });
    const admin = await world.signUp("admin");
    const { items } = await admin.caller.analytics.organizers();
    expect(items.map((o) => [o.id, o.name, o.events])).toEqual([
      [ada.userId, "Ada Arranger", 1],
      [bo.userId, "Bo Booker", 2],
    ]);
    await expect(ada.caller.analytics.organizers()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
