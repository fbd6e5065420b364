/**
 * Properties of the decider under random interleavings (DESIGN.md invariants 1, 5 and 6), applied
 * as the actor applies them: decide, then evolve every event. A tiny reference model made of
 * plain counters must accept and refuse exactly the same commands.
 */
import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import { ConflictError, DomainError, InputError } from "../errors.ts";
import { decide } from "./decide.ts";
import { evolve } from "./evolve.ts";
import {
  bookTickets,
  cancelBooking,
  confirmHold,
  emptyState,
  enterRoom,
  eventConfig,
  HOUR,
  NOW,
  pay,
  placeHold,
  roomConfig,
  tick,
} from "./fixtures.ts";
import { quantityOf } from "./state.ts";
import type { EventCommand, EventConfig, EventEvent, EventState, ItemRequest } from "./types.ts";

const USERS = ["u1", "u2", "u3", "u4"] as const;
const TYPES = [
  { id: "a", name: "A", priceCents: 1_000, capacity: 4 },
  { id: "b", name: "B", priceCents: 0, capacity: 3 },
  { id: "c", name: "C", priceCents: 2_500, capacity: 2 },
];
const HOLD_MS = 60_000;

// ---------------------------------------------------------------------------------------------
// Generated steps: references to holds and bookings are indexes resolved against what is live.

const userArb = fc.integer({ min: 0, max: USERS.length - 1 });
const requestArb = fc
  .subarray(
    TYPES.map((t) => t.id),
    { minLength: 1 },
  )
  .chain((ids) =>
    fc.tuple(
      ...ids.map((id) =>
        fc.integer({ min: 1, max: 3 }).map((quantity) => ({ ticketTypeId: id, quantity })),
      ),
    ),
  );
const keyArb = fc.constantFrom(null, "k1", "k2");
// Coarse steps of time so that "now" often lands exactly on a hold's expiresAt.
const msArb = fc.oneof(
  fc.integer({ min: 0, max: 6 }).map((n) => n * 15_000),
  fc.integer({ min: 0, max: 90_000 }),
);

type Step =
  | { kind: "hold"; user: number; request: ItemRequest[] }
  | { kind: "release"; ref: number; owner: boolean }
  | {
      kind: "confirm";
      ref: number;
      owner: boolean;
      paid: boolean;
      key: string | null;
      /** When set, first jump to the hold's deadline plus this many ms. */
      atDeadline: number | null;
    }
  | { kind: "book"; user: number; request: ItemRequest[]; paid: boolean; key: string | null }
  | { kind: "cancel"; ref: number; owner: boolean; organizer: boolean }
  | { kind: "expire"; ms: number }
  | { kind: "wait"; ms: number }
  /** Jumps to a live hold's deadline (± 1 ms), where off-by-one mistakes would show. */
  | { kind: "deadline"; ref: number; offset: number; sweep: boolean }
  | { kind: "reconfigure"; type: number; delta: number; capDelta: number }
  | { kind: "cancelEvent" };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant("hold"), user: userArb, request: requestArb }),
    weight: 6,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("release"), ref: fc.nat(), owner: fc.boolean() }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("confirm"),
      ref: fc.nat(),
      owner: fc.boolean(),
      paid: fc.boolean(),
      key: keyArb,
      atDeadline: fc.option(fc.integer({ min: -1, max: 1 }), { freq: 3 }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("book"),
      user: userArb,
      request: requestArb,
      paid: fc.boolean(),
      key: keyArb,
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("cancel"),
      ref: fc.nat(),
      owner: fc.boolean(),
      organizer: fc.boolean(),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant("expire"), ms: msArb }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("wait"), ms: msArb }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant("deadline"),
      ref: fc.nat(),
      offset: fc.integer({ min: -1, max: 1 }),
      sweep: fc.boolean(),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("reconfigure"),
      type: fc.integer({ min: 0, max: TYPES.length - 1 }),
      delta: fc.integer({ min: -3, max: 3 }),
      capDelta: fc.integer({ min: -3, max: 3 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.constant({ kind: "cancelEvent" as const }), weight: 1 },
);

// ---------------------------------------------------------------------------------------------
// The reference model: counters and maps, written without looking at decide().

interface ModelHold {
  user: string;
  qty: Record<string, number>;
  total: number;
  expiresAt: number;
}
interface ModelBooking {
  user: string;
  qty: Record<string, number>;
  paid: number;
}

class Model {
  cancelled = false;
  caps: Record<string, number>;
  sold: Record<string, number> = { a: 0, b: 0, c: 0 };
  held: Record<string, number> = { a: 0, b: 0, c: 0 };
  holds = new Map<string, ModelHold>();
  bookings = new Map<string, ModelBooking>();
  keys = new Map<string, { bookingId: string; hash: string }>();

  constructor(
    public eventCap: number | null,
    readonly maxPerOrder: number,
    readonly maxPerUser: number,
  ) {
    this.caps = Object.fromEntries(TYPES.map((t) => [t.id, t.capacity]));
  }

  private sum = (r: Record<string, number>) => Object.values(r).reduce((s, n) => s + n, 0);

  owned(user: string): number {
    let n = 0;
    for (const h of this.holds.values()) if (h.user === user) n += this.sum(h.qty);
    for (const b of this.bookings.values()) if (b.user === user) n += this.sum(b.qty);
    return n;
  }

  admit(user: string, request: ItemRequest[]): string | null {
    if (this.cancelled) return "EVENT_CANCELLED";
    const qty = request.reduce((s, r) => s + r.quantity, 0);
    if (qty > this.maxPerOrder) return "LIMIT_EXCEEDED";
    if (this.owned(user) + qty > this.maxPerUser) return "LIMIT_EXCEEDED";
    for (const r of request) {
      const id = r.ticketTypeId;
      if (r.quantity > (this.caps[id] ?? 0) - (this.sold[id] ?? 0) - (this.held[id] ?? 0))
        return "SOLD_OUT";
    }
    if (this.eventCap !== null && qty > this.eventCap - this.sum(this.sold) - this.sum(this.held))
      return "SOLD_OUT";
    return null;
  }

  replay(user: string, key: string | null, hash: string): string | null {
    if (key === null) return null;
    const seen = this.keys.get(`${user}/${key}`);
    if (!seen) return null;
    return seen.hash === hash ? "REPLAY" : "CONFLICT";
  }

  add(target: Record<string, number>, qty: Record<string, number>, sign: number): void {
    for (const [id, n] of Object.entries(qty)) target[id] = (target[id] ?? 0) + sign * n;
  }
}

const qtyOf = (request: readonly ItemRequest[]) =>
  Object.fromEntries(request.map((r) => [r.ticketTypeId, r.quantity]));
const priceOf = (request: readonly ItemRequest[]) =>
  request.reduce(
    (s, r) => s + r.quantity * (TYPES.find((t) => t.id === r.ticketTypeId)?.priceCents ?? 0),
    0,
  );
const hashOf = (what: string) => `hash:${what}`;

function outcomeOf(reply: unknown): string {
  if (reply instanceof DomainError) return reply.reason;
  if (reply instanceof InputError) return "INPUT";
  if (reply instanceof ConflictError) return "CONFLICT";
  if (reply instanceof Error) return `ERROR:${reply.message}`;
  if (reply && typeof reply === "object" && "status" in reply && reply.status === "replayed")
    return "REPLAY";
  return "OK";
}

// ---------------------------------------------------------------------------------------------
// Invariant checks, after every step.

function recount(state: EventState) {
  const counts: Record<string, { sold: number; held: number }> = {};
  const perUser = new Map<string, number>();
  const bump = (u: string, n: number) => perUser.set(u, (perUser.get(u) ?? 0) + n);
  const count = (id: string) => {
    counts[id] ??= { sold: 0, held: 0 };
    return counts[id];
  };
  for (const id of Object.keys(state.counts)) count(id);
  for (const hold of state.holds.values()) {
    for (const i of hold.items) count(i.ticketTypeId).held += i.quantity;
    bump(hold.userId, quantityOf(hold.items));
  }
  for (const booking of state.bookings.values()) {
    for (const i of booking.items) count(i.ticketTypeId).sold += i.quantity;
    bump(booking.userId, quantityOf(booking.items));
  }
  return { counts, perUser };
}

function checkInventory(state: EventState, model: Model): void {
  // Invariant 1: within capacity, per type and for the event.
  for (const type of state.config.ticketTypes) {
    const c = state.counts[type.id] ?? { sold: 0, held: 0 };
    expect(c.sold + c.held).toBeLessThanOrEqual(type.capacity);
    expect(c.sold).toBeGreaterThanOrEqual(0);
    expect(c.held).toBeGreaterThanOrEqual(0);
  }
  if (state.config.capacity !== null) {
    expect(state.sold + state.held).toBeLessThanOrEqual(state.config.capacity);
  }
  // The counters are what the holds and bookings add up to.
  const { counts, perUser } = recount(state);
  expect(state.counts).toEqual(counts);
  expect(state.sold).toBe(Object.values(counts).reduce((s, c) => s + c.sold, 0));
  expect(state.held).toBe(Object.values(counts).reduce((s, c) => s + c.held, 0));
  expect(Object.fromEntries(state.perUser)).toEqual(Object.fromEntries(perUser));
  // And what the reference model counted.
  for (const t of TYPES) {
    expect(state.counts[t.id]).toEqual({
      sold: model.sold[t.id] ?? 0,
      held: model.held[t.id] ?? 0,
    });
  }
  expect(new Set(state.holds.keys())).toEqual(new Set(model.holds.keys()));
  expect(new Set(state.bookings.keys())).toEqual(new Set(model.bookings.keys()));
}

// ---------------------------------------------------------------------------------------------
// One run: the real decider and the model, side by side.

class Run {
  state: EventState;
  model: Model;
  now = NOW;
  /** Holds that have ended (released, expired, confirmed): none may end twice. */
  ended = new Set<string>();

  constructor(config: EventConfig) {
    this.state = emptyState(config);
    this.model = new Model(
      config.capacity,
      config.maxPerOrder,
      config.maxPerUser ?? Number.POSITIVE_INFINITY,
    );
  }

  apply(cmd: EventCommand): { events: readonly EventEvent[]; reply: unknown } {
    const decision = decide(this.state, cmd, this.now);
    for (const event of decision.events) {
      if (event.type === "HoldExpired" || event.type === "HoldReleased") {
        expect(this.ended.has(event.holdId)).toBe(false);
        expect(this.state.holds.has(event.holdId)).toBe(true);
        this.ended.add(event.holdId);
      }
      this.state = evolve(this.state, event);
    }
    return decision;
  }

  holdRef(ref: number): string {
    const ids = [...this.model.holds.keys()];
    return ids.length === 0 ? "no-such-hold" : (ids[ref % ids.length] as string);
  }

  bookingRef(ref: number): string {
    const ids = [...this.model.bookings.keys()];
    return ids.length === 0 ? "no-such-booking" : (ids[ref % ids.length] as string);
  }

  otherUser(user: string): string {
    return USERS[(USERS.indexOf(user as (typeof USERS)[number]) + 1) % USERS.length] as string;
  }

  run(step: Step): void {
    const m = this.model;
    switch (step.kind) {
      case "hold": {
        const user = USERS[step.user] as string;
        const cmd = placeHold(user, step.request);
        const expected = m.admit(user, step.request) ?? "OK";
        const { reply } = this.apply(cmd);
        expect(outcomeOf(reply)).toBe(expected);
        if (expected === "OK") {
          const qty = qtyOf(step.request);
          m.holds.set(cmd.holdId, {
            user,
            qty,
            total: priceOf(step.request),
            expiresAt: this.now + HOLD_MS,
          });
          m.add(m.held, qty, 1);
        }
        return;
      }
      case "release": {
        const holdId = this.holdRef(step.ref);
        const hold = m.holds.get(holdId);
        const user = hold && step.owner ? hold.user : this.otherUser(hold?.user ?? "u1");
        const expected = hold && hold.user === user ? "OK" : "HOLD_NOT_FOUND";
        const { reply } = this.apply({ type: "ReleaseHold", holdId, userId: user });
        expect(outcomeOf(reply)).toBe(expected);
        if (hold && expected === "OK") {
          m.holds.delete(holdId);
          m.add(m.held, hold.qty, -1);
        }
        return;
      }
      case "confirm":
        this.confirm(step);
        return;
      case "book":
        this.book(step);
        return;
      case "cancel":
        this.cancel(step);
        return;
      case "wait":
        this.now += step.ms;
        return;
      case "expire":
        this.now += step.ms;
        this.expire();
        return;
      case "deadline": {
        const hold = m.holds.get(this.holdRef(step.ref));
        // Time never goes back: a deadline already behind us leaves the clock where it is.
        if (hold) this.now = Math.max(this.now, hold.expiresAt + step.offset);
        if (step.sweep) this.expire();
        return;
      }
      case "reconfigure":
        this.reconfigure(step);
        return;
      case "cancelEvent": {
        const { reply } = this.apply({ type: "CancelEvent", reason: "test", byUserId: "org" });
        expect(outcomeOf(reply)).toBe(m.cancelled ? "ALREADY_CANCELLED" : "OK");
        if (!m.cancelled) {
          const refunds = (reply as { refunds: { bookingId: string; refundCents: number }[] })
            .refunds;
          for (const r of refunds)
            expect(r.refundCents).toBe(m.bookings.get(r.bookingId)?.paid ?? -1);
          m.cancelled = true;
          m.holds.clear();
          m.bookings.clear();
          m.sold = { a: 0, b: 0, c: 0 };
          m.held = { a: 0, b: 0, c: 0 };
        }
        return;
      }
    }
  }

  confirm(step: Extract<Step, { kind: "confirm" }>): void {
    const m = this.model;
    const holdId = this.holdRef(step.ref);
    const hold = m.holds.get(holdId);
    if (hold && step.atDeadline !== null) {
      this.now = Math.max(this.now, hold.expiresAt + step.atDeadline);
    }
    const user = hold && step.owner ? hold.user : this.otherUser(hold?.user ?? "u1");
    const total = hold?.total ?? 0;
    const cmd = confirmHold(user, holdId, step.paid ? pay(total) : null, {
      idempotencyKey: step.key,
      requestHash: hashOf(holdId),
    });
    let expected = m.replay(user, step.key, hashOf(holdId));
    if (expected === null) {
      if (!hold || hold.user !== user) expected = "HOLD_NOT_FOUND";
      else if (hold.expiresAt <= this.now) expected = "HOLD_EXPIRED";
      else if (total > 0 && !step.paid) expected = "PAYMENT_DECLINED";
      else expected = "OK";
    }
    const { reply } = this.apply(cmd);
    expect(outcomeOf(reply)).toBe(expected);
    if (hold && (expected === "OK" || expected === "HOLD_EXPIRED")) {
      m.holds.delete(holdId);
      m.add(m.held, hold.qty, -1);
    }
    if (hold && expected === "OK") {
      m.bookings.set(cmd.bookingId, { user, qty: hold.qty, paid: total });
      m.add(m.sold, hold.qty, 1);
      if (step.key !== null)
        m.keys.set(`${user}/${step.key}`, { bookingId: cmd.bookingId, hash: hashOf(holdId) });
    }
  }

  book(step: Extract<Step, { kind: "book" }>): void {
    const m = this.model;
    const user = USERS[step.user] as string;
    const total = priceOf(step.request);
    const hash = hashOf(JSON.stringify(step.request));
    const cmd = bookTickets(user, step.request, step.paid ? pay(total) : null, {
      idempotencyKey: step.key,
      requestHash: hash,
    });
    let expected = m.replay(user, step.key, hash) ?? m.admit(user, step.request);
    if (expected === null) expected = total > 0 && !step.paid ? "PAYMENT_DECLINED" : "OK";
    const { reply } = this.apply(cmd);
    expect(outcomeOf(reply)).toBe(expected);
    if (expected === "REPLAY") {
      expect((reply as { bookingId: string }).bookingId).toBe(
        m.keys.get(`${user}/${step.key}`)?.bookingId as string,
      );
    }
    if (expected === "OK") {
      const qty = qtyOf(step.request);
      m.bookings.set(cmd.bookingId, { user, qty, paid: total });
      m.add(m.sold, qty, 1);
      if (step.key !== null) m.keys.set(`${user}/${step.key}`, { bookingId: cmd.bookingId, hash });
    }
  }

  cancel(step: Extract<Step, { kind: "cancel" }>): void {
    const m = this.model;
    const bookingId = this.bookingRef(step.ref);
    const booking = m.bookings.get(bookingId);
    const user = booking && step.owner ? booking.user : this.otherUser(booking?.user ?? "u1");
    const expected = !booking
      ? "ALREADY_CANCELLED"
      : !step.organizer && booking.user !== user
        ? "INPUT"
        : "OK";
    const { reply } = this.apply(cancelBooking(bookingId, user, step.organizer));
    expect(outcomeOf(reply)).toBe(expected);
    if (booking && expected === "OK") {
      // Invariant 6: the refund stays within what was paid, and a second cancel frees nothing.
      const { refundCents, feeCents } = reply as { refundCents: number; feeCents: number };
      expect(refundCents).toBeGreaterThanOrEqual(0);
      expect(refundCents).toBeLessThanOrEqual(booking.paid);
      expect(feeCents).toBeGreaterThanOrEqual(0);
      if (step.organizer) expect(refundCents).toBe(booking.paid);
      m.bookings.delete(bookingId);
      m.add(m.sold, booking.qty, -1);
      const again = decide(this.state, cancelBooking(bookingId, user, step.organizer), this.now);
      expect(again.events).toEqual([]);
      expect(outcomeOf(again.reply)).toBe("ALREADY_CANCELLED");
    }
  }

  expire(): void {
    const m = this.model;
    const due = [...m.holds].filter(([, h]) => h.expiresAt <= this.now).map(([id]) => id);
    const { events, reply } = this.apply({ type: "ExpireHolds" });
    expect(reply).toEqual({ expired: due.length });
    expect(events.map((e) => (e.type === "HoldExpired" ? e.holdId : e.type)).sort()).toEqual(
      [...due].sort(),
    );
    for (const id of due) {
      const hold = m.holds.get(id) as ModelHold;
      m.holds.delete(id);
      m.add(m.held, hold.qty, -1);
    }
    // Invariant 5: nothing due survives, and a second sweep at the same instant frees nothing.
    for (const hold of this.state.holds.values()) expect(hold.expiresAt).toBeGreaterThan(this.now);
    expect(decide(this.state, { type: "ExpireHolds" }, this.now).events).toEqual([]);
  }

  reconfigure(step: Extract<Step, { kind: "reconfigure" }>): void {
    const m = this.model;
    const type = TYPES[step.type]?.id as string;
    const typeCap = Math.max(0, (m.caps[type] ?? 0) + step.delta);
    const eventCap = m.eventCap === null ? null : Math.max(0, m.eventCap + step.capDelta);
    const config: EventConfig = {
      ...this.state.config,
      capacity: eventCap,
      ticketTypes: this.state.config.ticketTypes.map((t) =>
        t.id === type ? { ...t, capacity: typeCap } : t,
      ),
    };
    const soldHeld = (id: string) => (m.sold[id] ?? 0) + (m.held[id] ?? 0);
    const total = TYPES.reduce((s, t) => s + soldHeld(t.id), 0);
    const expected = m.cancelled
      ? "EVENT_CANCELLED"
      : typeCap < soldHeld(type) || (eventCap !== null && eventCap < total)
        ? "CAPACITY_BELOW_SOLD"
        : "OK";
    const { reply } = this.apply({ type: "Reconfigure", config, details: null });
    expect(outcomeOf(reply)).toBe(expected);
    if (expected === "OK") {
      m.caps[type] = typeCap;
      m.eventCap = eventCap;
    }
  }
}

// ---------------------------------------------------------------------------------------------

const configArb = fc.record({
  capped: fc.boolean(),
  maxPerOrder: fc.integer({ min: 2, max: 6 }),
  maxPerUser: fc.integer({ min: 3, max: 8 }),
});

describe("the decider under random interleavings", () => {
  it("keeps sold + held within capacity, counts consistent, and agrees with a reference model", () => {
    fc.assert(
      fc.property(configArb, fc.array(stepArb, { minLength: 1, maxLength: 60 }), (c, steps) => {
        const run = new Run(
          eventConfig({
            startsAt: NOW + 1_000 * HOUR,
            capacity: c.capped ? 7 : null,
            maxPerOrder: c.maxPerOrder,
            maxPerUser: c.maxPerUser,
            holdSeconds: HOLD_MS / 1000,
            ticketTypes: TYPES,
            cancellationPolicy: {
              refundable: true,
              feeCents: 300,
              rules: [
                { hoursBeforeStart: 999, refundPercent: 100 },
                { hoursBeforeStart: 0, refundPercent: 50 },
              ],
            },
          }),
        );
        for (const step of steps) {
          run.run(step);
          checkInventory(run.state, run.model);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it("never lets the last tickets go twice when every user races for them", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ user: userArb, request: requestArb, direct: fc.boolean() }), {
          maxLength: 40,
        }),
        (attempts) => {
          let state = emptyState(eventConfig({ ticketTypes: TYPES, capacity: 5, maxPerOrder: 9 }));
          for (const a of attempts) {
            const user = USERS[a.user] as string;
            const cmd = a.direct
              ? bookTickets(user, a.request, pay(priceOf(a.request)))
              : placeHold(user, a.request);
            state = decide(state, cmd, NOW).events.reduce(evolve, state);
            expect(state.sold + state.held).toBeLessThanOrEqual(5);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps sold + held within capacity with the on-sale room's commands interleaved", () => {
    const roomStepArb = fc.record({
      kind: fc.constantFrom("enter", "tick", "hold", "book", "release"),
      user: userArb,
      request: requestArb,
      token: fc.constantFrom("own", "other", "none"),
      absent: fc.boolean(),
      ms: msArb,
    });
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9a-f]{32}$/),
        fc.option(fc.integer({ min: 1, max: 120 })),
        fc.array(roomStepArb, { maxLength: 50 }),
        (seed, admitPerMinute, steps) => {
          const config = eventConfig({
            ticketTypes: TYPES,
            capacity: 7,
            maxPerOrder: 9,
            holdSeconds: HOLD_MS / 1000,
            room: roomConfig({ opensAt: NOW + 30_000, admitPerMinute, tokenSeconds: 90 }),
          });
          const run = new Run(config);
          for (const s of steps) {
            const user = USERS[s.user] as string;
            const { room } = run.state;
            const own = room.byPerson.get(user);
            const other = [...room.admitted.keys()].find((id) => id !== own);
            const admission = s.token === "own" ? own : s.token === "other" ? other : undefined;
            const cmd: EventCommand =
              s.kind === "enter"
                ? enterRoom(user)
                : s.kind === "tick"
                  ? tick({ seed, absent: s.absent ? [...room.queue.keys()].slice(0, 1) : [] })
                  : s.kind === "hold"
                    ? { ...placeHold(user, s.request), admission }
                    : s.kind === "book"
                      ? bookTickets(user, s.request, pay(priceOf(s.request)), { admission })
                      : {
                          type: "ReleaseHold",
                          holdId: [...run.state.holds.keys()][0] ?? "none",
                          userId: user,
                        };
            if (s.kind === "tick") run.now += s.ms;
            const before = run.state;
            const { events } = run.apply(cmd);
            const took = events.some(
              (e) => e.type === "HoldPlaced" || e.type === "BookingConfirmed",
            );
            // While the room was in use, nothing was bought without spending a token.
            const inUse = before.room.doorsOpenAt === null && run.now < config.startsAt;
            if (took && inUse && s.kind !== "release") {
              expect(events.at(-1)?.type).toBe("RoomTokenSpent");
            }
            expect(run.state.sold + run.state.held).toBeLessThanOrEqual(7);
            for (const type of run.state.config.ticketTypes) {
              const c = run.state.counts[type.id] ?? { sold: 0, held: 0 };
              expect(c.sold + c.held).toBeLessThanOrEqual(type.capacity);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
