import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { type EventEvent, guestPrincipal, newId } from "@boxoffice/core";
import fc from "fast-check";
import { createEventWrites } from "../event-writes.ts";
import type { Db } from "../open.ts";
import { insertTestEvent, openTestDb, type TestDb, testBooking } from "../testing.ts";
import { PERSON_BOOKED, ticketsOfPerson } from "./bookings.ts";
import { insertUser } from "./users.ts";

const NOW = 1_700_000_000_000;
const EMAILS = ["ada@example.test", "bob@example.test", "cy@example.test"] as const;
/** Accounts, each booking under an email of its own or (after a change of address) another's. */
const ACCOUNTS = ["usr_ada", "usr_bob", "usr_cy"] as const;

let testDb: TestDb;
let db: Db;
let events = 0;

beforeAll(() => {
  testDb = openTestDb();
  db = testDb.db;
  for (const [i, id] of ACCOUNTS.entries()) {
    insertUser(db, {
      id,
      email: EMAILS[i] as string,
      name: id,
      role: "attendee",
      passwordHash: "h",
      createdAt: 0,
    });
  }
});

afterAll(() => testDb.close());

function freshEvent(): string {
  events += 1;
  const eventId = `evt_people_${events}`;
  insertTestEvent(db, { eventId, ticketTypeId: `tt_${eventId}`, now: NOW, capacity: 1_000_000 });
  return eventId;
}

interface Order {
  /** An account (by index in ACCOUNTS), or null for a guest. */
  readonly account: number | null;
  /** The email it was made under (by index in EMAILS). */
  readonly email: number;
  readonly quantity: number;
  readonly cancelled: boolean;
}

/** Writes `orders` the way the writer thread does: confirmed, then cancelled where asked. */
function write(eventId: string, orders: readonly Order[]): void {
  const writes = createEventWrites(db);
  const changes: EventEvent[] = [];
  for (const order of orders) {
    const id = newId("booking");
    const email = EMAILS[order.email] as string;
    const account = order.account === null ? null : (ACCOUNTS[order.account] as string);
    const booking = testBooking({
      id,
      eventId,
      userId: account ?? guestPrincipal(email),
      personKey: email,
      items: [{ ticketTypeId: `tt_${eventId}`, quantity: order.quantity, unitPriceCents: 0 }],
      createdAt: NOW,
    });
    changes.push({ type: "BookingConfirmed", booking });
    if (order.cancelled) {
      changes.push({
        type: "BookingCancelled",
        bookingId: id,
        refundCents: 0,
        feeCents: 0,
        reason: "attendee",
        at: NOW,
        byUserId: booking.userId,
      });
    }
  }
  db.$client.transaction(() => writes.apply(eventId, changes))();
}

const order = fc.record({
  account: fc.option(fc.integer({ min: 0, max: ACCOUNTS.length - 1 }), { nil: null }),
  email: fc.integer({ min: 0, max: EMAILS.length - 1 }),
  quantity: fc.integer({ min: 1, max: 3 }),
  cancelled: fc.boolean(),
});

describe("ticketsOfPerson", () => {
  it("counts the account's standing bookings and the guest orders under its email, nothing else", () => {
    fc.assert(
      fc.property(
        fc.array(order, { maxLength: 12 }),
        fc.array(order, { maxLength: 4 }),
        (mine, elsewhere) => {
          const eventId = freshEvent();
          write(eventId, mine);
          // Another event's orders never count.
          write(freshEvent(), elsewhere);
          for (const [a, account] of ACCOUNTS.entries()) {
            for (const [e, email] of EMAILS.entries()) {
              const expected = mine
                .filter(
                  (o) => !o.cancelled && o.email === e && (o.account === null || o.account === a),
                )
                .reduce((sum, o) => sum + o.quantity, 0);
              expect(ticketsOfPerson(db, eventId, email, account, NOW)).toBe(expected);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("reads the buyer's own index entries, never every booking of the event", () => {
    const plan = (
      db.$client
        .prepare(`explain query plan ${PERSON_BOOKED}`)
        .all({ eventId: "x", email: "e", userId: "u" }) as { detail: string }[]
    )
      .map((p) => p.detail)
      .join(" ");
    expect(plan).toContain("bookings_guest_email_created_idx");
    expect(plan).toContain("bookings_user_created_idx");
    expect(plan).not.toContain("bookings_event_status_created_idx");
  });

  it("keeps accounts' bookings out of the email index: only guests' orders are in it", () => {
    const eventId = freshEvent();
    write(eventId, [
      { account: 0, email: 0, quantity: 1, cancelled: false },
      { account: null, email: 0, quantity: 2, cancelled: false },
    ]);
    const indexed = db.$client
      .prepare(
        `select count(*) as n from bookings indexed by bookings_guest_email_created_idx
          where user_id is null and buyer_email = ? and event_id = ?`,
      )
      .get(EMAILS[0], eventId) as { n: number };
    expect(indexed.n).toBe(1);
  });
});
