/**
 * Broadcasts end to end (docs/API.md "mail.broadcast"): a real server sending to a real SMTP
 * server (MailSink). Throttled, never ahead of ticket mail, honouring unsubscribes at once
 * (RFC 8058 one-click included), and resumable after `kill -9` with one Message-ID per attendee.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@boxoffice/client";
import { closeDb, openDb } from "@boxoffice/db";
import {
  eventually,
  freePort,
  MailSink,
  publishedEvent,
  type ReceivedMail,
  spawnServer,
  startTestServer,
  type TestServer,
} from "./testing.ts";

const FAST = { pollMs: 25, backoffBaseMs: 100, backoffCapMs: 400, nudgeDelayMs: 5 };

const emailOf = (userId: string) => `${userId}@example.test`;

/** The one-click link of a broadcast's List-Unsubscribe header. */
function oneClickLink(mail: ReceivedMail): string {
  const header = mail.headers.get("list-unsubscribe") ?? "";
  const link = /<(https?:\/\/[^>]+\/mail\/unsubscribe\/[^>]+)>/.exec(header)?.[1];
  if (!link) throw new Error(`no one-click link in ${header}`);
  return link;
}

const oneClick = (link: string) =>
  fetch(link, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  });

describe("broadcasts over SMTP", () => {
  let sink: MailSink;
  let ts: TestServer;

  beforeAll(async () => {
    sink = new MailSink(await freePort());
    await sink.start();
    ts = await startTestServer(sink.env, { mailTimings: FAST });
  });

  afterAll(async () => {
    await ts.stop();
    await sink.stop();
  });

  it("reaches each attendee once; one who unsubscribed in one click gets tickets but no broadcast", async () => {
    const organizer = await ts.register("organizer", "Olga Organizer");
    const event = await publishedEvent(organizer.client, { title: "Harbour Gig" });
    const typeId = event.ticketTypes[0]!.id;
    const attendees = [ts.user(), ts.user(), ts.user()];
    for (const a of attendees) {
      await a.client.bookings.book.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: typeId, quantity: 2 }],
      });
    }
    const send = (subject: string) =>
      organizer.client.mail.broadcast.mutate({
        eventId: event.id,
        subject,
        body: "Bring a coat.\n\nhttps://example.org/weather",
        to: "all",
      });
    await send("Weather update");
    const [leaver, ...stayers] = attendees.map((a) => emailOf(a.userId));
    const first = await sink.waitFor(leaver!, /Weather update/);
    for (const s of stayers) await sink.waitFor(s, /Weather update/);
    expect(first.headers.get("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(first.headers.get("list-unsubscribe")).toMatch(
      /^<http:\/\/127\.0\.0\.1:\d+\/unsubscribe\/[a-z2-9]+>, <http:\/\/127\.0\.0\.1:\d+\/mail\/unsubscribe\/[a-z2-9]+>$/,
    );
    // The unsubscribe link is in the mail itself too, for people.
    expect(first.text).toMatch(/\/unsubscribe\/[a-z2-9]+/);

    const answer = await oneClick(oneClickLink(first));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ok: true });

    await send("Set list");
    for (const s of stayers) await sink.waitFor(s, /Set list/);
    // Ticket mail still comes to the one who left.
    const leaverClient = attendees[0]!.client;
    await leaverClient.bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 1 }],
    });
    await sink.waitFor(leaver!, /Your tickets? for Harbour Gig/);
    await Bun.sleep(200);
    const broadcastsTo = (address: string) =>
      sink.to(address).filter((m) => m.headers.has("list-unsubscribe"));
    expect(broadcastsTo(leaver!).map((m) => m.subject)).toEqual([first.subject]);
    for (const s of stayers) expect(broadcastsTo(s)).toHaveLength(2);
    const log = await organizer.client.mail.broadcasts.query({ eventId: event.id });
    expect(log.map((b) => [b.recipients, b.sent])).toEqual([
      [2, 2],
      [3, 3],
    ]);
  });

  it("answers 404 to a one-click POST with a token nobody was given", async () => {
    const answer = await oneClick(`${ts.url}/mail/unsubscribe/abcdefghijkmnpqrstuvwxyz23`);
    expect(answer.status).toBe(404);
  });
});

describe("broadcast throttling", () => {
  it("sends at most BROADCAST_MAILS_PER_MINUTE, ticket mail first, and skips who left meanwhile", async () => {
    const sink = new MailSink(await freePort());
    await sink.start();
    // Two a second, at most two at once.
    const ts = await startTestServer(
      { ...sink.env, BROADCAST_MAILS_PER_MINUTE: "120" },
      { mailTimings: FAST },
    );
    try {
      const organizer = await ts.register("organizer");
      const event = await publishedEvent(organizer.client, { title: "Slow News" });
      const typeId = event.ticketTypes[0]!.id;
      const attendees = Array.from({ length: 6 }, () => ts.user());
      for (const a of attendees) {
        await a.client.bookings.book.mutate({
          eventId: event.id,
          items: [{ ticketTypeId: typeId, quantity: 1 }],
        });
      }
      await eventually(async () => sink.received.length === 6);
      const { broadcast } = await organizer.client.mail.broadcast.mutate({
        eventId: event.id,
        subject: "Slowly",
        body: "One at a time.",
        to: "all",
      });
      const started = Date.now();
      // A booking made now is mailed at once, not after the broadcast.
      const late = ts.user();
      await late.client.bookings.book.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: typeId, quantity: 1 }],
      });
      const confirmation = await sink.waitFor(emailOf(late.userId), /Slow News/);
      // The last attendee leaves by the mail's link before their turn: skipped, not sent.
      const db = ts.server.services.db.$client;
      const row = db
        .prepare("select payload from outbox where broadcast_id = ? and recipient_email = ?")
        .get(broadcast.id, emailOf(attendees[5]!.userId)) as { payload: string };
      const token = JSON.parse(row.payload).unsubscribeToken as string;
      expect((await oneClick(`${ts.url}/mail/unsubscribe/${token}`)).status).toBe(200);

      await eventually(async () => {
        const [b] = await organizer.client.mail.broadcasts.query({ eventId: event.id });
        return b!.pending === 0;
      }, 10_000);
      const sent = sink.received.filter((m) => m.subject.includes("Slowly"));
      expect(sent.map((m) => m.to[0])).toEqual(attendees.slice(0, 5).map((a) => emailOf(a.userId)));
      expect(confirmation.receivedAt).toBeLessThan(sent[2]!.receivedAt);
      // Two at once, then one each half second: five take at least 1.5 s.
      expect(sent[4]!.receivedAt - started).toBeGreaterThanOrEqual(1_400);
      const [b] = await organizer.client.mail.broadcasts.query({ eventId: event.id });
      expect(b).toMatchObject({ recipients: 6, sent: 5, pending: 0, failed: 0, skipped: 1 });
    } finally {
      await ts.stop();
      await sink.stop();
    }
  });
});

/**
 * `count - 1` more confirmed bookings like `bookingId`, each by its own guest address, written
 * straight into the stopped server's file (column by column as they are, so the schema may
 * grow): booking 500 tickets through the API would mail and render 500 confirmations, which is
 * not what this test is about.
 */
function cloneBookings(databasePath: string, bookingId: string, count: number): string[] {
  const db = openDb(databasePath);
  const c = db.$client;
  const insert = (table: string, row: Record<string, unknown>) => {
    const cols = Object.keys(row);
    c.prepare(
      `insert into ${table} (${cols.join(", ")}) values (${cols.map((k) => `@${k}`).join(", ")})`,
    ).run(row);
  };
  const booking = c.prepare("select * from bookings where id = ?").get(bookingId) as Record<
    string,
    unknown
  >;
  const items = c.prepare("select * from booking_items where booking_id = ?").all(bookingId);
  const tickets = c.prepare("select * from tickets where booking_id = ?").all(bookingId);
  const emails = [String(booking.buyer_email)];
  c.transaction(() => {
    for (let n = 1; n < count; n++) {
      const id = `bkg_clone${String(n).padStart(4, "0")}`;
      const email = `attendee${n}@crash.test`;
      emails.push(email);
      insert("bookings", {
        ...booking,
        id,
        buyer_email: email,
        buyer_name: `Attendee ${n}`,
        order_token_hash: null,
        hold_id: null,
        idempotency_key: null,
        request_hash: null,
      });
      for (const item of items as Record<string, unknown>[]) {
        insert("booking_items", { ...item, booking_id: id });
      }
      (tickets as Record<string, unknown>[]).forEach((t, i) => {
        insert("tickets", {
          ...t,
          id: `${id}-t${i}`,
          booking_id: id,
          code: `CRASH${String(n).padStart(4, "0")}T${i}XXXXXXXXXX`.slice(0, 20),
        });
      });
    }
  })();
  closeDb(db);
  return emails;
}

describe("a broadcast across kill -9", () => {
  it("mails each of 500 attendees exactly once after a restart, with one Message-ID each", async () => {
    const dir = mkdtempSync(join(tmpdir(), "boxoffice-broadcast-crash-"));
    const databasePath = join(dir, "crash.db");
    const sink = new MailSink(await freePort());
    await sink.start();
    const env = {
      ...sink.env,
      // 100 a second: 500 take five, so the kill comes half way whatever the machine's speed.
      BROADCAST_MAILS_PER_MINUTE: "6000",
      GUEST_HOLDS_PER_IP_PER_MINUTE: "100000",
    };
    let child = await spawnServer(databasePath, env);
    try {
      const anonymous = createClient({ url: child.url });
      const organizer = await anonymous.auth.register.mutate({
        email: "organizer@crash.test",
        password: "correct horse battery",
        name: "Crash Organizer",
        role: "organizer",
      });
      const client = () => createClient({ url: child.url, token: organizer.token });
      const event = await publishedEvent(client(), {
        title: "Crash Course",
        ticketTypes: [{ name: "GA", priceCents: 0, capacity: 1000 }],
      });
      const booked = await anonymous.bookings.book.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 1 }],
        buyer: { email: "attendee0@crash.test", name: "Attendee 0" },
      });
      if (booked.status !== "confirmed") throw new Error("expected a booking");
      await sink.waitFor("attendee0@crash.test", /Crash Course/);
      child.proc.kill("SIGTERM");
      await child.proc.exited;
      const emails = cloneBookings(databasePath, booked.booking.id, 500);
      sink.received.length = 0;

      child = await spawnServer(databasePath, env);
      const { broadcast } = await client().mail.broadcast.mutate({
        eventId: event.id,
        subject: "Crash news",
        body: "Once each, whatever happens.",
        to: "all",
      });
      expect(broadcast.recipients).toBe(500);
      await eventually(async () => sink.received.length >= 150, 20_000);
      child.proc.kill(9);
      await child.proc.exited;
      const beforeKill = sink.received.length;
      expect(beforeKill).toBeLessThan(500);

      child = await spawnServer(databasePath, env);
      await eventually(async () => new Set(sink.received.map((m) => m.to[0])).size === 500, 30_000);
      await Bun.sleep(300);

      const byAddress = new Map<string, ReceivedMail[]>();
      for (const m of sink.received) {
        byAddress.set(m.to[0]!, [...(byAddress.get(m.to[0]!) ?? []), m]);
      }
      expect([...byAddress.keys()].sort()).toEqual([...emails].sort());
      for (const [address, mails] of byAddress) {
        const ids = new Set(mails.map((m) => m.messageId));
        expect({ address, ids: ids.size }).toEqual({ address, ids: 1 });
      }
      // At most the one in flight at the kill went twice; every Message-ID is its own row's.
      expect(sink.received.length - 500).toBeLessThanOrEqual(1);
      expect(new Set(sink.received.map((m) => m.messageId)).size).toBe(500);
      const db = openDb(databasePath);
      const pending = db.$client
        .prepare("select count(*) n from outbox where broadcast_id = ? and sent_at is null")
        .get(broadcast.id);
      closeDb(db);
      expect(pending).toEqual({ n: 0 });
    } finally {
      child.proc.kill(9);
      await child.proc.exited;
      await sink.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
