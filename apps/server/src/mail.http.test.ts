/**
 * Notifications end to end: a real server with MAIL_TRANSPORT=smtp, sending to a real SMTP server
 * (testing.ts's MailSink) started here, on a random port, without TLS.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatInstant } from "@boxoffice/api";
import { createClient } from "@boxoffice/client";
import { spacedCode } from "@boxoffice/mail";
import {
  eventually,
  freePort,
  MailSink,
  OffsetClock,
  publishedEvent,
  spawnServer,
  startTestServer,
  type TestServer,
} from "./testing.ts";

// The organizer's notices (sold out, ...) are written by a job that waits a second after a commit
// by default: here they come as promptly as the mail, so that none is written after allSent looked.
const FAST = {
  pollMs: 25,
  backoffBaseMs: 100,
  backoffCapMs: 400,
  nudgeDelayMs: 5,
  notices: { debounceMs: 5 },
};

async function serverMailingTo(sink: MailSink, clock?: OffsetClock) {
  return startTestServer(sink.env, { clock, mailTimings: FAST });
}

type Outbox = { kind: string; attempts: number; sent_at: number | null; last_error: string | null };

const outbox = (ts: TestServer) =>
  ts.server.services.db.$client.prepare("select * from outbox order by id").all() as Outbox[];

/**
 * Waits until every outbox row is sent and the sink holds as many mails, then a while longer, so
 * that duplicates (or a row written late) would show.
 */
async function allSent(ts: TestServer, sink: MailSink) {
  await eventually(async () => {
    const rows = outbox(ts);
    return (
      rows.length > 0 &&
      rows.every((r) => r.sent_at !== null) &&
      sink.received.length === rows.length
    );
  }, 10_000);
  await Bun.sleep(FAST.pollMs * 6);
  expect(sink.received).toHaveLength(outbox(ts).length);
}

const emailOf = (userId: string) => `${userId}@example.test`;

// ---------------------------------------------------------------------------------------------

describe("mail over SMTP", () => {
  const clock = new OffsetClock();
  let sink: MailSink;
  let ts: TestServer;

  beforeAll(async () => {
    sink = new MailSink(await freePort());
    await sink.start();
    ts = await serverMailingTo(sink, clock);
  });

  afterAll(async () => {
    await ts.stop();
    await sink.stop();
  });

  it("mails bookings, cancellations, waitlist offers and expiries, auto-bookings and event cancellations, exactly once each", async () => {
    const organizer = await ts.register("organizer");
    const paid = await publishedEvent(organizer.client, {
      title: "Sold Out Show",
      ticketTypes: [{ name: "Floor", priceCents: 1500, capacity: 1 }],
      waitlist: { enabled: true, mode: "offer", offerSeconds: 120 },
    });
    const floor = paid.ticketTypes[0]!.id;
    const [a, b, c] = [ts.user(), ts.user(), ts.user()];

    // A books the last ticket; B and C queue; A cancels, so B is offered the ticket.
    const first = await a.client.bookings.book.mutate({
      eventId: paid.id,
      items: [{ ticketTypeId: floor, quantity: 1 }],
    });
    if (first.status !== "confirmed") throw new Error("expected a booking");
    await b.client.waitlist.join.mutate({ eventId: paid.id });
    await c.client.waitlist.join.mutate({ eventId: paid.id });
    // The place in the queue is told as of sending: let these go out before the queue moves.
    await eventually(async () => sink.to(emailOf(c.userId)).length === 1);
    const cancelled = await a.client.bookings.cancel.mutate({ bookingId: first.booking.id });
    expect(cancelled.refundCents).toBe(1500);
    const offerB = (await b.client.waitlist.status.query({ eventId: paid.id })).offer!;

    // B lets the offer expire; it passes to C, who confirms.
    clock.advance(121_000);
    await eventually(
      async () => (await c.client.waitlist.status.query({ eventId: paid.id })).state === "offered",
    );
    const offerC = (await c.client.waitlist.status.query({ eventId: paid.id })).offer!;
    const bookingC = await c.client.bookings.confirm.mutate({ holdId: offerC.holdId });

    // A free event in auto mode: D's cancelled ticket goes straight to E.
    const free = await publishedEvent(organizer.client, {
      title: "Free Talk",
      ticketTypes: [{ name: "Seat", priceCents: 0, capacity: 1 }],
      waitlist: { enabled: true, mode: "auto" },
    });
    const [d, e] = [ts.user(), ts.user()];
    const bookingD = await d.client.bookings.book.mutate({
      eventId: free.id,
      items: [{ ticketTypeId: free.ticketTypes[0]!.id, quantity: 1 }],
    });
    if (bookingD.status !== "confirmed") throw new Error("expected a booking");
    await e.client.waitlist.join.mutate({ eventId: free.id });
    await d.client.bookings.cancel.mutate({ bookingId: bookingD.booking.id });
    const bookingE = (await e.client.bookings.mine.query({})).items[0]!;

    // The organizer cancels the paid event: C, the only attendee left, hears of it.
    await organizer.client.events.cancel.mutate({ eventId: paid.id, reason: "Storm warning" });

    await allSent(ts, sink);
    const subjects = (userId: string) => sink.to(emailOf(userId)).map((m) => m.subject);
    expect(subjects(a.userId)).toEqual([
      "Your tickets for Sold Out Show",
      "Booking cancelled: Sold Out Show",
    ]);
    expect(subjects(b.userId)).toEqual([
      "You are on the waitlist for Sold Out Show",
      `Tickets for Sold Out Show are held for you until ${formatInstant(Date.parse(offerB.expiresAt), "UTC")}`,
      "Your offer for Sold Out Show has expired",
    ]);
    expect(subjects(c.userId)).toEqual([
      "You are on the waitlist for Sold Out Show",
      `Tickets for Sold Out Show are held for you until ${formatInstant(Date.parse(offerC.expiresAt), "UTC")}`,
      "Your tickets for Sold Out Show",
      "Cancelled: Sold Out Show",
    ]);
    expect(subjects(d.userId)).toEqual([
      "Your tickets for Free Talk",
      "Booking cancelled: Free Talk",
    ]);
    expect(subjects(e.userId)).toEqual([
      "You are on the waitlist for Free Talk",
      "A place opened up: your tickets for Free Talk",
    ]);

    // The wording is the templates' (packages/mail); here, that each mail carries its facts.
    const [confirmedA, cancelledA] = sink.to(emailOf(a.userId));
    const codeA = first.booking.tickets[0]!.code;
    expect(confirmedA!.text).toContain("Floor");
    expect(confirmedA!.text).toContain(spacedCode(codeA));
    expect(confirmedA!.html).toContain(spacedCode(codeA));
    expect(cancelledA!.text).toContain("Refund: $15.00");
    const [joinedB, offeredB] = sink.to(emailOf(b.userId));
    expect(joinedB!.text).toMatch(/place\D+1\b/);
    expect(offeredB!.text).toContain(formatInstant(Date.parse(offerB.expiresAt), "UTC"));
    expect(offeredB!.text).toContain(`/checkout/${offerB.holdId}`);
    expect(sink.to(emailOf(c.userId))[0]!.text).toMatch(/place\D+2\b/);
    expect(sink.to(emailOf(c.userId))[2]!.text).toContain(spacedCode(bookingC.tickets[0]!.code));
    const eventCancelled = sink.to(emailOf(c.userId))[3]!;
    expect(eventCancelled.text).toContain("Storm warning");
    expect(eventCancelled.text).toContain("$15.00");
    expect(sink.to(emailOf(e.userId))[1]!.text).toContain(spacedCode(bookingE.tickets[0]!.code));
    expect(sink.received.every((m) => m.to.length === 1)).toBe(true);
    expect(outbox(ts).every((r) => r.attempts === 1)).toBe(true);
  });
});

describe("mail when the SMTP server is not there at first", () => {
  it("delivers on retry once the server comes up, and once it stops refusing", async () => {
    const sink = new MailSink(await freePort());
    const ts = await serverMailingTo(sink);
    try {
      const organizer = ts.user("organizer");
      const event = await publishedEvent(organizer.client, { title: "Late Mail" });
      const buyer = ts.user();
      const booked = await buyer.client.bookings.book.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 2 }],
      });
      if (booked.status !== "confirmed") throw new Error("expected a booking");

      // Down: the connection is refused and the attempt recorded.
      await eventually(async () => (outbox(ts)[0]?.attempts ?? 0) >= 2, 10_000);
      expect(outbox(ts)[0]).toMatchObject({ sent_at: null });
      expect(outbox(ts)[0]!.last_error).toMatch(/ECONNREFUSED|connect/i);

      // Up, but answering 451 twice: still retried, then delivered once.
      sink.rejectNext = 2;
      await sink.start();
      await allSent(ts, sink);
      expect(sink.rejectNext).toBe(0);
      expect(sink.received).toHaveLength(1);
      const [mail] = sink.received;
      expect(mail!.to).toEqual([emailOf(buyer.userId)]);
      for (const ticket of booked.booking.tickets)
        expect(mail!.text).toContain(spacedCode(ticket.code));
      expect(outbox(ts)[0]!.attempts).toBeGreaterThanOrEqual(4);
    } finally {
      await ts.stop();
      await sink.stop();
    }
  });
});

describe("mail across a crash", () => {
  it("sends a mail whose sending was cut short by kill -9 after the restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "boxoffice-mail-crash-"));
    const databasePath = join(dir, "crash.db");
    const port = await freePort();
    // A mail server that accepts the connection and never greets: the send hangs mid-way.
    const sockets: Socket[] = [];
    const blackHole = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(port, "127.0.0.1", resolve));
    const child = await spawnServer(databasePath, {
      MAIL_TRANSPORT: "smtp",
      SMTP_URL: `smtp://127.0.0.1:${port}`,
    });
    let ts: TestServer | null = null;
    const sink = new MailSink(port);
    try {
      const anonymous = createClient({ url: child.url });
      const register = (role: "attendee" | "organizer") =>
        anonymous.auth.register.mutate({
          email: `${role}-${Math.random().toString(36).slice(2)}@example.test`,
          password: "correct horse battery",
          name: `Crash ${role}`,
          role,
        });
      const organizer = await register("organizer");
      const event = await publishedEvent(createClient({ url: child.url, token: organizer.token }));
      const buyer = await register("attendee");
      const booked = await createClient({
        url: child.url,
        token: buyer.token,
      }).bookings.book.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 1 }],
      });
      if (booked.status !== "confirmed") throw new Error("expected a booking");
      await eventually(async () => sockets.length > 0);
      child.proc.kill(9);
      await child.proc.exited;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => blackHole.close(() => resolve()));

      await sink.start();
      ts = await startTestServer(
        {
          DATABASE_PATH: databasePath,
          MAIL_TRANSPORT: "smtp",
          SMTP_URL: `smtp://127.0.0.1:${port}`,
        },
        { mailTimings: FAST },
      );
      await allSent(ts, sink);
      expect(sink.received).toHaveLength(1);
      expect(sink.received[0]!.to).toEqual([buyer.user.email]);
      expect(sink.received[0]!.text).toContain(spacedCode(booked.booking.tickets[0]!.code));
    } finally {
      child.proc.kill(9);
      await ts?.stop();
      await sink.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
