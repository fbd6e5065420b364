import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { eventually, publishedEvent, startTestServer, type TestServer } from "./testing.ts";

let ts: TestServer;

beforeAll(async () => {
  ts = await startTestServer();
});

afterAll(async () => {
  await ts.stop();
});

describe("events.availability over SSE", () => {
  it("sends the availability at once and again after each committed change", async () => {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client, {
      ticketTypes: [{ name: "GA", priceCents: 0, capacity: 10 }],
    });
    const seen: { available: number; sold: number; held: number }[] = [];
    const subscription = ts.client().events.availability.subscribe(
      { eventId: event.id },
      {
        onData: (message) => seen.push(message.data),
      },
    );
    try {
      await eventually(async () => seen.length >= 1);
      expect(seen[0]).toMatchObject({ eventId: event.id, capacity: 10, available: 10, sold: 0 });
      const buyer = ts.user();
      await buyer.client.bookings.book.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 3 }],
      });
      await eventually(async () => seen.at(-1)?.sold === 3);
      expect(seen.at(-1)).toMatchObject({ available: 7, held: 0 });
    } finally {
      subscription.unsubscribe();
    }
  });

  it("refuses an unknown event", async () => {
    const error = await new Promise<unknown>((resolve) => {
      const sub = ts.client().events.availability.subscribe(
        { eventId: "evt_missing" },
        {
          onError: (e) => {
            sub.unsubscribe();
            resolve(e);
          },
        },
      );
    });
    expect((error as { data?: { code?: string } }).data?.code).toBe("NOT_FOUND");
  });
});
