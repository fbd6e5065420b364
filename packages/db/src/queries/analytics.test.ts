/**
 * The SQL of the dashboards' figures; what the router makes of them is tested in
 * packages/api/src/router/analytics.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import type { EventEvent } from "@boxoffice/core";
import { createEventWrites } from "../event-writes.ts";
import type { Db } from "../open.ts";
import { openTestDb, type TestDb, testBooking } from "../testing.ts";
import {
  bookingTotals,
  organizersWithEvents,
  overviewFigures,
  SALES_BUCKET_MS,
  salesBuckets,
  ticketTypeFigures,
} from "./analytics.ts";
import { insertEvent, type NewEventRow } from "./events.ts";
import { insertUser } from "./users.ts";

const NOW = 1_700_000_000_000;
const [ORG, OTHER_ORG, BUYER] = ["usr_org", "usr_other_org", "usr_ada"];

let testDb: TestDb;
let db: Db;

beforeEach(() => {
  testDb = openTestDb();
  db = testDb.db;
  for (const id of [ORG, OTHER_ORG, BUYER]) {
    const email = `${id}@example.test`;
    insertUser(db, { id, email, name: id, role: "organizer", passwordHash: "h", createdAt: 0 });
  }
});

afterEach(() => testDb.close());

type TypeSpec = [name: string, priceCents: number, capacity: number];

/** An event whose ticket types are `<id>-<name>`, in the order given. */
function createEvent(id: string, types: TypeSpec[], fields: Partial<NewEventRow> = {}): void {
  const event: NewEventRow = {
    id,
    organizerId: ORG,
    title: `Title ${id}`,
    status: "published",
    startsAt: NOW + 86_400_000,
    cancellationPolicy: { refundable: true, feeCents: 0, rules: [] },
    createdAt: NOW,
    updatedAt: NOW,
    ...fields,
  };
  const rows = types.map(([name, priceCents, capacity], position) => {
    return { id: `${id}-${name}`, eventId: id, name, priceCents, capacity, position };
  });
  insertEvent(db, event, rows, null);
}

function apply(eventId: string, ...domainEvents: EventEvent[]): void {
  const writes = createEventWrites(db);
  db.$client.transaction(() => writes.apply(eventId, domainEvents))();
}

type Line = [ticketTypeId: string, quantity: number, unitPriceCents: number];

let bookings = 0;

/** Confirms a booking of these lines and returns its id. */
function book(eventId: string, ...lines: Line[]): string {
  return bookIn("USD", eventId, ...lines);
}

/** Confirms a booking paid in `currency`, `createdAt` ms after NOW, and returns its id. */
function bookIn(currency: string | [string, number], eventId: string, ...lines: Line[]): string {
  const [code, later] = typeof currency === "string" ? [currency, 0] : currency;
  const id = `bk${++bookings}`;
  const items = lines.map(([ticketTypeId, quantity, unitPriceCents]) => {
    return { ticketTypeId, quantity, unitPriceCents };
  });
  const booking = testBooking({
    id,
    eventId,
    userId: BUYER,
    items,
    currency: code,
    createdAt: NOW + later,
    tickets: [],
  });
  apply(eventId, { type: "BookingConfirmed", booking });
  return id;
}

function cancel(eventId: string, bookingId: string, refundCents: number): void {
  apply(eventId, {
    type: "BookingCancelled",
    bookingId,
    refundCents,
    feeCents: 0,
    reason: "organizer",
    byUserId: ORG,
    at: NOW + 1_000,
  });
}

describe("ticketTypeFigures", () => {
  it("counts tickets of confirmed bookings only, at the price of each sale, per type", () => {
    createEvent("ev", [
      ["ga", 2_000, 10],
      ["vip", 5_000, 2],
      ["free", 0, 3],
      ["late", 1_000, 4],
    ]);
    createEvent("other", [["ga", 2_000, 10]]);
    book("ev", ["ev-ga", 2, 2_000]);
    // Sold before a price change: the revenue keeps the price of that day.
    book("ev", ["ev-ga", 1, 1_500], ["ev-vip", 1, 5_000]);
    cancel("ev", book("ev", ["ev-ga", 3, 2_000]), 6_000);
    cancel("ev", book("ev", ["ev-late", 2, 1_000]), 2_000);
    book("other", ["other-ga", 4, 2_000]);
    const figures = ticketTypeFigures(db, "ev");
    // In display order, types without a standing sale included.
    expect(figures.map((f) => [f.ticketTypeId, f.sold, f.revenueCents])).toEqual([
      ["ev-ga", 3, 5_500],
      ["ev-vip", 1, 5_000],
      ["ev-free", 0, 0],
      ["ev-late", 0, 0],
    ]);
    expect(figures[1]).toEqual({
      ticketTypeId: "ev-vip",
      name: "vip",
      priceCents: 5_000,
      capacity: 2,
      sold: 1,
      revenueCents: 5_000,
    });
  });

  it("lists nothing for an unknown event", () => {
    expect(ticketTypeFigures(db, "nope")).toEqual([]);
  });
});

describe("overviewFigures", () => {
  beforeEach(() => {
    createEvent("e1", [
      ["ga", 1_000, 10],
      ["vip", 3_000, 5],
    ]);
    // The event-wide cap bounds its types' total.
    createEvent("e2", [["ga", 1_000, 10]], { capacity: 8 });
    createEvent("e3", [["ga", 1_000, 6]], { status: "draft" });
    createEvent("e4", [["ga", 1_000, 20]], { organizerId: OTHER_ORG });
    book("e1", ["e1-ga", 2, 1_000], ["e1-vip", 1, 3_000]);
    cancel("e1", book("e1", ["e1-ga", 2, 1_000]), 1_500);
    book("e2", ["e2-ga", 5, 1_000]);
    cancel("e2", book("e2", ["e2-ga", 3, 1_000]), 3_000);
    book("e4", ["e4-ga", 1, 1_000]);
  });

  it("sums sold tickets of confirmed bookings only, over one organizer's events", () => {
    expect(overviewFigures(db, ORG)).toEqual({
      events: 3,
      ticketsSold: 8,
      // Revenue is what was taken, cancelled bookings included; refunds are counted apart.
      revenue: [
        { currency: "USD", revenueCents: 5_000 + 2_000 + 5_000 + 3_000, refundedCents: 4_500 },
      ],
      popular: [
        { eventId: "e2", title: "Title e2", sold: 5, capacity: 8 },
        { eventId: "e1", title: "Title e1", sold: 3, capacity: 15 },
        { eventId: "e3", title: "Title e3", sold: 0, capacity: 6 },
      ],
    });
  });

  it("sums over every organizer's events for the admins' view", () => {
    const all = overviewFigures(db, null);
    expect(all).toMatchObject({ events: 4, ticketsSold: 9 });
    expect(all.revenue).toEqual([{ currency: "USD", revenueCents: 16_000, refundedCents: 4_500 }]);
    expect(all.popular.map((p) => [p.eventId, p.sold])).toEqual([
      ["e2", 5],
      ["e1", 3],
      ["e4", 1],
      ["e3", 0],
    ]);
    expect(overviewFigures(db, "usr_nobody")).toEqual({
      events: 0,
      ticketsSold: 0,
      revenue: [],
      popular: [],
    });
  });

  it("ranks the five best-selling events, ties by id", () => {
    for (const id of ["e5", "e6", "e7"]) {
      createEvent(id, [["ga", 1_000, 10]]);
      book(id, [`${id}-ga`, 3, 1_000]);
    }
    expect(overviewFigures(db, ORG).popular.map((p) => p.eventId)).toEqual([
      "e2",
      "e1",
      "e5",
      "e6",
      "e7",
    ]);
  });
});

describe("money per currency", () => {
  it("never adds amounts of different currencies, in the overview or for one event", () => {
    createEvent("eur", [["ga", 5_500, 10]], { currency: "EUR" });
    createEvent("gbp", [["ga", 1_200, 10]], { currency: "GBP" });
    bookIn("EUR", "eur", ["eur-ga", 2, 5_500]);
    cancel("gbp", bookIn("GBP", "gbp", ["gbp-ga", 1, 1_200]), 1_200);
    bookIn("GBP", "gbp", ["gbp-ga", 1, 1_200]);
    expect(overviewFigures(db, ORG).revenue).toEqual([
      { currency: "EUR", revenueCents: 11_000, refundedCents: 0 },
      { currency: "GBP", revenueCents: 2_400, refundedCents: 1_200 },
    ]);
    // An event whose currency changed after sales keeps each sale in what it was paid in.
    bookIn("USD", "gbp", ["gbp-ga", 1, 1_500]);
    expect(bookingTotals(db, "gbp").money).toEqual([
      { currency: "GBP", revenueCents: 2_400, refundedCents: 1_200 },
      { currency: "USD", revenueCents: 1_500, refundedCents: 0 },
    ]);
  });
});

describe("bookingTotals", () => {
  it("keeps check-ins of bookings cancelled after the scan apart from standing ones", () => {
    createEvent("ev", [["ga", 1_000, 10]]);
    const kept = book("ev", ["ev-ga", 2, 1_000]);
    const gone = book("ev", ["ev-ga", 3, 1_000]);
    book("ev", ["ev-ga", 1, 1_000]);
    // Tickets and scans as the door leaves them (the fixture's bookings come without tickets).
    const issue = db.$client.prepare(
      `insert into tickets (id, booking_id, event_id, ticket_type_id, code, checked_in_at)
       values (?, ?, 'ev', 'ev-ga', ?, ?)`,
    );
    const tickets = (bookingId: string, count: number, scanned: number) => {
      for (let i = 0; i < count; i++) {
        issue.run(`${bookingId}-t${i}`, bookingId, `${bookingId}-${i}`, i < scanned ? NOW : null);
      }
    };
    tickets(kept, 2, 1);
    tickets(gone, 3, 2);
    cancel("ev", gone, 3_000);
    expect(bookingTotals(db, "ev")).toEqual({
      bookings: 2,
      cancellations: 1,
      money: [{ currency: "USD", revenueCents: 6_000, refundedCents: 3_000 }],
      checkedIn: 1,
      checkedInCancelled: 2,
    });
  });
});

describe("salesBuckets", () => {
  it("counts tickets still sold apart from those cancelled since, per quarter-hour and currency", () => {
    createEvent("ev", [["ga", 1_000, 20]]);
    book("ev", ["ev-ga", 4, 1_000]);
    cancel("ev", book("ev", ["ev-ga", 2, 1_000]), 2_000);
    bookIn(["USD", SALES_BUCKET_MS], "ev", ["ev-ga", 1, 1_000]);
    bookIn(["EUR", SALES_BUCKET_MS], "ev", ["ev-ga", 1, 900]);
    const start = Math.floor(NOW / SALES_BUCKET_MS) * SALES_BUCKET_MS;
    expect(salesBuckets(db, "ev")).toEqual([
      { startsAt: start, currency: "USD", tickets: 4, cancelledTickets: 2, revenueCents: 6_000 },
      {
        startsAt: start + SALES_BUCKET_MS,
        currency: "EUR",
        tickets: 1,
        cancelledTickets: 0,
        revenueCents: 900,
      },
      {
        startsAt: start + SALES_BUCKET_MS,
        currency: "USD",
        tickets: 1,
        cancelledTickets: 0,
        revenueCents: 1_000,
      },
    ]);
  });
});

describe("organizersWithEvents", () => {
  it("lists everyone running an event, by name, with how many, up to the limit", () => {
    createEvent("a1", [["ga", 0, 1]]);
    createEvent("a2", [["ga", 0, 1]], { status: "draft" });
    createEvent("b1", [["ga", 0, 1]], { organizerId: OTHER_ORG });
    expect(organizersWithEvents(db, 10)).toEqual([
      { id: ORG, name: ORG, email: `${ORG}@example.test`, events: 2 },
      { id: OTHER_ORG, name: OTHER_ORG, email: `${OTHER_ORG}@example.test`, events: 1 },
    ]);
    expect(organizersWithEvents(db, 1).map((o) => o.id)).toEqual([ORG]);
  });
});
