import { describe, expect, it } from "bun:test";
import { DomainError, InputError, type Reason } from "../errors.ts";
import { decide } from "./decide.ts";
import {
  bookTickets,
  cancelBooking,
  codes,
  confirmHold,
  emptyState,
  eventConfig,
  given,
  items,
  NOW,
  pay,
  step,
} from "./fixtures.ts";
import { availability, waitlistPosition } from "./state.ts";
import type { EventConfig, EventEvent, EventState, JoinWaitlist, WaitlistConfig } from "./types.ts";

const FREE_TYPES = [
  { id: "ga", name: "General", priceCents: 0, capacity: 2 },
  { id: "vip", name: "VIP", priceCents: 0, capacity: 1 },
];

function waitlistEvent(waitlist: Partial<WaitlistConfig> = {}, extra: Partial<EventConfig> = {}) {
  return emptyState(
    eventConfig({
      ticketTypes: FREE_TYPES,
      waitlist: { enabled: true, mode: "offer", offerSeconds: 3_600, ...waitlist },
      ...extra,
    }),
  );
}

const join = (
  userId: string,
  quantity = 1,
  ticketTypeId: string | null = null,
  entryId = `wl-${userId}`,
): JoinWaitlist => ({ type: "JoinWaitlist", entryId, userId, ticketTypeId, quantity });

/** Sold out: u1 has both GA tickets (booking "b-ga"), u2 the VIP one ("b-vip"). */
const soldOut = (state: EventState) =>
  given(state, [
    bookTickets("u1", items(["ga", 2]), null, { bookingId: "b-ga" }),
    bookTickets("u2", items(["vip", 1]), null, { bookingId: "b-vip" }),
  ]);

function expectReason(reply: unknown, reason: Reason): void {
  expect(reply).toBeInstanceOf(DomainError);
  expect((reply as DomainError).reason).toBe(reason);
}

const typesOf = (events: readonly EventEvent[]) => events.map((e) => e.type);

describe("JoinWaitlist", () => {
  it("queues entries with exact positions and counts them in availability", () => {
    const state = soldOut(waitlistEvent());
    const first = step(state, join("a"));
    expect(first.decision.reply).toMatchObject({ position: 1 });
    const second = step(first.state, join("b", 2, "ga"));
    expect(second.decision.reply).toMatchObject({ position: 2 });
    expect(availability(second.state).waitlistLength).toBe(2);
  });

  const refusals: { name: string; state: () => EventState; cmd: JoinWaitlist; reason: Reason }[] = [
    {
      name: "refuses when the event has no waitlist with WAITLIST_DISABLED",
      state: () => waitlistEvent({ enabled: false }),
      cmd: join("a"),
      reason: "WAITLIST_DISABLED",
    },
    {
      name: "refuses a second active entry of one user with ALREADY_ON_WAITLIST",
      state: () => given(waitlistEvent(), [join("a")]),
      cmd: join("a", 1, null, "wl-again"),
      reason: "ALREADY_ON_WAITLIST",
    },
    {
      name: "refuses a request beyond maxPerOrder with LIMIT_EXCEEDED",
      state: () => waitlistEvent({}, { maxPerOrder: 2 }),
      cmd: join("a", 3),
      reason: "LIMIT_EXCEEDED",
    },
    {
      name: "refuses on a draft with EVENT_NOT_PUBLISHED",
      state: () => waitlistEvent({}, { status: "draft" }),
      cmd: join("a"),
      reason: "EVENT_NOT_PUBLISHED",
    },
  ];
  for (const c of refusals) {
    it(c.name, () => {
      const decision = decide(c.state(), c.cmd, NOW);
      expect(decision.events).toEqual([]);
      expectReason(decision.reply, c.reason);
    });
  }

  it("refuses an unknown ticket type as input", () => {
    const decision = decide(waitlistEvent(), join("a", 1, "nope"), NOW);
    expect(decision.reply).toBeInstanceOf(InputError);
  });
});

describe("LeaveWaitlist", () => {
  it("refuses someone not waiting with NOT_ON_WAITLIST", () => {
    expectReason(
      decide(waitlistEvent(), { type: "LeaveWaitlist", userId: "a" }, NOW).reply,
      "NOT_ON_WAITLIST",
    );
  });

  it("moves everyone behind up, and lets the user join again", () => {
    const state = given(soldOut(waitlistEvent()), [join("a"), join("b")]);
    const { state: after, decision } = step(state, { type: "LeaveWaitlist", userId: "a" });
    expect(decision.events).toEqual([{ type: "WaitlistLeft", entryId: "wl-a", at: NOW }]);
    expect(waitlistPosition(after, "wl-b")).toBe(1);
    expect(step(after, join("a", 1, null, "wl-a2")).decision.reply).toMatchObject({ position: 2 });
  });
});

describe("serving the queue when tickets free up (offer mode)", () => {
  const queued = given(soldOut(waitlistEvent()), [join("big", 2), join("small", 1), join("late")]);

  it("offers a cancelled ticket to the earliest entry that fits, skipping a larger request", () => {
    const { state, decision } = step(queued, cancelBooking("b-vip", "u2"));
    expect(typesOf(decision.events)).toEqual(["BookingCancelled", "WaitlistOffered"]);
    expect(decision.events[1]).toMatchObject({ entryId: "wl-small" });
    const hold = state.holds.get("wl-small-offer");
    expect(hold).toMatchObject({ userId: "small", expiresAt: NOW + 3_600_000 });
    expect(state.waitlist.get("wl-small")).toMatchObject({ state: "offered" });
    expect(waitlistPosition(state, "wl-late")).toBe(2);
    expect(state.sold + state.held).toBe(3);
  });

  it("serves several entries, in order, when several tickets free up", () => {
    const { decision } = step(queued, cancelBooking("b-ga", "u1"));
    const offered = decision.events.filter((e) => e.type === "WaitlistOffered");
    expect(offered.map((e) => e.entryId)).toEqual(["wl-big"]);
  });

  it("passes an expired offer to the next entry", () => {
    const offered = step(queued, cancelBooking("b-vip", "u2")).state;
    const at = NOW + 3_600_000;
    const { state, decision } = step(offered, { type: "ExpireHolds" }, at);
    expect(typesOf(decision.events)).toEqual([
      "HoldExpired",
      "WaitlistOfferExpired",
      "WaitlistOffered",
    ]);
    expect(decision.events[2]).toMatchObject({ entryId: "wl-late" });
    expect(state.waitlist.has("wl-small")).toBe(false);
  });

  it("converts the entry when its offer is confirmed", () => {
    const offered = step(queued, cancelBooking("b-vip", "u2")).state;
    const cmd = confirmHold("small", "wl-small-offer", null, { bookingId: "b-small" });
    const { state, decision } = step(offered, cmd);
    expect(typesOf(decision.events)).toEqual(["BookingConfirmed", "WaitlistConverted"]);
    expect(state.waitlist.has("wl-small")).toBe(false);
    expect(state.waitlistUsers.has("small")).toBe(false);
  });

  it("gives a released offer to the next entry, and the decliner leaves", () => {
    const offered = step(queued, cancelBooking("b-vip", "u2")).state;
    const { decision } = step(offered, {
      type: "ReleaseHold",
      holdId: "wl-small-offer",
      userId: "small",
    });
    expect(typesOf(decision.events)).toEqual(["HoldReleased", "WaitlistLeft", "WaitlistOffered"]);
  });

  it("serves when the organizer raises a capacity", () => {
    const config = {
      ...queued.config,
      ticketTypes: [FREE_TYPES[0]!, { ...FREE_TYPES[1]!, capacity: 4 }],
    };
    const { decision } = step(queued, { type: "Reconfigure", config, details: null });
    const offered = decision.events.filter((e) => e.type === "WaitlistOffered");
    expect(offered.map((e) => e.entryId)).toEqual(["wl-big", "wl-small"]);
  });

  it("closes the waitlist when the event is cancelled", () => {
    const { state, decision } = step(queued, {
      type: "CancelEvent",
      reason: "rain",
      byUserId: "org",
    });
    expect(typesOf(decision.events)).toContain("WaitlistClosed");
    expect(state.waitlist.size).toBe(0);
  });
});

describe("serving the queue in auto mode", () => {
  const queued = given(soldOut(waitlistEvent({ mode: "auto" })), [join("a"), join("b")]);

  it("books the freed ticket for the first waiter and moves the second up", () => {
    const { state, decision } = step(queued, { ...cancelBooking("b-vip", "u2"), codes: codes(5) });
    expect(typesOf(decision.events)).toEqual(["BookingCancelled", "WaitlistAutoBooked"]);
    expect(state.bookings.get("wl-a-b")).toMatchObject({ userId: "a" });
    expect(waitlistPosition(state, "wl-b")).toBe(1);
  });

  it("offers instead when no ticket codes were drawn", () => {
    const { decision } = step(queued, cancelBooking("b-vip", "u2"));
    expect(typesOf(decision.events)).toEqual(["BookingCancelled", "WaitlistOffered"]);
  });
});

describe("OfferNext", () => {
  it("offers free tickets to the earliest waiting entry that fits", () => {
    const state = given(waitlistEvent(), [join("a", 3), join("b", 1)]);
    const decision = decide(state, { type: "OfferNext" }, NOW);
    expect(decision.reply).toMatchObject({ entryId: "wl-b", state: "offered" });
  });

  it("refuses with SOLD_OUT when no waiting request fits", () => {
    const state = given(soldOut(waitlistEvent()), [join("a")]);
    expectReason(decide(state, { type: "OfferNext" }, NOW).reply, "SOLD_OUT");
  });

  it("refuses with NOT_ON_WAITLIST when nobody waits", () => {
    expectReason(decide(waitlistEvent(), { type: "OfferNext" }, NOW).reply, "NOT_ON_WAITLIST");
  });

  it("never offers a paid ticket through auto mode: it offers a hold instead", () => {
    const paid = emptyState(
      eventConfig({ waitlist: { enabled: true, mode: "auto", offerSeconds: 60 } }),
    );
    const state = given(paid, [
      bookTickets("u1", items(["vip", 2]), pay(10_000), { bookingId: "b1" }),
      join("a", 1, "vip"),
    ]);
    const { decision } = step(state, { ...cancelBooking("b1", "u1"), codes: codes(5) });
    expect(typesOf(decision.events)).toEqual(["BookingCancelled", "WaitlistOffered"]);
  });
});
