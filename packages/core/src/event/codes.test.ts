import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import { DomainError, InputError } from "../errors.ts";
import { discountedPrice } from "./codes.ts";
import {
  bookTickets,
  cancelBooking,
  codeConfig,
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
import { initialState } from "./state.ts";
import type { CodeConfig, EventState, Hold, PlaceHold } from "./types.ts";

const code = codeConfig;

const withTypes = eventConfig({
  ticketTypes: [
    { id: "ga", name: "General", priceCents: 2_000, capacity: 50 },
    { id: "vip", name: "VIP", priceCents: 5_000, capacity: 50 },
    { id: "crew", name: "Crew", priceCents: 1_000, capacity: 10, hidden: true },
  ],
});

const withCodes = (...list: CodeConfig[]): EventState =>
  given(emptyState(withTypes), [{ type: "UpsertCodes", codes: list }]);

const hold = (userId: string, request = items(["ga", 1]), text = "spring"): PlaceHold => ({
  ...placeHold(userId, request),
  code: text.toUpperCase(),
});

const reasonOf = (reply: unknown) => (reply instanceof DomainError ? reply.reason : reply);

describe("codes decided by the actor", () => {
  it("prices a hold with a percent code, rounding the discounted price down", () => {
    const state = withCodes(code({ discount: { percent: 33 } }));
    const { decision } = step(state, hold("u1", items(["ga", 2])));
    const placed = (decision.reply as { hold: Hold }).hold;
    expect(placed.items).toEqual([
      { ticketTypeId: "ga", quantity: 2, unitPriceCents: 1_340, listPriceCents: 2_000 },
    ]);
    expect(placed.totalCents).toBe(2_680);
    expect(placed.codeId).toBe("cod-1");
  });

  it("takes an amount off the types the code applies to only, never below 0", () => {
    const state = withCodes(code({ discount: { amountCents: 3_000 }, ticketTypeIds: ["ga"] }));
    const { decision } = step(state, hold("u1", items(["ga", 1], ["vip", 1])));
    const placed = (decision.reply as { hold: Hold }).hold;
    expect(placed.items.map((i) => i.unitPriceCents)).toEqual([0, 5_000]);
  });

  it("refuses unknown and disabled codes alike with CODE_INVALID", () => {
    const state = withCodes(code({ code: "OFF", disabled: true }));
    expect(reasonOf(step(state, hold("u1", undefined, "nope")).decision.reply)).toBe(
      "CODE_INVALID",
    );
    expect(reasonOf(step(state, hold("u1", undefined, "off")).decision.reply)).toBe("CODE_INVALID");
  });

  it("refuses a code outside its validity with CODE_EXPIRED", () => {
    const state = withCodes(
      code({ validFrom: NOW + HOUR }),
      code({ id: "c2", code: "OLD", validUntil: NOW }),
    );
    expect(reasonOf(step(state, hold("u1")).decision.reply)).toBe("CODE_EXPIRED");
    expect(reasonOf(step(state, hold("u1", undefined, "old")).decision.reply)).toBe("CODE_EXPIRED");
  });

  it("refuses a use beyond maxUses, and beyond maxUsesPerBuyer per person", () => {
    let state = withCodes(code({ maxUses: 2, maxUsesPerBuyer: 1 }));
    state = given(state, [hold("u1")]);
    const again = step(state, hold("u1")).decision.reply as DomainError;
    expect([again.reason, again.details]).toEqual([
      "CODE_EXHAUSTED",
      { limit: "maxUsesPerBuyer", max: 1 },
    ]);
    state = given(state, [hold("u2")]);
    const third = step(state, hold("u3")).decision.reply as DomainError;
    expect([third.reason, third.details]).toEqual(["CODE_EXHAUSTED", { limit: "maxUses", max: 2 }]);
  });

  it("counts a guest and an account with one email as one buyer", () => {
    let state = withCodes(code({ maxUsesPerBuyer: 1 }));
    state = given(state, [{ ...hold("guest:ada@example.test"), personKey: "ada@example.test" }]);
    const reply = step(state, { ...hold("usr_ada"), personKey: "ada@example.test" }).decision.reply;
    expect(reasonOf(reply)).toBe("CODE_EXHAUSTED");
  });

  it("gives a use back when the hold is released, and keeps it when it is confirmed", () => {
    let state = withCodes(code({ maxUses: 1 }));
    const first = hold("u1");
    state = given(state, [first]);
    expect(state.codeUses.get("cod-1")).toBe(1);
    state = given(state, [{ type: "ReleaseHold", holdId: first.holdId, userId: "u1" }]);
    expect(state.codeUses.get("cod-1")).toBeUndefined();
    const second = hold("u2");
    state = given(state, [second, confirmHold("u2", second.holdId, pay(1_500))]);
    expect(state.codeUses.get("cod-1")).toBe(1);
    expect(reasonOf(step(state, hold("u3")).decision.reply)).toBe("CODE_EXHAUSTED");
  });

  it("gives the use back when the booking is cancelled", () => {
    let state = withCodes(code({ maxUses: 1 }));
    const book = { ...bookTickets("u1", items(["ga", 1]), pay(1_500)), code: "SPRING" };
    state = given(state, [book]);
    expect(state.codeUses.get("cod-1")).toBe(1);
    state = given(state, [cancelBooking(book.bookingId, "u1")]);
    expect(state.codeUses.get("cod-1")).toBeUndefined();
  });

  it("hides a hidden type from a buyer without the code, exactly like an unknown type", () => {
    const state = withCodes(
      code({ kind: "access", discount: null, unlocksTicketTypeIds: ["crew"] }),
    );
    const without = step(state, placeHold("u1", items(["crew", 1]))).decision.reply;
    expect(without).toBeInstanceOf(InputError);
    expect((without as InputError).issues).toEqual([
      { path: "items.0.ticketTypeId", message: "No such ticket type for this event" },
    ]);
    const withCode = step(state, hold("u1", items(["crew", 1]))).decision.reply as { hold: Hold };
    expect(withCode.hold.totalCents).toBe(1_000);
  });

  it("lets a presale code through before sales open, and nobody else", () => {
    const config = { ...withTypes, salesStartAt: NOW + HOUR };
    const state = given(emptyState(config), [
      {
        type: "UpsertCodes",
        codes: [
          code({
            kind: "access",
            discount: null,
            opensSalesAt: NOW - HOUR,
            ticketTypeIds: ["vip"],
          }),
        ],
      },
    ]);
    expect(reasonOf(step(state, placeHold("u1", items(["ga", 1]))).decision.reply)).toBe(
      "SALES_NOT_OPEN",
    );
    const presale = step(state, hold("u1", items(["ga", 1]))).decision.reply as { hold: Hold };
    expect(presale.hold.totalCents).toBe(2_000);
  });

  it("never opens sales past their end for a presale code", () => {
    const config = { ...withTypes, salesEndAt: NOW - 1 };
    const state = given(emptyState(config), [
      { type: "UpsertCodes", codes: [code({ opensSalesAt: NOW - HOUR })] },
    ]);
    expect(reasonOf(step(state, hold("u1")).decision.reply)).toBe("SALES_CLOSED");
  });

  it("refuses a code that does nothing for the request with CODE_NOT_APPLICABLE", () => {
    const state = withCodes(code({ ticketTypeIds: ["vip"] }));
    expect(reasonOf(step(state, hold("u1")).decision.reply)).toBe("CODE_NOT_APPLICABLE");
  });

  it("makes a free order with a 100 % code, needing no payment", () => {
    const state = withCodes(code({ discount: { percent: 100 } }));
    const book = { ...bookTickets("u1", items(["ga", 2]), null), code: "SPRING" };
    const { decision } = step(state, book);
    expect((decision.reply as { status: string }).status).toBe("created");
  });

  it("refuses a code text already used by another code of the event with CODE_TAKEN", () => {
    const state = withCodes(code());
    const reply = step(state, { type: "UpsertCodes", codes: [code({ id: "other" })] }).decision
      .reply;
    expect(reasonOf(reply)).toBe("CODE_TAKEN");
  });

  it("rebuilds uses from loaded holds and bookings", () => {
    let state = withCodes(code({ maxUses: 5, maxUsesPerBuyer: 5 }));
    state = given(state, [
      hold("u1"),
      hold("u1"),
      { ...bookTickets("u2", items(["ga", 1]), pay(1_500)), code: "SPRING" },
    ]);
    const loaded = initialState({
      config: state.config,
      holds: [...state.holds.values()],
      bookings: [...state.bookings.values()],
      idempotency: [],
      codes: [...state.codes.values()],
    });
    expect(loaded.codeUses.toJSON()).toEqual(state.codeUses.toJSON());
    expect(loaded.codeUsesByPerson.toJSON()).toEqual(state.codeUsesByPerson.toJSON());
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: random command sequences over a scarce code.

type Op =
  | { kind: "hold"; user: number; withCode: boolean }
  | { kind: "book"; user: number }
  | { kind: "release"; ref: number }
  | { kind: "confirm"; ref: number }
  | { kind: "cancel"; ref: number }
  | { kind: "time"; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("hold" as const), user: fc.nat(3), withCode: fc.boolean() }),
  fc.record({ kind: fc.constant("book" as const), user: fc.nat(3) }),
  fc.record({ kind: fc.constant("release" as const), ref: fc.nat(20) }),
  fc.record({ kind: fc.constant("confirm" as const), ref: fc.nat(20) }),
  fc.record({ kind: fc.constant("cancel" as const), ref: fc.nat(20) }),
  fc.record({ kind: fc.constant("time" as const), ms: fc.integer({ min: 0, max: 700_000 }) }),
);

/** Uses counted from scratch: live holds and standing bookings carrying the code. */
function countedUses(state: EventState, person?: string) {
  const orders = [...state.holds.values(), ...state.bookings.values()];
  return orders.filter(
    (o) => o.codeId === "cod-1" && (person === undefined || (o.personKey ?? o.userId) === person),
  ).length;
}

describe("code properties", () => {
  it("never lets uses exceed maxUses or maxUsesPerBuyer, and keeps the counters exact", () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 60 }),
        fc.integer({ min: 1, max: 4 }),
        (ops, max) => {
          let state = withCodes(code({ maxUses: max, maxUsesPerBuyer: 2 }));
          let now = NOW;
          for (const op of ops) {
            const user = `u${"user" in op ? op.user : 0}`;
            const holds = [...state.holds.values()];
            const bookings = [...state.bookings.values()];
            let cmd: Parameters<typeof step>[1] | null = null;
            if (op.kind === "time") now += op.ms;
            if (op.kind === "hold")
              cmd = op.withCode ? hold(user) : placeHold(user, items(["ga", 1]));
            if (op.kind === "book")
              cmd = { ...bookTickets(user, items(["ga", 1]), pay(1_500)), code: "SPRING" };
            const h = holds[("ref" in op ? op.ref : 0) % Math.max(1, holds.length)];
            const b = bookings[("ref" in op ? op.ref : 0) % Math.max(1, bookings.length)];
            if (op.kind === "release" && h)
              cmd = { type: "ReleaseHold", holdId: h.id, userId: h.userId };
            if (op.kind === "confirm" && h) cmd = confirmHold(h.userId, h.id, pay(h.totalCents));
            if (op.kind === "cancel" && b) cmd = cancelBooking(b.id, b.userId);
            state = step(state, { type: "ExpireHolds" }, now).state;
            if (cmd) state = step(state, cmd, now).state;
            expect(countedUses(state)).toBeLessThanOrEqual(max);
            expect(state.codeUses.get("cod-1") ?? 0).toBe(countedUses(state));
            for (const u of ["u0", "u1", "u2", "u3"]) {
              expect(countedUses(state, u)).toBeLessThanOrEqual(2);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("returns an expired or released hold's use exactly once", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.nat(3), (release, extra) => {
        let state = withCodes(code({ maxUses: 1 }));
        const first = hold("u1");
        state = given(state, [first]);
        const end = release
          ? { type: "ReleaseHold" as const, holdId: first.holdId, userId: "u1" }
          : { type: "ExpireHolds" as const };
        const later = NOW + 601_000;
        state = step(state, end, later).state;
        // Ending it again changes nothing: the use came back once.
        for (let i = 0; i < extra; i += 1) state = step(state, end, later).state;
        expect(state.codeUses.get("cod-1") ?? 0).toBe(0);
        state = given(state, [hold("u2")], later);
        expect(state.codeUses.get("cod-1")).toBe(1);
        expect(reasonOf(step(state, hold("u3"), later).decision.reply)).toBe("CODE_EXHAUSTED");
      }),
    );
  });

  it("never makes a negative price, nor one above the list price", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.oneof(
          fc.integer({ min: 1, max: 100 }).map((percent) => ({ percent })),
          fc.integer({ min: 1, max: 100_000_000 }).map((amountCents) => ({ amountCents })),
        ),
        (price, discount) => {
          const after = discountedPrice(price, discount);
          expect(after).toBeGreaterThanOrEqual(0);
          expect(after).toBeLessThanOrEqual(price);
          expect(Number.isInteger(after)).toBe(true);
          if ("percent" in discount) {
            // Never more than the exact discounted price, and less by under a cent.
            expect(after).toBeLessThanOrEqual((price * (100 - discount.percent)) / 100);
            expect(after).toBeGreaterThan((price * (100 - discount.percent)) / 100 - 1);
          }
        },
      ),
    );
  });
});

describe("hidden types and the waitlist", () => {
  it("refuses a place in line for a hidden type, exactly like an unknown type", () => {
    const waitlist = { enabled: true, mode: "offer" as const, offerSeconds: 600 };
    const state = emptyState({ ...withTypes, waitlist });
    const { decision } = step(state, {
      type: "JoinWaitlist",
      entryId: "wl-1",
      userId: "u1",
      ticketTypeId: "crew",
      quantity: 1,
    });
    expect((decision.reply as InputError).issues).toEqual([
      { path: "ticketTypeId", message: "No such ticket type for this event" },
    ]);
  });
});
