import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import type { EventEvent, Hold, WaitlistEntry } from "@boxoffice/core";
import { createEventWrites } from "../event-writes.ts";
import type { Db } from "../open.ts";
import { openTestDb, type TestDb, testHold } from "../testing.ts";
import { insertEvent } from "./events.ts";
import { insertUser } from "./users.ts";
import { activeWaitlistEntries, latestWaitlistEntry, waitlistHistory } from "./waitlist.ts";

const NOW = 1_700_000_000_000;
const OFFER_MS = 600_000;
const [ADA, GRACE, LINUS, BARBARA, EDSGER] = [
  "usr_ada",
  "usr_grace",
  "usr_linus",
  "usr_barbara",
  "usr_edsger",
];

let testDb: TestDb;
let db: Db;

beforeEach(() => {
  testDb = openTestDb();
  db = testDb.db;
  for (const id of ["usr_org", ADA, GRACE, LINUS, BARBARA, EDSGER]) {
    const email = `${id}@example.test`;
    insertUser(db, { id, email, name: id, role: "attendee", passwordHash: "h", createdAt: 0 });
  }
  for (const id of ["ev", "other"]) createEvent(id);
});

afterEach(() => testDb.close());

function createEvent(id: string): void {
  const event = {
    id,
    organizerId: "usr_org",
    title: id,
    status: "published" as const,
    startsAt: NOW + 86_400_000,
    waitlistEnabled: true,
    cancellationPolicy: { refundable: false, feeCents: 0, rules: [] },
    createdAt: NOW,
    updatedAt: NOW,
  };
  const type = { id: `${id}-ga`, eventId: id, name: "GA", priceCents: 1_000, capacity: 1 };
  insertEvent(db, event, [{ ...type, position: 0 }], null);
}

function apply(eventId: string, ...domainEvents: EventEvent[]): void {
  const writes = createEventWrites(db);
  db.$client.transaction(() => writes.apply(eventId, domainEvents))();
}

function joined(id: string, userId: string, seq: number, quantity = 1): EventEvent {
  const entry: WaitlistEntry = {
    id,
    userId,
    ticketTypeId: null,
    quantity,
    joinedAt: NOW + seq,
    seq,
    state: "waiting",
    holdId: null,
  };
  return { type: "WaitlistJoined", entry };
}

const offerHold = (id: string, userId: string, eventId = "ev"): Hold =>
  testHold({
    id,
    userId,
    items: [{ ticketTypeId: `${eventId}-ga`, quantity: 1, unitPriceCents: 1_000 }],
    createdAt: NOW + 100,
    expiresAt: NOW + 100 + OFFER_MS,
  });

const offered = (entryId: string, hold: Hold): EventEvent => ({
  type: "WaitlistOffered",
  entryId,
  hold,
});

const left = (entryId: string): EventEvent => ({ type: "WaitlistLeft", entryId, at: NOW + 200 });

describe("latestWaitlistEntry", () => {
  it("finds nothing for a user who never joined the event's waitlist", () => {
    apply("other", joined("w_other", ADA, 1));
    expect(latestWaitlistEntry(db, "ev", ADA)).toBeNull();
  });

  it("returns the user's latest entry whatever its state, with a place only while waiting", () => {
    // The later entry has the smaller id: only seq says which came last.
    apply("ev", joined("w_z", ADA, 1), left("w_z"), joined("w2", GRACE, 2), joined("w_a", ADA, 3));
    expect(latestWaitlistEntry(db, "ev", ADA)).toEqual({
      entry: {
        id: "w_a",
        userId: ADA,
        ticketTypeId: null,
        quantity: 1,
        seq: 3,
        state: "waiting",
        joinedAt: NOW + 3,
        holdId: null,
        offer: null,
      },
      position: 2,
    });
    apply("ev", left("w_a"));
    const latest = latestWaitlistEntry(db, "ev", ADA);
    expect(latest?.entry).toMatchObject({ id: "w_a", state: "left", offer: null });
    expect(latest?.position).toBeNull();
  });

  it("places a waiting entry after the waiting entries with a lower seq only", () => {
    apply(
      "ev",
      joined("w1", ADA, 1),
      joined("w2", GRACE, 2),
      joined("w3", LINUS, 3),
      joined("w4", BARBARA, 4),
      joined("w5", EDSGER, 5),
    );
    apply("ev", offered("w2", offerHold("h_offer", GRACE)), left("w3"));
    // Another event's queue is no part of this one.
    apply("other", joined("w_other", GRACE, 1));
    expect(latestWaitlistEntry(db, "ev", ADA)?.position).toBe(1);
    expect(latestWaitlistEntry(db, "ev", BARBARA)?.position).toBe(2);
    expect(latestWaitlistEntry(db, "ev", EDSGER)?.position).toBe(3);
    expect(latestWaitlistEntry(db, "other", GRACE)?.position).toBe(1);
  });

  it("gives an offered entry its offer while the offer hold is active, and none once it ended", () => {
    const hold = offerHold("h_offer", ADA);
    apply("ev", joined("w1", ADA, 1), offered("w1", hold));
    expect(latestWaitlistEntry(db, "ev", ADA)).toEqual({
      entry: expect.objectContaining({
        id: "w1",
        state: "offered",
        offer: { holdId: "h_offer", expiresAt: hold.expiresAt },
      }),
      position: null,
    });
    // The hold's end alone takes the offer away, before the entry itself moves on.
    apply("ev", { type: "HoldExpired", holdId: "h_offer", at: hold.expiresAt });
    expect(latestWaitlistEntry(db, "ev", ADA)?.entry).toMatchObject({
      state: "offered",
      offer: null,
    });
  });

  it("gives no offer to an entry that is no longer offered, even if its hold still lives", () => {
    apply("ev", joined("w1", ADA, 1), offered("w1", offerHold("h_offer", ADA)));
    apply("ev", { type: "WaitlistOfferExpired", entryId: "w1", at: NOW + 300 });
    expect(latestWaitlistEntry(db, "ev", ADA)?.entry).toMatchObject({
      state: "expired",
      offer: null,
    });
  });
});

describe("activeWaitlistEntries", () => {
  it("lists waiting and offered entries only, in queue order", () => {
    // Ids and insertion order both disagree with the queue order: only seq decides.
    apply(
      "ev",
      joined("w_a", ADA, 4),
      joined("w_b", GRACE, 2),
      joined("w_c", LINUS, 1, 3),
      joined("w_d", BARBARA, 3),
      joined("w_e", EDSGER, 5),
    );
    apply("ev", offered("w_d", offerHold("h_offer", BARBARA)), left("w_b"));
    apply("ev", offered("w_e", offerHold("h_gone", EDSGER)));
    apply("ev", { type: "HoldReleased", holdId: "h_gone", at: NOW + 300 });
    apply("ev", { type: "WaitlistOfferExpired", entryId: "w_e", at: NOW + 300 });
    apply("other", joined("w_other", GRACE, 1));
    const entries = activeWaitlistEntries(db, "ev");
    expect(entries.map((e) => [e.id, e.state])).toEqual([
      ["w_c", "waiting"],
      ["w_d", "offered"],
      ["w_a", "waiting"],
    ]);
    expect(entries[0]).toEqual({
      id: "w_c",
      userId: LINUS,
      ticketTypeId: null,
      quantity: 3,
      seq: 1,
      state: "waiting",
      joinedAt: NOW + 1,
      holdId: null,
      offer: null,
    });
    expect(entries[1]?.holdId).toBe("h_offer");
    expect(entries[1]?.offer).toEqual({ holdId: "h_offer", expiresAt: NOW + 100 + OFFER_MS });
  });

  it("is empty once the waitlist closed", () => {
    apply("ev", joined("w1", ADA, 1), joined("w2", GRACE, 2));
    expect(activeWaitlistEntries(db, "ev")).toHaveLength(2);
    apply("ev", { type: "WaitlistClosed", at: NOW + 300 });
    expect(activeWaitlistEntries(db, "ev")).toEqual([]);
  });
});

describe("waitlistHistory", () => {
  /** w1 converted, w2 left, w3 expired after an offer, w4 offered, w5 and w6 waiting. */
  function everyState(): void {
    apply(
      "ev",
      joined("w1", ADA, 1),
      joined("w2", GRACE, 2),
      joined("w3", LINUS, 3),
      joined("w4", BARBARA, 4),
      joined("w5", EDSGER, 5),
      joined("w6", "usr_org", 6, 2),
    );
    apply("ev", offered("w1", offerHold("h1", ADA)));
    apply("ev", { type: "WaitlistConverted", entryId: "w1", bookingId: "bk1", at: NOW + 150 });
    apply("ev", left("w2"), offered("w3", offerHold("h3", LINUS)));
    apply("ev", { type: "HoldExpired", holdId: "h3", at: NOW + 100 + OFFER_MS });
    apply("ev", { type: "WaitlistOfferExpired", entryId: "w3", at: NOW + 100 + OFFER_MS });
    apply("ev", offered("w4", offerHold("h4", BARBARA)));
    apply("other", joined("w_other", GRACE, 1));
  }

  const all = { state: null, afterSeq: null, limit: 100 };

  it("lists every entry that ever joined, in joining order, with how each ended", () => {
    everyState();
    const history = waitlistHistory(db, "ev", all);
    expect(history.map((e) => [e.id, e.state, e.position])).toEqual([
      ["w1", "converted", null],
      ["w2", "left", null],
      ["w3", "expired", null],
      ["w4", "offered", null],
      ["w5", "waiting", 1],
      ["w6", "waiting", 2],
    ]);
    const [w1, w2, w3, w4] = history;
    expect(w1).toMatchObject({ bookingId: "bk1", endedAt: NOW + 150, offer: null });
    expect(w2).toMatchObject({ endedAt: NOW + 200, offerExpiresAt: null, bookingId: null });
    expect(w3).toMatchObject({
      endedAt: NOW + 100 + OFFER_MS,
      offerExpiresAt: NOW + 100 + OFFER_MS,
    });
    expect(w4).toMatchObject({
      endedAt: null,
      offer: { holdId: "h4", expiresAt: NOW + 100 + OFFER_MS },
      offerExpiresAt: NOW + 100 + OFFER_MS,
    });
  });

  it("pages by seq, filters by state, and numbers waiting entries across pages", () => {
    everyState();
    const first = waitlistHistory(db, "ev", { ...all, limit: 5 });
    expect(first.map((e) => e.id)).toEqual(["w1", "w2", "w3", "w4", "w5"]);
    const second = waitlistHistory(db, "ev", { ...all, afterSeq: 5, limit: 5 });
    expect(second.map((e) => [e.id, e.position])).toEqual([["w6", 2]]);
    const waiting = waitlistHistory(db, "ev", { ...all, state: "waiting", afterSeq: 5 });
    expect(waiting.map((e) => [e.id, e.position])).toEqual([["w6", 2]]);
    expect(waitlistHistory(db, "ev", { ...all, state: "expired" }).map((e) => e.id)).toEqual([
      "w3",
    ]);
  });
});
