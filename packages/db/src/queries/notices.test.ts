import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { openTestDb, type TestDb } from "../testing.ts";
import { insertEvent } from "./events.ts";
import { eventsForDigest } from "./notices.ts";
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
