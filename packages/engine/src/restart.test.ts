/**
 * After a restart, holds that lapsed while the server was down are expired and the waitlist is
 * served without waiting for anyone to touch the event; and a request that does touch it first
 * never meets tickets still held by a lapsed hold.
 */
import { afterEach, describe, expect, it } from "bun:test";
import { findHold, latestWaitlistEntry } from "@boxoffice/db";
import { createEngineWorld, type EngineWorld } from "./testing.ts";

let world: EngineWorld;

afterEach(async () => {
  await world.close();
});

/** Lets timers fired by the manual clock run their commands and commits. */
async function settle() {
  for (let i = 0; i < 5; i++) {
    world.clock.advance(0);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  await world.writer.flushed();
}

async function lapsedHoldAndWaiter() {
  world = createEngineWorld();
  const { eventId, typeIds } = world.event(
    { holdSeconds: 60, waitlistEnabled: true, waitlistOfferSeconds: 600 },
    [{ priceCents: 1_000, capacity: 2 }],
  );
  const items = [{ ticketTypeId: typeIds[0] ?? "", quantity: 2 }];
  const hold = await world.engine.hold({
    eventId,
    buyer: { kind: "user", userId: world.user() },
    items,
    seatIds: [],
  });
  const waiter = world.user();
  await world.engine.joinWaitlist({ eventId, userId: waiter, ticketTypeId: null, quantity: 2 });
  await world.restart();
  // The server was down past the hold's deadline.
  world.clock.advance(120_000);
  return { eventId, items, hold, waiter };
}

describe("after a restart", () => {
  it("expires lapsed holds and serves the waitlist with nobody touching the event", async () => {
    const { eventId, hold, waiter } = await lapsedHoldAndWaiter();
    await settle();
    expect(findHold(world.db, hold.id)?.status).toBe("expired");
    const entry = latestWaitlistEntry(world.db, eventId, waiter);
    expect(entry?.entry.state).toBe("offered");
  });

  it("never answers SOLD_OUT for tickets whose holds lapsed, even before any timer ran", async () => {
    world = createEngineWorld();
    const { eventId, typeIds } = world.event({ holdSeconds: 60 }, [{ priceCents: 0, capacity: 2 }]);
    const items = [{ ticketTypeId: typeIds[0] ?? "", quantity: 2 }];
    await world.engine.hold({
      eventId,
      buyer: { kind: "user", userId: world.user() },
      items,
      seatIds: [],
    });
    await world.restart();
    world.clock.advance(120_000);
    // The first request reaches the event before the start-up wake-up has run.
    const booked = await world.engine.book({
      eventId,
      buyer: { kind: "user", userId: world.user() },
      items,
      seatIds: [],
    });
    expect(booked.status).toBe("created");
  });

  it("wakes an event whose holds are still live only when the first is due", async () => {
    world = createEngineWorld();
    const { eventId, typeIds } = world.event({ holdSeconds: 60 }, [{ priceCents: 0, capacity: 2 }]);
    const items = [{ ticketTypeId: typeIds[0] ?? "", quantity: 1 }];
    const hold = await world.engine.hold({
      eventId,
      buyer: { kind: "user", userId: world.user() },
      items,
      seatIds: [],
    });
    await world.restart();
    await settle();
    expect(world.engine.loadedActors).toBe(0);
    world.clock.advance(61_000);
    await settle();
    expect(findHold(world.db, hold.id)?.status).toBe("expired");
  });
});
