import { describe, expect, it } from "bun:test";
import { DomainError, InputError, type Reason } from "../errors.ts";
import { decide } from "./decide.ts";
import {
  bookTickets,
  cancelBooking,
  codes,
  confirmHold,
  given,
  items,
  NOW,
  pay,
  step,
} from "./fixtures.ts";
import { LAYOUT, ownersOf, seat, seatedConfig, seatedState } from "./seats.fixtures.ts";
import {
  buildSeating,
  pickSeats,
  SEAT_BOOKED,
  SEAT_FREE,
  SEAT_HELD,
  seatStatuses,
} from "./seats.ts";
import { initialState } from "./state.ts";
import type {
  BookTickets,
  EventCommand,
  EventConfig,
  EventState,
  Hold,
  PlaceHold,
} from "./types.ts";

const holdSeats = (userId: string, seatIds: string[], holdId = `h-${userId}`): PlaceHold => ({
  type: "PlaceHold",
  holdId,
  userId,
  items: [],
  seatIds,
});

const bookSeats = (
  userId: string,
  seatIds: string[],
  amountCents: number,
  bookingId = `b-${userId}`,
): BookTickets => ({
  ...bookTickets(userId, [], amountCents > 0 ? pay(amountCents) : null, { bookingId }),
  seatIds,
});

function expectReason(reply: unknown, reason: Reason, details?: Record<string, unknown>) {
  expect(reply).toBeInstanceOf(DomainError);
  expect((reply as DomainError).reason).toBe(reason);
  if (details) expect((reply as DomainError).details).toEqual(details);
}

function expectInput(reply: unknown, path: (string | number)[]) {
  expect(reply).toBeInstanceOf(InputError);
  expect((reply as InputError).issues[0]?.path).toEqual(path.join("."));
}

const holdOf = (state: EventState, id: string): Hold => {
  const hold = state.holds.get(id);
  if (!hold) throw new Error(`no hold ${id}`);
  return hold;
};

// ---------------------------------------------------------------------------------------------

interface SeatCase {
  name: string;
  config?: Partial<EventConfig>;
  setup?: EventCommand[];
  userId?: string;
  seatIds: string[];
  items?: [string, number][];
  expected: { reason: Reason; details?: Record<string, unknown> } | { input: (string | number)[] };
}

const taken = [holdSeats("u9", [seat(1, 1, 2)], "h-taken")];

const refusals: SeatCase[] = [
  {
    name: "refuses a taken seat with SEAT_UNAVAILABLE, naming it",
    setup: taken,
    seatIds: [seat(1, 1, 2)],
    expected: { reason: "SEAT_UNAVAILABLE", details: { seatIds: [seat(1, 1, 2)] } },
  },
  {
    name: "refuses a three-seat request with one seat taken, naming only that seat",
    setup: taken,
    seatIds: [seat(1, 1, 1), seat(1, 1, 2), seat(1, 1, 3)],
    expected: { reason: "SEAT_UNAVAILABLE", details: { seatIds: [seat(1, 1, 2)] } },
  },
  {
    name: "refuses unknown seat ids with SEAT_UNAVAILABLE, naming them",
    seatIds: [seat(1, 1, 1), "s9-r9-9", "nonsense"],
    expected: { reason: "SEAT_UNAVAILABLE", details: { seatIds: ["s9-r9-9", "nonsense"] } },
  },
  {
    name: "refuses the same seat twice in one request",
    seatIds: [seat(1, 1, 1), seat(1, 1, 1)],
    expected: { input: ["seatIds"] },
  },
  {
    name: "refuses ticket types instead of seats on a seated event",
    seatIds: [],
    items: [["st", 1]],
    expected: { input: ["items"] },
  },
  {
    name: "refuses a request with no seat at all",
    seatIds: [],
    expected: { input: ["seatIds"] },
  },
  {
    name: "counts seats against maxPerOrder",
    config: { maxPerOrder: 2 },
    seatIds: [seat(1, 1, 1), seat(1, 1, 2), seat(2, 1, 1)],
    expected: { reason: "LIMIT_EXCEEDED", details: { limit: "maxPerOrder", max: 2 } },
  },
  {
    name: "counts seats held earlier against maxPerUser",
    config: { maxPerUser: 3 },
    setup: [holdSeats("u1", [seat(1, 2, 1), seat(1, 2, 2)], "h-mine")],
    seatIds: [seat(1, 1, 1), seat(1, 1, 2)],
    expected: { reason: "LIMIT_EXCEEDED", details: { limit: "maxPerUser", max: 3, already: 2 } },
  },
  {
    name: "refuses seats of an unpublished event before looking at them",
    config: { status: "draft" },
    seatIds: ["nonsense"],
    expected: { reason: "EVENT_NOT_PUBLISHED" },
  },
];

for (const kind of ["PlaceHold", "BookTickets"] as const) {
  describe(`${kind} on a seated event refuses all or nothing`, () => {
    for (const c of refusals) {
      it(c.name, () => {
        const state = given(seatedState(seatedConfig(c.config)), c.setup ?? []);
        const userId = c.userId ?? "u1";
        const base =
          kind === "PlaceHold" ? holdSeats(userId, c.seatIds) : bookSeats(userId, c.seatIds, 9_000);
        const cmd = { ...base, items: items(...(c.items ?? [])) };
        const decision = decide(state, cmd, NOW);
        expect(decision.events).toEqual([]);
        if ("reason" in c.expected)
          expectReason(decision.reply, c.expected.reason, c.expected.details);
        else expectInput(decision.reply, c.expected.input);
      });
    }
  });
}

describe("seat holds", () => {
  it("holds the seats, priced by section, in seat order", () => {
    const { state, decision } = step(
      seatedState(),
      holdSeats("u1", [seat(2, 1, 1), seat(1, 1, 2), seat(1, 1, 1)], "h1"),
    );
    const hold = holdOf(state, "h1");
    expect(decision.reply).toEqual({ hold });
    expect(hold.seatIds).toEqual([seat(1, 1, 1), seat(1, 1, 2), seat(2, 1, 1)]);
    expect(hold.items).toEqual([
      { ticketTypeId: "st", quantity: 2, unitPriceCents: 3_000 },
      { ticketTypeId: "bal", quantity: 1, unitPriceCents: 0 },
    ]);
    expect(hold.totalCents).toBe(6_000);
    expect(state.counts).toEqual({ st: { sold: 0, held: 2 }, bal: { sold: 0, held: 1 } });
    expect(state.perUser.get("u1")).toBe(3);
    expect(ownersOf(state)).toEqual({
      [seat(1, 1, 1)]: "h1",
      [seat(1, 1, 2)]: "h1",
      [seat(2, 1, 1)]: "h1",
    });
  });

  it("leaves the state it was given untouched (adopt after commit)", () => {
    const before = seatedState();
    step(before, holdSeats("u1", [seat(1, 1, 1)], "h1"));
    expect(before.seatOwners.size).toBe(0);
  });

  const freeing: [string, (s: EventState) => EventCommand, number][] = [
    ["a release", () => ({ type: "ReleaseHold", holdId: "h1", userId: "u1" }), NOW],
    ["an expiry", () => ({ type: "ExpireHolds" }), NOW + 600_000],
    ["an event cancellation", () => ({ type: "CancelEvent", reason: "x", byUserId: "org" }), NOW],
  ];
  for (const [what, cmd, at] of freeing) {
    it(`frees the seats exactly once on ${what}`, () => {
      const held = given(seatedState(), [holdSeats("u1", [seat(1, 1, 1), seat(1, 1, 2)], "h1")]);
      const first = step(held, cmd(held), at);
      expect(first.state.seatOwners.size).toBe(0);
      expect(first.state.counts.st).toEqual({ sold: 0, held: 0 });
      const again = decide(first.state, cmd(first.state), at);
      expect(
        again.events.filter((e) => e.type === "HoldReleased" || e.type === "HoldExpired"),
      ).toEqual([]);
      // Someone else can have them now.
      if (first.state.config.status !== "cancelled") {
        given(first.state, [holdSeats("u2", [seat(1, 1, 1), seat(1, 1, 2)], "h2")], at);
      }
    });
  }
});

describe("seat bookings", () => {
  it("turns a confirmed hold's seats into booked ones, one ticket per seat", () => {
    const held = given(seatedState(), [holdSeats("u1", [seat(1, 1, 1), seat(2, 1, 3)], "h1")]);
    const { state, decision } = step(
      held,
      confirmHold("u1", "h1", pay(3_000), { bookingId: "b1", codes: codes(2) }),
    );
    const reply = decision.reply as {
      status: "created";
      booking: { tickets: unknown[]; seatIds: string[] };
    };
    expect(reply.booking.seatIds).toEqual([seat(1, 1, 1), seat(2, 1, 3)]);
    expect(reply.booking.tickets).toMatchObject([
      { ticketTypeId: "st", seatId: seat(1, 1, 1) },
      { ticketTypeId: "bal", seatId: seat(2, 1, 3) },
    ]);
    expect(ownersOf(state)).toEqual({ [seat(1, 1, 1)]: "b1", [seat(2, 1, 3)]: "b1" });
    expect(state.counts.st).toEqual({ sold: 1, held: 0 });
    const statuses = seatStatuses(state);
    expect(statuses[0]).toBe(SEAT_BOOKED);
    expect(statuses[1]).toBe(SEAT_FREE);
  });

  it("books seats directly and frees them when the booking is cancelled", () => {
    const booked = given(seatedState(), [bookSeats("u1", [seat(1, 2, 4)], 3_000, "b1")]);
    expect(ownersOf(booked)).toEqual({ [seat(1, 2, 4)]: "b1" });
    const cancelled = step(booked, cancelBooking("b1", "u1"));
    expect(cancelled.state.seatOwners.size).toBe(0);
    expect(cancelled.state.counts.st).toEqual({ sold: 0, held: 0 });
    expectReason(
      decide(cancelled.state, cancelBooking("b1", "u1"), NOW).reply,
      "ALREADY_CANCELLED",
    );
    given(cancelled.state, [bookSeats("u2", [seat(1, 2, 4)], 3_000, "b2")]);
  });

  it("charges the seats' section prices: a payment for less is declined", () => {
    const decision = decide(
      seatedState(),
      bookSeats("u1", [seat(1, 1, 1), seat(1, 1, 2)], 3_000),
      NOW,
    );
    expectReason(decision.reply, "PAYMENT_DECLINED");
  });

  it("marks held and booked seats apart in the statuses", () => {
    const state = given(seatedState(), [
      holdSeats("u1", [seat(1, 1, 1)], "h1"),
      bookSeats("u2", [seat(2, 1, 1)], 0, "b2"),
    ]);
    const statuses = seatStatuses(state);
    expect(statuses[0]).toBe(SEAT_HELD);
    expect(statuses[8]).toBe(SEAT_BOOKED);
    expect([...statuses].filter((s) => s === SEAT_FREE)).toHaveLength(9);
  });
});

describe("seated configuration", () => {
  it("lets sections be renamed and repriced but not resized or added to", () => {
    const state = seatedState();
    const renamed = seatedConfig({
      ticketTypes: [
        { id: "st", name: "Orchestra", priceCents: 4_000, capacity: 8 },
        { id: "bal", name: "Balcony", priceCents: 0, capacity: 3 },
      ],
    });
    given(state, [{ type: "Reconfigure", config: renamed, details: null }]);
    for (const ticketTypes of [
      [
        { id: "st", name: "Stalls", priceCents: 3_000, capacity: 9 },
        { id: "bal", name: "Balcony", priceCents: 0, capacity: 3 },
      ],
      [...seatedConfig().ticketTypes, { id: "x", name: "Extra", priceCents: 0, capacity: 1 }],
    ]) {
      const cmd: EventCommand = {
        type: "Reconfigure",
        config: seatedConfig({ ticketTypes }),
        details: null,
      };
      expectInput(decide(state, cmd, NOW).reply, ["ticketTypes"]);
    }
  });

  it("loads seat owners from holds and bookings, and refuses a seat with two owners", () => {
    const hold: Hold = {
      id: "h1",
      userId: "u1",
      items: [{ ticketTypeId: "st", quantity: 1, unitPriceCents: 3_000 }],
      seatIds: [seat(1, 1, 1)],
      totalCents: 3_000,
      currency: "USD",
      createdAt: NOW,
      expiresAt: NOW + 1_000,
    };
    const booking = { ...hold, id: "b1", paidCents: 3_000 };
    const loaded = { config: seatedConfig(), idempotency: [], seating: LAYOUT };
    const state = initialState({ ...loaded, holds: [hold], bookings: [] });
    expect(ownersOf(state)).toEqual({ [seat(1, 1, 1)]: "h1" });
    expectReason(decide(state, holdSeats("u2", [seat(1, 1, 1)]), NOW).reply, "SEAT_UNAVAILABLE");
    expect(() => initialState({ ...loaded, holds: [hold], bookings: [booking] })).toThrow(
      /two owners/,
    );
  });

  it("numbers seats with stable ids per section, row and seat", () => {
    const seating = buildSeating(LAYOUT);
    expect(seating.size).toBe(11);
    expect(seating.ids.slice(0, 5)).toEqual([
      "s1-r1-1",
      "s1-r1-2",
      "s1-r1-3",
      "s1-r1-4",
      "s1-r2-1",
    ]);
    expect(seating.ids[8]).toBe("s2-r1-1");
  });
});

describe("picking seats for the waitlist", () => {
  it("picks adjacent seats in the frontmost row with room, centred", () => {
    const state = given(seatedState(), [holdSeats("u1", [seat(1, 1, 1)], "h1")]);
    expect(pickSeats(state, "st", 2)).toEqual([seat(1, 1, 2), seat(1, 1, 3)]);
    expect(pickSeats(state, "st", 3)).toEqual([seat(1, 1, 2), seat(1, 1, 3), seat(1, 1, 4)]);
    expect(pickSeats(state, "st", 4)).toEqual([
      seat(1, 2, 1),
      seat(1, 2, 2),
      seat(1, 2, 3),
      seat(1, 2, 4),
    ]);
  });

  it("falls back to the frontmost free seats when no row has them together", () => {
    const state = given(seatedState(), [holdSeats("u1", [seat(1, 1, 2), seat(1, 2, 3)], "h1")]);
    expect(pickSeats(state, "st", 4)).toEqual([
      seat(1, 1, 1),
      seat(1, 1, 3),
      seat(1, 1, 4),
      seat(1, 2, 1),
    ]);
    expect(pickSeats(state, "st", 7)).toBeNull();
  });

  it("offers a waiting entry held seats of its section when seats free up", () => {
    const config = seatedConfig({ waitlist: { enabled: true, mode: "offer", offerSeconds: 600 } });
    const full = given(seatedState(config), [
      bookSeats("u1", [seat(2, 1, 1), seat(2, 1, 2), seat(2, 1, 3)], 0, "b1"),
      { type: "JoinWaitlist", entryId: "w1", userId: "u2", ticketTypeId: "bal", quantity: 2 },
    ]);
    const { state, decision } = step(full, cancelBooking("b1", "u1"));
    const offered = decision.events.find((e) => e.type === "WaitlistOffered");
    expect(offered).toMatchObject({
      entryId: "w1",
      hold: { seatIds: [seat(2, 1, 1), seat(2, 1, 2)] },
    });
    expect(ownersOf(state)).toEqual({ [seat(2, 1, 1)]: "w1-offer", [seat(2, 1, 2)]: "w1-offer" });
    // Confirming the offer books those very seats.
    const confirmed = step(state, confirmHold("u2", "w1-offer", null, { bookingId: "b2" }));
    expect(ownersOf(confirmed.state)).toEqual({ [seat(2, 1, 1)]: "b2", [seat(2, 1, 2)]: "b2" });
  });

  it("auto-books free seats for a waiting entry, one ticket per seat", () => {
    const config = seatedConfig({ waitlist: { enabled: true, mode: "auto", offerSeconds: 600 } });
    const full = given(seatedState(config), [
      bookSeats("u1", [seat(2, 1, 1), seat(2, 1, 2), seat(2, 1, 3)], 0, "b1"),
      { type: "JoinWaitlist", entryId: "w1", userId: "u2", ticketTypeId: "bal", quantity: 1 },
    ]);
    const { state, decision } = step(full, { ...cancelBooking("b1", "u1"), codes: codes(5) });
    const booked = decision.events.find((e) => e.type === "WaitlistAutoBooked");
    expect(booked).toMatchObject({
      booking: { seatIds: [seat(2, 1, 2)], tickets: [{ seatId: seat(2, 1, 2) }] },
    });
    expect(ownersOf(state)).toEqual({ [seat(2, 1, 2)]: "w1-b" });
  });
});
