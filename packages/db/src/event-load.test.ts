import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import type {
  BookingRecord,
  ConfirmedBooking,
  EventEvent,
  Hold,
  LineItem,
  WaitlistEntry,
} from "@boxoffice/core";
import { loadEvent } from "./event-load.ts";
import { createEventWrites } from "./event-writes.ts";
import type { Db } from "./open.ts";
import { insertEvent, type NewEventRow, type NewTicketTypeRow } from "./queries/events.ts";
import { insertUser } from "./queries/users.ts";
import type { EventSeatLayoutRow } from "./schema.ts";
import { openTestDb, type TestDb, testBooking, testHold } from "./testing.ts";

const NOW = 1_700_000_000_000;
const [ADA, GRACE, LINUS] = ["usr_ada", "usr_grace", "usr_linus"];

let testDb: TestDb;
let db: Db;

beforeEach(() => {
  testDb = openTestDb();
  db = testDb.db;
  for (const id of ["usr_org", ADA, GRACE, LINUS]) {
    const email = `${id}@example.test`;
    insertUser(db, { id, email, name: id, role: "attendee", passwordHash: "h", createdAt: 0 });
  }
});

afterEach(() => testDb.close());

const policy = {
  refundable: true,
  feeCents: 100,
  rules: [{ hoursBeforeStart: 24, refundPercent: 50 }],
};

function createEvent(
  id: string,
  fields: Partial<NewEventRow> = {},
  layout?: EventSeatLayoutRow,
): void {
  const event: NewEventRow = {
    id,
    organizerId: "usr_org",
    title: id,
    status: "published",
    startsAt: NOW + 86_400_000,
    cancellationPolicy: policy,
    createdAt: NOW,
    updatedAt: NOW,
    ...fields,
  };
  // Written out of display order: the load must sort by position.
  const types: NewTicketTypeRow[] = [
    { id: `${id}-vip`, eventId: id, name: "VIP", priceCents: 5_000, capacity: 2, position: 1 },
    { id: `${id}-ga`, eventId: id, name: "GA", priceCents: 2_000, capacity: 4, position: 0 },
  ];
  const seating = layout ? { eventId: id, venueId: "ven_1", layout, seatCount: 4 } : null;
  insertEvent(db, event, types, seating);
}

function apply(eventId: string, ...domainEvents: EventEvent[]): void {
  const writes = createEventWrites(db);
  db.$client.transaction(() => writes.apply(eventId, domainEvents))();
}

const line = (ticketTypeId: string, quantity: number): LineItem => ({
  ticketTypeId,
  quantity,
  unitPriceCents: 2_000,
});

const hold = (id: string, userId: string, fields: Partial<Hold> = {}): Hold =>
  testHold({
    id,
    userId,
    personKey: `${userId}@example.test`,
    items: [line("ev-ga", 1)],
    createdAt: NOW,
    ...fields,
  });

const placed = (h: Hold): EventEvent => ({ type: "HoldPlaced", hold: h });

const booking = (id: string, userId: string, fields: Partial<ConfirmedBooking> = {}) =>
  testBooking({
    id,
    eventId: "ev",
    userId,
    personKey: `${userId}@example.test`,
    items: [line("ev-ga", 1)],
    createdAt: NOW,
    ...fields,
  });

const confirmed = (b: ConfirmedBooking): EventEvent => ({ type: "BookingConfirmed", booking: b });

const cancelled = (bookingId: string): EventEvent => ({
  type: "BookingCancelled",
  bookingId,
  refundCents: 1_900,
  feeCents: 100,
  reason: "attendee",
  byUserId: ADA,
  at: NOW + 1_000,
});

/** What the actor keeps of a confirmed booking. */
const record = ({
  id,
  userId,
  personKey,
  items,
  seatIds,
  totalCents,
  paidCents,
  createdAt,
}: BookingRecord) =>
  ({
    id,
    userId,
    personKey,
    items,
    seatIds,
    totalCents,
    paidCents,
    createdAt,
  }) satisfies BookingRecord;

const byId = <T extends { id: string }>(rows: readonly T[]) =>
  [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));

function entry(id: string, userId: string, seq: number): WaitlistEntry {
  const at = NOW + seq;
  return {
    id,
    userId,
    personKey: `${userId}@example.test`,
    ticketTypeId: null,
    quantity: 1,
    joinedAt: at,
    seq,
    state: "waiting",
    holdId: null,
  };
}

const joined = (e: WaitlistEntry): EventEvent => ({ type: "WaitlistJoined", entry: e });

describe("loadEvent", () => {
  it("finds no event for an unknown id", () => {
    expect(loadEvent(db, "nope")).toBeNull();
  });

  it("loads the config with ticket types in display order", () => {
    createEvent("ev", { capacity: 5, maxPerUser: 3, waitlistEnabled: true, waitlistMode: "auto" });
    const config = loadEvent(db, "ev")?.config;
    expect(config?.ticketTypes.map((t) => t.id)).toEqual(["ev-ga", "ev-vip"]);
    expect(config).toMatchObject({
      id: "ev",
      capacity: 5,
      maxPerUser: 3,
      cancellationPolicy: policy,
      waitlist: { enabled: true, mode: "auto", offerSeconds: 86_400 },
    });
  });

  it("gives a hold back its idempotency key and request hash", () => {
    createEvent("ev");
    const keyed = hold("h_keyed", ADA, { idempotencyKey: "key-1", requestHash: "hash-1" });
    const plain = hold("h_plain", GRACE, { items: [line("ev-ga", 2), line("ev-vip", 1)] });
    apply("ev", placed(keyed), placed(plain));
    expect(byId(loadEvent(db, "ev")?.holds ?? [])).toEqual([keyed, plain]);
  });

  it("loads only active holds and confirmed bookings, of this event only", () => {
    createEvent("ev");
    createEvent("other");
    const live = hold("h_live", ADA);
    // Past its expiry but not yet swept: the actor's first sweep ends it.
    const lapsed = hold("h_lapsed", GRACE, { expiresAt: NOW });
    apply("ev", placed(live), placed(lapsed), placed(hold("h_released", LINUS)));
    apply("ev", { type: "HoldReleased", holdId: "h_released", at: NOW });
    apply("ev", placed(hold("h_expired", LINUS)), {
      type: "HoldExpired",
      holdId: "h_expired",
      at: NOW,
    });
    apply("ev", placed(hold("h_booked", LINUS)));
    const fromHold = booking("b_from_hold", LINUS, { holdId: "h_booked" });
    const twoTypes = booking("b_two_types", GRACE, {
      items: [line("ev-ga", 2), line("ev-vip", 1)],
    });
    apply("ev", confirmed(fromHold), confirmed(twoTypes));
    apply("ev", confirmed(booking("b_cancelled", ADA)), cancelled("b_cancelled"));
    apply("other", placed(hold("h_other", ADA, { items: [line("other-ga", 1)] })));
    apply(
      "other",
      confirmed(booking("b_other", ADA, { eventId: "other", items: [line("other-ga", 1)] })),
    );
    const loaded = loadEvent(db, "ev");
    expect(byId(loaded?.holds ?? []).map((h) => h.id)).toEqual(["h_lapsed", "h_live"]);
    expect(byId(loaded?.bookings ?? [])).toEqual([record(fromHold), record(twoTypes)]);
  });

  it("still loads the idempotency keys of cancelled bookings", () => {
    createEvent("ev");
    const kept = booking("b_kept", ADA, { idempotencyKey: "k1", requestHash: "r1" });
    const gone = booking("b_gone", GRACE, { idempotencyKey: "k2", requestHash: null });
    apply("ev", confirmed(kept), confirmed(gone), confirmed(booking("b_no_key", LINUS)));
    apply("ev", cancelled("b_gone"));
    const keys = loadEvent(db, "ev")?.idempotency ?? [];
    expect([...keys].sort((a, b) => (a.key < b.key ? -1 : 1))).toEqual([
      { userId: ADA, key: "k1", bookingId: "b_kept", requestHash: "r1" },
      { userId: GRACE, key: "k2", bookingId: "b_gone", requestHash: null },
    ]);
    expect(
      loadEvent(db, "ev")
        ?.bookings.map((b) => b.id)
        .sort(),
    ).toEqual(["b_kept", "b_no_key"]);
  });

  it("loads active waitlist entries in seq order, and the highest seq ever handed out", () => {
    createEvent("ev", { waitlistEnabled: true });
    createEvent("other", { waitlistEnabled: true });
    expect(loadEvent(db, "ev")).toMatchObject({ waitlist: [], waitlistSeq: 0 });
    // Ids sort against the queue: only seq orders it.
    const [gone, second, third, fourth, last] = [
      entry("w_e", ADA, 1),
      entry("w_d", GRACE, 2),
      entry("w_c", LINUS, 3),
      entry("w_b", ADA, 4),
      entry("w_a", "usr_org", 5),
    ] as const;
    apply("ev", joined(gone), { type: "WaitlistLeft", entryId: gone.id, at: NOW + 10 });
    apply("ev", joined(second), joined(third), joined(fourth), joined(last));
    apply("ev", { type: "WaitlistOffered", entryId: third.id, hold: hold("h_offer", LINUS) });
    apply("ev", { type: "WaitlistLeft", entryId: last.id, at: NOW + 20 });
    apply("other", joined(entry("w_other", ADA, 9)));
    const loaded = loadEvent(db, "ev");
    expect(loaded?.waitlist).toEqual([
      second,
      { ...third, state: "offered", holdId: "h_offer" },
      fourth,
    ]);
    // The ended entries' seqs are never handed out again.
    expect(loaded?.waitlistSeq).toBe(5);
  });

  it("loads a seated event's layout, and none for an event sold by type", () => {
    const layout: EventSeatLayoutRow = {
      sections: [
        {
          ticketTypeId: "seated-ga",
          rows: [
            { label: "A", seats: 2 },
            { label: "B", seats: 1 },
          ],
        },
        { ticketTypeId: "seated-vip", rows: [{ label: "Box", seats: 1 }] },
      ],
    };
    createEvent("seated", {}, layout);
    createEvent("standing");
    expect(loadEvent(db, "seated")?.seating).toEqual(layout);
    expect(loadEvent(db, "standing")?.seating).toBeNull();
  });
});
