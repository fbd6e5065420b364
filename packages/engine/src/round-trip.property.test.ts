/**
 * What the actor committed is what SQLite loads back: after any sequence of commands, the state
 * `loadEvent` rebuilds equals the actor's committed state (sold, held, holds, bookings, idempotency
 * keys, waitlist, seats). A write that forgets a column, or a load that reads one wrongly, fails
 * here before it can make a restarted server decide differently. Buyers are accounts and guests,
 * one guest sharing an account's email (one person, two principals); bookings name their tickets
 * and answer a per-ticket question, and those come back from SQLite as given. Some holds and
 * bookings use a scarce discount code (changed and disabled on the way): its uses are derived
 * from what was loaded, and the SQL count of uses agrees with the actor's.
 */
import { afterAll, describe, expect, it } from "bun:test";
import {
  type CodeConfig,
  type EventCommand,
  type EventState,
  guestPrincipal,
  type ItemRequest,
  initialState,
  isGuestPrincipal,
  orderToken,
  quote,
  snapshot,
} from "@boxoffice/core";
import { codesForExport, findBooking, loadEvent } from "@boxoffice/db";
import fc from "fast-check";
import { EventRegistry } from "./registry.ts";
import { createEngineWorld } from "./testing.ts";

const world = createEngineWorld();
const registry = new EventRegistry({ db: world.db, clock: world.clock, journal: world.writer });
const accounts = Array.from({ length: 3 }, () => world.user());
const emailOf = (userId: string) => `${userId}@example.test`;
/** Principals with their person: accounts, a guest under an account's email, a lone guest. */
const buyers = [
  ...accounts.map((userId) => ({ userId, personKey: emailOf(userId), buyerName: null })),
  { userId: guestPrincipal(emailOf(accounts[0] ?? "")), personKey: emailOf(accounts[0] ?? "") },
  { userId: guestPrincipal("lone@guest.test"), personKey: "lone@guest.test" },
].map((b) => ({ ...b, buyerName: isGuestPrincipal(b.userId) ? `Guest ${b.personKey}` : null }));
const QUESTION = "q_roundtrip";
/** Expected names and answers per booking created, as the replies gave them. */
const created = new Map<string, { names: (string | null)[]; answers: number }>();

afterAll(async () => {
  await registry.stop();
  await world.close();
});

const userArb = fc.integer({ min: 0, max: buyers.length - 1 });
const accountArb = fc.integer({ min: 0, max: accounts.length - 1 });
const typeArb = fc.integer({ min: 0, max: 1 });
const qtyArb = fc.integer({ min: 1, max: 3 });

const stepArb = fc.oneof(
  fc.record({
    k: fc.constant("hold" as const),
    user: userArb,
    type: typeArb,
    qty: qtyArb,
    keyed: fc.boolean(),
    coded: fc.boolean(),
  }),
  fc.record({
    k: fc.constant("book" as const),
    user: userArb,
    type: typeArb,
    qty: qtyArb,
    wait: fc.boolean(),
    keyed: fc.boolean(),
    named: fc.boolean(),
    coded: fc.boolean(),
  }),
  fc.record({
    k: fc.constant("code" as const),
    maxUses: fc.option(fc.integer({ min: 1, max: 4 })),
    disabled: fc.boolean(),
  }),
  fc.record({ k: fc.constant("confirm" as const), pick: fc.nat(), named: fc.boolean() }),
  fc.record({ k: fc.constant("release" as const), pick: fc.nat() }),
  fc.record({ k: fc.constant("cancel" as const), pick: fc.nat(), organizer: fc.boolean() }),
  fc.record({ k: fc.constant("join" as const), user: accountArb, qty: qtyArb }),
  fc.record({ k: fc.constant("leave" as const), user: accountArb }),
  fc.record({ k: fc.constant("offerNext" as const) }),
  fc.record({ k: fc.constant("tick" as const), ms: fc.integer({ min: 0, max: 400_000 }) }),
  fc.record({
    k: fc.constant("resize" as const),
    type: typeArb,
    capacity: fc.integer({ min: 0, max: 8 }),
  }),
);

type Step = typeof stepArb extends fc.Arbitrary<infer S> ? S : never;

let counter = 0;
const id = (prefix: string) => `${prefix}_rt${++counter}`;
const codes = (n: number) => Array.from({ length: n }, () => id("CODE"));
const pick = <T>(values: readonly T[], n: number): T | undefined =>
  values[n % Math.max(1, values.length)];

/** Pays exactly what core quotes, as the engine does. */
function paid(state: EventState, cmd: EventCommand, now: number): EventCommand {
  if (cmd.type !== "BookTickets" && cmd.type !== "ConfirmHold") return cmd;
  const q = quote(state, cmd, now);
  const amountCents = q.kind === "admitted" ? q.totalCents : 0;
  return {
    ...cmd,
    payment: amountCents > 0 ? { provider: "mock", ref: id("ref"), amountCents } : null,
  };
}

/** Names for `n` tickets, with an answer to the per-ticket question for the first. */
const checkout = (named: boolean, n: number) =>
  named
    ? {
        attendees: Array.from({ length: n }, (_, i) => ({ name: `Attendee ${i + 1}` })),
        answers: [{ questionId: QUESTION, ticketIndex: 0, value: "Vegan" }],
      }
    : {};

function commandOf(step: Step, state: EventState, typeIds: readonly string[]): EventCommand | null {
  const items = (type: number, quantity: number): ItemRequest[] => [
    { ticketTypeId: typeIds[type] ?? "", quantity },
  ];
  switch (step.k) {
    case "hold": {
      const key = step.keyed ? `key-${step.qty}` : null;
      const buyer = buyers[step.user];
      return {
        type: "PlaceHold",
        holdId: id("hld"),
        userId: buyer?.userId ?? "",
        ...(buyer ? { personKey: buyer.personKey, buyerName: buyer.buyerName } : {}),
        items: items(step.type, step.qty),
        seatIds: [],
        idempotencyKey: key,
        requestHash: key && `hash-${step.type}`,
        ...(step.coded ? { code: CODE } : {}),
      };
    }
    case "book": {
      const buyer = buyers[step.user];
      const bookingId = id("bkg");
      return {
        type: "BookTickets",
        bookingId,
        userId: buyer?.userId ?? "",
        ...(buyer ? { personKey: buyer.personKey, buyerName: buyer.buyerName } : {}),
        ...checkout(step.named, step.qty),
        orderToken: orderToken(bookingId),
        items: items(step.type, step.qty),
        seatIds: [],
        codes: codes(step.qty),
        payment: null,
        idempotencyKey: step.keyed ? `book-${step.qty}` : null,
        requestHash: `hash-${step.type}-${step.qty}`,
        // Guests cannot wait (the API refuses them before the actor sees it).
        joinWaitlist: step.wait && !isGuestPrincipal(buyer?.userId ?? ""),
        entryId: id("wl"),
        ...(step.coded ? { code: CODE } : {}),
      };
    }
    case "confirm": {
      const hold = pick([...state.holds.values()], step.pick);
      if (!hold) return null;
      return {
        type: "ConfirmHold",
        holdId: hold.id,
        bookingId: id("bkg"),
        userId: hold.userId,
        ...checkout(
          step.named,
          hold.items.reduce((n, i) => n + i.quantity, 0),
        ),
        orderToken: id("token"),
        codes: codes(10),
        payment: null,
        idempotencyKey: null,
        requestHash: null,
      };
    }
    case "release": {
      const hold = pick([...state.holds.values()], step.pick);
      return hold ? { type: "ReleaseHold", holdId: hold.id, userId: hold.userId } : null;
    }
    case "cancel": {
      const booking = pick([...state.bookings.values()], step.pick);
      if (!booking) return null;
      const by = step.organizer ? state.config.organizerId : booking.userId;
      return {
        type: "CancelBooking",
        bookingId: booking.id,
        byUserId: by,
        byOrganizer: step.organizer,
      };
    }
    case "join":
      return {
        type: "JoinWaitlist",
        entryId: id("wl"),
        userId: accounts[step.user] ?? "",
        personKey: emailOf(accounts[step.user] ?? ""),
        ticketTypeId: null,
        quantity: step.qty,
      };
    case "leave":
      return { type: "LeaveWaitlist", userId: accounts[step.user] ?? "" };
    case "offerNext":
      return { type: "OfferNext" };
    case "resize": {
      const ticketTypes = state.config.ticketTypes.map((t, i) =>
        i === step.type ? { ...t, capacity: step.capacity } : t,
      );
      return { type: "Reconfigure", config: { ...state.config, ticketTypes }, details: null };
    }
    case "code": {
      const saved = state.codes.get(CODE);
      if (!saved) return null;
      return {
        type: "UpsertCodes",
        codes: [{ ...saved, maxUses: step.maxUses, disabled: step.disabled }],
      };
    }
    case "tick":
      return null;
  }
}

/** The event's one code: a quarter off, scarce, at most two uses per person. */
const CODE = "RT25";
const codeConfig = (): CodeConfig => ({
  id: id("cod"),
  code: CODE,
  kind: "discount",
  discount: { percent: 25 },
  ticketTypeIds: null,
  maxUses: 3,
  maxUsesPerBuyer: 2,
  validFrom: null,
  validUntil: null,
  unlocksTicketTypeIds: [],
  opensSalesAt: null,
  disabled: false,
  createdAt: 0,
});

describe("the actor's state survives a round trip through SQLite", () => {
  it("loads back exactly what was committed, after any sequence of commands", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 25 }), async (steps) => {
        const { eventId, typeIds } = world.event(
          {
            waitlistEnabled: true,
            waitlistOfferSeconds: 120,
            holdSeconds: 60,
            questions: [
              {
                id: QUESTION,
                label: "Diet",
                kind: "choice",
                options: ["Vegan", "Any"],
                required: false,
                per: "ticket",
                ticketTypeIds: null,
                helpText: null,
              },
            ],
          },
          [
            { priceCents: 1_500, capacity: 4 },
            { priceCents: 0, capacity: 3 },
          ],
        );
        const actor = registry.get(eventId);
        if (!actor) throw new Error("no actor");
        await actor.ask({ type: "UpsertCodes", codes: [codeConfig()] });
        for (const step of steps) {
          if (step.k === "tick") {
            world.clock.advance(step.ms);
            await actor.ask({ type: "ExpireHolds" });
            continue;
          }
          const cmd = commandOf(step, actor.state, typeIds);
          if (!cmd) continue;
          // Refusals are part of the sequence too: they must leave no trace in either.
          const reply = await actor
            .ask(paid(actor.state, cmd, world.clock.now()))
            .catch(() => null);
          if (
            reply &&
            typeof reply === "object" &&
            "status" in reply &&
            reply.status === "created"
          ) {
            const { booking } = reply as { booking: import("@boxoffice/core").ConfirmedBooking };
            created.set(booking.id, {
              names: booking.tickets.map((t) => t.attendee?.name ?? null),
              answers: booking.answers?.length ?? 0,
            });
          }
        }
        await world.writer.flushed();
        const loaded = loadEvent(world.db, eventId);
        if (!loaded) throw new Error("event vanished");
        expect(snapshot(initialState(loaded))).toEqual(snapshot(actor.state));
        // The organizer's view of uses (SQL) agrees with the actor's count.
        const [stored] = codesForExport(world.db, eventId);
        const saved = actor.state.codes.get(CODE);
        expect(stored?.uses).toBe(saved ? (actor.state.codeUses.get(saved.id) ?? 0) : undefined);
        for (const booking of actor.state.bookings.values()) {
          const expected = created.get(booking.id);
          const stored = findBooking(world.db, booking.id);
          if (!expected || !stored) continue;
          expect(stored.tickets.map((t) => t.attendeeName)).toEqual(expected.names);
          expect(stored.answers.length).toBe(expected.answers);
          // Split tokens (bookings) keep the secret's hash; bare ones (confirmed holds here, as
          // issued before split tokens) the whole token's.
          expect(stored.booking.orderTokenHash ?? stored.booking.orderSecretHash).not.toBeNull();
        }
      }),
      { numRuns: 60 },
    );
  });
});
