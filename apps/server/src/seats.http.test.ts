import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@boxoffice/client";
import { eventually, OffsetClock, refusal, startTestServer, type TestServer } from "./testing.ts";

let ts: TestServer;
const clock = new OffsetClock();
const dir = mkdtempSync(join(tmpdir(), "boxoffice-seats-"));

beforeAll(async () => {
  ts = await startTestServer({}, { clock });
});

afterAll(async () => {
  await ts.stop();
  rmSync(dir, { recursive: true, force: true });
});

const hall = {
  name: "Test Hall",
  sections: [
    {
      name: "Stalls",
      priceCents: 2500,
      rows: [
        { label: "A", seats: 10 },
        { label: "B", seats: 10 },
      ],
    },
    { name: "Balcony", priceCents: 0, rows: [{ label: "A", seats: 5 }] },
  ],
};

/** A published seated event in the Test Hall, starting in 30 days. */
async function seatedEvent(organizer: Client, extra: Record<string, unknown> = {}) {
  const venue = await organizer.venues.create.mutate(hall);
  const created = await organizer.events.create.mutate({
    title: "Seated concert",
    startsAt: new Date(clock.now() + 30 * 86_400_000).toISOString(),
    venueId: venue.id,
    ...extra,
  });
  return organizer.events.publish.mutate({ eventId: created.id });
}

/** Row statuses per section, e.g. [["hfff...", "ffff..."], ["fffff"]]. */
async function statuses(client: Client, eventId: string): Promise<string[][]> {
  const map = await client.events.seatMapCompact.query({ eventId });
  return map.sections.map((s) => s.rows.map((r) => r.statuses));
}

const dataOf = (error: unknown) =>
  (error as { data?: { reason?: string; details?: { seatIds?: string[] } } }).data;

describe("seat holds over HTTP", () => {
  it("lets one of twenty racing buyers hold a seat and refuses nineteen with SEAT_UNAVAILABLE", async () => {
    const organizer = await ts.register("organizer");
    const event = await seatedEvent(organizer.client);
    const buyers = Array.from({ length: 20 }, () => ts.user());
    const results = await Promise.allSettled(
      buyers.map((b) => b.client.bookings.hold.mutate({ eventId: event.id, seatIds: ["s1-r1-5"] })),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const r of lost) {
      expect(dataOf(r.reason)?.reason).toBe("SEAT_UNAVAILABLE");
      expect(dataOf(r.reason)?.details?.seatIds).toEqual(["s1-r1-5"]);
    }
    const rows = await statuses(ts.client(), event.id);
    expect(rows[0]?.[0]).toBe("ffffhfffff");
    const active = ts.server.services.db.$client
      .prepare("select count(*) n from holds where event_id = ? and status = 'active'")
      .get(event.id) as { n: number };
    expect(active.n).toBe(1);
  });

  it("holds nothing of a three-seat request when one seat is taken", async () => {
    const organizer = await ts.register("organizer");
    const event = await seatedEvent(organizer.client);
    await ts.user().client.bookings.hold.mutate({ eventId: event.id, seatIds: ["s1-r1-2"] });
    const error = await ts
      .user()
      .client.bookings.hold.mutate({
        eventId: event.id,
        seatIds: ["s1-r1-1", "s1-r1-2", "s1-r1-3"],
      })
      .catch((e: unknown) => e);
    expect(dataOf(error)).toMatchObject({
      reason: "SEAT_UNAVAILABLE",
      details: { seatIds: ["s1-r1-2"] },
    });
    expect((await statuses(ts.client(), event.id))[0]?.[0]).toBe("fhffffffff");
  });

  it("refuses unknown seat ids, naming them", async () => {
    const organizer = await ts.register("organizer");
    const event = await seatedEvent(organizer.client);
    const error = await ts
      .user()
      .client.bookings.book.mutate({ eventId: event.id, seatIds: ["s1-r1-1", "s9-r1-1", "B12"] })
      .catch((e: unknown) => e);
    expect(dataOf(error)).toMatchObject({
      reason: "SEAT_UNAVAILABLE",
      details: { seatIds: ["s9-r1-1", "B12"] },
    });
    expect((await statuses(ts.client(), event.id))[0]?.[0]).toBe("ffffffffff");
  });

  it("shows booked seats as booked, frees cancelled ones, and writes a ticket per seat", async () => {
    const organizer = await ts.register("organizer");
    const event = await seatedEvent(organizer.client);
    const buyer = ts.user();
    const result = await buyer.client.bookings.book.mutate({
      eventId: event.id,
      seatIds: ["s1-r2-1", "s1-r2-2", "s2-r1-5"],
    });
    if (result.status !== "confirmed") throw new Error("not booked");
    expect(result.booking.totalCents).toBe(5000);
    expect(result.booking.tickets.map((t) => t.seatId)).toEqual(["s1-r2-1", "s1-r2-2", "s2-r1-5"]);
    expect(await statuses(ts.client(), event.id)).toEqual([
      ["ffffffffff", "bbffffffff"],
      ["ffffb"],
    ]);
    const full = await ts.client().events.seatMap.query({ eventId: event.id });
    expect(full.sections[0]?.rows[1]?.seats[0]).toEqual({
      id: "s1-r2-1",
      label: "1",
      status: "booked",
    });
    await buyer.client.bookings.cancel.mutate({ bookingId: result.booking.id });
    expect(await statuses(ts.client(), event.id)).toEqual([
      ["ffffffffff", "ffffffffff"],
      ["fffff"],
    ]);
    // Freed exactly once: someone else can book them now.
    await ts.user().client.bookings.book.mutate({ eventId: event.id, seatIds: ["s1-r2-1"] });
  });

  it("counts seats against maxPerOrder", async () => {
    const organizer = await ts.register("organizer");
    const event = await seatedEvent(organizer.client, { maxPerOrder: 2 });
    const error = await refusal(
      ts.user().client.bookings.hold.mutate({
        eventId: event.id,
        seatIds: ["s2-r1-1", "s2-r1-2", "s2-r1-3"],
      }),
    );
    expect(error.reason).toBe("LIMIT_EXCEEDED");
  });

  it("frees an expired hold's seats", async () => {
    const organizer = await ts.register("organizer");
    const event = await seatedEvent(organizer.client, { holdSeconds: 60 });
    await ts.user().client.bookings.hold.mutate({ eventId: event.id, seatIds: ["s2-r1-3"] });
    expect((await statuses(ts.client(), event.id))[1]).toEqual(["ffhff"]);
    clock.advance(61_000);
    await eventually(async () => (await statuses(ts.client(), event.id))[1]?.[0] === "fffff");
    await ts.user().client.bookings.hold.mutate({ eventId: event.id, seatIds: ["s2-r1-3"] });
  });

  it("streams seat status changes to a live subscriber", async () => {
    const organizer = await ts.register("organizer");
    const event = await seatedEvent(organizer.client);
    const seen: unknown[] = [];
    const subscription = ts.client().events.seatMapChanges.subscribe(
      { eventId: event.id },
      {
        onData: (message) => seen.push(message.data),
      },
    );
    try {
      await eventually(async () => seen.length >= 1);
      expect(seen[0]).toMatchObject({ type: "snapshot", seatMap: { eventId: event.id } });
      await ts
        .user()
        .client.bookings.book.mutate({ eventId: event.id, seatIds: ["s1-r1-1", "s1-r1-2"] });
      await eventually(async () => seen.length >= 2);
      expect(seen[1]).toMatchObject({
        type: "changes",
        changes: [
          { seatId: "s1-r1-1", status: "booked" },
          { seatId: "s1-r1-2", status: "booked" },
        ],
      });
    } finally {
      subscription.unsubscribe();
    }
  });
});

describe("seat owners across a restart", () => {
  it("keeps held and booked seats taken after the server restarts", async () => {
    const databasePath = join(dir, "restart.db");
    const first = await startTestServer({ DATABASE_PATH: databasePath });
    const organizer = await first.register("organizer");
    const venue = await organizer.client.venues.create.mutate(hall);
    const created = await organizer.client.events.create.mutate({
      title: "Restart",
      startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      venueId: venue.id,
    });
    await organizer.client.events.publish.mutate({ eventId: created.id });
    const buyer = first.user();
    const hold = await buyer.client.bookings.hold.mutate({
      eventId: created.id,
      seatIds: ["s1-r1-1"],
    });
    await buyer.client.bookings.book.mutate({ eventId: created.id, seatIds: ["s2-r1-1"] });
    await first.stop();

    const second = await startTestServer({ DATABASE_PATH: databasePath });
    try {
      const map = await second.client().events.seatMapCompact.query({ eventId: created.id });
      expect(map.sections.map((s) => s.rows.map((r) => r.statuses))).toEqual([
        ["hfffffffff", "ffffffffff"],
        ["bffff"],
      ]);
      const other = second.user();
      const error = await refusal(
        other.client.bookings.hold.mutate({ eventId: created.id, seatIds: ["s1-r1-1", "s2-r1-1"] }),
      );
      expect(error.reason).toBe("SEAT_UNAVAILABLE");
      const booking = await second.client(buyer.token).bookings.confirm.mutate({ holdId: hold.id });
      expect(booking.tickets.map((t) => t.seatId)).toEqual(["s1-r1-1"]);
    } finally {
      await second.stop();
    }
  });
});
