/**
 * Checkout rules: names per ticket and the organizer's questions (`checkCheckout`), and one
 * person's limit across their principals (a guest and an account sharing an email).
 */
import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import {
  type CheckoutConfig,
  checkCheckout,
  checkoutIssues,
  DEFAULT_CHECKOUT,
  guestPrincipal,
  type Question,
} from "./checkout.ts";
import { decide } from "./decide.ts";
import { evolve } from "./evolve.ts";
import { emptyState, eventConfig, NOW } from "./fixtures.ts";
import { quote } from "./quote.ts";
import type { EventCommand, EventState } from "./types.ts";

const question = (
  fields: Partial<Question> & Pick<Question, "id" | "label" | "kind">,
): Question => ({
  options: [],
  required: false,
  per: "order",
  ticketTypeIds: null,
  helpText: null,
  ...fields,
});

const diet = question({
  id: "diet",
  label: "Diet",
  kind: "choice",
  options: ["Vegan", "Any"],
  required: true,
  per: "ticket",
});
const shirt = question({ id: "shirt", label: "T-shirt", kind: "multichoice", options: ["S", "M"] });
const consent = question({ id: "ok", label: "Photos", kind: "checkbox", required: true });
const vipOnly = question({
  id: "vip",
  label: "Plus one",
  kind: "text",
  required: true,
  per: "ticket",
  ticketTypeIds: ["vip"],
});

const settings = (fields: Partial<CheckoutConfig> = {}): CheckoutConfig => ({
  ...DEFAULT_CHECKOUT,
  questions: [diet, shirt, consent, vipOnly],
  ...fields,
});

describe("checkoutIssues", () => {
  it("names a missing required per-ticket answer by its question and ticket number", () => {
    const issues = checkoutIssues(
      settings(),
      ["ga", "ga"],
      [],
      [
        { questionId: "diet", ticketIndex: 0, value: "Vegan" },
        { questionId: "ok", value: true },
      ],
    );
    expect(issues).toEqual([
      { path: "answers.diet.1", message: '"Diet" is required for ticket 2' },
    ]);
  });

  it.each([
    [
      "a choice outside the options",
      { questionId: "diet", ticketIndex: 0, value: "Fish" },
      "answers.diet.0",
      '"Diet" for ticket 1 must be one of its options',
    ],
    [
      "a wrong kind",
      { questionId: "shirt", value: "S" },
      "answers.shirt",
      '"T-shirt" must be a list of its options',
    ],
    [
      "an unknown question",
      { questionId: "nope", value: "x" },
      "answers.nope",
      "No such question for this event",
    ],
    [
      "a per-ticket question without its ticket",
      { questionId: "diet", value: "Vegan" },
      "answers.diet",
      '"Diet" is asked per ticket: say which ticket',
    ],
    [
      "a ticket the question is not asked of",
      { questionId: "vip", ticketIndex: 0, value: "Bob" },
      "answers.vip.0",
      '"Plus one" is not asked for ticket 1',
    ],
  ])("refuses %s", (_, answer, path, message) => {
    const base = [
      { questionId: "diet", ticketIndex: 0, value: "Vegan" },
      { questionId: "ok", value: true },
    ];
    const slot = (x: { questionId: string; ticketIndex?: number }) =>
      `${x.questionId}.${x.ticketIndex ?? ""}`;
    const others = base.filter((x) => slot(x) !== slot(answer));
    const issues = checkoutIssues(settings(), ["ga"], [], [...others, answer]);
    expect(issues).toContainEqual({ path, message });
  });

  it("takes only a ticked box for required consent", () => {
    const issues = checkoutIssues(
      settings(),
      ["ga"],
      [],
      [
        { questionId: "diet", ticketIndex: 0, value: "Any" },
        { questionId: "ok", value: false },
      ],
    );
    expect(issues).toEqual([{ path: "answers.ok", message: '"Photos" must be ticked' }]);
  });

  it("asks type-bound questions only of tickets of those types", () => {
    const issues = checkoutIssues(
      settings(),
      ["ga", "vip"],
      [],
      [
        { questionId: "diet", ticketIndex: 0, value: "Any" },
        { questionId: "diet", ticketIndex: 1, value: "Any" },
        { questionId: "ok", value: true },
      ],
    );
    expect(issues).toEqual([
      { path: "answers.vip.1", message: '"Plus one" is required for ticket 2' },
    ]);
  });

  it("needs one name per ticket when tickets are personalised, and an email with nameAndEmail", () => {
    const none = settings({ questions: [], personalizedTickets: "name" });
    expect(checkoutIssues(none, ["ga", "ga"], [], [])).toEqual([
      { path: "attendees", message: "Name each ticket: 2 names needed" },
    ]);
    expect(checkoutIssues(none, ["ga", "ga"], [{ name: "A" }], [])[0]?.path).toBe("attendees");
    const withEmail = settings({ questions: [], personalizedTickets: "nameAndEmail" });
    expect(checkoutIssues(withEmail, ["ga"], [{ name: "A" }], [])).toEqual([
      { path: "attendees.0.email", message: "An email is needed for ticket 1" },
    ]);
  });

  it("stores answers with their question's label, kind and options, and drops blank optional ones", () => {
    const checked = checkCheckout(
      settings(),
      ["ga"],
      [{ name: " Ada ", email: "ADA@X.ORG" }],
      [
        { questionId: "diet", ticketIndex: 0, value: "Vegan" },
        { questionId: "shirt", value: [] },
        { questionId: "ok", value: true },
      ],
    );
    expect(checked.issues).toEqual([]);
    expect(checked.attendees).toEqual([{ name: "Ada", email: "ada@x.org" }]);
    expect(checked.answers).toEqual([
      {
        questionId: "diet",
        ticketIndex: 0,
        label: "Diet",
        kind: "choice",
        options: ["Vegan", "Any"],
        value: "Vegan",
      },
      {
        questionId: "ok",
        ticketIndex: null,
        label: "Photos",
        kind: "checkbox",
        options: [],
        value: true,
      },
    ]);
  });

  it("refuses a confirm whose answers are missing, before anything is decided", () => {
    const config = eventConfig({ checkout: settings({ questions: [diet] }) });
    let state = emptyState(config);
    const hold = decide(
      state,
      {
        type: "PlaceHold",
        holdId: "h1",
        userId: "u1",
        items: [{ ticketTypeId: "ga", quantity: 2 }],
        seatIds: [],
      },
      NOW,
    );
    state = hold.events.reduce(evolve, state);
    const confirm = {
      type: "ConfirmHold" as const,
      holdId: "h1",
      bookingId: "b1",
      userId: "u1",
      codes: ["C1", "C2"],
      payment: { provider: "mock", ref: "r", amountCents: 4_000 },
      idempotencyKey: null,
      requestHash: null,
      answers: [{ questionId: "diet", ticketIndex: 1, value: "Any" }],
    };
    const q = quote(state, confirm, NOW);
    expect(q.kind).toBe("refused");
    const decision = decide(state, confirm, NOW);
    expect(decision.events).toEqual([]);
    expect((decision.reply as { issues?: unknown }).issues).toEqual([
      { path: "answers.diet.0", message: '"Diet" is required for ticket 1' },
    ]);
  });

  it("refuses a guest when the organizer turned guest checkout off", () => {
    const state = emptyState(
      eventConfig({ checkout: { ...DEFAULT_CHECKOUT, guestCheckout: false } }),
    );
    const hold = decide(
      state,
      {
        type: "PlaceHold",
        holdId: "h1",
        userId: guestPrincipal("g@x.org"),
        personKey: "g@x.org",
        items: [{ ticketTypeId: "ga", quantity: 1 }],
        seatIds: [],
      },
      NOW,
    );
    expect((hold.reply as { reason?: string }).reason).toBe("SIGN_IN_REQUIRED");
  });
});

describe("one person's limit across a guest and an account", () => {
  const person = "ada@example.org";
  const principals = ["usr_ada", guestPrincipal(person)] as const;
  const MAX = 3;

  /** Tickets held or sold that count against `person`: what the limit must bound. */
  const takenBy = (state: EventState) =>
    [...state.holds.values(), ...state.bookings.values()]
      .filter((x) => x.personKey === person)
      .reduce((n, x) => n + x.items.reduce((m, i) => m + i.quantity, 0), 0);

  const stepArb = fc.oneof(
    fc.record({
      k: fc.constant("hold" as const),
      who: fc.integer({ min: 0, max: 1 }),
      qty: fc.integer({ min: 1, max: 3 }),
    }),
    fc.record({
      k: fc.constant("book" as const),
      who: fc.integer({ min: 0, max: 1 }),
      qty: fc.integer({ min: 1, max: 3 }),
    }),
    fc.record({ k: fc.constant("confirm" as const), pick: fc.nat() }),
    fc.record({ k: fc.constant("release" as const), pick: fc.nat() }),
    fc.record({ k: fc.constant("cancel" as const), pick: fc.nat() }),
    fc.record({ k: fc.constant("expire" as const), ms: fc.integer({ min: 0, max: 700_000 }) }),
  );

  it("never lets sold and held tickets of one person exceed maxPerUser, whatever the interleaving", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
        let state = emptyState(eventConfig({ maxPerUser: MAX }));
        let now = NOW;
        let n = 0;
        for (const step of steps) {
          const holds = [...state.holds.values()];
          const bookings = [...state.bookings.values()];
          let cmd: EventCommand | null = null;
          const id = `${step.k}-${++n}`;
          if (step.k === "hold" || step.k === "book") {
            const owner = { userId: principals[step.who] ?? "", personKey: person };
            const items = [{ ticketTypeId: "free", quantity: step.qty }];
            cmd =
              step.k === "hold"
                ? { type: "PlaceHold", holdId: id, ...owner, items, seatIds: [] }
                : {
                    type: "BookTickets",
                    bookingId: id,
                    ...owner,
                    items,
                    seatIds: [],
                    codes: ["A", "B", "C"],
                    payment: null,
                    idempotencyKey: null,
                    requestHash: null,
                  };
          } else if (step.k === "confirm" && holds.length > 0) {
            const hold = holds[step.pick % holds.length];
            if (hold) {
              cmd = {
                type: "ConfirmHold",
                holdId: hold.id,
                bookingId: id,
                userId: hold.userId,
                codes: ["A", "B", "C"],
                payment: null,
                idempotencyKey: null,
                requestHash: null,
              };
            }
          } else if (step.k === "release" && holds.length > 0) {
            const hold = holds[step.pick % holds.length];
            if (hold) cmd = { type: "ReleaseHold", holdId: hold.id, userId: hold.userId };
          } else if (step.k === "cancel" && bookings.length > 0) {
            const booking = bookings[step.pick % bookings.length];
            if (booking) {
              cmd = {
                type: "CancelBooking",
                bookingId: booking.id,
                byUserId: booking.userId,
                byOrganizer: false,
              };
            }
          } else if (step.k === "expire") {
            now += step.ms;
            cmd = { type: "ExpireHolds" };
          }
          if (!cmd) continue;
          state = decide(state, cmd, now).events.reduce(evolve, state);
          expect(takenBy(state)).toBeLessThanOrEqual(MAX);
          expect(state.perUser.get(person) ?? 0).toBe(takenBy(state));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("refuses the guest what the account already took", () => {
    let state = emptyState(eventConfig({ maxPerUser: MAX }));
    const items = [{ ticketTypeId: "free", quantity: 2 }];
    const base = {
      seatIds: [],
      codes: ["A", "B"],
      payment: null,
      idempotencyKey: null,
      requestHash: null,
    };
    const first = decide(
      state,
      {
        type: "BookTickets",
        bookingId: "b1",
        userId: "usr_ada",
        personKey: person,
        items,
        ...base,
      },
      NOW,
    );
    state = first.events.reduce(evolve, state);
    const second = decide(
      state,
      {
        type: "BookTickets",
        bookingId: "b2",
        userId: guestPrincipal(" ADA@example.org "),
        personKey: person,
        items,
        ...base,
      },
      NOW,
    );
    expect(second.reply).toMatchObject({
      reason: "LIMIT_EXCEEDED",
      details: { limit: "maxPerUser", max: 3, already: 2 },
    });
  });
});
