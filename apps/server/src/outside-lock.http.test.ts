/**
 * Another process holding the database's write lock (a backup tool's BEGIN IMMEDIATE) must not
 * stall the server: reads and /healthz keep answering at once, and bookings wait for the lock,
 * then succeed, without anyone blocking the event loop.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { confirmedBooking } from "@boxoffice/client";
import { publishedEvent, startTestServer, type TestServer } from "./testing.ts";

let ts: TestServer;

beforeAll(async () => {
  ts = await startTestServer();
});

afterAll(async () => {
  await ts.stop();
});

const LOCK_MS = 2_000;

/** Another process (Bun's own SQLite: an outside tool) takes the write lock, holds it, lets go. */
async function holdWriteLock(databasePath: string) {
  const script = `
    const { Database } = require("bun:sqlite");
    const db = new Database(${JSON.stringify(databasePath)});
    db.exec("BEGIN IMMEDIATE");
    console.log("locked");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${LOCK_MS});
    db.exec("COMMIT");
    db.close();
  `;
  const child = Bun.spawn(["bun", "-e", script], { cwd: import.meta.dir, stdout: "pipe" });
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  expect(new TextDecoder().decode(value)).toContain("locked");
  return child;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

describe("an outside write lock", () => {
  it("keeps reads and /healthz answering while bookings wait for the lock, then succeed", async () => {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client, {
      ticketTypes: [{ name: "GA", priceCents: 0, capacity: 50 }],
    });
    const buyer = ts.user();
    const items = [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 1 }];
    const child = await holdWriteLock(ts.config.databasePath);
    const lockedAt = performance.now();
    const booking = timed(() => buyer.client.bookings.book.mutate({ eventId: event.id, items }));

    const health = await timed(() => fetch(`${ts.url}/healthz`));
    const read = await timed(() => ts.client().events.get.query({ eventId: event.id }));
    expect(health.value.status).toBe(200);
    expect(health.ms).toBeLessThan(LOCK_MS / 2);
    expect(read.ms).toBeLessThan(LOCK_MS / 2);

    const booked = await booking;
    expect(confirmedBooking(booked.value).status).toBe("confirmed");
    // It waited for the lock, and was not refused for it.
    expect(performance.now() - lockedAt).toBeGreaterThan(LOCK_MS * 0.8);
    await child.exited;
    expect(child.exitCode).toBe(0);
  });
});
