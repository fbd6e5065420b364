import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import { ConflictError, type DomainError } from "../errors.ts";
import { decide } from "./decide.ts";
import {
  bookTickets,
  cancelBooking,
  codeConfig,
  confirmHold,
  emptyState,
  eventConfig,
  given,
  items,
  NOW,
  pay,
  placeHold,
  step,
} from "./fixtures.ts";
import { mayCost, quote } from "./quote.ts";
import type { BookOrWaitReply, CodeConfig, EventState, Hold } from "./types.ts";

const withWaitlist = (overrides = {}) =>
  emptyState(
    eventConfig({ waitlist: { enabled: true, mode: "offer", offerSeconds: 600 }, ...overrides }),
  );

describe("quote", () => {
  it("prices an admitted request exactly as the booking will be priced", () => {
    const state = emptyState();
    const cmd = bookTickets("u1", items(["ga", 2], ["vip", 1]), pay(9_000));
    const q = quote(state, cmd, NOW);
    expect(q).toMatchObject({ kind: "admitted", totalCents: 9_000 });
    const reply = decide(state, cmd, NOW).reply as BookOrWaitReply;
    if (reply.status !== "created") throw new Error("expected a booking");
    expect(reply.booking.totalCents).toBe(9_000);
  });

  it("says a request is refused without deciding anything", () => {
    const q = quote(emptyState(), bookTickets("u1", items(["vip", 3]), null), NOW);
    expect(q.kind).toBe("refused");
    if (q.kind === "refused") expect((q.refusal as DomainError).reason).toBe("SOLD_OUT");
  });

  it("finds an earlier booking under the same key before anything else", () => {
    const first = bookTickets("u1", items(["ga", 5]), pay(10_000), {
      idempotencyKey: "k",
      requestHash: "h1",
    });
    const state = given(emptyState(), [first]);
    // Sold out now, but the retry is answered with the booking it already made.
    const retry = bookTickets("u1", items(["ga", 5]), null, {
      idempotencyKey: "k",
      requestHash: "h1",
    });
    expect(quote(state, retry, NOW)).toEqual({ kind: "bookedBefore", bookingId: first.bookingId });
  });

  it("quotes a hold's confirmation at the hold's price, and nobody else's hold", () => {
    const state = given(emptyState(), [placeHold("u1", items(["vip", 1]), "h1")]);
    expect(quote(state, confirmHold("u1", "h1", null), NOW)).toMatchObject({
      kind: "admitted",
      totalCents: 5_000,
    });
    const other = quote(state, confirmHold("u2", "h1", null), NOW);
    expect(other.kind === "refused" && (other.refusal as DomainError).reason).toBe(
      "HOLD_NOT_FOUND",
    );
  });
});

describe("idempotent holds", () => {
  const keyed = (holdId: string, hash = "same") => ({
    ...placeHold("u1", items(["ga", 2]), holdId),
    idempotencyKey: "key-1",
    requestHash: hash,
  });

  it("answers a retried hold with the same hold and takes nothing more", () => {
    const state = given(emptyState(), [keyed("h1")]);
    const { state: after, decision } = step(state, keyed("h2"));
    expect(decision.events).toEqual([]);
    expect((decision.reply as { hold: Hold }).hold.id).toBe("h1");
    expect(after.held).toBe(2);
  });

  it("refuses the key with a different request", () => {
    const state = given(emptyState(), [keyed("h1")]);
    expect(step(state, keyed("h2", "other")).decision.reply).toBeInstanceOf(ConflictError);
  });

  it("lets the key place a new hold once the old one has ended", () => {
    const state = given(emptyState(), [
      keyed("h1"),
      { type: "ReleaseHold", holdId: "h1", userId: "u1" },
    ]);
    const { decision } = step(state, keyed("h2"));
    expect((decision.reply as { hold: Hold }).hold.id).toBe("h2");
  });

  it("keeps another buyer's key apart", () => {
    const state = given(emptyState(), [keyed("h1")]);
    const theirs = { ...keyed("h2"), userId: "u2" };
    expect((step(state, theirs).decision.reply as { hold: Hold }).hold.id).toBe("h2");
  });
});

describe("book or wait, in one turn", () => {
  const soldOut = (state: EventState) =>
    given(state, [bookTickets("u0", items(["vip", 2]), pay(10_000), { bookingId: "b0" })]);

  it("joins the waitlist when the request is sold out", () => {
    const state = soldOut(withWaitlist());
    const cmd = bookTickets("u1", items(["vip", 1]), null, { joinWaitlist: true, entryId: "e1" });
    const { state: after, decision } = step(state, cmd);
    expect(decision.reply).toEqual({
      status: "waitlisted",
      entryId: "e1",
      position: 1,
      offer: null,
    });
    expect(after.waitlist.get("e1")).toMatchObject({ ticketTypeId: "vip", quantity: 1 });
  });

  it("waits for any type when the request mixes types", () => {
    const state = given(soldOut(withWaitlist()), [
      bookTickets("u9", items(["ga", 5]), pay(10_000)),
    ]);
    const cmd = bookTickets("u1", items(["ga", 1], ["vip", 1]), null, {
      joinWaitlist: true,
      entryId: "e1",
    });
    const { state: after } = step(state, cmd);
    expect(after.waitlist.get("e1")).toMatchObject({ ticketTypeId: null, quantity: 2 });
  });

  it("books when tickets freed before the turn, however stale the caller's view", () => {
    // The caller saw a sell-out and charged the card (quote before the cancellation); by its
    // turn a cancellation has freed the tickets, so it gets them.
    const state = given(soldOut(withWaitlist()), [cancelBooking("b0", "u0")]);
    const cmd = bookTickets("u1", items(["vip", 1]), pay(5_000), {
      joinWaitlist: true,
      entryId: "e1",
    });
    const reply = step(state, cmd).decision.reply as BookOrWaitReply;
    expect(reply.status).toBe("created");
  });

  it("offers freed tickets at once to an unpaid request that asked to wait", () => {
    // Quoted as sold out (so nothing was charged); freed by its turn: it waits and, nobody
    // being ahead, is offered the tickets in the same turn instead of being refused.
    const state = given(soldOut(withWaitlist()), [cancelBooking("b0", "u0")]);
    const cmd = bookTickets("u1", items(["vip", 1]), null, { joinWaitlist: true, entryId: "e1" });
    const reply = step(state, cmd).decision.reply as BookOrWaitReply;
    if (reply.status !== "waitlisted") throw new Error("expected a waitlist place");
    expect(reply.position).toBeNull();
    expect(reply.offer).toMatchObject({ userId: "u1", totalCents: 5_000 });
  });

  it("refuses as before when the event has no waitlist", () => {
    const state = soldOut(emptyState());
    const cmd = bookTickets("u1", items(["vip", 1]), null, { joinWaitlist: true, entryId: "e1" });
    expect((step(state, cmd).decision.reply as DomainError).reason).toBe("SOLD_OUT");
  });

  it("says ALREADY_ON_WAITLIST for a second place", () => {
    const cmd = (entryId: string) =>
      bookTickets("u1", items(["vip", 1]), null, { joinWaitlist: true, entryId });
    const state = given(soldOut(withWaitlist()), [cmd("e1")]);
    expect((step(state, cmd("e2")).decision.reply as DomainError).reason).toBe(
      "ALREADY_ON_WAITLIST",
    );
  });

  it("never refuses a book-or-wait request as sold out while the waitlist is open", () => {
    // Whatever was sold, held or freed before, the request gets tickets or a place.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("sell", "cancel"), fc.integer({ min: 1, max: 2 })), {
          maxLength: 8,
        }),
        fc.integer({ min: 1, max: 2 }),
        fc.boolean(),
        (steps, want, paid) => {
          let state = withWaitlist();
          let n = 0;
          for (const [kind, quantity] of steps) {
            n += 1;
            const cmd =
              kind === "sell"
                ? bookTickets(`s${n}`, items(["vip", quantity]), pay(5_000 * quantity), {
                    bookingId: `b${n}`,
                  })
                : cancelBooking([...state.bookings.keys()][0] ?? "none", "org", true);
            state = step(state, cmd).state;
          }
          const cmd = bookTickets("buyer", items(["vip", want]), paid ? pay(5_000 * want) : null, {
            joinWaitlist: true,
            entryId: "e-buyer",
          });
          const reply = step(state, cmd).decision.reply;
          expect(reply).not.toBeInstanceOf(Error);
        },
      ),
    );
  });
});

describe("what one buyer may hold at once", () => {
  const capped = (userId: string, quantity: number, holdId: string) => ({
    ...placeHold(userId, items(["ga", quantity]), holdId),
    heldCap: 3,
  });
  const small = () => emptyState(eventConfig({ maxPerOrder: 2 }));

  it("counts live holds against the server's cap when the organizer set no maxPerUser", () => {
    const state = given(small(), [capped("u1", 2, "h1")]);
    const refusal = step(state, capped("u1", 2, "h2")).decision.reply as DomainError;
    expect(refusal.reason).toBe("LIMIT_EXCEEDED");
    expect(refusal.details).toEqual({ limit: "heldPerBuyer", max: 3, already: 2 });
    // Another buyer is not affected, and the first may still hold what is left of the cap.
    expect(step(state, capped("u2", 2, "h3")).decision.reply).not.toBeInstanceOf(Error);
    expect(step(state, capped("u1", 1, "h4")).decision.reply).not.toBeInstanceOf(Error);
  });

  it("frees the allowance when a hold ends, and never caps below one order", () => {
    const state = given(small(), [
      capped("u1", 2, "h1"),
      { type: "ReleaseHold", holdId: "h1", userId: "u1" },
    ]);
    expect(step(state, capped("u1", 2, "h2")).decision.reply).not.toBeInstanceOf(Error);
    const big = emptyState(eventConfig({ maxPerOrder: 5 }));
    expect(step(big, capped("u1", 5, "h5")).decision.reply).not.toBeInstanceOf(Error);
  });

  it("leaves the organizer's maxPerUser in charge where it is set", () => {
    const state = given(emptyState(eventConfig({ maxPerOrder: 2, maxPerUser: 4 })), [
      capped("u1", 2, "h1"),
    ]);
    expect(step(state, capped("u1", 2, "h2")).decision.reply).not.toBeInstanceOf(Error);
  });

  it("never lets one buyer hold more than the cap, whatever the sequence", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 2 })), { maxLength: 20 }),
        (steps) => {
          let state = small();
          let n = 0;
          for (const [hold, quantity] of steps) {
            const live = [...state.holds.keys()];
            const cmd = hold
              ? capped("u1", quantity, `h${++n}`)
              : { type: "ReleaseHold" as const, holdId: live[0] ?? "none", userId: "u1" };
            state = step(state, cmd).state;
            expect(state.heldByUser.get("u1") ?? 0).toBeLessThanOrEqual(3);
            expect(state.heldByUser.get("u1") ?? 0).toBe(state.held);
          }
        },
      ),
    );
  });
});

describe("what a direct booking may cost", () => {
  const free = (capacities: readonly number[]) =>
    eventConfig({
      ticketTypes: capacities.map((capacity, i) => ({
        id: `t${i}`,
        name: `Type ${i}`,
        priceCents: 0,
        capacity,
        ...(i === 2 ? { hidden: true } : {}),
      })),
    });

  it("says a priced type may cost, and an event of free types never does", () => {
    expect(mayCost(eventConfig())).toBe(true);
    expect(mayCost(free([3, 2]))).toBe(false);
  });

  it("never admits a booking on a free event at a price, whatever codes and requests", () => {
    const codeArb = fc.record({
      text: fc.constantFrom("PCT", "AMOUNT", "ACCESS"),
      percent: fc.integer({ min: 1, max: 100 }),
      amountCents: fc.integer({ min: 1, max: 10_000 }),
    });
    const requestArb = fc.record({
      user: fc.constantFrom("u1", "u2", "u3"),
      lines: fc.uniqueArray(
        fc.tuple(fc.constantFrom("t0", "t1", "t2"), fc.integer({ min: 1, max: 3 })),
        { selector: ([type]) => type, minLength: 1, maxLength: 3 },
      ),
      code: fc.option(fc.constantFrom("PCT", "AMOUNT", "ACCESS"), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 3, maxLength: 3 }),
        codeArb,
        fc.array(requestArb, { minLength: 1, maxLength: 12 }),
        (capacities, c, requests) => {
          const config = free(capacities);
          const codes: CodeConfig[] = [
            codeConfig({ id: "c-pct", code: "PCT", discount: { percent: c.percent } }),
            codeConfig({ id: "c-amt", code: "AMOUNT", discount: { amountCents: c.amountCents } }),
            codeConfig({
              id: "c-acc",
              code: "ACCESS",
              kind: "access",
              discount: null,
              unlocksTicketTypeIds: ["t2"],
            }),
          ];
          let state = given(emptyState(config), [{ type: "UpsertCodes", codes }]);
          expect(mayCost(state.config)).toBe(false);
          for (const r of requests) {
            const cmd = bookTickets(r.user, items(...r.lines), null, {
              ...(r.code === undefined ? {} : { code: r.code }),
            });
            const q = quote(state, cmd, NOW);
            if (q.kind === "admitted") expect(q.totalCents).toBe(0);
            const next = step(state, cmd);
            const reply = next.decision.reply;
            // Unpaid and free: the decider books or refuses for what the tickets allow, never
            // for want of a payment.
            if (reply instanceof Error) {
              expect((reply as DomainError).reason).not.toBe("PAYMENT_DECLINED");
            } else {
              expect((reply as BookOrWaitReply).status).toBe("created");
            }
            state = next.state;
          }
        },
      ),
    );
  });
});
