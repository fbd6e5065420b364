import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import fc from "fast-check";
import { openTestDb, type TestDb } from "../testing.ts";
import { insertEvent } from "./events.ts";
import { eventsForDigest, SALES_BETWEEN, salesBetween } from "./notices.ts";
import { insertUser } from "./users.ts";

const NOW = 1_800_000_000_000;
const DAY = 86_400_000;
let testDb: TestDb;

beforeEach(() => {
  testDb = openTestDb();
  insertUser(testDb.db, {
    id: "usr_org",
    email: "org@example.test",
    name: "Org",
    role: "organizer",
    passwordHash: "h",
    createdAt: 0,
  });
});
afterEach(() => testDb.close());

function event(id: string): void {
  insertEvent(
    testDb.db,
    {
      id,
      organizerId: "usr_org",
      title: id,
      status: "published",
      startsAt: NOW + 30 * DAY,
      cancellationPolicy: { refundable: false, feeCents: 0, rules: [] },
      createdAt: NOW - DAY,
      updatedAt: NOW - DAY,
    },
    [{ id: `${id}-ga`, eventId: id, name: "GA", priceCents: 0, capacity: 10, position: 0 }],
    null,
  );
}

function booking(eventId: string, status: "confirmed" | "cancelled"): void {
  testDb.db.$client
    .prepare(
      `insert into bookings (id, event_id, user_id, buyer_email, status, total_cents, paid_cents,
         currency, seat_ids, created_at)
       values (?, ?, 'usr_org', 'org@example.test', ?, 0, 0, 'USD', '[]', ?)`,
    )
    .run(`bkg_${eventId}_${status}`, eventId, status, NOW - DAY);
}

describe("eventsForDigest", () => {
  it("offers only events that ever sold, a cancelled sale included, never the many that did not", () => {
    for (let i = 0; i < 50; i += 1) event(`evt_quiet${i}`);
    event("evt_sold");
    event("evt_refunded");
    booking("evt_sold", "confirmed");
    booking("evt_refunded", "cancelled");
    const ids = eventsForDigest(testDb.db, NOW - 3 * DAY, NOW).map((e) => e.id);
    expect(ids.sort()).toEqual(["evt_refunded", "evt_sold"]);
  });
});

describe("salesBetween", () => {
  const FROM = NOW - DAY;
  const TO = NOW;
  /** A booking of the property: when made, when (if ever) cancelled, and what it was worth. */
  const sale = fc.record({
    other: fc.boolean(),
    createdAt: fc.integer({ min: FROM - DAY, max: TO + DAY }),
    cancelledAfter: fc.option(fc.integer({ min: 0, max: 2 * DAY }), { nil: null }),
    quantity: fc.integer({ min: 1, max: 4 }),
    paidCents: fc.integer({ min: 0, max: 10_000 }),
    refundCents: fc.integer({ min: 0, max: 10_000 }),
    currency: fc.constantFrom("USD", "EUR"),
  });

  it("counts exactly the tickets made and cancelled in the window, and the money (property)", () => {
    event("evt_day");
    event("evt_other");
    const insertBooking = testDb.db.$client.prepare(
      `insert into bookings (id, event_id, user_id, buyer_email, status, total_cents, paid_cents,
         refund_cents, currency, seat_ids, created_at, cancelled_at)
       values (?, ?, 'usr_org', 'org@example.test', ?, ?, ?, ?, ?, '[]', ?, ?)`,
    );
    const insertItem = testDb.db.$client.prepare(
      `insert into booking_items (booking_id, ticket_type_id, quantity, unit_price_cents)
       values (?, ?, ?, 0)`,
    );
    let run = 0;
    fc.assert(
      fc.property(fc.array(sale, { maxLength: 30 }), (sales) => {
        run += 1;
        testDb.db.$client.exec("delete from booking_items; delete from bookings;");
        sales.forEach((s, i) => {
          const id = `bkg_${run}_${i}`;
          const eventId = s.other ? "evt_other" : "evt_day";
          const cancelledAt = s.cancelledAfter === null ? null : s.createdAt + s.cancelledAfter;
          insertBooking.run(
            id,
            eventId,
            cancelledAt === null ? "confirmed" : "cancelled",
            s.paidCents,
            s.paidCents,
            cancelledAt === null ? 0 : s.refundCents,
            s.currency,
            s.createdAt,
            cancelledAt,
          );
          insertItem.run(id, `${eventId}-ga`, s.quantity);
        });
        const inWindow = (at: number | null) => at !== null && at >= FROM && at < TO;
        const mine = sales
          .filter((s) => !s.other)
          .map((s) => ({
            ...s,
            cancelledAt: s.cancelledAfter === null ? null : s.createdAt + s.cancelledAfter,
          }));
        const cents = new Map<string, number>();
        for (const s of mine) {
          const made = inWindow(s.createdAt);
          const cancelled = inWindow(s.cancelledAt);
          if (!made && !cancelled) continue;
          const delta = (made ? s.paidCents : 0) - (cancelled ? s.refundCents : 0);
          cents.set(s.currency, (cents.get(s.currency) ?? 0) + delta);
        }
        expect(salesBetween(testDb.db, "evt_day", FROM, TO)).toEqual({
          ticketsSold: mine
            .filter((s) => inWindow(s.createdAt))
            .reduce((n, s) => n + s.quantity, 0),
          ticketsCancelled: mine
            .filter((s) => inWindow(s.cancelledAt))
            .reduce((n, s) => n + s.quantity, 0),
          revenue: [...cents.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([currency, c]) => ({ currency, cents: c })),
        });
      }),
      { numRuns: 100 },
    );
  });

  it("reads a day as index ranges, never by scanning the event's every booking", () => {
    event("evt_day");
    const plan = testDb.db.$client
      .prepare(`explain query plan ${SALES_BETWEEN}`)
      .all({ eventId: "evt_day", from: 0, to: 1 }) as { detail: string }[];
    const details = plan.map((p) => p.detail);
    // No table of it is scanned, whatever its alias: every step searches an index.
    expect(details.filter((d) => /\bSCAN\b/.test(d))).toEqual([]);
    // Nor is the event's every booking searched by its id alone (what the query did before).
    expect(details.filter((d) => d.endsWith("(event_id=?)"))).toEqual([]);
    expect(
      details.some((d) =>
        d.includes(
          "bookings_event_status_created_idx (event_id=? AND status=? AND created_at>? AND created_at<?)",
        ),
      ),
    ).toBe(true);
  });
});
