import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { confirmedBooking } from "@boxoffice/client";
import { publishedEvent, refusal, startTestServer, type TestServer } from "./testing.ts";

let ts: TestServer;

beforeAll(async () => {
  ts = await startTestServer();
});

afterAll(async () => {
  await ts.stop();
});

const confirmedCount = (eventId: string) =>
  (
    ts.server.services.db.$client
      .prepare("select count(*) n from bookings where event_id = ? and status = 'confirmed'")
      .get(eventId) as { n: number }
  ).n;

describe("the on-sale race over HTTP", () => {
  it("sells exactly five of five tickets to fifty racing buyers and refuses the rest with SOLD_OUT", async () => {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client, {
      ticketTypes: [{ name: "Last seats", priceCents: 0, capacity: 5 }],
    });
    const typeId = event.ticketTypes[0]!.id;
    const buyers = Array.from({ length: 50 }, () => ts.user());
    const results = await Promise.allSettled(
      buyers.map((b) =>
        b.client.bookings.book.mutate({
          eventId: event.id,
          items: [{ ticketTypeId: typeId, quantity: 1 }],
        }),
      ),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(5);
    expect(lost).toHaveLength(45);
    for (const r of lost) expect(r.reason.data.reason).toBe("SOLD_OUT");
    expect(confirmedCount(event.id)).toBe(5);
    const after = await ts.client().events.get.query({ eventId: event.id });
    expect(after.ticketTypes[0]).toMatchObject({ sold: 5, held: 0, available: 0 });
  });

  it("never sells past an event-wide cap shared by two ticket types", async () => {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client, {
      capacity: 100,
      maxPerOrder: 10,
      ticketTypes: [
        { name: "Standing", priceCents: 0, capacity: 80 },
        { name: "Balcony", priceCents: 0, capacity: 80 },
      ],
    });
    const [standing, balcony] = event.ticketTypes;
    const buyers = Array.from({ length: 200 }, () => ts.user());
    const results = await Promise.allSettled(
      buyers.map((b, i) =>
        b.client.bookings.book.mutate({
          eventId: event.id,
          items: [{ ticketTypeId: (i % 2 ? standing : balcony)!.id, quantity: 1 }],
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(100);
    for (const r of results) {
      if (r.status === "rejected") expect(r.reason.data.reason).toBe("SOLD_OUT");
    }
    expect(confirmedCount(event.id)).toBe(100);
  });
});

describe("holds and confirmation over HTTP", () => {
  it("keeps the hold when the payment is declined, then confirms it with a good card", async () => {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client, {
      ticketTypes: [{ name: "Paid", priceCents: 2500, capacity: 10 }],
    });
    const buyer = await ts.register();
    const hold = await buyer.client.bookings.hold.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 2 }],
    });
    expect(hold.totalCents).toBe(5000);
    const declined = await refusal(
      buyer.client.bookings.confirm.mutate({
        holdId: hold.id,
        payment: { method: "mock", token: "decline" },
      }),
    );
    expect(declined.reason).toBe("PAYMENT_DECLINED");
    expect((await buyer.client.bookings.getHold.query({ holdId: hold.id })).id).toBe(hold.id);
    const booking = await buyer.client.bookings.confirm.mutate({ holdId: hold.id });
    expect(booking).toMatchObject({ status: "confirmed", totalCents: 5000, eventId: event.id });
    expect(booking.tickets).toHaveLength(2);
    for (const t of booking.tickets) expect(t.code).toMatch(/^[A-Z2-9]{24}$/);
    expect(await refusal(buyer.client.bookings.getHold.query({ holdId: hold.id }))).toMatchObject({
      reason: "HOLD_NOT_FOUND",
    });
  });

  it("answers the same booking for a repeated idempotency key and refuses the key for another request", async () => {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client, {
      ticketTypes: [{ name: "Paid", priceCents: 1000, capacity: 10 }],
    });
    const typeId = event.ticketTypes[0]!.id;
    const buyer = await ts.register();
    const hold = await buyer.client.bookings.hold.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 1 }],
    });
    const [a, b] = await Promise.all([
      buyer.client.bookings.confirm.mutate({ holdId: hold.id, idempotencyKey: "k1" }),
      buyer.client.bookings.confirm.mutate({ holdId: hold.id, idempotencyKey: "k1" }),
    ]);
    expect(a.id).toBe(b.id);
    const again = await buyer.client.bookings.confirm.mutate({
      holdId: hold.id,
      idempotencyKey: "k1",
    });
    expect(again.id).toBe(a.id);
    const book1 = await buyer.client.bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 1 }],
      idempotencyKey: "k2",
    });
    const book2 = await buyer.client.bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 1 }],
      idempotencyKey: "k2",
    });
    expect(confirmedBooking(book2).id).toBe(confirmedBooking(book1).id);
    const conflict = await refusal(
      buyer.client.bookings.book.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: typeId, quantity: 2 }],
        idempotencyKey: "k2",
      }),
    );
    expect(conflict.code).toBe("CONFLICT");
    expect(confirmedCount(event.id)).toBe(2);
  });

  it("lets nobody read, confirm, release or cancel another person's hold or booking", async () => {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client);
    const typeId = event.ticketTypes[0]!.id;
    const owner = await ts.register();
    const stranger = await ts.register();
    const hold = await owner.client.bookings.hold.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 1 }],
    });
    // Calls are made one at a time: a rejected promise nobody awaits yet would be unhandled.
    for (const call of [
      () => stranger.client.bookings.getHold.query({ holdId: hold.id }),
      () => stranger.client.bookings.confirm.mutate({ holdId: hold.id }),
      () => stranger.client.bookings.releaseHold.mutate({ holdId: hold.id }),
    ]) {
      expect((await refusal(call())).reason).toBe("HOLD_NOT_FOUND");
    }
    const booking = await owner.client.bookings.confirm.mutate({ holdId: hold.id });
    for (const call of [
      () => stranger.client.bookings.get.query({ bookingId: booking.id }),
      () => stranger.client.bookings.cancel.mutate({ bookingId: booking.id }),
      () => stranger.client.bookings.refundQuote.query({ bookingId: booking.id }),
    ]) {
      expect((await refusal(call())).code).toBe("NOT_FOUND");
    }
    expect(
      (await refusal(stranger.client.bookings.forEvent.query({ eventId: event.id }))).code,
    ).toBe("FORBIDDEN");
    const seen = await organizer.client.bookings.forEvent.query({ eventId: event.id });
    expect(seen.items.map((i) => i.booking.id)).toEqual([booking.id]);
    expect(seen.items[0]!.attendee?.id).toBe(owner.userId);
    expect((await refusal(ts.client().bookings.mine.query({}))).code).toBe("UNAUTHORIZED");
  });
});

describe("cancellations and refunds over HTTP", () => {
  it("refunds by the policy's best applicable rule minus the fee, and in full when the organizer cancels", async () => {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client, {
      ticketTypes: [{ name: "Paid", priceCents: 10_000, capacity: 10 }],
      cancellationPolicy: {
        refundable: true,
        feeCents: 500,
        rules: [
          { hoursBeforeStart: 24 * 60, refundPercent: 100 },
          { hoursBeforeStart: 24 * 7, refundPercent: 50 },
        ],
      },
    });
    const typeId = event.ticketTypes[0]!.id;
    const buyer = await ts.register();
    const booking = confirmedBooking(
      await buyer.client.bookings.book.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: typeId, quantity: 1 }],
      }),
    );
    // 30 days before start: the 7-day rule applies (50%), the 60-day one no longer does.
    const quote = await buyer.client.bookings.refundQuote.query({ bookingId: booking.id });
    expect(quote).toMatchObject({ refundCents: 4500, feeCents: 500, rule: { refundPercent: 50 } });
    const cancelled = await buyer.client.bookings.cancel.mutate({ bookingId: booking.id });
    expect(cancelled.refundCents).toBe(4500);
    expect(cancelled.booking).toMatchObject({ status: "cancelled", refundCents: 4500 });
    expect(
      (await refusal(buyer.client.bookings.cancel.mutate({ bookingId: booking.id }))).reason,
    ).toBe("ALREADY_CANCELLED");

    const second = await buyer.client.bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 2 }],
    });
    const byOrganizer = await organizer.client.bookings.cancel.mutate({
      bookingId: confirmedBooking(second).id,
    });
    expect(byOrganizer.refundCents).toBe(20_000);
    const after = await ts.client().events.get.query({ eventId: event.id });
    expect(after.ticketTypes[0]).toMatchObject({ sold: 0, available: 10 });
  });

  it("cancels only once when two cancellations of one booking race", async () => {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client);
    const buyer = await ts.register();
    const booking = confirmedBooking(
      await buyer.client.bookings.book.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 3 }],
      }),
    );
    const results = await Promise.allSettled([
      buyer.client.bookings.cancel.mutate({ bookingId: booking.id }),
      buyer.client.bookings.cancel.mutate({ bookingId: booking.id }),
      organizer.client.bookings.cancel.mutate({ bookingId: booking.id }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const after = await ts.client().events.get.query({ eventId: event.id });
    expect(after.ticketTypes[0]).toMatchObject({ sold: 0, available: 100 });
  });
});

describe("book or wait while tickets are being freed", () => {
  it("gives every racing buyer tickets or a waitlist place, never a stale SOLD_OUT", async () => {
    const organizer = await ts.register("organizer");
    const capacity = 10;
    const event = await publishedEvent(organizer.client, {
      ticketTypes: [{ name: "Paid", priceCents: 1_200, capacity }],
      waitlist: { enabled: true, mode: "offer", offerSeconds: 600 },
    });
    const typeId = event.ticketTypes[0]!.id;
    const items = [{ ticketTypeId: typeId, quantity: 1 }];
    // Sold out first; then the organizer cancels half of it while forty buyers book-or-wait.
    const early = await Promise.all(
      Array.from({ length: capacity }, () =>
        ts.user().client.bookings.book.mutate({ eventId: event.id, items }),
      ),
    );
    const bookingIds = early.map((r) => confirmedBooking(r).id);
    const buyers = Array.from({ length: 40 }, () => ts.user());
    const [answers] = await Promise.all([
      Promise.allSettled(
        buyers.map((b) =>
          b.client.bookings.book.mutate({ eventId: event.id, items, joinWaitlist: true }),
        ),
      ),
      Promise.all(
        bookingIds
          .slice(0, 5)
          .map((bookingId) => organizer.client.bookings.cancel.mutate({ bookingId })),
      ),
    ]);
    const refused = answers.filter((a) => a.status === "rejected");
    expect(refused.map((a) => (a as PromiseRejectedResult).reason?.data?.reason)).toEqual([]);
    const settled = answers.map((a) => (a as PromiseFulfilledResult<{ status: string }>).value);
    const booked = settled.filter((a) => a.status === "confirmed").length;
    const waiting = settled.filter((a) => a.status === "waitlisted");
    expect(booked + waiting.length).toBe(40);
    // Nothing sold twice, and no freed ticket left on the open market while forty people want
    // one: each went to a racing buyer, booked at once or offered to the earliest in line.
    const after = await ts.client().events.get.query({ eventId: event.id });
    expect(after.availability.sold + after.availability.held).toBe(capacity);
    expect(after.availability.available).toBe(0);
    expect(confirmedCount(event.id)).toBe(capacity - 5 + booked);
  });
});
