import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import {
  ID_ALPHABET,
  newId,
  ORDER_SECRET_LENGTH,
  orderToken,
  splitOrderToken,
} from "@boxoffice/core";
import fc from "fast-check";
import { createEventWrites } from "../event-writes.ts";
import type { Db } from "../open.ts";
import { insertTestEvent, openTestDb, type TestDb, testBooking } from "../testing.ts";
import { bookingIdOfOrderToken, hashOrderToken } from "./orders.ts";

const NOW = 1_700_000_000_000;
const EVENT = "evt_orders";

let testDb: TestDb;
let db: Db;

beforeAll(() => {
  testDb = openTestDb();
  db = testDb.db;
  insertTestEvent(db, { eventId: EVENT, ticketTypeId: "tt_ga", now: NOW, capacity: 1_000_000 });
});

afterAll(() => testDb.close());

/** A guest's booking with this order token, written the way the writer thread writes it. */
function book(id: string, token: string | null): void {
  const booking = testBooking({
    id,
    eventId: EVENT,
    userId: "guest:ada@example.test",
    personKey: "ada@example.test",
    items: [{ ticketTypeId: "tt_ga", quantity: 1, unitPriceCents: 0 }],
    createdAt: NOW,
    orderToken: token,
  });
  const writes = createEventWrites(db);
  db.$client.transaction(() => writes.apply(EVENT, [{ type: "BookingConfirmed", booking }]))();
}

const secret = fc.string({
  unit: fc.constantFrom(...ID_ALPHABET),
  minLength: ORDER_SECRET_LENGTH,
  maxLength: ORDER_SECRET_LENGTH,
});

describe("order tokens", () => {
  it("are the booking's id and 26 random symbols, split back the same", () => {
    const id = newId("booking");
    const token = orderToken(id);
    expect(token.startsWith(`${id}.`)).toBe(true);
    expect(splitOrderToken(token)).toEqual({ bookingId: id, secret: token.slice(id.length + 1) });
    expect(splitOrderToken(token)?.secret).toMatch(/^[a-z2-9]{26}$/);
    // A bare secret (as issued before split tokens) or a short one is no split token.
    expect(splitOrderToken("q8vn2mk5pl9rt4wz7yb3cd6xjh")).toBeNull();
    expect(splitOrderToken(`${id}.short`)).toBeNull();
    expect(splitOrderToken(`.${"a".repeat(26)}`)).toBeNull();
  });

  it("keeps only the secret's hash with the booking, and adds nothing to the token index", () => {
    const id = newId("booking");
    const token = orderToken(id);
    book(id, token);
    const row = db.$client
      .prepare("select order_token_hash, order_secret_hash from bookings where id = ?")
      .get(id) as { order_token_hash: string | null; order_secret_hash: string | null };
    expect(row.order_token_hash).toBeNull();
    expect(row.order_secret_hash).toBe(hashOrderToken(splitOrderToken(token)?.secret ?? ""));
    expect(JSON.stringify(row)).not.toContain(splitOrderToken(token)?.secret);
    const indexed = db.$client
      .prepare(
        "select count(*) as n from bookings indexed by bookings_order_token_idx where order_token_hash is not null",
      )
      .get() as { n: number };
    expect(indexed.n).toBe(0);
    const index = db.$client
      .prepare("select sql from sqlite_master where name = 'bookings_order_token_idx'")
      .get() as { sql: string };
    expect(index.sql).toContain("WHERE order_token_hash is not null");
  });

  it("opens exactly its own booking; an altered secret or another booking's id opens nothing", () => {
    fc.assert(
      fc.property(secret, secret, fc.nat(25), (mine, other, at) => {
        const id = newId("booking");
        const token = `${id}.${mine}`;
        book(id, token);
        expect(bookingIdOfOrderToken(db, token)).toBe(id);
        // One symbol changed.
        const symbol = mine[at] === "a" ? "b" : "a";
        const altered = `${id}.${mine.slice(0, at)}${symbol}${mine.slice(at + 1)}`;
        expect(bookingIdOfOrderToken(db, altered)).toBeNull();
        // Another secret, and this secret under another booking's id.
        if (other !== mine) expect(bookingIdOfOrderToken(db, `${id}.${other}`)).toBeNull();
        expect(bookingIdOfOrderToken(db, `${newId("booking")}.${mine}`)).toBeNull();
        // The bare secret is no token of it either.
        expect(bookingIdOfOrderToken(db, mine)).toBeNull();
      }),
      { numRuns: 100 },
    );
  });

  it("still opens bookings whose token was issued before split tokens, by its index", () => {
    const id = newId("booking");
    const legacy = "q8vn2mk5pl9rt4wz7yb3cd6xjh";
    book(id, legacy);
    const row = db.$client
      .prepare("select order_token_hash, order_secret_hash from bookings where id = ?")
      .get(id) as { order_token_hash: string | null; order_secret_hash: string | null };
    expect(row).toEqual({ order_token_hash: hashOrderToken(legacy), order_secret_hash: null });
    expect(bookingIdOfOrderToken(db, legacy)).toBe(id);
    expect(bookingIdOfOrderToken(db, `${legacy.slice(1)}x`)).toBeNull();
    const plan = db.$client
      .prepare("explain query plan select id from bookings where order_token_hash = ?")
      .all("x") as { detail: string }[];
    expect(plan.map((p) => p.detail).join(" ")).toContain("bookings_order_token_idx");
  });

  it("opens nothing for a booking made before order tokens", () => {
    const id = newId("booking");
    book(id, null);
    expect(bookingIdOfOrderToken(db, `${id}.${"a".repeat(ORDER_SECRET_LENGTH)}`)).toBeNull();
  });
});
