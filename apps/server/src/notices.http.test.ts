/**
 * Every kind of mail end to end, organizer notices included: a real server sending to a real
 * SMTP server (MailSink), with the clock moved a day on for the sale digest and a payment
 * provider whose refunds fail.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import type { PaymentProvider } from "@boxoffice/engine";
import {
  eventually,
  freePort,
  MailSink,
  OffsetClock,
  publishedEvent,
  type ReceivedMail,
  startTestServer,
  type TestServer,
} from "./testing.ts";

const FAST = {
  pollMs: 25,
  backoffBaseMs: 100,
  backoffCapMs: 400,
  nudgeDelayMs: 5,
  notices: { intervalMs: 50, debounceMs: 10 },
};

const DAY = 86_400_000;
const INTERNAL_ID = /\b(bkg|hld|wl|evt|tt|usr|bc)_|\bs\d+-r\d+-\d+/;

/** Charges go through; every refund is refused, as a provider that is down would. */
const refusingRefunds: PaymentProvider = {
  async charge(request) {
    return {
      provider: "stand-in",
      ref: `ch_${request.reference}`,
      amountCents: request.amountCents,
    };
  },
  async refund() {
    throw new Error("card_expired: the card can no longer take refunds");
  },
};

type OutboxRow = { id: number; kind: string; sent_at: number | null; failed_at: number | null };

describe("organizer notices and every kind of mail over SMTP", () => {
  const clock = new OffsetClock();
  let sink: MailSink;
  let ts: TestServer;

  beforeAll(async () => {
    // The digest is per day in New York: run the day's sales (about 12 minutes of this clock)
    // well inside one such day, or a run near midnight there would see two digests.
    const newYorkHour = Number(
      new Intl.DateTimeFormat("en-US", {
        timeZone: "America/New_York",
        hour: "numeric",
        hourCycle: "h23",
      }).format(clock.now()),
    );
    if (newYorkHour === 23) clock.advance(2 * 3_600_000);
    sink = new MailSink(await freePort());
    await sink.start();
    ts = await startTestServer(sink.env, { clock, mailTimings: FAST, payments: refusingRefunds });
  });

  afterAll(async () => {
    await ts.stop();
    await sink.stop();
  });

  const outbox = () =>
    ts.server.services.db.$client.prepare("select * from outbox order by id").all() as OutboxRow[];

  /** The outbox row a received mail was sent for, by its Message-ID. */
  const kindOf = (mail: ReceivedMail): string => {
    const id = Number(/^<outbox-(\d+)\./.exec(mail.messageId)?.[1]);
    return outbox().find((r) => r.id === id)?.kind ?? "?";
  };

  const allSent = () =>
    eventually(async () => {
      const rows = outbox();
      return rows.length > 0 && rows.every((r) => r.sent_at !== null || r.failed_at !== null);
    }, 15_000);

  it("sends every kind with an HTML and a text part, a link, and no internal id", async () => {
    const organizer = await ts.register("organizer", "Olga Organizer");
    const paid = await publishedEvent(organizer.client, {
      title: "Notice Show",
      timezone: "America/New_York",
      ticketTypes: [{ name: "Floor", priceCents: 1500, capacity: 2 }],
      waitlist: { enabled: true, mode: "offer", offerSeconds: 600 },
    });
    const floor = paid.ticketTypes[0]!.id;
    const buyer = ts.user();
    const booked = await buyer.client.bookings.book.mutate({
      eventId: paid.id,
      items: [{ ticketTypeId: floor, quantity: 1 }],
      payment: { method: "mock" },
    });
    await ts.client().bookings.book.mutate({
      eventId: paid.id,
      items: [{ ticketTypeId: floor, quantity: 1 }],
      buyer: { email: "guest@example.test", name: "Gus Guest" },
      payment: { method: "mock" },
    });
    // Sold out: the organizer hears of it.
    await sink.waitFor(organizer.email, /sold out/i);

    const waiting = Array.from({ length: 10 }, () => ts.user());
    for (const w of waiting) await w.client.waitlist.join.mutate({ eventId: paid.id });
    await sink.waitFor(organizer.email, /wait/i);

    // The refund of a cancellation fails at the provider: the organizer hears of it once.
    if (booked.status !== "confirmed") throw new Error("expected a booking");
    await buyer.client.bookings.cancel.mutate({ bookingId: booked.booking.id });
    await sink.waitFor(organizer.email, /refund/i);
    // The first in the queue is offered the ticket; the offer lapses and passes on.
    await sink.waitFor(`${waiting[0]!.userId}@example.test`, /held for you/i);
    clock.advance(601_000);
    await sink.waitFor(`${waiting[0]!.userId}@example.test`, /expired/i);

    await organizer.client.mail.broadcast.mutate({
      eventId: paid.id,
      subject: "Doors at seven",
      body: "Doors open at 7 pm.\n\nSee https://example.org/map for the way in.",
      to: "all",
    });

    // Free, auto mode: a freed ticket goes straight to the queue as a booking.
    const free = await publishedEvent(organizer.client, {
      title: "Free Talk",
      ticketTypes: [{ name: "Seat", priceCents: 0, capacity: 1 }],
      waitlist: { enabled: true, mode: "auto" },
    });
    const [d, e] = [ts.user(), ts.user()];
    const bookedD = await d.client.bookings.book.mutate({
      eventId: free.id,
      items: [{ ticketTypeId: free.ticketTypes[0]!.id, quantity: 1 }],
    });
    await e.client.waitlist.join.mutate({ eventId: free.id });
    if (bookedD.status !== "confirmed") throw new Error("expected a booking");
    await d.client.bookings.cancel.mutate({ bookingId: bookedD.booking.id });
    await organizer.client.events.cancel.mutate({ eventId: paid.id, reason: "Storm warning" });
    await allSent();

    // A day later the day's digest comes (the event's day in New York, ended a minute ago).
    clock.advance(DAY + 120_000);
    await sink.waitFor(organizer.email, /Notice Show: \d+ tickets? sold on/, 1, 15_000);
    await ts.client().auth.requestPasswordReset.mutate({ email: organizer.email });
    await organizer.client.auth.requestEmailVerification.mutate();
    await allSent();

    const kinds = new Map<string, ReceivedMail>();
    for (const mail of sink.received) kinds.set(kindOf(mail), mail);
    expect([...kinds.keys()].sort()).toEqual([
      "booking_cancelled",
      "booking_confirmed",
      "broadcast",
      "email_verification",
      "event_cancelled",
      "password_reset",
      "refund_failed",
      "sale_digest",
      "sold_out",
      "waitlist_auto_booked",
      "waitlist_growing",
      "waitlist_joined",
      "waitlist_offer_expired",
      "waitlist_offered",
    ]);
    for (const [kind, mail] of kinds) {
      expect({ kind, html: mail.html.length > 0 }).toEqual({ kind, html: true });
      expect({ kind, text: mail.text.trim().length > 0 }).toEqual({ kind, text: true });
      expect({ kind, link: /https?:\/\/\S+/.test(mail.text) }).toEqual({ kind, link: true });
      // Links carry ids in their paths, and test users' addresses are made of their ids.
      const readable = mail.text.replace(/https?:\/\/\S+|\S+@example\.test/g, "");
      expect({ kind, readable }).not.toEqual({
        kind,
        readable: expect.stringMatching(INTERNAL_ID),
      });
      expect(mail.messageId).toMatch(/^<outbox-\d+\.[0-9a-f]+@127\.0\.0\.1>$/);
    }
    // Each organizer notice went to the organizer, once per event (Free Talk sold out too).
    const toOrganizer = sink.to(organizer.email).map((m) => `${kindOf(m)} ${m.subject}`);
    const count = (kind: string, title: string) =>
      toOrganizer.filter((k) => k.startsWith(kind) && k.includes(title)).length;
    expect(count("sold_out", "Notice Show")).toBe(1);
    expect(count("sold_out", "Free Talk")).toBe(1);
    expect(count("waitlist_growing", "Notice Show")).toBe(1);
    expect(count("sale_digest", "Notice Show")).toBe(1);
    // Refunds failed for the attendee's cancellation and for the guest's with the event, and
    // were retried: one notice per booking, at the first failure.
    const refundMails = sink.to(organizer.email).filter((m) => kindOf(m) === "refund_failed");
    expect(refundMails).toHaveLength(2);
    expect(refundMails[0]!.text).toContain("card_expired");
    expect(refundMails[0]!.text).toContain("$15.00");
    expect(refundMails[1]!.text).toContain("guest@example.test");
    expect(kinds.get("booking_confirmed")!.attachments.map((a) => a.filename)).toContain(
      "tickets.pdf",
    );
    expect(kinds.get("broadcast")!.headers.get("list-unsubscribe-post")).toBe(
      "List-Unsubscribe=One-Click",
    );
  });
});
