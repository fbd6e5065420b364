/**
 * The organizer notices job (docs/API.md "mail"): sold out, waitlist growing and the daily sale
 * digest, each decided once however often the job runs, by the organizer's settings.
 */
import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import { recordRefundFailed } from "@boxoffice/db";
import fc from "fast-check";
import { createLogger } from "../logger.ts";
import { confirmed, createTestWorld, type TestWorld } from "../testing.ts";
import { dayStart, localDay } from "./days.ts";
import { OrganizerNotices, thresholdsReached } from "./notices.ts";

const DAY = 86_400_000;
let world: TestWorld;

afterEach(async () => {
  await world.close();
});

type Notice = { kind: string; recipient_user_id: string; payload: string };

/** The organizer mails written so far, oldest first. */
const notices = (kind?: string) =>
  (
    world.services.db.$client
      .prepare(
        `select kind, recipient_user_id, payload from outbox
          where kind in ('sold_out', 'waitlist_growing', 'sale_digest', 'refund_failed')
          order by id`,
      )
      .all() as Notice[]
  )
    .filter((n) => kind === undefined || n.kind === kind)
    .map((n) => ({ ...n, payload: JSON.parse(n.payload) }));

async function setUp(
  start = "2026-06-01T12:00:00.000Z",
  event: { capacity?: number; timezone?: string; priceCents?: number } = {},
) {
  const clock = new ManualClock(Date.parse(start));
  world = await createTestWorld({
    clock,
    limits: { guestHoldsPerIpPerMinute: 100_000, eventsPerOrganizerPerDay: 1_000 },
  });
  const organizer = await world.signUp("organizer");
  const created = await organizer.caller.events.create({
    title: "Notices",
    startsAt: new Date(clock.now() + 30 * DAY).toISOString(),
    timezone: event.timezone ?? "Europe/Berlin",
    ticketTypes: [{ name: "GA", priceCents: event.priceCents ?? 0, capacity: event.capacity ?? 3 }],
    waitlist: { enabled: true, mode: "offer", offerSeconds: 600 },
  });
  const published = await organizer.caller.events.publish({ eventId: created.id });
  const ticketTypeId = published.ticketTypes[0]!.id;
  let n = 0;
  const book = async (quantity = 1) =>
    confirmed(
      await world.anonymous().bookings.book({
        eventId: created.id,
        items: [{ ticketTypeId, quantity }],
        buyer: { email: `buyer${++n}@example.test`, name: `Buyer ${n}` },
        ...(event.priceCents ? { payment: { method: "mock" as const } } : {}),
      }),
    );
  const join = async () => {
    const user = await world.signUp();
    await user.caller.waitlist.join({ eventId: created.id });
  };
  const job = new OrganizerNotices({
    db: world.services.db,
    engine: world.services.engine,
    clock,
    logger: createLogger({ silent: true }),
  });
  return { clock, organizer, eventId: created.id, book, join, job };
}

describe("sold out", () => {
  it("tells the organizer once when confirmed tickets reach what can be sold", async () => {
    const { organizer, eventId, book, job } = await setUp();
    await book(2);
    expect(job.runEvents([eventId])).toBe(0);
    await book(1);
    expect(job.runEvents([eventId])).toBe(1);
    expect(job.runAll()).toBe(0);
    expect(job.runEvents([eventId])).toBe(0);
    expect(notices()).toEqual([
      {
        kind: "sold_out",
        recipient_user_id: organizer.userId,
        payload: { eventId, ticketsSold: 3, at: expect.any(Number) },
      },
    ]);
  });

  it("does not count held tickets as sold", async () => {
    const { eventId, job } = await setUp();
    const buyer = await world.signUp();
    const event = await buyer.caller.events.get({ eventId });
    await buyer.caller.bookings.hold({
      eventId,
      items: [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 3 }],
    });
    expect(job.runAll()).toBe(0);
    expect(notices()).toEqual([]);
  });

  it("is decided without mail while turned off, and not sent when turned back on", async () => {
    const { organizer, eventId, book, job } = await setUp();
    await organizer.caller.mail.updateSettings({ soldOut: false });
    await book(3);
    expect(job.runEvents([eventId])).toBe(1);
    await organizer.caller.mail.updateSettings({ soldOut: true });
    expect(job.runAll()).toBe(0);
    expect(notices()).toEqual([]);
  });
});

describe("waitlist growing", () => {
  it("names the thresholds: 10, 25, 50, 100, 250, 500, 1,000, then every 1,000", () => {
    expect(thresholdsReached(9)).toEqual([]);
    expect(thresholdsReached(10)).toEqual([10]);
    expect(thresholdsReached(60)).toEqual([10, 25, 50]);
    expect(thresholdsReached(1999)).toEqual([10, 25, 50, 100, 250, 500, 1000]);
    expect(thresholdsReached(3500).slice(-3)).toEqual([1000, 2000, 3000]);
  });

  it("mails when the queue first reaches a threshold, and only the highest one reached", async () => {
    const { eventId, book, join, job } = await setUp(undefined, { capacity: 1 });
    await book();
    expect(job.runEvents([eventId])).toBe(1); // sold out
    for (let i = 0; i < 9; i++) await join();
    expect(job.runEvents([eventId])).toBe(0);
    await join();
    expect(job.runEvents([eventId])).toBe(1);
    for (let i = 0; i < 20; i++) await join();
    // 30 waiting: 25 is told; running again tells nothing new.
    expect(job.runEvents([eventId])).toBe(1);
    expect(job.runAll()).toBe(0);
    for (let i = 0; i < 30; i++) await join();
    // 60 waiting at one look: 50 is told, and nothing smaller later.
    expect(job.runAll()).toBe(1);
    expect(
      notices("waitlist_growing").map((n) => [n.payload.threshold, n.payload.waiting]),
    ).toEqual([
      [10, 10],
      [25, 30],
      [50, 60],
    ]);
  });

  it("tells a queue that jumped straight past several thresholds only the highest", async () => {
    const { eventId, book, join, job } = await setUp(undefined, { capacity: 1 });
    await book();
    expect(job.runEvents([eventId])).toBe(1); // sold out
    for (let i = 0; i < 27; i++) await join();
    expect(job.runEvents([eventId])).toBe(1);
    expect(notices("waitlist_growing").map((n) => n.payload.threshold)).toEqual([25]);
    const keys = world.services.db.$client
      .prepare("select key from organizer_notices where kind = 'waitlist_growing' order by key")
      .all();
    expect(keys).toEqual([{ key: "10" }, { key: "25" }]);
  });
});

describe("sale digest", () => {
  it("sums each past day of the event's zone with sales, once, after that day ends", async () => {
    // 20:00 in New York on 1 June is 00:00 UTC on 2 June: the zone's day decides.
    const { clock, eventId, book, organizer, job } = await setUp("2026-06-01T23:00:00.000Z", {
      timezone: "America/New_York",
      capacity: 100,
      priceCents: 1500,
    });
    const day = "2026-06-01";
    expect(localDay(clock.now(), "America/New_York")).toBe(day);
    await book(2);
    const cancelled = await book(1);
    clock.advance(30 * 60_000);
    await organizer.caller.bookings.cancel({ bookingId: cancelled.id });
    expect(job.runAll()).toBe(0);

    // The day ends at 04:00 UTC; a minute's grace after it, the digest is written.
    clock.advance(dayStart("2026-06-02", "America/New_York") + 60_000 - clock.now());
    expect(job.runAll()).toBe(1);
    expect(job.runAll()).toBe(0);
    const [digest] = notices("sale_digest");
    expect(digest!.recipient_user_id).toBe(organizer.userId);
    expect(digest!.payload).toEqual({
      eventId,
      day,
      ticketsSold: 3,
      ticketsCancelled: 1,
      revenue: [{ currency: "USD", cents: 4500 - 1500 }],
      totalSold: 2,
      capacity: 100,
    });

    // Quiet days send nothing; a day with sales sends its own.
    clock.advance(DAY);
    expect(job.runAll()).toBe(0);
    await book(1);
    clock.advance(DAY);
    expect(job.runAll()).toBe(1);
    expect(notices("sale_digest").map((n) => n.payload.day)).toEqual([day, "2026-06-03"]);
  });

  it("is decided without mail when the organizer turned the digest off", async () => {
    const { clock, organizer, book, job } = await setUp();
    await organizer.caller.mail.updateSettings({ saleDigest: "off" });
    await book(1);
    clock.advance(DAY);
    expect(job.runAll()).toBe(1);
    expect(notices()).toEqual([]);
  });
});

describe("refund failed", () => {
  it("is written with the refund's first failure only, once per booking", async () => {
    const { organizer, eventId, book } = await setUp(undefined, { priceCents: 2000 });
    const booking = await book(1);
    await organizer.caller.bookings.cancel({ bookingId: booking.id });
    const db = world.services.db;
    // The mock provider refunded it; as if it had not, and failed three times.
    db.$client.prepare("update refunds set provider_ref = null, attempts = 0").run();
    for (const answer of ["card_expired", "timeout", "timeout"]) {
      recordRefundFailed(db, booking.id, answer, Date.now() + 30_000);
    }
    expect(notices()).toEqual([
      {
        kind: "refund_failed",
        recipient_user_id: organizer.userId,
        payload: {
          eventId,
          buyerName: "Buyer 1",
          buyerEmail: "buyer1@example.test",
          amountCents: 2000,
          currency: "USD",
          error: "card_expired",
        },
      },
    ]);
  });

  it("is not mailed to an organizer who turned it off", async () => {
    const { organizer, book } = await setUp(undefined, { priceCents: 2000 });
    await organizer.caller.mail.updateSettings({ refundFailed: false });
    const booking = await book(1);
    await organizer.caller.bookings.cancel({ bookingId: booking.id });
    world.services.db.$client.prepare("update refunds set provider_ref = null, attempts = 0").run();
    recordRefundFailed(world.services.db, booking.id, "declined", Date.now() + 30_000);
    expect(notices()).toEqual([]);
  });
});

describe("each notice once", () => {
  it("writes each notice key once, however the sales go and however often the job runs", async () => {
    const { clock, eventId, book, join, job } = await setUp(undefined, { capacity: 4 });
    type Step = "book" | "join" | "runEvents" | "runAll" | "nextDay";
    const step = fc.constantFrom<Step>("book", "join", "runEvents", "runAll", "nextDay");
    let sold = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        for (const s of steps) {
          if (s === "book" && sold < 4) {
            await book(1);
            sold += 1;
          } else if (s === "join" && sold >= 4) await join();
          else if (s === "runEvents") job.runEvents([eventId]);
          else if (s === "runAll") job.runAll();
          else if (s === "nextDay") clock.advance(DAY / 2);
        }
        const rows = world.services.db.$client
          .prepare(
            `select o.kind, count(*) n from outbox o
              where o.kind in ('sold_out', 'waitlist_growing', 'sale_digest')
              group by o.kind, coalesce(json_extract(o.payload, '$.threshold'),
                                        json_extract(o.payload, '$.day'), '')`,
          )
          .all() as { kind: string; n: number }[];
        expect(rows.every((r) => r.n === 1)).toBe(true);
        const mails = notices().length;
        const keys = (
          world.services.db.$client.prepare("select count(*) n from organizer_notices").get() as {
            n: number;
          }
        ).n;
        expect(mails).toBeLessThanOrEqual(keys);
      }),
      { numRuns: 20 },
    );
    job.runAll();
    expect(notices("sold_out").length).toBe(sold >= 4 ? 1 : 0);
  });
});
