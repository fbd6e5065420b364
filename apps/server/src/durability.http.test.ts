import { afterAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { confirmedBooking, createClient } from "@boxoffice/client";
import { closeDb, openDb, WAL_BOUND_PAGES } from "@boxoffice/db";
import { publishedEvent, spawnServer, startTestServer } from "./testing.ts";

const dir = mkdtempSync(join(tmpdir(), "boxoffice-durability-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("durability", () => {
  it("keeps holds across a restart, and they can still be confirmed", async () => {
    const databasePath = join(dir, "restart.db");
    const first = await startTestServer({ DATABASE_PATH: databasePath });
    const organizer = await first.register("organizer");
    const event = await publishedEvent(organizer.client);
    const buyer = await first.register();
    const hold = await buyer.client.bookings.hold.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 2 }],
    });
    await first.stop();

    const second = await startTestServer({ DATABASE_PATH: databasePath });
    try {
      const client = second.client(buyer.token);
      const held = await second.client().events.get.query({ eventId: event.id });
      expect(held.ticketTypes[0]).toMatchObject({ held: 2, available: 98 });
      expect((await client.bookings.getHold.query({ holdId: hold.id })).id).toBe(hold.id);
      const booking = await client.bookings.confirm.mutate({ holdId: hold.id });
      expect(booking.tickets).toHaveLength(2);
    } finally {
      await second.stop();
    }
  });

  it("shows in /healthz what the writer committed: a booking is one more group", async () => {
    const server = await startTestServer({ DATABASE_PATH: join(dir, "health.db") });
    try {
      const writerOf = async () => {
        const res = await fetch(`${server.url}/healthz`);
        expect(res.status).toBe(200);
        const body = (await res.json()) as {
          writer: { groups: number; submissions: number; commitSeconds: number };
        };
        return body.writer;
      };
      const organizer = await server.register("organizer");
      const event = await publishedEvent(organizer.client);
      const buyer = await server.register();
      const before = await writerOf();
      await buyer.client.bookings.book.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 1 }],
      });
      const after = await writerOf();
      expect(after.groups - before.groups).toBe(1);
      expect(after.submissions - before.submissions).toBe(1);
      expect(after.commitSeconds).toBeGreaterThan(before.commitSeconds);
    } finally {
      await server.stop();
    }
  });

  it("leaves copying the WAL to the checkpointer thread, never to a commit on the request thread", async () => {
    const server = await startTestServer({ DATABASE_PATH: join(dir, "checkpoint.db") });
    try {
      const autocheckpoint = server.server.services.db.$client.pragma("wal_autocheckpoint", {
        simple: true,
      });
      // SQLite's default, 1,000 pages, is passed within a second of a rush.
      expect(autocheckpoint).toBe(WAL_BOUND_PAGES);
    } finally {
      await server.stop();
    }
  });

  it("loses no acknowledged booking and oversells nothing when killed with SIGKILL mid-burst", async () => {
    const databasePath = join(dir, "kill.db");
    const { proc, url } = await spawnServer(databasePath);
    // Unbatched: 120 sign-ups at once would be one batch, over BATCH_MAX.
    const anonymous = createClient({ url, batch: false });
    const capacity = 150;
    const org = await anonymous.auth.register.mutate({
      email: "org@kill.test",
      password: "correct horse battery",
      name: "Org",
      role: "organizer",
    });
    const event = await publishedEvent(createClient({ url, token: org.token }), {
      ticketTypes: [{ name: "GA", priceCents: 0, capacity }],
      maxPerOrder: 2,
    });
    const typeId = event.ticketTypes[0]!.id;
    const buyers = await Promise.all(
      Array.from({ length: 120 }, async (_, i) => {
        const { token } = await anonymous.auth.register.mutate({
          email: `buyer${i}@kill.test`,
          password: "correct horse battery",
          name: `Buyer ${i}`,
        });
        return createClient({ url, token, batch: false });
      }),
    );

    const acknowledged: string[] = [];
    let killed = false;
    const burst = async (client: (typeof buyers)[number]) => {
      while (!killed) {
        try {
          const booking = confirmedBooking(
            await client.bookings.book.mutate({
              eventId: event.id,
              items: [{ ticketTypeId: typeId, quantity: 1 }],
            }),
          );
          acknowledged.push(booking.id);
        } catch {
          // SOLD_OUT, or the connection died with the server: neither was acknowledged.
          if (!killed) await Bun.sleep(1);
        }
      }
    };
    const running = buyers.map(burst);
    while (acknowledged.length < 40) await Bun.sleep(2);
    proc.kill(9);
    killed = true;
    await proc.exited;
    await Promise.all(running);
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);

    // Restart on the same file: the server must come up and go on selling from what is there.
    const restarted = await spawnServer(databasePath);
    try {
      const db = openDb(databasePath);
      const found = db.$client
        .prepare("select id from bookings where event_id = ? and status = 'confirmed'")
        .all(event.id) as { id: string }[];
      const ids = new Set(found.map((r) => r.id));
      for (const id of acknowledged) expect(ids.has(id)).toBe(true);
      const items = db.$client
        .prepare(
          `select coalesce(sum(i.quantity), 0) n from booking_items i join bookings b on b.id = i.booking_id
            where b.event_id = ? and b.status = 'confirmed'`,
        )
        .get(event.id) as { n: number };
      expect(items.n).toBeLessThanOrEqual(capacity);
      closeDb(db);
      const after = await createClient({ url: restarted.url }).events.get.query({
        eventId: event.id,
      });
      expect(after.ticketTypes[0]!.sold).toBe(items.n);
      expect(after.ticketTypes[0]!.sold + after.ticketTypes[0]!.available).toBe(capacity);
    } finally {
      restarted.proc.kill("SIGTERM");
      await restarted.proc.exited;
    }
  }, 60_000);
});
