/**
 * How the dispatcher sends broadcasts: at most `broadcastsPerMinute`, never ahead of due
 * transactional mail, one at a time with each outcome recorded before the next send, and not at
 * all to an address that unsubscribed after the broadcast was written.
 */
import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import { createOutboxStore, unsubscribeByToken } from "@boxoffice/db";
import type { RenderedMail as Mail } from "@boxoffice/mail";
import { createLogger } from "../logger.ts";
import { createTestWorld, type TestWorld } from "../testing.ts";
import { MailDispatcher, TokenBucket } from "./dispatcher.ts";
import type { MailTransport } from "./transports.ts";

const DAY = 86_400_000;
let world: TestWorld;

afterEach(async () => {
  await world.close();
});

/** Records what it is given; `onSend` runs first (to look at the database mid-send). */
class FakeTransport implements MailTransport {
  readonly sent: Mail[] = [];
  onSend: ((mail: Mail) => Promise<void> | void) | null = null;

  async send(mail: Mail): Promise<void> {
    await this.onSend?.(mail);
    this.sent.push(mail);
  }

  close(): void {}
}

type Row = {
  id: number;
  kind: string;
  recipient_email: string | null;
  payload: string;
  sent_at: number | null;
  failed_at: number | null;
  skipped_at: number | null;
  last_error: string | null;
};

const outbox = () =>
  world.services.db.$client.prepare("select * from outbox order by id").all() as Row[];

/** An event with `attendees` guest bookings, a broadcast to them all, and a dispatcher. */
async function broadcastTo(attendees: number, broadcastsPerMinute: number) {
  const clock = new ManualClock(Date.parse("2026-06-01T12:00:00.000Z"));
  world = await createTestWorld({ clock, limits: { guestHoldsPerIpPerMinute: 100_000 } });
  const organizer = await world.signUp("organizer");
  const created = await organizer.caller.events.create({
    title: "Broadcast dispatch",
    startsAt: new Date(clock.now() + 30 * DAY).toISOString(),
    ticketTypes: [{ name: "GA", priceCents: 0, capacity: 1000 }],
  });
  const event = await organizer.caller.events.publish({ eventId: created.id });
  const book = (email: string) =>
    world.anonymous().bookings.book({
      eventId: event.id,
      items: [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 1 }],
      buyer: { email, name: email.split("@")[0]! },
    });
  for (let i = 1; i <= attendees; i++) await book(`guest${i}@example.test`);
  // Their confirmations are sent already: only the broadcast is pending.
  world.services.db.$client.prepare("update outbox set sent_at = 0").run();
  const { broadcast } = await organizer.caller.mail.broadcast({
    eventId: event.id,
    subject: "News",
    body: "Something to tell you.",
    to: "all",
  });
  const transport = new FakeTransport();
  const dispatcher = new MailDispatcher({
    store: createOutboxStore(world.services.db),
    transport,
    clock,
    logger: createLogger({ silent: true }),
    broadcastsPerMinute,
  });
  return { clock, transport, dispatcher, book, broadcast };
}

const broadcastsSent = (t: FakeTransport) => t.sent.filter((m) => m.subject.includes("News"));

describe("broadcast dispatch", () => {
  it("sends broadcasts at most broadcastsPerMinute, and a due transactional mail first", async () => {
    // 120 a minute: two a second, at most two saved up.
    const { clock, transport, dispatcher, book } = await broadcastTo(6, 120);
    await book("late@example.test");
    await dispatcher.tick();
    expect(transport.sent.map((m) => m.to)).toEqual([
      "late@example.test",
      "guest1@example.test",
      "guest2@example.test",
    ]);
    await dispatcher.tick();
    expect(broadcastsSent(transport)).toHaveLength(2);
    clock.advance(499);
    await dispatcher.tick();
    expect(broadcastsSent(transport)).toHaveLength(2);
    clock.advance(1);
    await dispatcher.tick();
    expect(broadcastsSent(transport)).toHaveLength(3);
    // Idle time saves up at most a second's worth.
    clock.advance(60_000);
    await dispatcher.tick();
    expect(broadcastsSent(transport)).toHaveLength(5);
    clock.advance(500);
    await dispatcher.tick();
    expect(broadcastsSent(transport).map((m) => m.to)).toEqual(
      [1, 2, 3, 4, 5, 6].map((i) => `guest${i}@example.test`),
    );
    expect(outbox().every((r) => r.sent_at !== null)).toBe(true);
    // Once sent, the unsubscribe link's secret is gone from the row.
    const payloads = outbox()
      .filter((r) => r.kind === "broadcast")
      .map((r) => JSON.parse(r.payload));
    expect(payloads.every((p) => p.unsubscribeToken === undefined)).toBe(true);
  });

  it("records each broadcast mail as sent before the next one goes", async () => {
    const { transport, dispatcher } = await broadcastTo(4, 100_000);
    const sentWhenSending: number[] = [];
    transport.onSend = () => {
      sentWhenSending.push(outbox().filter((r) => r.kind === "broadcast" && r.sent_at).length);
    };
    await dispatcher.tick();
    expect(sentWhenSending).toEqual([0, 1, 2, 3]);
  });

  it("gives way to transactional mail nudged in the middle of a broadcast", async () => {
    const { transport, dispatcher, book } = await broadcastTo(5, 100_000);
    transport.onSend = async (mail) => {
      if (mail.to === "guest2@example.test") {
        await book("urgent@example.test");
        dispatcher.nudge();
      }
    };
    await dispatcher.tick();
    expect(transport.sent.map((m) => m.to)).toEqual([
      "guest1@example.test",
      "guest2@example.test",
      "urgent@example.test",
      "guest3@example.test",
      "guest4@example.test",
      "guest5@example.test",
    ]);
  });

  it("skips, without sending, the row of an address that unsubscribed after it was written", async () => {
    const { clock, transport, dispatcher } = await broadcastTo(3, 100_000);
    const row = outbox().find(
      (r) => r.kind === "broadcast" && r.recipient_email === "guest2@example.test",
    )!;
    const token = JSON.parse(row.payload).unsubscribeToken as string;
    unsubscribeByToken(world.services.db, token, clock.now());
    await dispatcher.tick();
    expect(transport.sent.map((m) => m.to)).toEqual(["guest1@example.test", "guest3@example.test"]);
    const skipped = outbox().find((r) => r.id === row.id)!;
    expect(skipped).toMatchObject({ sent_at: null, last_error: "unsubscribed" });
    expect(skipped.skipped_at).toBe(clock.now());
    expect(skipped.failed_at).toBe(clock.now());
    expect(JSON.parse(skipped.payload).unsubscribeToken).toBeUndefined();
  });

  it("leaves broadcasts for the next start when stopping, but not transactional mail", async () => {
    const { transport, dispatcher, book } = await broadcastTo(3, 100_000);
    await book("last@example.test");
    await dispatcher.stop();
    expect(transport.sent.map((m) => m.to)).toEqual(["last@example.test"]);
    expect(outbox().filter((r) => r.kind === "broadcast" && r.sent_at === null)).toHaveLength(3);
  });
});

describe("token bucket", () => {
  it("refills at its rate up to a second's worth, never below one", () => {
    const bucket = new TokenBucket(600, 0);
    expect(bucket.available(0)).toBe(10);
    for (let i = 0; i < 10; i++) expect(bucket.take(0)).toBe(true);
    expect(bucket.take(0)).toBe(false);
    expect(bucket.available(99)).toBe(0);
    expect(bucket.available(100)).toBe(1);
    expect(bucket.available(10_000)).toBe(10);
    const slow = new TokenBucket(1, 0);
    expect(slow.take(0)).toBe(true);
    expect(slow.take(59_999)).toBe(false);
    expect(slow.take(60_000)).toBe(true);
  });
});
