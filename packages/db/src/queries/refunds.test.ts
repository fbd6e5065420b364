import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import type { CancellationReason, EventEvent } from "@boxoffice/core";
import { eq } from "drizzle-orm";
import { createEventWrites } from "../event-writes.ts";
import type { Db } from "../open.ts";
import { refunds } from "../schema.ts";
import { openTestDb, type TestDb, testBooking } from "../testing.ts";
import { insertEvent } from "./events.ts";
import {
  dueRefunds,
  pendingRefundsOf,
  recordRefundFailed,
  recordRefundSent,
  refundOf,
} from "./refunds.ts";
import { insertUser } from "./users.ts";

const NOW = 1_700_000_000_000;
const MINUTE = 60_000;
const BUYER = "usr_ada";
const PRICE = 2_000;

let testDb: TestDb;
let db: Db;

beforeEach(() => {
  testDb = openTestDb();
  db = testDb.db;
  for (const id of ["usr_org", BUYER]) {
    const email = `${id}@example.test`;
    insertUser(db, { id, email, name: id, role: "attendee", passwordHash: "h", createdAt: 0 });
  }
  const event = {
    id: "ev",
    organizerId: "usr_org",
    title: "Refund night",
    status: "published" as const,
    startsAt: NOW + 86_400_000,
    cancellationPolicy: { refundable: true, feeCents: 0, rules: [] },
    createdAt: NOW,
    updatedAt: NOW,
  };
  const type = { id: "ga", eventId: "ev", name: "GA", priceCents: PRICE, capacity: 100 };
  insertEvent(db, event, [{ ...type, position: 0 }], null);
});

afterEach(() => testDb.close());

function apply(...domainEvents: EventEvent[]): void {
  const writes = createEventWrites(db);
  db.$client.transaction(() => writes.apply("ev", domainEvents))();
}

/** A confirmed one-ticket booking, paid through the mock provider unless `paid` is false. */
function confirmedBooking(id: string, paid: boolean): EventEvent {
  const booking = testBooking({
    id,
    eventId: "ev",
    userId: BUYER,
    items: [{ ticketTypeId: "ga", quantity: 1, unitPriceCents: PRICE }],
    createdAt: NOW,
    payment: paid ? { provider: "mock", ref: `charge-${id}`, amountCents: PRICE } : null,
  });
  return { type: "BookingConfirmed", booking };
}

function book(id: string, paid = true): void {
  apply(confirmedBooking(id, paid));
}

/** Its refund row is written with the first attempt due at `at`. */
function cancellation(bookingId: string, at: number, refundCents = PRICE): EventEvent {
  const reason: CancellationReason = "attendee";
  const feeCents = PRICE - refundCents;
  return {
    type: "BookingCancelled",
    bookingId,
    refundCents,
    feeCents,
    reason,
    byUserId: BUYER,
    at,
  };
}

function cancel(bookingId: string, at: number, refundCents = PRICE): void {
  apply(cancellation(bookingId, at, refundCents));
}

function bookAndCancel(bookingId: string, at: number, refundCents = PRICE): void {
  book(bookingId);
  cancel(bookingId, at, refundCents);
}

const refundRow = (bookingId: string) =>
  db.select().from(refunds).where(eq(refunds.bookingId, bookingId)).get();

const dueIds = (now: number, limit = 100) => dueRefunds(db, now, limit).map((r) => r.bookingId);

describe("pendingRefundsOf", () => {
  it("lists the pending refunds of the given bookings, with the charge to refund", () => {
    bookAndCancel("b_pending", NOW);
    bookAndCancel("b_nothing_back", NOW, 0);
    bookAndCancel("b_sent", NOW);
    recordRefundSent(db, "b_sent", "refund-1");
    bookAndCancel("b_not_asked", NOW);
    book("b_standing");
    const asked = ["b_pending", "b_nothing_back", "b_sent", "b_standing", "b_unknown"];
    expect(pendingRefundsOf(db, asked)).toEqual([
      {
        bookingId: "b_pending",
        amountCents: PRICE,
        currency: "USD",
        attempts: 0,
        paymentRef: "charge-b_pending",
      },
    ]);
    expect(pendingRefundsOf(db, [])).toEqual([]);
  });

  it("has no charge to refund for a booking paid without a provider", () => {
    book("b_cash", false);
    cancel("b_cash", NOW);
    expect(pendingRefundsOf(db, ["b_cash"])).toEqual([
      { bookingId: "b_cash", amountCents: PRICE, currency: "USD", attempts: 0, paymentRef: null },
    ]);
  });

  it("lists the refunds of an event cancellation larger than SQLite's 32,766 bound parameters", () => {
    // An event may sell far more (up to 1,000,000 per type), and cancelling it asks for all.
    const ids = Array.from({ length: 32_767 }, (_, n) => `b${n}`);
    const writes = createEventWrites(db);
    db.$client.transaction(() => {
      for (const id of ids) writes.apply("ev", [confirmedBooking(id, true), cancellation(id, NOW)]);
    })();
    const pending = pendingRefundsOf(db, ids);
    expect(pending).toHaveLength(ids.length);
    expect(pending.every((r) => r.amountCents === PRICE)).toBe(true);
  });
});

describe("dueRefunds", () => {
  it("lists pending refunds due by now, earliest next attempt first, up to the limit", () => {
    bookAndCancel("b_third", NOW + 3 * MINUTE);
    bookAndCancel("b_first", NOW + MINUTE);
    bookAndCancel("b_second", NOW + 2 * MINUTE);
    bookAndCancel("b_later", NOW + 10 * MINUTE);
    bookAndCancel("b_nothing_back", NOW, 0);
    book("b_standing");
    expect(dueIds(NOW + 5 * MINUTE)).toEqual(["b_first", "b_second", "b_third"]);
    expect(dueIds(NOW + 5 * MINUTE, 2)).toEqual(["b_first", "b_second"]);
    // Due from its next attempt time on, that instant included.
    expect(dueIds(NOW + 2 * MINUTE)).toEqual(["b_first", "b_second"]);
    expect(dueIds(NOW)).toEqual([]);
  });

  it("moves a failed refund back to its next attempt time", () => {
    bookAndCancel("b1", NOW + MINUTE);
    bookAndCancel("b2", NOW + 2 * MINUTE);
    recordRefundFailed(db, "b1", "provider timeout", NOW + 20 * MINUTE);
    expect(dueIds(NOW + 5 * MINUTE)).toEqual(["b2"]);
    expect(dueIds(NOW + 20 * MINUTE)).toEqual(["b2", "b1"]);
    expect(dueRefunds(db, NOW + 20 * MINUTE, 10)[1]).toMatchObject({
      bookingId: "b1",
      attempts: 1,
    });
  });

  it("treats a refund without a next attempt time, written before retries existed, as due", () => {
    bookAndCancel("b_old", NOW);
    bookAndCancel("b_new", NOW + MINUTE);
    db.update(refunds).set({ nextAttemptAt: null }).where(eq(refunds.bookingId, "b_old")).run();
    expect(dueIds(0)).toEqual(["b_old"]);
    expect(dueIds(NOW + MINUTE)).toEqual(["b_old", "b_new"]);
  });
});

describe("recordRefundSent", () => {
  it("settles the refund: no longer pending nor due, and refundOf says sent", () => {
    bookAndCancel("b1", NOW);
    bookAndCancel("b2", NOW);
    recordRefundFailed(db, "b1", "card declined", NOW);
    recordRefundSent(db, "b1", "refund-ref-1");
    expect(pendingRefundsOf(db, ["b1", "b2"]).map((r) => r.bookingId)).toEqual(["b2"]);
    expect(dueIds(NOW + MINUTE)).toEqual(["b2"]);
    expect(refundOf(db, "b1")).toEqual({ amountCents: PRICE, status: "sent" });
    expect(refundRow("b1")).toMatchObject({
      providerRef: "refund-ref-1",
      attempts: 2,
      nextAttemptAt: null,
      lastError: null,
    });
  });
});

describe("recordRefundFailed", () => {
  it("counts each attempt, sets the next attempt time and keeps the error", () => {
    bookAndCancel("b1", NOW);
    recordRefundFailed(db, "b1", "provider timeout", NOW + MINUTE);
    recordRefundFailed(db, "b1", "card declined", NOW + 5 * MINUTE);
    expect(refundRow("b1")).toMatchObject({
      providerRef: null,
      attempts: 2,
      nextAttemptAt: NOW + 5 * MINUTE,
      lastError: "card declined",
    });
    expect(refundOf(db, "b1")).toEqual({ amountCents: PRICE, status: "pending" });
  });

  it("clips a long error to 500 characters", () => {
    bookAndCancel("b1", NOW);
    const error = `${"x".repeat(499)}!${"y".repeat(300)}`;
    recordRefundFailed(db, "b1", error, NOW + MINUTE);
    expect(refundRow("b1")?.lastError).toBe(`${"x".repeat(499)}!`);
  });

  it("does not reopen a refund that was already sent", () => {
    bookAndCancel("b1", NOW);
    recordRefundSent(db, "b1", "refund-ref-1");
    recordRefundFailed(db, "b1", "late failure", NOW + MINUTE);
    expect(refundRow("b1")).toMatchObject({ attempts: 1, nextAttemptAt: null, lastError: null });
    expect(refundOf(db, "b1").status).toBe("sent");
  });
});

describe("refundOf", () => {
  it("says none for a standing booking, an unknown one, and a cancellation refunding nothing", () => {
    book("b_standing");
    bookAndCancel("b_nothing_back", NOW, 0);
    expect(refundOf(db, "b_standing")).toEqual({ amountCents: 0, status: "none" });
    expect(refundOf(db, "b_unknown")).toEqual({ amountCents: 0, status: "none" });
    expect(refundOf(db, "b_nothing_back")).toEqual({ amountCents: 0, status: "none" });
  });

  it("says pending until the provider took the refund, then sent", () => {
    bookAndCancel("b1", NOW, 1_500);
    expect(refundOf(db, "b1")).toEqual({ amountCents: 1_500, status: "pending" });
    recordRefundSent(db, "b1", "refund-ref-1");
    expect(refundOf(db, "b1")).toEqual({ amountCents: 1_500, status: "sent" });
  });
});
