import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import type { ConfirmedBooking, EventEvent, Hold, WaitlistEntry } from "@boxoffice/core";
import { eq } from "drizzle-orm";
import type { EventRow } from "../event-load.ts";
import { createEventWrites } from "../event-writes.ts";
import type { Db } from "../open.ts";
import { eventSeatLayouts, events, ticketTypes } from "../schema.ts";
import { openTestDb, type TestDb, testBooking, testHold } from "../testing.ts";
import {
  type EventListFilter,
  findEventRow,
  heldByTicketType,
  insertEvent,
  listEventRows,
  type NewEventRow,
  soldByTicketType,
  takenSeats,
  ticketCounts,
  ticketTypesOfEvents,
  waitingByEvent,
} from "./events.ts";
import { insertUser } from "./users.ts";

const NOW = 1_700_000_000_000;
const HOUR = 3_600_000;
const ORGANIZER = "usr_org";
const BUYERS = ["usr_ada", "usr_grace", "usr_linus", "usr_barbara"] as const;
const [ADA, GRACE, LINUS, BARBARA] = BUYERS;

let testDb: TestDb;
let db: Db;

beforeEach(() => {
  testDb = openTestDb();
  db = testDb.db;
  for (const id of [ORGANIZER, "usr_other_org", ...BUYERS]) {
    const role = id.endsWith("org") ? "organizer" : "attendee";
    const email = `${id}@example.test`;
    insertUser(db, { id, email, name: id, role, passwordHash: "hash", createdAt: 0 });
  }
});

afterEach(() => testDb.close());

function eventRow(id: string, fields: Partial<NewEventRow> = {}): NewEventRow {
  return {
    id,
    organizerId: ORGANIZER,
    title: `Event ${id}`,
    status: "published",
    startsAt: NOW + 48 * HOUR,
    cancellationPolicy: { refundable: true, feeCents: 0, rules: [] },
    createdAt: NOW,
    updatedAt: NOW,
    ...fields,
  };
}

/** A published event with two ticket types, `<id>-ga` and `<id>-vip`. */
function createEvent(id: string, fields: Partial<NewEventRow> = {}): void {
  const types = ["ga", "vip"].map((name, position) => ({
    id: `${id}-${name}`,
    eventId: id,
    name,
    priceCents: 1_000,
    capacity: 10,
    position,
  }));
  insertEvent(db, eventRow(id, fields), types, null);
}

function apply(eventId: string, ...domainEvents: EventEvent[]): void {
  const writes = createEventWrites(db);
  db.$client.transaction(() => writes.apply(eventId, domainEvents))();
}

/** Tickets per ticket type id. */
type Lines = Record<string, number>;

const lineItems = (lines: Lines) =>
  Object.entries(lines).map(([ticketTypeId, quantity]) => {
    return { ticketTypeId, quantity, unitPriceCents: 1_000 };
  });

const perType = (counts: Lines) => new Map(Object.entries(counts));

const hold = (id: string, userId: string, lines: Lines, fields: Partial<Hold> = {}): Hold =>
  testHold({ id, userId, items: lineItems(lines), createdAt: NOW, ...fields });

const placed = (h: Hold): EventEvent => ({ type: "HoldPlaced", hold: h });

/** A booking of `lines`, paid in full through the mock provider unless `fields` name a payment. */
function booking(
  id: string,
  eventId: string,
  userId: string,
  lines: Lines,
  fields: Partial<ConfirmedBooking> = {},
): EventEvent {
  const made = testBooking({
    id,
    eventId,
    userId,
    items: lineItems(lines),
    createdAt: NOW,
    ...fields,
  });
  const payment = { provider: "mock", ref: `${id}-ref`, amountCents: made.totalCents };
  return {
    type: "BookingConfirmed",
    booking: fields.payment === undefined ? { ...made, payment } : made,
  };
}

const cancelled = (bookingId: string, byUserId: string): EventEvent => ({
  type: "BookingCancelled",
  bookingId,
  refundCents: 0,
  feeCents: 0,
  reason: "attendee",
  byUserId,
  at: NOW + HOUR,
});

function joined(id: string, userId: string, seq: number): EventEvent {
  const entry: WaitlistEntry = {
    id,
    userId,
    ticketTypeId: null,
    quantity: 1,
    joinedAt: NOW + seq,
    seq,
    state: "waiting",
    holdId: null,
  };
  return { type: "WaitlistJoined", entry };
}

function filter(fields: Partial<EventListFilter> = {}): EventListFilter {
  const none = { searchPattern: null, from: null, to: null, organizerId: null, endedBefore: null };
  return { ...none, allStatuses: false, after: null, limit: 100, ...fields };
}

/** Every page, following the cursor as the events router does. */
function allPages(limit: number, fields: Partial<EventListFilter> = {}): string[] {
  const seen: EventRow[] = [];
  for (let page = 0; page < 100; page++) {
    const last = seen.at(-1);
    const after = last ? { startsAt: last.startsAt, id: last.id } : null;
    const rows = listEventRows(db, filter({ ...fields, after, limit }));
    seen.push(...rows);
    if (rows.length < limit) return seen.map((row) => row.id);
  }
  throw new Error("the list never ended");
}

/** The router's pattern: the search text anywhere, `%`, `_` and `\` matching literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

describe("insertEvent", () => {
  it("writes the event, its ticket types and a seated event's layout together", () => {
    const layout = { sections: [{ ticketTypeId: "e1-ga", rows: [{ label: "A", seats: 4 }] }] };
    const seating = { eventId: "e1", venueId: "ven_1", layout, seatCount: 4 };
    const type = { eventId: "e1", name: "Stalls", priceCents: 2_500, capacity: 4, position: 0 };
    insertEvent(db, eventRow("e1", { venueId: "ven_1" }), [{ ...type, id: "e1-ga" }], seating);
    expect(findEventRow(db, "e1")).toMatchObject({
      id: "e1",
      venueId: "ven_1",
      status: "published",
    });
    expect(ticketTypesOfEvents(db, ["e1"]).get("e1")).toEqual([
      { ...type, id: "e1-ga", hidden: false },
    ]);
    const stored = db.select().from(eventSeatLayouts).where(eq(eventSeatLayouts.eventId, "e1"));
    expect(stored.all()).toEqual([seating]);
  });

  it("leaves no event behind when its ticket types cannot be written", () => {
    const type = { eventId: "e1", name: "GA", priceCents: 1_000, capacity: 5, position: 0 };
    const duplicateIds = [
      { ...type, id: "tt_same" },
      { ...type, id: "tt_same", position: 1 },
    ];
    expect(() => insertEvent(db, eventRow("e1"), duplicateIds, null)).toThrow();
    expect(findEventRow(db, "e1")).toBeNull();
    expect(db.select().from(ticketTypes).all()).toEqual([]);
  });

  it("leaves neither event nor types behind when the layout cannot be written", () => {
    const type = {
      id: "e1-ga",
      eventId: "e1",
      name: "GA",
      priceCents: 0,
      capacity: 1,
      position: 0,
    };
    // The layout names an event that does not exist: the foreign key refuses it.
    const layout = { sections: [{ ticketTypeId: "e1-ga", rows: [{ label: "A", seats: 1 }] }] };
    const seating = { eventId: "e_missing", venueId: "ven_1", layout, seatCount: 1 };
    expect(() => insertEvent(db, eventRow("e1"), [type], seating)).toThrow();
    expect(db.select().from(events).all()).toEqual([]);
    expect(db.select().from(ticketTypes).all()).toEqual([]);
  });
});

describe("listEventRows", () => {
  it("lists published events only, unless every status of the organizer's is asked for", () => {
    createEvent("draft", { status: "draft" });
    createEvent("live");
    createEvent("off", { status: "cancelled" });
    createEvent("theirs", { organizerId: "usr_other_org", status: "draft" });
    expect(allPages(10)).toEqual(["live"]);
    const mine = { organizerId: ORGANIZER, allStatuses: true };
    expect(allPages(10, mine)).toEqual(["draft", "live", "off"]);
  });

  it("pages by start then id, never skipping or repeating, even when starts are shared", () => {
    const starts = [3, 1, 2, 2, 1, 2, 3, 1];
    starts.forEach((hours, n) => {
      createEvent(`e${n}`, { startsAt: NOW + hours * HOUR });
    });
    const expected = starts
      .map((hours, n) => ({ id: `e${n}`, startsAt: NOW + hours * HOUR }))
      .sort((a, b) => a.startsAt - b.startsAt || (a.id < b.id ? -1 : 1))
      .map((e) => e.id);
    for (const limit of [1, 2, 3, 8, 50]) expect(allPages(limit)).toEqual(expected);
  });

  it("searches title, description and venue name, ignoring case", () => {
    createEvent("title", { title: "Jazz Night" });
    createEvent("description", { description: "late JAZZ set" });
    createEvent("venue", { venueName: "The jazz cellar" });
    createEvent("none", { title: "Opera" });
    const found = allPages(10, { searchPattern: containing("jazz") });
    expect(found.sort()).toEqual(["description", "title", "venue"]);
  });

  it("search takes % and _ literally", () => {
    createEvent("percent", { title: "100% Jazz" });
    createEvent("underscore", { title: "a_b night" });
    createEvent("backslash", { venueName: "back\\slash hall" });
    createEvent("plain", { title: "1000 Jazz", description: "axb night" });
    const search = (text: string) => allPages(10, { searchPattern: containing(text) });
    expect(search("%")).toEqual(["percent"]);
    expect(search("0% J")).toEqual(["percent"]);
    expect(search("a_b")).toEqual(["underscore"]);
    expect(search("\\")).toEqual(["backslash"]);
  });

  it("leaves out events that ended before endedBefore, by their start when they have no end", () => {
    createEvent("ended", { startsAt: NOW - 3 * HOUR, endsAt: NOW - HOUR });
    createEvent("ends_now", { startsAt: NOW - 3 * HOUR, endsAt: NOW });
    createEvent("running", { startsAt: NOW - 3 * HOUR, endsAt: NOW + HOUR });
    createEvent("started", { startsAt: NOW - HOUR, endsAt: null });
    createEvent("upcoming", { startsAt: NOW + HOUR, endsAt: null });
    expect(allPages(10, { endedBefore: NOW })).toEqual(["ends_now", "running", "upcoming"]);
    expect(allPages(10)).toHaveLength(5);
  });

  it("keeps only events starting within from and to, both included", () => {
    for (const hours of [1, 2, 3, 4]) createEvent(`h${hours}`, { startsAt: NOW + hours * HOUR });
    expect(allPages(10, { from: NOW + 2 * HOUR, to: NOW + 3 * HOUR })).toEqual(["h2", "h3"]);
  });
});

describe("sold and held counts", () => {
  beforeEach(() => {
    createEvent("a");
    createEvent("b");
  });

  it("counts tickets of confirmed bookings only, not cancelled ones", () => {
    apply("a", booking("bk1", "a", ADA, { "a-ga": 2, "a-vip": 1 }));
    apply("a", booking("bk2", "a", GRACE, { "a-ga": 3 }), cancelled("bk2", GRACE));
    apply("a", booking("bk3", "a", LINUS, { "a-ga": 1 }));
    apply("b", booking("bk4", "b", ADA, { "b-ga": 4 }));
    expect(soldByTicketType(db, ["a"])).toEqual(perType({ "a-ga": 3, "a-vip": 1 }));
    const both = soldByTicketType(db, ["a", "b"]);
    expect(both).toEqual(perType({ "a-ga": 3, "a-vip": 1, "b-ga": 4 }));
    expect(soldByTicketType(db, [])).toEqual(new Map());
  });

  it("counts only live holds as held: active and not yet past their expiry", () => {
    const live = hold("h_live", ADA, { "a-ga": 2, "a-vip": 1 });
    const released = hold("h_released", GRACE, { "a-ga": 1 });
    const expired = hold("h_expired", LINUS, { "a-ga": 1 });
    const lapsed = hold("h_lapsed", BARBARA, { "a-vip": 4 }, { expiresAt: NOW });
    apply("a", placed(live), placed(released), placed(expired), placed(lapsed));
    apply("a", { type: "HoldReleased", holdId: "h_released", at: NOW });
    apply("a", { type: "HoldExpired", holdId: "h_expired", at: NOW });
    apply("b", placed(hold("h_b", ADA, { "b-ga": 5 })));
    // h_lapsed expires at NOW exactly: from then on it holds nothing, swept or not.
    expect(heldByTicketType(db, ["a"], NOW)).toEqual(perType({ "a-ga": 2, "a-vip": 1 }));
    expect(heldByTicketType(db, ["a"], NOW - 1)).toEqual(perType({ "a-ga": 2, "a-vip": 5 }));
    expect(heldByTicketType(db, ["a"], NOW + 600_000)).toEqual(new Map());
    expect(heldByTicketType(db, ["a", "b"], NOW).get("b-ga")).toBe(5);
  });

  it("no longer counts a hold as held once a booking confirmed it", () => {
    apply("a", placed(hold("h1", ADA, { "a-ga": 2 })));
    expect(heldByTicketType(db, ["a"], NOW).get("a-ga")).toBe(2);
    apply("a", booking("bk1", "a", ADA, { "a-ga": 2 }, { holdId: "h1" }));
    expect(heldByTicketType(db, ["a"], NOW)).toEqual(new Map());
    expect(soldByTicketType(db, ["a"]).get("a-ga")).toBe(2);
  });

  it("ticketCounts gives sold and held per type, zero where a type has only one of them", () => {
    apply("a", booking("bk1", "a", ADA, { "a-ga": 2 }));
    apply("a", placed(hold("h1", GRACE, { "a-ga": 1, "a-vip": 3 })));
    expect(ticketCounts(db, ["a", "b"], NOW)).toEqual(
      new Map([
        ["a-ga", { sold: 2, held: 1 }],
        ["a-vip", { sold: 0, held: 3 }],
      ]),
    );
  });
});

describe("takenSeats", () => {
  it("tells booked seats from held ones, leaving out cancelled bookings and dead holds", () => {
    createEvent("s");
    createEvent("other");
    const seat = (n: number) => `s1-r1-${n}`;
    const seated = (id: string, userId: string, n: number, fields: Partial<Hold> = {}) =>
      hold(id, userId, { "s-ga": 1 }, { seatIds: [seat(n)], ...fields });
    apply("s", booking("bk1", "s", ADA, { "s-ga": 2 }, { seatIds: [seat(1), seat(2)] }));
    apply(
      "s",
      booking("bk2", "s", GRACE, { "s-ga": 1 }, { seatIds: [seat(3)] }),
      cancelled("bk2", GRACE),
    );
    apply("s", booking("bk3", "s", LINUS, { "s-ga": 1 }));
    const holds = [
      seated("h_live", ADA, 4),
      seated("h_lapsed", GRACE, 5, { expiresAt: NOW }),
      seated("h_released", LINUS, 6),
    ];
    apply("s", ...holds.map(placed));
    apply("s", { type: "HoldReleased", holdId: "h_released", at: NOW });
    apply("other", booking("bk4", "other", ADA, { "other-ga": 1 }, { seatIds: [seat(7)] }));
    const taken = takenSeats(db, "s", NOW);
    expect(taken.booked.sort()).toEqual([seat(1), seat(2)]);
    expect(taken.held).toEqual([seat(4)]);
    expect(takenSeats(db, "s", NOW - 1).held.sort()).toEqual([seat(4), seat(5)]);
  });
});

describe("waitingByEvent", () => {
  it("counts waiting entries per event, not offered or ended ones", () => {
    for (const id of ["a", "b", "c"]) createEvent(id);
    apply("a", joined("w1", ADA, 1), joined("w2", GRACE, 2), joined("w3", LINUS, 3));
    apply("a", joined("w4", BARBARA, 4));
    apply("a", {
      type: "WaitlistOffered",
      entryId: "w1",
      hold: hold("h_offer", ADA, { "a-ga": 1 }),
    });
    apply("a", { type: "WaitlistLeft", entryId: "w4", at: NOW });
    apply("b", joined("w5", ADA, 1));
    expect(waitingByEvent(db, ["a", "b", "c"])).toEqual(perType({ a: 2, b: 1 }));
    expect(waitingByEvent(db, [])).toEqual(new Map());
  });
});
