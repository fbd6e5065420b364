import { describe, expect, it } from "bun:test";
import { ConflictError, DomainError, InputError, type Reason } from "../errors.ts";
import { decide } from "./decide.ts";
import { evolve } from "./evolve.ts";
import {
  bookTickets,
  cancelBooking,
  codes,
  confirmHold,
  emptyState,
  eventConfig,
  given,
  HOUR,
  items,
  NOW,
  pay,
  placeHold,
  step,
} from "./fixtures.ts";
import type {
  BookingReply,
  EventCommand,
  EventConfig,
  EventState,
  Hold,
  ItemRequest,
} from "./types.ts";

type Expected =
  | { reason: Reason; details?: Record<string, unknown> }
  | { input: (string | number)[] }
  | { conflict: true };

function expectRefusal(reply: unknown, expected: Expected): void {
  if ("reason" in expected) {
    expect(reply).toBeInstanceOf(DomainError);
    expect((reply as DomainError).reason).toBe(expected.reason);
    if (expected.details) expect((reply as DomainError).details).toMatchObject(expected.details);
  } else if ("input" in expected) {
    expect(reply).toBeInstanceOf(InputError);
    expect((reply as InputError).issues[0]?.path).toEqual(expected.input.join("."));
  } else {
    expect(reply).toBeInstanceOf(ConflictError);
  }
}

const holdOf = (state: EventState, id: string): Hold => {
  const hold = state.holds.get(id);
  if (!hold) throw new Error(`no hold ${id}`);
  return hold;
};

const placed = (state: EventState, userId: string, request: ItemRequest[], holdId: string) =>
  given(state, [placeHold(userId, request, holdId)]);

// ---------------------------------------------------------------------------------------------
// PlaceHold and BookTickets pass the same admission checks, so each case runs for both.

interface AdmissionCase {
  name: string;
  config?: Partial<EventConfig>;
  setup?: (state: EventState) => EventState;
  userId?: string;
  request: ItemRequest[];
  seatIds?: string[];
  now?: number;
  expected: Expected;
}

const admissionCases: AdmissionCase[] = [
  {
    name: "refuses beyond a ticket type's capacity with SOLD_OUT",
    request: items(["ga", 6]),
    expected: { reason: "SOLD_OUT", details: { ticketTypeId: "ga", available: 5 } },
  },
  {
    name: "refuses what others already hold with SOLD_OUT",
    setup: (s) => placed(s, "u2", items(["vip", 2]), "h-other"),
    request: items(["vip", 1]),
    expected: { reason: "SOLD_OUT", details: { ticketTypeId: "vip", available: 0 } },
  },
  {
    name: "refuses what others already bought with SOLD_OUT",
    setup: (s) => given(s, [bookTickets("u2", items(["ga", 4]), pay(8_000))]),
    request: items(["ga", 2]),
    expected: { reason: "SOLD_OUT", details: { ticketTypeId: "ga", available: 1 } },
  },
  {
    name: "refuses beyond the event-wide cap with SOLD_OUT even when the type has room",
    config: { capacity: 6 },
    setup: (s) => placed(s, "u2", items(["ga", 5]), "h-other"),
    request: items(["vip", 2]),
    expected: { reason: "SOLD_OUT", details: { available: 1 } },
  },
  {
    name: "refuses more than maxPerOrder with LIMIT_EXCEEDED",
    config: { maxPerOrder: 3 },
    request: items(["ga", 2], ["vip", 2]),
    expected: { reason: "LIMIT_EXCEEDED", details: { limit: "maxPerOrder", max: 3 } },
  },
  {
    name: "refuses beyond maxPerUser counting what the user holds and bought with LIMIT_EXCEEDED",
    config: { maxPerUser: 3 },
    setup: (s) =>
      given(s, [
        bookTickets("u1", items(["ga", 1]), pay(2_000)),
        placeHold("u1", items(["ga", 1])),
      ]),
    request: items(["ga", 2]),
    expected: { reason: "LIMIT_EXCEEDED", details: { limit: "maxPerUser", max: 3, already: 2 } },
  },
  {
    name: "refuses before sales open with SALES_NOT_OPEN",
    config: { salesStartAt: NOW + HOUR },
    request: items(["ga", 1]),
    expected: { reason: "SALES_NOT_OPEN" },
  },
  {
    name: "refuses at salesEndAt with SALES_CLOSED",
    config: { salesEndAt: NOW },
    request: items(["ga", 1]),
    expected: { reason: "SALES_CLOSED" },
  },
  {
    name: "refuses at the start when no sales end or event end is set with SALES_CLOSED",
    request: items(["ga", 1]),
    now: NOW + 48 * HOUR,
    expected: { reason: "SALES_CLOSED" },
  },
  {
    name: "refuses on a draft event with EVENT_NOT_PUBLISHED",
    config: { status: "draft" },
    request: items(["ga", 1]),
    expected: { reason: "EVENT_NOT_PUBLISHED" },
  },
  {
    name: "refuses on a cancelled event with EVENT_CANCELLED",
    setup: (s) => given(s, [{ type: "CancelEvent", reason: "rain", byUserId: "org" }]),
    request: items(["ga", 1]),
    expected: { reason: "EVENT_CANCELLED" },
  },
  {
    name: "refuses an unknown ticket type with an InputError on its path",
    request: items(["ga", 1], ["balcony", 1]),
    expected: { input: ["items", 1, "ticketTypeId"] },
  },
  {
    name: "refuses a ticket type listed twice with an InputError",
    request: items(["ga", 1], ["ga", 1]),
    expected: { input: ["items", 1, "ticketTypeId"] },
  },
  {
    name: "refuses an empty order with an InputError",
    request: [],
    expected: { input: ["items"] },
  },
  {
    name: "refuses a zero quantity with an InputError",
    request: items(["ga", 0]),
    expected: { input: ["items", 0, "quantity"] },
  },
  {
    name: "refuses a negative quantity with an InputError",
    request: items(["ga", -2]),
    expected: { input: ["items", 0, "quantity"] },
  },
  {
    name: "refuses seats on an event without a seat map with an InputError",
    request: items(["ga", 1]),
    seatIds: ["A1"],
    expected: { input: ["seatIds"] },
  },
];

const admissionCommands = {
  PlaceHold: (c: AdmissionCase): EventCommand => ({
    ...placeHold(c.userId ?? "u1", c.request),
    seatIds: c.seatIds ?? [],
  }),
  BookTickets: (c: AdmissionCase): EventCommand => ({
    ...bookTickets(c.userId ?? "u1", c.request, pay(999_999)),
    seatIds: c.seatIds ?? [],
  }),
};

for (const [kind, build] of Object.entries(admissionCommands)) {
  describe(`${kind} admission`, () => {
    for (const c of admissionCases) {
      it(c.name, () => {
        const base = emptyState(eventConfig(c.config));
        const state = c.setup ? c.setup(base) : base;
        const decision = decide(state, build(c), c.now ?? NOW);
        expect(decision.events).toEqual([]);
        expectRefusal(decision.reply, c.expected);
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------

describe("PlaceHold", () => {
  it("holds tickets at the current prices until holdSeconds from now", () => {
    const { state, decision } = step(
      emptyState(),
      placeHold("u1", items(["ga", 2], ["vip", 1]), "h1"),
    );
    const hold = holdOf(state, "h1");
    expect(decision.reply).toEqual({ hold });
    expect(hold).toMatchObject({
      userId: "u1",
      totalCents: 9_000,
      currency: "USD",
      createdAt: NOW,
      expiresAt: NOW + 600_000,
      seatIds: [],
    });
    expect(state.counts.ga).toEqual({ sold: 0, held: 2 });
    expect(state.counts.vip).toEqual({ sold: 0, held: 1 });
    expect(state.held).toBe(3);
    expect(state.perUser.get("u1")).toBe(3);
  });

  it("holds exactly the last tickets of a type and of the event-wide cap", () => {
    const start = emptyState(eventConfig({ capacity: 7 }));
    const state = given(start, [
      placeHold("u1", items(["ga", 5])),
      placeHold("u2", items(["vip", 2])),
    ]);
    expect(state.held).toBe(7);
    expectRefusal(decide(state, placeHold("u3", items(["free", 1])), NOW).reply, {
      reason: "SOLD_OUT",
    });
  });

  it("refuses a hold id that is already live with a ConflictError", () => {
    const state = placed(emptyState(), "u1", items(["ga", 1]), "h1");
    const decision = decide(state, placeHold("u2", items(["ga", 1]), "h1"), NOW);
    expect(decision.events).toEqual([]);
    expectRefusal(decision.reply, { conflict: true });
  });
});

describe("ReleaseHold", () => {
  it("releases the user's own hold and frees its tickets", () => {
    const held = placed(emptyState(), "u1", items(["ga", 2]), "h1");
    const { state, decision } = step(
      held,
      { type: "ReleaseHold", holdId: "h1", userId: "u1" },
      NOW + 5,
    );
    expect(decision.reply).toEqual({ ok: true });
    expect(decision.events).toEqual([{ type: "HoldReleased", holdId: "h1", at: NOW + 5 }]);
    expect(state.holds.has("h1")).toBe(false);
    expect(state.counts.ga).toEqual({ sold: 0, held: 0 });
    expect(state.perUser.has("u1")).toBe(false);
  });

  it("refuses an unknown hold with HOLD_NOT_FOUND", () => {
    const decision = decide(
      emptyState(),
      { type: "ReleaseHold", holdId: "nope", userId: "u1" },
      NOW,
    );
    expectRefusal(decision.reply, { reason: "HOLD_NOT_FOUND" });
  });

  it("refuses someone else's hold with HOLD_NOT_FOUND", () => {
    const held = placed(emptyState(), "u1", items(["ga", 2]), "h1");
    const decision = decide(held, { type: "ReleaseHold", holdId: "h1", userId: "u2" }, NOW);
    expect(decision.events).toEqual([]);
    expectRefusal(decision.reply, { reason: "HOLD_NOT_FOUND" });
  });
});

describe("ConfirmHold", () => {
  const held = placed(emptyState(), "u1", items(["ga", 2], ["vip", 1]), "h1");

  it("turns held tickets into sold ones and issues one ticket per unit", () => {
    const cmd = confirmHold("u1", "h1", pay(9_000), { codes: ["c1", "c2", "c3", "c4"] });
    const { state, decision } = step(held, cmd, NOW + 1_000);
    const reply = decision.reply as BookingReply;
    if (reply.status !== "created") throw new Error("expected a new booking");
    expect(reply.booking).toMatchObject({
      id: cmd.bookingId,
      eventId: "ev-1",
      holdId: "h1",
      userId: "u1",
      totalCents: 9_000,
      paidCents: 9_000,
      createdAt: NOW + 1_000,
    });
    expect(reply.booking.tickets.map((t) => [t.ticketTypeId, t.code])).toEqual([
      ["ga", "c1"],
      ["ga", "c2"],
      ["vip", "c3"],
    ]);
    expect(state.holds.has("h1")).toBe(false);
    expect(state.bookings.get(cmd.bookingId)?.paidCents).toBe(9_000);
    expect(state.counts.ga).toEqual({ sold: 2, held: 0 });
    expect(state.counts.vip).toEqual({ sold: 1, held: 0 });
    expect([state.sold, state.held]).toEqual([3, 0]);
    expect(state.perUser.get("u1")).toBe(3);
  });

  it("confirms free tickets without a payment and records none", () => {
    const free = placed(emptyState(), "u1", items(["free", 2]), "hf");
    const { decision } = step(free, confirmHold("u1", "hf", null));
    const reply = decision.reply as BookingReply;
    if (reply.status !== "created") throw new Error("expected a new booking");
    expect(reply.booking.paidCents).toBe(0);
    expect(reply.booking.payment).toBeNull();
  });

  it("refuses paid tickets without a payment with PAYMENT_DECLINED and keeps the hold", () => {
    const { state, decision } = step(held, confirmHold("u1", "h1", null));
    expect(decision.events).toEqual([]);
    expectRefusal(decision.reply, { reason: "PAYMENT_DECLINED", details: { totalCents: 9_000 } });
    expect(state.holds.has("h1")).toBe(true);
  });

  it("refuses a payment of the wrong amount with PAYMENT_DECLINED", () => {
    for (const amount of [8_999, 9_001, 0]) {
      const decision = decide(held, confirmHold("u1", "h1", pay(amount)), NOW);
      expectRefusal(decision.reply, { reason: "PAYMENT_DECLINED" });
    }
  });

  it("refuses an unknown hold with HOLD_NOT_FOUND", () => {
    expectRefusal(decide(held, confirmHold("u1", "nope", pay(9_000)), NOW).reply, {
      reason: "HOLD_NOT_FOUND",
    });
  });

  it("refuses someone else's hold with HOLD_NOT_FOUND", () => {
    const decision = decide(held, confirmHold("u2", "h1", pay(9_000)), NOW);
    expect(decision.events).toEqual([]);
    expectRefusal(decision.reply, { reason: "HOLD_NOT_FOUND" });
  });

  it("refuses a hold at its expiresAt with HOLD_EXPIRED and expires it there and then", () => {
    const at = holdOf(held, "h1").expiresAt;
    const { state, decision } = step(held, confirmHold("u1", "h1", pay(9_000)), at);
    expectRefusal(decision.reply, { reason: "HOLD_EXPIRED" });
    expect(decision.events).toEqual([{ type: "HoldExpired", holdId: "h1", at }]);
    expect(state.holds.has("h1")).toBe(false);
    expect(state.held).toBe(0);
  });

  it("confirms a hold one millisecond before it expires", () => {
    const at = holdOf(held, "h1").expiresAt - 1;
    expect(decide(held, confirmHold("u1", "h1", pay(9_000)), at).reply).toMatchObject({
      status: "created",
    });
  });

  it("refuses a booking id that is already in use with a ConflictError", () => {
    const booked = given(held, [confirmHold("u1", "h1", pay(9_000), { bookingId: "b-dup" })]);
    const again = placed(booked, "u1", items(["ga", 1]), "h2");
    const decision = decide(
      again,
      confirmHold("u1", "h2", pay(2_000), { bookingId: "b-dup" }),
      NOW,
    );
    expect(decision.events).toEqual([]);
    expectRefusal(decision.reply, { conflict: true });
  });

  it("throws when too few ticket codes were drawn (a caller bug, not a refusal)", () => {
    expect(() =>
      decide(held, confirmHold("u1", "h1", pay(9_000), { codes: codes(2) }), NOW),
    ).toThrow("ticket codes");
  });
});

describe("idempotency", () => {
  const key = { idempotencyKey: "k1", requestHash: "hash-a" };
  const variants = {
    ConfirmHold: (s: EventState, extra: object) => {
      const withHold = s.holds.has("h1") ? s : placed(s, "u1", items(["ga", 1]), "h1");
      return { state: withHold, cmd: confirmHold("u1", "h1", pay(2_000), extra) };
    },
    BookTickets: (s: EventState, extra: object) => ({
      state: s,
      cmd: bookTickets("u1", items(["ga", 1]), pay(2_000), extra),
    }),
  };

  for (const [kind, make] of Object.entries(variants)) {
    it(`${kind}: replays the same key and request as {status: "replayed", bookingId}`, () => {
      const first = make(emptyState(), key);
      const { state } = step(first.state, first.cmd);
      const second = make(state, key);
      const decision = decide(second.state, second.cmd, NOW + 1);
      expect(decision.events).toEqual([]);
      expect(decision.reply).toEqual({ status: "replayed", bookingId: first.cmd.bookingId });
    });

    it(`${kind}: refuses the same key with another request with a ConflictError`, () => {
      const first = make(emptyState(), key);
      const { state } = step(first.state, first.cmd);
      const second = make(state, { ...key, requestHash: "hash-b" });
      const decision = decide(second.state, second.cmd, NOW + 1);
      expect(decision.events).toEqual([]);
      expectRefusal(decision.reply, { conflict: true });
    });
  }

  it("scopes keys per user: another user's same key books anew", () => {
    const state = given(emptyState(), [bookTickets("u1", items(["ga", 1]), pay(2_000), key)]);
    const decision = decide(state, bookTickets("u2", items(["ga", 1]), pay(2_000), key), NOW);
    expect(decision.reply).toMatchObject({ status: "created" });
  });

  it("replays even after the first booking was loaded from the database", () => {
    const state = {
      ...emptyState(),
      idempotency: emptyState().idempotency.set("u1\u0000k1", {
        bookingId: "b-old",
        requestHash: "hash-a",
      }),
    };
    const decision = decide(state, bookTickets("u1", items(["ga", 1]), pay(2_000), key), NOW);
    expect(decision.reply).toEqual({ status: "replayed", bookingId: "b-old" });
  });
});

describe("BookTickets", () => {
  it("sells directly without a hold", () => {
    const cmd = bookTickets("u1", items(["ga", 2]), pay(4_000));
    const { state, decision } = step(emptyState(), cmd);
    expect(decision.reply).toMatchObject({
      status: "created",
      booking: { holdId: null, totalCents: 4_000 },
    });
    expect(state.counts.ga).toEqual({ sold: 2, held: 0 });
    expect(state.perUser.get("u1")).toBe(2);
  });

  it("refuses paid tickets without a payment with PAYMENT_DECLINED and sells nothing", () => {
    const decision = decide(emptyState(), bookTickets("u1", items(["ga", 2]), null), NOW);
    expect(decision.events).toEqual([]);
    expectRefusal(decision.reply, { reason: "PAYMENT_DECLINED" });
  });
});

describe("CancelBooking", () => {
  const policy = {
    refundable: true,
    feeCents: 300,
    rules: [
      { hoursBeforeStart: 24, refundPercent: 100 },
      { hoursBeforeStart: 2, refundPercent: 50 },
    ],
  };
  const booked = given(emptyState(eventConfig({ cancellationPolicy: policy })), [
    bookTickets("u1", items(["ga", 2]), pay(4_000), { bookingId: "b1" }),
  ]);

  it("refunds an attendee per policy and frees the tickets", () => {
    const at = NOW + 40 * HOUR; // 8 hours before the start: the 50 % rule
    const { state, decision } = step(booked, cancelBooking("b1", "u1"), at);
    expect(decision.reply).toEqual({ bookingId: "b1", refundCents: 1_700, feeCents: 300 });
    expect(decision.events).toEqual([
      {
        type: "BookingCancelled",
        bookingId: "b1",
        refundCents: 1_700,
        feeCents: 300,
        reason: "attendee",
        byUserId: "u1",
        at,
      },
    ]);
    expect(state.bookings.has("b1")).toBe(false);
    expect(state.counts.ga).toEqual({ sold: 0, held: 0 });
    expect(state.perUser.has("u1")).toBe(false);
  });

  it("refunds in full, without a fee, when the organizer cancels", () => {
    const decision = decide(booked, cancelBooking("b1", "org", true), NOW + 47 * HOUR);
    expect(decision.reply).toEqual({ bookingId: "b1", refundCents: 4_000, feeCents: 0 });
    expect(decision.events[0]).toMatchObject({ reason: "organizer", byUserId: "org" });
  });

  it("refuses a second cancellation with ALREADY_CANCELLED", () => {
    const { state } = step(booked, cancelBooking("b1", "u1"));
    const decision = decide(state, cancelBooking("b1", "u1"), NOW);
    expect(decision.events).toEqual([]);
    expectRefusal(decision.reply, { reason: "ALREADY_CANCELLED" });
  });

  it("refuses an attendee cancelling someone else's booking", () => {
    const decision = decide(booked, cancelBooking("b1", "u2"), NOW);
    expect(decision.events).toEqual([]);
    expectRefusal(decision.reply, { input: ["bookingId"] });
  });
});

describe("ExpireHolds", () => {
  const state = given(emptyState(), [
    placeHold("u1", items(["ga", 1]), "early"),
    placeHold("u2", items(["vip", 1]), "late"),
  ]);
  const later = given(state, [placeHold("u3", items(["ga", 1]), "later")], NOW + 1_000);

  it("expires every hold whose expiresAt has come, and only those", () => {
    const at = NOW + 600_000;
    const { state: after, decision } = step(later, { type: "ExpireHolds" }, at);
    expect(decision.reply).toEqual({ expired: 2 });
    expect(decision.events).toEqual([
      { type: "HoldExpired", holdId: "early", at },
      { type: "HoldExpired", holdId: "late", at },
    ]);
    expect([...after.holds.keys()]).toEqual(["later"]);
    expect(after.held).toBe(1);
  });

  it("frees an expired hold once: a second sweep emits nothing", () => {
    const { state: after } = step(later, { type: "ExpireHolds" }, NOW + 600_000);
    const again = decide(after, { type: "ExpireHolds" }, NOW + 600_000);
    expect(again).toEqual({ events: [], reply: { expired: 0 } });
  });

  it("expires nothing before the first deadline", () => {
    expect(decide(later, { type: "ExpireHolds" }, NOW + 599_999).events).toEqual([]);
  });
});

describe("Reconfigure", () => {
  const state = given(emptyState(eventConfig({ capacity: 8 })), [
    bookTickets("u1", items(["ga", 2]), pay(4_000)),
    placeHold("u2", items(["ga", 1], ["vip", 1])),
  ]);
  const reconfigure = (config: Partial<EventConfig>): EventCommand => ({
    type: "Reconfigure",
    config: { ...state.config, ...config },
    details: null,
  });
  const withTypeCapacity = (id: string, capacity: number) =>
    state.config.ticketTypes.map((t) => (t.id === id ? { ...t, capacity } : t));

  it("adopts a new configuration and lets a larger capacity sell", () => {
    const cmd = reconfigure({ ticketTypes: withTypeCapacity("vip", 4) });
    const { state: after, decision } = step(state, cmd, NOW + 1);
    expect(decision.events).toEqual([
      { type: "EventReconfigured", config: after.config, details: null, at: NOW + 1 },
    ]);
    expect(decision.reply).toEqual({ config: after.config });
    expect(decide(after, placeHold("u3", items(["vip", 3])), NOW).reply).toHaveProperty("hold");
  });

  it("starts counting a newly added ticket type at zero", () => {
    const types = [
      ...state.config.ticketTypes,
      { id: "late", name: "Late", priceCents: 1, capacity: 1 },
    ];
    const { state: after } = step(state, reconfigure({ ticketTypes: types }));
    expect(after.counts.late).toEqual({ sold: 0, held: 0 });
  });

  it("lowers a capacity down to exactly what is sold and held", () => {
    expect(
      decide(state, reconfigure({ ticketTypes: withTypeCapacity("ga", 3) }), NOW).reply,
    ).toHaveProperty("config");
  });

  const belowSold: [string, Partial<EventConfig>, Record<string, unknown>][] = [
    [
      "a type's capacity below sold + held",
      { ticketTypes: withTypeCapacity("ga", 2) },
      // The numbers the organizer needs: what is sold, what is held, what they asked for.
      { ticketTypeId: "ga", taken: 3, sold: 2, held: 1, capacity: 2 },
    ],
    [
      "a type's capacity below what is held",
      { ticketTypes: withTypeCapacity("vip", 0) },
      { ticketTypeId: "vip", taken: 1 },
    ],
    [
      "dropping a type with sales",
      { ticketTypes: state.config.ticketTypes.filter((t) => t.id !== "ga") },
      { ticketTypeId: "ga" },
    ],
    [
      "the event-wide cap below sold + held",
      { capacity: 3 },
      { taken: 4, sold: 2, held: 2, capacity: 3 },
    ],
  ];
  for (const [what, config, details] of belowSold) {
    it(`refuses ${what} with CAPACITY_BELOW_SOLD`, () => {
      const decision = decide(state, reconfigure(config), NOW);
      expect(decision.events).toEqual([]);
      expectRefusal(decision.reply, { reason: "CAPACITY_BELOW_SOLD", details });
    });
  }

  it("refuses to change a cancelled event with EVENT_CANCELLED", () => {
    const cancelled = given(state, [{ type: "CancelEvent", reason: "x", byUserId: "org" }]);
    expectRefusal(decide(cancelled, reconfigure({ maxPerOrder: 2 }), NOW).reply, {
      reason: "EVENT_CANCELLED",
    });
  });

  it("refuses to set the status to cancelled (that is CancelEvent's job)", () => {
    expectRefusal(decide(state, reconfigure({ status: "cancelled" }), NOW).reply, {
      input: ["status"],
    });
  });

  it("refuses another event's configuration", () => {
    expectRefusal(decide(state, reconfigure({ id: "ev-2" }), NOW).reply, { input: ["id"] });
  });

  it("keeps the current status whatever status the new config carries", () => {
    const draft = emptyState(eventConfig({ status: "draft" }));
    const edited = given(draft, [
      { type: "Reconfigure", config: { ...draft.config, status: "published" }, details: null },
    ]);
    expect(edited.config.status).toBe("draft");
    const published = given(emptyState(), [
      { type: "Reconfigure", config: { ...eventConfig(), status: "draft" }, details: null },
    ]);
    expect(published.config.status).toBe("published");
  });
});

describe("PublishEvent", () => {
  it("publishes a draft, after which it sells", () => {
    const draft = emptyState(eventConfig({ status: "draft" }));
    const published = given(draft, [{ type: "PublishEvent" }]);
    expect(published.config.status).toBe("published");
    expect(decide(published, placeHold("u1", items(["ga", 1])), NOW).reply).toHaveProperty("hold");
  });

  it("changes nothing when the event is already published", () => {
    expect(decide(emptyState(), { type: "PublishEvent" }, NOW).events).toEqual([]);
  });

  it("refuses to publish a cancelled event with EVENT_CANCELLED", () => {
    const cancelled = given(emptyState(), [
      { type: "CancelEvent", reason: "rain", byUserId: "org" },
    ]);
    expect(decide(cancelled, { type: "PublishEvent" }, NOW).reply).toMatchObject({
      reason: "EVENT_CANCELLED",
    });
  });
});

describe("CancelEvent", () => {
  const state = given(emptyState(), [
    bookTickets("u1", items(["ga", 2]), pay(4_000), { bookingId: "b1" }),
    bookTickets("u2", items(["free", 1]), null, { bookingId: "b2" }),
    placeHold("u3", items(["vip", 1]), "h1"),
  ]);

  it("releases every hold, refunds every booking in full and marks the event cancelled", () => {
    const { state: after, decision } = step(
      state,
      { type: "CancelEvent", reason: "storm", byUserId: "admin" },
      NOW + 7,
    );
    expect(decision.reply).toEqual({
      refunds: [
        { bookingId: "b1", userId: "u1", refundCents: 4_000 },
        { bookingId: "b2", userId: "u2", refundCents: 0 },
      ],
    });
    expect(decision.events.map((e) => e.type)).toEqual([
      "HoldReleased",
      "BookingCancelled",
      "BookingCancelled",
      "EventCancelled",
    ]);
    expect(decision.events[1]).toMatchObject({
      reason: "event_cancelled",
      byUserId: "admin",
      feeCents: 0,
    });
    expect(decision.events[3]).toEqual({ type: "EventCancelled", reason: "storm", at: NOW + 7 });
    expect(after.config.status).toBe("cancelled");
    expect([
      after.sold,
      after.held,
      after.holds.size,
      after.bookings.size,
      after.perUser.size,
    ]).toEqual([0, 0, 0, 0, 0]);
  });

  it("refuses a second cancellation with ALREADY_CANCELLED", () => {
    const cancelled = given(state, [{ type: "CancelEvent", reason: "x", byUserId: "org" }]);
    const decision = decide(cancelled, { type: "CancelEvent", reason: "y", byUserId: "org" }, NOW);
    expect(decision.events).toEqual([]);
    expectRefusal(decision.reply, { reason: "ALREADY_CANCELLED" });
  });

  it("leaves nothing to cancel afterwards: a booking's cancellation says ALREADY_CANCELLED", () => {
    const cancelled = given(state, [{ type: "CancelEvent", reason: "x", byUserId: "org" }]);
    expectRefusal(decide(cancelled, cancelBooking("b1", "u1"), NOW).reply, {
      reason: "ALREADY_CANCELLED",
    });
  });
});

describe("evolve", () => {
  it("leaves the previous state untouched and bumps the version per event", () => {
    const before = emptyState();
    const snapshot = JSON.stringify({ counts: before.counts, holds: before.holds.toJSON() });
    const decision = decide(before, placeHold("u1", items(["ga", 2])), NOW);
    const after = decision.events.reduce(evolve, before);
    expect(JSON.stringify({ counts: before.counts, holds: before.holds.toJSON() })).toBe(snapshot);
    expect(after.version).toBe(before.version + 1);
    expect(after.holds.size).toBe(1);
  });

  it("ignores the removal of a hold or booking it does not know, apart from the version", () => {
    const state = emptyState();
    const released = evolve(state, { type: "HoldExpired", holdId: "ghost", at: NOW });
    expect({ ...released, version: 0 }).toEqual(state);
  });
});
