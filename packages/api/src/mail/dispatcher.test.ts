import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import { createEventWrites, createOutboxStore } from "@boxoffice/db";
import type { RenderedMail as Mail } from "@boxoffice/mail";
import { createLogger } from "../logger.ts";
import { createTestWorld, type TestWorld } from "../testing.ts";
import { backoffDelay, MailDispatcher } from "./dispatcher.ts";
import type { MailTransport } from "./transports.ts";

const DAY = 86_400_000;
let world: TestWorld;

afterEach(async () => {
  await world.close();
});

/** Records what it is given; fails while `failures` is above zero, or stalls while `gate` is set. */
class FakeTransport implements MailTransport {
  readonly sent: Mail[] = [];
  failures = 0;
  gate: Promise<void> | null = null;
  closed = false;

  async send(mail: Mail): Promise<void> {
    if (this.gate) await this.gate;
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error("421 try again later");
    }
    this.sent.push(mail);
  }

  close(): void {
    this.closed = true;
  }
}

type Row = {
  id: number;
  kind: string;
  attempts: number;
  next_attempt_at: number;
  sent_at: number | null;
  failed_at: number | null;
  last_error: string | null;
};

const outbox = () =>
  world.services.db.$client.prepare("select * from outbox order by id").all() as Row[];

/** An event with one booking (one outbox row), and a dispatcher on a fake transport. */
async function setUp(timings: { maxAttempts?: number; busyRecords?: number } = {}) {
  /** The `limit` of every due() the dispatcher asked, with whether it was in a rush (createdBy). */
  const asked: { limit: number; rush: boolean }[] = [];
  const records = { tries: 0 };
  const clock = new ManualClock(Date.parse("2026-06-01T12:00:00.000Z"));
  world = await createTestWorld({ clock });
  const organizer = await world.signUp("organizer");
  const created = await organizer.caller.events.create({
    title: "Dispatch test",
    startsAt: new Date(clock.now() + 30 * DAY).toISOString(),
    ticketTypes: [{ name: "GA", priceCents: 0, capacity: 1 }],
  });
  const event = await organizer.caller.events.publish({ eventId: created.id });
  const buyer = await world.signUp();
  const book = () =>
    buyer.caller.bookings.book({
      eventId: event.id,
      items: [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 1 }],
    });
  await book();
  const transport = new FakeTransport();
  const store = createOutboxStore(world.services.db);
  const dispatcher = new MailDispatcher({
    store: {
      ...store,
      due(now, limit, exclude, createdBy) {
        asked.push({ limit, rush: createdBy !== undefined });
        return store.due(now, limit, exclude, createdBy);
      },
      // The first `busyRecords` writes find the lock taken (another connection committing).
      tryRecord(outcomes, now) {
        records.tries += 1;
        if (records.tries <= (timings.busyRecords ?? 0)) return false;
        return store.tryRecord(outcomes, now);
      },
    },
    transport,
    clock,
    logger: createLogger({ silent: true }),
    backoffBaseMs: 1_000,
    backoffCapMs: 8_000,
    maxAttempts: timings.maxAttempts ?? 10,
  });
  return { clock, transport, dispatcher, book, event, asked, records };
}

describe("mail dispatcher", () => {
  it("looks again when the outcome cannot be written at once, and sends nothing twice", async () => {
    const { clock, transport, dispatcher, records } = await setUp({ busyRecords: 3 });
    const first = dispatcher.tick();
    // While the outcome waits for the lock, the row stays in flight: another look sends nothing.
    await Bun.sleep(0);
    await dispatcher.tick();
    await first;
    expect(records.tries).toBe(4);
    expect(transport.sent).toHaveLength(1);
    expect(outbox()[0]).toMatchObject({ attempts: 1, sent_at: clock.now(), last_error: null });
    await dispatcher.tick();
    expect(transport.sent).toHaveLength(1);
  });

  it("sends a committed booking's mail once and marks it sent", async () => {
    const { clock, transport, dispatcher } = await setUp();
    expect(outbox().map((r) => r.kind)).toEqual(["booking_confirmed"]);
    await Promise.all([dispatcher.tick(), dispatcher.tick()]);
    await dispatcher.tick();
    expect(transport.sent).toHaveLength(1);
    expect(transport.sent[0]!.to).toMatch(/@example\.test$/);
    expect(outbox()[0]).toMatchObject({ attempts: 1, sent_at: clock.now(), last_error: null });
  });

  it("writes nothing for a refused command", async () => {
    const { book } = await setUp();
    await expect(book()).rejects.toMatchObject({ reason: "SOLD_OUT" });
    expect(outbox()).toHaveLength(1);
  });

  it("writes no outbox row when the change it belongs to fails in its transaction", async () => {
    const { event } = await setUp();
    const db = world.services.db;
    const existing = db.$client.prepare("select * from bookings").get() as {
      id: string;
      user_id: string;
      created_at: number;
    };
    const writes = createEventWrites(db);
    // The same booking id again: its outbox row is written, then the booking's insert fails.
    const apply = db.$client.transaction(() => {
      writes.apply(event.id, [
        {
          type: "BookingConfirmed",
          booking: {
            id: existing.id,
            eventId: event.id,
            userId: existing.user_id,
            holdId: null,
            items: [],
            seatIds: [],
            totalCents: 0,
            paidCents: 0,
            currency: "USD",
            createdAt: existing.created_at,
            tickets: [{ id: "tkt_x", code: "CODE", ticketTypeId: "tt_x", seatId: null }],
            payment: null,
            idempotencyKey: null,
            requestHash: null,
          },
        },
      ]);
    });
    expect(() => apply()).toThrow(/UNIQUE/);
    expect(outbox()).toHaveLength(1);
  });

  it("retries with exponential backoff and records every attempt", async () => {
    const { clock, transport, dispatcher } = await setUp();
    transport.failures = 3;
    const start = clock.now();

    await dispatcher.tick();
    expect(outbox()[0]).toMatchObject({ attempts: 1, next_attempt_at: start + 1_000 });
    expect(outbox()[0]!.last_error).toContain("421");

    clock.advance(999);
    await dispatcher.tick();
    expect(outbox()[0]!.attempts).toBe(1);

    clock.advance(1);
    await dispatcher.tick();
    expect(outbox()[0]).toMatchObject({ attempts: 2, next_attempt_at: start + 1_000 + 2_000 });

    clock.advance(2_000);
    await dispatcher.tick();
    expect(outbox()[0]).toMatchObject({ attempts: 3, next_attempt_at: start + 3_000 + 4_000 });

    clock.advance(4_000);
    await dispatcher.tick();
    expect(outbox()[0]).toMatchObject({ attempts: 4, sent_at: clock.now(), last_error: null });
    expect(transport.sent).toHaveLength(1);
    expect(dispatcher.stats).toEqual({ sent: 1, failedAttempts: 3, gaveUp: 0 });
  });

  it("gives up after maxAttempts and marks the row failed", async () => {
    const { clock, transport, dispatcher } = await setUp({ maxAttempts: 3 });
    transport.failures = 100;
    for (let i = 0; i < 6; i++) {
      await dispatcher.tick();
      clock.advance(10_000);
    }
    const row = outbox()[0]!;
    expect(row).toMatchObject({ attempts: 3, sent_at: null });
    expect(row.failed_at).not.toBeNull();
    expect(transport.failures).toBe(97);
  });

  it("caps the backoff", () => {
    expect([1, 2, 3, 4, 5, 20].map((n) => backoffDelay(n, 1_000, 8_000))).toEqual([
      1_000, 2_000, 4_000, 8_000, 8_000, 8_000,
    ]);
  });

  it("never sends a row twice while it is in flight, and stop waits for it", async () => {
    const { transport, dispatcher } = await setUp();
    let release!: () => void;
    transport.gate = new Promise((resolve) => {
      release = resolve;
    });
    const first = dispatcher.tick();
    dispatcher.nudge();
    await Bun.sleep(10);
    const stopping = dispatcher.stop();
    release();
    await Promise.all([first, stopping]);
    expect(transport.sent).toHaveLength(1);
    expect(transport.closed).toBe(true);
    expect(outbox()[0]!.sent_at).not.toBeNull();
  });
});

describe("mail dispatcher in an on-sale rush", () => {
  it("sends the mail of a booking on its own at once: one commit is no rush", async () => {
    const { transport, dispatcher } = await setUp();
    dispatcher.nudge();
    await dispatcher.tick();
    expect(transport.sent).toHaveLength(1);
    await dispatcher.stop();
  });

  it("holds mail back while commits keep coming, and sends it once they pause", async () => {
    const { clock, transport, dispatcher } = await setUp();
    dispatcher.nudge(); // two commits, just now
    dispatcher.nudge();
    await dispatcher.tick();
    expect(transport.sent).toHaveLength(0);
    for (let i = 0; i < 10; i += 1) {
      clock.advance(250); // commits keep coming, each within the quiet time of the last
      dispatcher.nudge();
      await dispatcher.tick();
    }
    expect(transport.sent).toHaveLength(0);
    expect(outbox()[0]?.sent_at).toBeNull();
    clock.advance(300); // the rush is over
    await dispatcher.tick();
    expect(transport.sent).toHaveLength(1);
    await dispatcher.stop();
  });

  it("sends mail that has waited the longest delay, even while the rush goes on", async () => {
    const { clock, transport, dispatcher, asked } = await setUp();
    const waited = () => clock.now() - (outbox()[0]?.next_attempt_at ?? 0);
    dispatcher.nudge();
    while (waited() < 60_000) {
      dispatcher.nudge();
      await dispatcher.tick();
      expect(transport.sent).toHaveLength(0);
      clock.advance(200);
    }
    dispatcher.nudge();
    await dispatcher.tick();
    expect(transport.sent).toHaveLength(1);
    // In the rush, a few rows at a time: each pick loads its rows on the thread that serves
    // the rush. Outside it, a full batch.
    expect(asked.filter((a) => a.rush).length).toBeGreaterThan(0);
    for (const { limit, rush } of asked) expect(limit).toBe(rush ? 4 : 50);
    await dispatcher.stop();
  });
});
