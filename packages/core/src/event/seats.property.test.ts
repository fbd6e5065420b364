/**
 * DESIGN.md invariant 2 under random interleavings: a seat has at most one owner, the owners are
 * exactly the live holds and bookings that list it, counts follow seats, and a request is granted
 * exactly when all its seats exist and are free (checked against a plain model of taken seats).
 */
import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import type { DomainError } from "../errors.ts";
import { decide } from "./decide.ts";
import { evolve } from "./evolve.ts";
import { bookTickets, cancelBooking, codes, confirmHold, NOW, pay } from "./fixtures.ts";
import { seat, seatedConfig, seatedState } from "./seats.fixtures.ts";
import type { EventCommand, EventState } from "./types.ts";

const USERS = ["u1", "u2", "u3"];
// Every real seat of the fixture, plus one that does not exist.
const SEATS = [
  ...[1, 2].flatMap((row) => [1, 2, 3, 4].map((n) => seat(1, row, n))),
  ...[1, 2, 3].map((n) => seat(2, 1, n)),
  "s3-r1-1",
];
const PRICE: Record<string, number> = { s1: 3_000, s2: 0 };
const priceOf = (seats: readonly string[]) =>
  seats.reduce((sum, id) => sum + (PRICE[id.split("-")[0] ?? ""] ?? 0), 0);

type Step =
  | { kind: "hold" | "book"; user: number; seats: string[] }
  | { kind: "release" | "confirm" | "cancel"; ref: number }
  | { kind: "expire"; ms: number }
  | { kind: "join"; user: number; quantity: number; section: number }
  | { kind: "cancelEvent" };

const seatsArb = fc.subarray(SEATS, { minLength: 1, maxLength: 4 });
const userArb = fc.integer({ min: 0, max: USERS.length - 1 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant("hold" as const), user: userArb, seats: seatsArb }),
    weight: 6,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("book" as const), user: userArb, seats: seatsArb }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant("release" as const), ref: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("confirm" as const), ref: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("cancel" as const), ref: fc.nat() }), weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constant("expire" as const),
      ms: fc.integer({ min: 0, max: 400_000 }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("join" as const),
      user: userArb,
      quantity: fc.integer({ min: 1, max: 3 }),
      section: fc.integer({ min: 0, max: 2 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.constant({ kind: "cancelEvent" as const }), weight: 1 },
);

function checkSeats(state: EventState): void {
  const seating = state.seating;
  if (!seating) throw new Error("not seated");
  // Who claims each seat: every live hold and booking, by the seats it lists.
  const claims = new Map<string, string[]>();
  const claim = (owner: string, seatIds: readonly string[]) => {
    for (const id of seatIds) claims.set(id, [...(claims.get(id) ?? []), owner]);
  };
  for (const hold of state.holds.values()) claim(hold.id, hold.seatIds);
  for (const booking of state.bookings.values()) claim(booking.id, booking.seatIds);
  for (const [id, owners] of claims) {
    expect(owners).toHaveLength(1); // invariant 2
    expect(state.seatOwners.get(seating.numberOf.get(id) ?? -1)).toBe(owners[0] as string);
  }
  expect(state.seatOwners.size).toBe(claims.size);
  // Counts are seats: per section, held and sold seats equal the type's counts.
  for (const section of seating.sections) {
    let held = 0;
    let sold = 0;
    for (let n = section.first; n < section.first + section.count; n++) {
      const owner = state.seatOwners.get(n);
      if (owner === undefined) continue;
      if (state.bookings.has(owner)) sold += 1;
      else held += 1;
    }
    expect(state.counts[section.ticketTypeId]).toEqual({ sold, held });
  }
}

class Run {
  state = seatedState(
    seatedConfig({
      maxPerOrder: 4,
      maxPerUser: 100,
      holdSeconds: 120,
      startsAt: NOW + 1_000 * 3_600_000,
      waitlist: { enabled: true, mode: "offer", offerSeconds: 120 },
    }),
  );
  now = NOW;
  n = 0;

  apply(cmd: EventCommand): unknown {
    const decision = decide(this.state, cmd, this.now);
    this.state = decision.events.reduce(evolve, this.state);
    return decision.reply;
  }

  pick<T>(values: Iterable<T>, ref: number): T | undefined {
    const all = [...values];
    return all.length === 0 ? undefined : all[ref % all.length];
  }

  run(step: Step): void {
    switch (step.kind) {
      case "hold":
      case "book": {
        const user = USERS[step.user] as string;
        // The model: granted exactly when every seat exists and nobody has it.
        const free = (id: string) => {
          const n = this.state.seating?.numberOf.get(id);
          return n !== undefined && !this.state.seatOwners.has(n);
        };
        const expectedFree = this.state.config.status !== "cancelled" && step.seats.every(free);
        const id = `${step.kind}-${++this.n}`;
        const cmd: EventCommand =
          step.kind === "hold"
            ? { type: "PlaceHold", holdId: id, userId: user, items: [], seatIds: step.seats }
            : {
                ...bookTickets(user, [], pay(priceOf(step.seats)), { bookingId: id }),
                seatIds: step.seats,
              };
        const reply = this.apply(cmd);
        expect(reply instanceof Error).toBe(!expectedFree);
        if (!expectedFree && this.state.config.status !== "cancelled") {
          expect((reply as DomainError).reason).toBe("SEAT_UNAVAILABLE");
          const named = (reply as DomainError).details?.seatIds as string[];
          expect(named.length).toBeGreaterThan(0);
          for (const seatId of named) expect(free(seatId)).toBe(false);
        }
        return;
      }
      case "release": {
        const hold = this.pick(this.state.holds.values(), step.ref);
        if (hold) this.apply({ type: "ReleaseHold", holdId: hold.id, userId: hold.userId });
        return;
      }
      case "confirm": {
        const hold = this.pick(this.state.holds.values(), step.ref);
        if (hold)
          this.apply(confirmHold(hold.userId, hold.id, pay(hold.totalCents), { codes: codes(8) }));
        return;
      }
      case "cancel": {
        const booking = this.pick(this.state.bookings.values(), step.ref);
        if (booking) this.apply(cancelBooking(booking.id, booking.userId));
        return;
      }
      case "expire":
        this.now += step.ms;
        this.apply({ type: "ExpireHolds" });
        return;
      case "join": {
        const user = USERS[step.user] as string;
        const type = ["st", "bal", null][step.section] ?? null;
        this.apply({
          type: "JoinWaitlist",
          entryId: `w-${++this.n}`,
          userId: user,
          ticketTypeId: type,
          quantity: step.quantity,
        });
        return;
      }
      case "cancelEvent":
        this.apply({ type: "CancelEvent", reason: "test", byUserId: "org" });
        expect(this.state.seatOwners.size).toBe(0);
        return;
    }
  }
}

describe("seats under random interleavings", () => {
  it("gives every seat at most one owner and grants a request only when all its seats are free", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 60 }), (steps) => {
        const run = new Run();
        for (const step of steps) {
          run.run(step);
          checkSeats(run.state);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("lets exactly one of many racers have a contested seat", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(userArb, seatsArb), { minLength: 2, maxLength: 30 }),
        (requests) => {
          let state = seatedState(seatedConfig({ maxPerOrder: 10 }));
          const granted = new Map<string, number>();
          for (const [i, [user, seats]] of requests.entries()) {
            const cmd: EventCommand = {
              type: "PlaceHold",
              holdId: `h${i}`,
              userId: USERS[user] as string,
              items: [],
              seatIds: seats,
            };
            const decision = decide(state, cmd, NOW);
            state = decision.events.reduce(evolve, state);
            if (!(decision.reply instanceof Error))
              for (const s of seats) granted.set(s, (granted.get(s) ?? 0) + 1);
          }
          for (const count of granted.values()) expect(count).toBe(1);
          checkSeats(state);
        },
      ),
      { numRuns: 300 },
    );
  });
});
