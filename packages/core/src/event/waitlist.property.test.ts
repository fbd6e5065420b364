/**
 * DESIGN.md invariant 4 under random interleavings: every offer or auto-booking goes to the
 * earliest waiting entry whose request fits at that moment; after anything frees tickets, no
 * waiting entry that fits is left waiting; offers never take more than is free (invariant 1).
 */
import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import { decide } from "./decide.ts";
import { evolve } from "./evolve.ts";
import {
  bookTickets,
  cancelBooking,
  codes,
  confirmHold,
  emptyState,
  eventConfig,
  NOW,
} from "./fixtures.ts";
import { waitlistPosition } from "./state.ts";
import type { EventCommand, EventEvent, EventState } from "./types.ts";
import { fittingLine } from "./waitlist.ts";

const USERS = ["u1", "u2", "u3", "u4", "u5"];
const TYPES = [
  { id: "ga", name: "GA", priceCents: 0, capacity: 3 },
  { id: "vip", name: "VIP", priceCents: 0, capacity: 2 },
];
const FREEING = new Set(["BookingCancelled", "HoldExpired", "HoldReleased", "EventReconfigured"]);

type Step =
  | { kind: "join"; user: number; quantity: number; type: number }
  | { kind: "leave"; user: number }
  | { kind: "book"; user: number; quantity: number; type: number }
  | { kind: "cancel"; ref: number }
  | { kind: "confirmOffer"; ref: number }
  | { kind: "release"; ref: number }
  | { kind: "expire"; ms: number }
  | { kind: "resize"; type: number; capacity: number };

const user = fc.nat(USERS.length - 1);
const type = fc.nat(TYPES.length); // TYPES.length stands for "any type"
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("join" as const),
    user,
    quantity: fc.integer({ min: 1, max: 3 }),
    type,
  }),
  fc.record({ kind: fc.constant("leave" as const), user }),
  fc.record({
    kind: fc.constant("book" as const),
    user,
    quantity: fc.integer({ min: 1, max: 2 }),
    type: fc.nat(1),
  }),
  fc.record({ kind: fc.constant("cancel" as const), ref: fc.nat() }),
  fc.record({ kind: fc.constant("confirmOffer" as const), ref: fc.nat() }),
  fc.record({ kind: fc.constant("release" as const), ref: fc.nat() }),
  fc.record({ kind: fc.constant("expire" as const), ms: fc.integer({ min: 0, max: 90_000 }) }),
  fc.record({
    kind: fc.constant("resize" as const),
    type: fc.nat(1),
    capacity: fc.integer({ min: 0, max: 5 }),
  }),
);

const pick = <T>(list: readonly T[], ref: number): T | undefined =>
  list[ref % Math.max(1, list.length)];

function commandFor(state: EventState, s: Step, n: number): EventCommand | null {
  const typeId = (i: number) => TYPES[i]?.id ?? null;
  switch (s.kind) {
    case "join":
      return {
        type: "JoinWaitlist",
        entryId: `e${n}`,
        userId: USERS[s.user]!,
        ticketTypeId: typeId(s.type),
        quantity: s.quantity,
      };
    case "leave":
      return { type: "LeaveWaitlist", userId: USERS[s.user]!, codes: codes(10) };
    case "book":
      return bookTickets(
        USERS[s.user]!,
        [{ ticketTypeId: typeId(s.type)!, quantity: s.quantity }],
        null,
      );
    case "cancel": {
      const booking = pick([...state.bookings.values()], s.ref);
      return booking ? { ...cancelBooking(booking.id, booking.userId), codes: codes(10) } : null;
    }
    case "confirmOffer": {
      const entry = pick(
        [...state.waitlist.values()].filter((e) => e.holdId !== null),
        s.ref,
      );
      return entry?.holdId ? confirmHold(entry.userId, entry.holdId, null) : null;
    }
    case "release": {
      const hold = pick([...state.holds.values()], s.ref);
      return hold
        ? { type: "ReleaseHold", holdId: hold.id, userId: hold.userId, codes: codes(10) }
        : null;
    }
    case "expire":
      return { type: "ExpireHolds", codes: codes(10) };
    case "resize": {
      const ticketTypes = state.config.ticketTypes.map((t, i) =>
        i === s.type ? { ...t, capacity: s.capacity } : t,
      );
      return {
        type: "Reconfigure",
        config: { ...state.config, ticketTypes },
        details: null,
        codes: codes(10),
      };
    }
  }
}

/** Invariant 4 for one serving event, checked against the state just before it. */
function checkServedFairly(before: EventState, event: EventEvent): void {
  if (event.type !== "WaitlistOffered" && event.type !== "WaitlistAutoBooked") return;
  const served = before.waitlist.get(event.entryId);
  expect(served?.state).toBe("waiting");
  if (!served) return;
  expect(fittingLine(before, served)).not.toBeNull();
  for (const entry of before.waitlist.values()) {
    if (entry.id === served.id) break;
    if (entry.state === "waiting") expect(fittingLine(before, entry)).toBeNull();
  }
}

function checkState(state: EventState): void {
  const { config } = state;
  for (const t of config.ticketTypes) {
    const c = state.counts[t.id] ?? { sold: 0, held: 0 };
    expect(c.sold + c.held).toBeLessThanOrEqual(t.capacity);
  }
  if (config.capacity !== null)
    expect(state.sold + state.held).toBeLessThanOrEqual(config.capacity);
  let position = 0;
  let seq = 0;
  for (const entry of state.waitlist.values()) {
    expect(entry.seq).toBeGreaterThan(seq);
    seq = entry.seq;
    expect(state.waitlistUsers.get(entry.userId)).toBe(entry.id);
    if (entry.state === "waiting") expect(waitlistPosition(state, entry.id)).toBe(++position);
    else expect(state.holds.has(entry.holdId ?? "")).toBe(true);
  }
  expect(state.waitlistUsers.size).toBe(state.waitlist.size);
}

describe("the waitlist under random interleavings", () => {
  it("serves strictly in order, leaves nothing that fits waiting after tickets free up, and stays within capacity", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("offer" as const, "auto" as const),
        fc.option(fc.integer({ min: 3, max: 6 })),
        fc.array(stepArb, { minLength: 1, maxLength: 60 }),
        (mode, capacity, steps) => {
          let state = emptyState(
            eventConfig({
              ticketTypes: TYPES,
              capacity,
              startsAt: NOW + 1_000 * 3_600_000,
              holdSeconds: 60,
              waitlist: { enabled: true, mode, offerSeconds: 60 },
            }),
          );
          let now = NOW;
          for (const [n, s] of steps.entries()) {
            if (s.kind === "expire") now += s.ms;
            const cmd = commandFor(state, s, n);
            if (!cmd) continue;
            const decision = decide(state, cmd, now);
            for (const event of decision.events) {
              checkServedFairly(state, event);
              state = evolve(state, event);
            }
            checkState(state);
            if (decision.events.some((e) => FREEING.has(e.type))) {
              for (const entry of state.waitlist.values()) {
                if (entry.state === "waiting") expect(fittingLine(state, entry)).toBeNull();
              }
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
