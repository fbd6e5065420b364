/**
 * Checkout for everyone, over HTTP on a real server (docs/API.md "Guest checkout, attendees and
 * questions", "orders"): a guest buys, gets a real mail (a real SMTP server, parsed with
 * mailparser) whose link opens the order; tokens are unguessable and guessing is limited; one
 * person has one limit, as a guest or signed in; names and answers are checked, stored with the
 * labels they were given under, editable until the cutoff, and exported.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createMockPaymentProvider, type PaymentProvider } from "@boxoffice/engine";
import { parse } from "csv-parse/sync";
import {
  eventually,
  MailSink,
  OffsetClock,
  publishedEvent,
  refusal,
  startTestServer,
  type TestServer,
} from "./testing.ts";

/** The mock provider, counting what it charged: "nothing is charged" is then a number. */
function countingPayments(): PaymentProvider & { charges: number } {
  const mock = createMockPaymentProvider();
  const counted = {
    charges: 0,
    async charge(request: Parameters<PaymentProvider["charge"]>[0]) {
      counted.charges += 1;
      return mock.charge(request);
    },
    refund: mock.refund,
  };
  return counted;
}

const DAY = 86_400_000;
const clock = new OffsetClock();
const payments = countingPayments();
const sink = new MailSink();
let ts: TestServer;

beforeAll(async () => {
  await sink.start();
  ts = await startTestServer(
    {
      ...sink.env,
      GUEST_HOLDS_PER_IP_PER_MINUTE: "100000",
    },
    { clock, payments, mailTimings: { pollMs: 25, nudgeDelayMs: 5, backoffBaseMs: 100 } },
  );
});

afterAll(async () => {
  await ts.stop();
  await sink.stop();
});

let guestCounter = 0;
const guestEmail = () =>
  `guest${++guestCounter}-${Math.random().toString(36).slice(2, 7)}@example.test`;

/** An event asking a name per ticket and "Diet" (required, per ticket) and "T-shirt" (order). */
async function workshop(overrides: Record<string, unknown> = {}) {
  const organizer = await ts.register("organizer");
  const event = await publishedEvent(organizer.client, {
    title: "Workshop",
    ticketTypes: [{ name: "Seat", priceCents: 2_500, capacity: 100 }],
    personalizedTickets: "name",
    questions: [
      { label: "Diet", kind: "choice", options: ["Vegan", "Any"], required: true, per: "ticket" },
      { label: "T-shirt", kind: "choice", options: ["S", "M", "L"], per: "order" },
      { label: "Note", kind: "text", per: "order" },
    ],
    ...overrides,
  });
  const [diet, shirt, note] = event.questions.map((q) => q.id) as [string, string, string];
  return { organizer, event, typeId: event.ticketTypes[0]?.id ?? "", diet, shirt, note };
}

/** A guest's confirmed order of one ticket (diet "Any") at a workshop naming no one. */
async function oneTicketGuestOrder() {
  const { event, typeId, diet } = await workshop({ personalizedTickets: "off" });
  const booked = await ts.client().bookings.book.mutate({
    eventId: event.id,
    items: [{ ticketTypeId: typeId, quantity: 1 }],
    buyer: { email: guestEmail(), name: "Guest" },
    answers: [{ questionId: diet, ticketIndex: 0, value: "Any" }],
  });
  if (booked.status !== "confirmed") throw new Error("not booked");
  return { booking: booked.booking, orderToken: booked.booking.orderToken ?? "" };
}

describe("a guest's order by its secret link", () => {
  it("mails the guest a link whose token opens the order, and the outbox forgets the token once sent", async () => {
    const { event, typeId, diet } = await workshop();
    const email = guestEmail();
    const booked = await ts.client().bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 2 }],
      buyer: { email: `  ${email.toUpperCase()} `, name: "Grace Hopper" },
      attendees: [{ name: "Grace Hopper" }, { name: "Ada Lovelace" }],
      answers: [
        { questionId: diet, ticketIndex: 0, value: "Vegan" },
        { questionId: diet, ticketIndex: 1, value: "Any" },
      ],
    });
    if (booked.status !== "confirmed") throw new Error("not booked");
    expect(booked.booking.userId).toBeNull();
    expect(booked.booking.buyer).toEqual({ name: "Grace Hopper", email });
    // A split token: the booking's id, then 26 random symbols (of which only the hash is kept).
    expect(booked.booking.orderToken).toMatch(new RegExp(`^${booked.booking.id}\\.[a-z2-9]{26}$`));

    await eventually(async () => sink.to(email).length > 0, 10_000);
    const [mail] = sink.to(email);
    const link = /(http:\/\/\S+\/orders\/(bkg_[a-z2-9]+\.[a-z2-9]{26}))/.exec(mail?.text ?? "");
    expect(link?.[1]?.startsWith(`${ts.url}/orders/`)).toBe(true);
    const token = link?.[2] ?? "";
    expect(token).toBe(booked.booking.orderToken ?? "");

    const order = await ts.client().orders.get.query({ orderToken: token });
    expect(order.booking.id).toBe(booked.booking.id);
    expect(order.booking.tickets.map((t) => t.attendee?.name)).toEqual([
      "Grace Hopper",
      "Ada Lovelace",
    ]);
    expect(order.booking.answers.map((a) => [a.label, a.ticketIndex, a.value])).toEqual([
      ["Diet", 0, "Vegan"],
      ["Diet", 1, "Any"],
    ]);
    expect(order.event.personalizedTickets).toBe("name");
    expect(order.editable).toBe(true);

    // Only the hash stays: the sent mail's row no longer carries the token.
    const { db } = ts.server.services;
    await eventually(async () => {
      const rows = db.$client
        .prepare("select payload, sent_at from outbox where recipient_email = ?")
        .all(email) as { payload: string; sent_at: number | null }[];
      return rows.length === 1 && rows[0]?.sent_at !== null;
    });
    const row = db.$client
      .prepare("select payload from outbox where recipient_email = ?")
      .get(email) as { payload: string };
    const secret = token.slice(token.lastIndexOf(".") + 1);
    expect(secret).toHaveLength(26);
    expect(row.payload).not.toContain(secret);
    // The booking keeps the secret's hash only.
    const stored = db.$client
      .prepare("select order_token_hash, order_secret_hash from bookings where id = ?")
      .get(booked.booking.id) as { order_token_hash: string | null; order_secret_hash: string };
    expect(stored.order_token_hash).toBeNull();
    expect(stored.order_secret_hash).toMatch(/^[\w-]{43}$/);
    expect(stored.order_secret_hash).not.toContain(secret);
  });

  it("answers a wrong or altered token NOT_FOUND, exactly like a missing order", async () => {
    const { booking, orderToken: token } = await oneTicketGuestOrder();
    const altered = `${token.slice(0, -1)}${token.endsWith("a") ? "b" : "a"}`;
    const made = "abcdefghijkmnpqrstuvwxyz23";
    const answers = await Promise.all(
      [altered, made, token.toUpperCase()].map((t) =>
        refusal(ts.client().orders.get.query({ orderToken: t })),
      ),
    );
    for (const answer of answers) {
      expect({ ...answer }).toEqual({
        code: "NOT_FOUND",
        httpStatus: 404,
        reason: null as unknown as undefined,
        message: "No such order",
      });
    }
    expect((await ts.client().orders.get.query({ orderToken: token })).booking.id).toBe(booking.id);
  });

  it("changes names and answers until the edit cutoff, then answers EDIT_CLOSED", async () => {
    const { event, typeId, diet, shirt } = await workshop({ editCutoffHours: 48 });
    const booked = await ts.client().bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 2 }],
      buyer: { email: guestEmail(), name: "Guest" },
      attendees: [{ name: "Typo Nmae" }, { name: "Second" }],
      answers: [
        { questionId: diet, ticketIndex: 0, value: "Any" },
        { questionId: diet, ticketIndex: 1, value: "Any" },
      ],
    });
    if (booked.status !== "confirmed") throw new Error("not booked");
    const orderToken = booked.booking.orderToken ?? "";
    const guest = ts.client();

    const renamed = await guest.orders.update.mutate({
      orderToken,
      attendees: [{ name: "Right Name" }, { name: "Second" }],
    });
    expect(renamed.booking.tickets.map((t) => t.attendee?.name)).toEqual(["Right Name", "Second"]);
    expect(renamed.booking.answers).toHaveLength(2);

    const wrong = await refusal(
      guest.orders.update.mutate({
        orderToken,
        answers: [{ questionId: diet, ticketIndex: 0, value: "Vegan" }],
      }),
    );
    expect(wrong.code).toBe("BAD_REQUEST");
    expect(wrong.message).toContain('"Diet" is required for ticket 2');

    const answered = await guest.orders.update.mutate({
      orderToken,
      answers: [
        { questionId: diet, ticketIndex: 0, value: "Vegan" },
        { questionId: diet, ticketIndex: 1, value: "Any" },
        { questionId: shirt, value: "M" },
      ],
    });
    expect(answered.booking.answers.map((a) => a.value)).toEqual(["Vegan", "Any", "M"]);
    expect(answered.editableUntil).toBe(
      new Date(Date.parse(event.startsAt) - 48 * 3_600_000).toISOString(),
    );

    clock.advance(29 * DAY);
    try {
      const closed = await refusal(
        guest.orders.update.mutate({ orderToken, attendees: [{ name: "A" }, { name: "B" }] }),
      );
      expect(closed).toMatchObject({ code: "PRECONDITION_FAILED", reason: "EDIT_CLOSED" });
      expect((await guest.orders.get.query({ orderToken })).editable).toBe(false);
    } finally {
      clock.advance(-29 * DAY);
    }
  });

  it("cancels the order as its buyer would, with the policy's refund", async () => {
    const { orderToken } = await oneTicketGuestOrder();
    expect(await ts.client().orders.refundQuote.query({ orderToken })).toMatchObject({
      refundCents: 2_500,
    });
    const cancelled = await ts.client().orders.cancel.mutate({ orderToken });
    expect(cancelled.refundCents).toBe(2_500);
    expect(cancelled.booking.status).toBe("cancelled");
    const again = await refusal(ts.client().orders.cancel.mutate({ orderToken }));
    expect(again.reason).toBe("ALREADY_CANCELLED");
  });
});

describe("one person, one limit", () => {
  it("keeps guest and account purchases under one email within maxPerUser under 50 concurrent requests", async () => {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client, {
      ticketTypes: [{ name: "General", priceCents: 1_000, capacity: 200 }],
      maxPerUser: 3,
    });
    const typeId = event.ticketTypes[0]?.id ?? "";
    const account = await ts.register("attendee");
    const items = [{ ticketTypeId: typeId, quantity: 1 }];
    const calls = Array.from({ length: 50 }, (_, i) =>
      i % 2 === 0
        ? account.client.bookings.book.mutate({ eventId: event.id, items })
        : ts.client().bookings.book.mutate({
            eventId: event.id,
            items,
            // The same person, however the address is typed.
            buyer: {
              email: i % 4 === 1 ? account.email.toUpperCase() : ` ${account.email}`,
              name: "Me",
            },
          }),
    );
    const results = await Promise.allSettled(calls);
    const booked = results.filter((r) => r.status === "fulfilled");
    expect(booked).toHaveLength(3);
    // The rest are refused for the limit, or (beyond 16 of one buyer's requests waiting for the
    // event at once) asked to come back: never booked.
    const reasons = results.flatMap((r) =>
      r.status === "rejected" ? [(r.reason as { data?: { reason?: string } }).data?.reason] : [],
    );
    expect(reasons.every((r) => r === "LIMIT_EXCEEDED" || r === "RATE_LIMITED")).toBe(true);
    expect(reasons.filter((r) => r === "LIMIT_EXCEEDED").length).toBeGreaterThanOrEqual(20);
    const sold = ts.server.services.db.$client
      .prepare(
        "select count(*) as n from tickets t join bookings b on b.id = t.booking_id where b.event_id = ? and b.status = 'confirmed'",
      )
      .get(event.id) as { n: number };
    expect(sold.n).toBe(3);
  });
});

describe("names and answers at checkout", () => {
  it("enforces required answers per ticket with BAD_REQUEST naming the question, and charges nothing", async () => {
    const { event, typeId, diet } = await workshop();
    const guest = ts.client();
    const before = payments.charges;
    const refused = await refusal(
      guest.bookings.book.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: typeId, quantity: 2 }],
        buyer: { email: guestEmail(), name: "Guest" },
        attendees: [{ name: "One" }, { name: "Two" }],
        answers: [{ questionId: diet, ticketIndex: 0, value: "Vegan" }],
      }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toContain(`answers.${diet}.1: "Diet" is required for ticket 2`);

    // Through a hold too: the confirm is refused before the card is charged.
    const email = guestEmail();
    const hold = await guest.bookings.hold.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 2 }],
      buyer: { email, name: "Guest" },
    });
    const unnamed = await refusal(
      guest.bookings.confirm.mutate({
        holdId: hold.id,
        buyer: { email, name: "Guest" },
        answers: [
          { questionId: diet, ticketIndex: 0, value: "Vegan" },
          { questionId: diet, ticketIndex: 1, value: "Fish" },
        ],
      }),
    );
    expect(unnamed.code).toBe("BAD_REQUEST");
    expect(unnamed.message).toContain("Name each ticket");
    expect(unnamed.message).toContain('"Diet" for ticket 2 must be one of its options');
    expect(payments.charges).toBe(before);

    // Someone else's email does not open the guest's hold.
    const other = await refusal(
      guest.bookings.getHold.query({ holdId: hold.id, buyer: { email: guestEmail() } }),
    );
    expect(other.reason).toBe("HOLD_NOT_FOUND");
    const confirmed = await guest.bookings.confirm.mutate({
      holdId: hold.id,
      buyer: { email, name: "Guest" },
      attendees: [{ name: "One" }, { name: "Two" }],
      answers: [
        { questionId: diet, ticketIndex: 0, value: "Vegan" },
        { questionId: diet, ticketIndex: 1, value: "Any" },
      ],
    });
    expect(confirmed.tickets.map((t) => t.attendee?.name)).toEqual(["One", "Two"]);
    expect(payments.charges).toBe(before + 1);
  });

  it("keeps the label an answer was given under when the question is edited", async () => {
    const { organizer, event, typeId, diet, shirt, note } = await workshop({
      personalizedTickets: "off",
    });
    const guest = ts.client();
    const booked = await guest.bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 1 }],
      buyer: { email: guestEmail(), name: "Guest" },
      answers: [
        { questionId: diet, ticketIndex: 0, value: "Vegan" },
        { questionId: shirt, value: "L" },
      ],
    });
    if (booked.status !== "confirmed") throw new Error("not booked");
    const [d, s, n] = event.questions;
    const updated = await organizer.client.events.update.mutate({
      eventId: event.id,
      questions: [
        { ...n, id: note, helpText: undefined },
        { ...d, id: diet, label: "Dietary needs", helpText: undefined },
        { ...s, id: shirt, helpText: undefined },
      ].map(({ ticketTypeIds: _t, ...q }) => q) as never,
    });
    expect(updated.questions.map((q) => q.label)).toEqual(["Note", "Dietary needs", "T-shirt"]);
    const stored = await organizer.client.bookings.get.query({ bookingId: booked.booking.id });
    expect(stored.answers.map((a) => a.label)).toEqual(["Diet", "T-shirt"]);
  });
});

describe("the attendee list, CSV and analytics", () => {
  it("exports names and answers, one column per question, formula-safe", async () => {
    const { organizer, event, typeId, diet, shirt, note } = await workshop();
    await ts.client().bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 2 }],
      buyer: { email: guestEmail(), name: "@Buyer" },
      attendees: [{ name: '=HYPERLINK("http://evil")' }, { name: "Plain Name" }],
      answers: [
        { questionId: diet, ticketIndex: 0, value: "Vegan" },
        { questionId: diet, ticketIndex: 1, value: "Any" },
        { questionId: shirt, value: "S" },
        { questionId: note, value: "-2 chairs, please" },
      ],
    });
    const response = await fetch(`${ts.url}/exports/events/${event.id}/attendees.csv`, {
      headers: { authorization: `Bearer ${organizer.token}` },
    });
    expect(response.status).toBe(200);
    const [header, ...rows]: string[][] = parse(await response.text(), { bom: true });
    expect(header?.slice(-6)).toEqual([
      "Buyer name",
      "Buyer email",
      "Code",
      "Diet",
      "T-shirt",
      "Note",
    ]);
    const col = (name: string) => header?.indexOf(name) ?? -1;
    expect(rows.map((r) => r[col("Attendee name")])).toEqual([
      '\'=HYPERLINK("http://evil")',
      "Plain Name",
    ]);
    expect(rows.map((r) => r[col("Diet")])).toEqual(["Vegan", "Any"]);
    // Per-order answers repeat on each ticket of the order.
    expect(rows.map((r) => r[col("T-shirt")])).toEqual(["S", "S"]);
    expect(rows.map((r) => r[col("Note")])).toEqual(["'-2 chairs, please", "'-2 chairs, please"]);
    expect(rows.map((r) => r[col("Buyer name")])).toEqual(["'@Buyer", "'@Buyer"]);

    const list = await organizer.client.bookings.forEvent.query({ eventId: event.id });
    expect(list.items[0]?.attendee).toBeNull();
    expect(list.items[0]?.booking.tickets[1]?.attendee?.name).toBe("Plain Name");
  });

  it("counts answers to choice and checkbox questions in analytics", async () => {
    const { organizer, event, typeId, diet, shirt } = await workshop({
      personalizedTickets: "off",
    });
    const book = (diets: string[], shirtSize?: string) =>
      ts.client().bookings.book.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: typeId, quantity: diets.length }],
        buyer: { email: guestEmail(), name: "Guest" },
        answers: [
          ...diets.map((value, ticketIndex) => ({ questionId: diet, ticketIndex, value })),
          ...(shirtSize ? [{ questionId: shirt, value: shirtSize }] : []),
        ],
      });
    await book(["Vegan", "Any"], "M");
    await book(["Vegan"], "M");
    await book(["Any"]);
    const figures = await organizer.client.analytics.event.query({ eventId: event.id });
    expect(figures.questions).toEqual([
      {
        questionId: diet,
        label: "Diet",
        kind: "choice",
        answered: 4,
        options: [
          { option: "Vegan", count: 2 },
          { option: "Any", count: 2 },
        ],
      },
      {
        questionId: shirt,
        label: "T-shirt",
        kind: "choice",
        answered: 2,
        options: [
          { option: "S", count: 0 },
          { option: "M", count: 2 },
          { option: "L", count: 0 },
        ],
      },
    ]);
  });
});

describe("who may buy signed out", () => {
  it("refuses a signed-out buyer with SIGN_IN_REQUIRED when the organizer turned guest checkout off", async () => {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client, { guestCheckout: false });
    const items = [{ ticketTypeId: event.ticketTypes[0]?.id ?? "", quantity: 1 }];
    const buyer = { email: guestEmail(), name: "Guest" };
    for (const call of [
      ts.client().bookings.hold.mutate({ eventId: event.id, items, buyer }),
      ts.client().bookings.book.mutate({ eventId: event.id, items, buyer }),
    ]) {
      expect(await refusal(call)).toMatchObject({
        code: "UNAUTHORIZED",
        reason: "SIGN_IN_REQUIRED",
      });
    }
    const account = ts.user();
    expect((await account.client.bookings.book.mutate({ eventId: event.id, items })).status).toBe(
      "confirmed",
    );
  });

  it("needs a buyer signed out, refuses one signed in, and keeps guests off waitlists", async () => {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client, {
      waitlist: { enabled: true, mode: "offer", offerSeconds: 3600 },
    });
    const items = [{ ticketTypeId: event.ticketTypes[0]?.id ?? "", quantity: 1 }];
    const buyer = { email: guestEmail(), name: "Guest" };
    expect(
      await refusal(ts.client().bookings.hold.mutate({ eventId: event.id, items })),
    ).toMatchObject({ code: "UNAUTHORIZED" });
    const signedIn = ts.user();
    const both = await refusal(
      signedIn.client.bookings.hold.mutate({ eventId: event.id, items, buyer }),
    );
    expect(both.code).toBe("BAD_REQUEST");
    expect(
      await refusal(
        ts.client().bookings.book.mutate({ eventId: event.id, items, buyer, joinWaitlist: true }),
      ),
    ).toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("My bookings", () => {
  it("lists guest orders under the account's email once it is verified, and not before", async () => {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client);
    const items = [{ ticketTypeId: event.ticketTypes[0]?.id ?? "", quantity: 1 }];
    const account = await ts.register("attendee");
    const booked = await ts.client().bookings.book.mutate({
      eventId: event.id,
      items,
      buyer: { email: account.email, name: "Earlier Me" },
    });
    if (booked.status !== "confirmed") throw new Error("not booked");
    const mine = async () => (await account.client.bookings.mine.query({})).items.map((b) => b.id);
    expect(await mine()).not.toContain(booked.booking.id);
    expect(
      (await refusal(account.client.bookings.get.query({ bookingId: booked.booking.id }))).code,
    ).toBe("NOT_FOUND");

    ts.server.services.db.$client
      .prepare("update users set email_verified_at = ? where id = ?")
      .run(Date.now(), account.userId);
    ts.server.services.sessions.forgetUser(account.userId);
    expect(await mine()).toContain(booked.booking.id);
    const cancelled = await account.client.bookings.cancel.mutate({ bookingId: booked.booking.id });
    expect(cancelled.booking.status).toBe("cancelled");
  });
});

describe("limits per client IP", () => {
  let tight: TestServer;
  beforeAll(async () => {
    tight = await startTestServer({
      GUEST_HOLDS_PER_IP_PER_MINUTE: "2",
      ORDER_TOKEN_MISSES_PER_IP_PER_MINUTE: "3",
    });
  });
  afterAll(() => tight.stop());

  it("limits signed-out holds and bookings per client IP", async () => {
    const organizer = await tight.register("organizer");
    const event = await publishedEvent(organizer.client);
    const items = [{ ticketTypeId: event.ticketTypes[0]?.id ?? "", quantity: 1 }];
    const buyer = () => ({ email: guestEmail(), name: "Guest" });
    await tight.client().bookings.hold.mutate({ eventId: event.id, items, buyer: buyer() });
    await tight.client().bookings.book.mutate({ eventId: event.id, items, buyer: buyer() });
    const response = await fetch(`${tight.url}/trpc/bookings.hold`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ eventId: event.id, items, buyer: buyer() }),
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await response.json()) as { error: { data: { reason: string } } };
    expect(body.error.data.reason).toBe("RATE_LIMITED");
    // Signed in, the same address still buys: the limit is on guests.
    const account = tight.user();
    expect(
      (await account.client.bookings.hold.mutate({ eventId: event.id, items })).id,
    ).toBeTruthy();
  });

  it("refuses every orders call from an address that guessed too many tokens", async () => {
    const organizer = await tight.register("organizer");
    const event = await publishedEvent(organizer.client);
    const account = tight.user();
    const booked = await account.client.bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: event.ticketTypes[0]?.id ?? "", quantity: 1 }],
    });
    if (booked.status !== "confirmed") throw new Error("not booked");
    const orderToken = booked.booking.orderToken ?? "";
    expect((await tight.client().orders.get.query({ orderToken })).booking.id).toBe(
      booked.booking.id,
    );
    for (let i = 0; i < 3; i++) {
      const miss = await refusal(tight.client().orders.get.query({ orderToken: `guess${i}` }));
      expect(miss.code).toBe("NOT_FOUND");
    }
    const limited = await refusal(tight.client().orders.get.query({ orderToken }));
    expect(limited).toMatchObject({ code: "TOO_MANY_REQUESTS", reason: "RATE_LIMITED" });
  });
});
