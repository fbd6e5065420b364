import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import { createTestWorld, type TestWorld } from "../testing.ts";

let world: TestWorld;

afterEach(async () => {
  await world.close();
});

describe("events.availability", () => {
  it("stops listening when the subscriber goes away, so the idle actor can be evicted", async () => {
    const clock = new ManualClock(Date.parse("2026-06-01T12:00:00.000Z"));
    world = await createTestWorld({ clock });
    const organizer = await world.signUp("organizer");
    const created = await organizer.caller.events.create({
      title: "Live",
      startsAt: new Date(clock.now() + 30 * 86_400_000).toISOString(),
      ticketTypes: [{ name: "GA", priceCents: 0, capacity: 5 }],
    });
    await organizer.caller.events.publish({ eventId: created.id });

    const stream = await world.anonymous().events.availability({ eventId: created.id });
    const iterator = stream[Symbol.asyncIterator]();
    // Called directly, a tracked message is its [id, data, marker] envelope.
    const first = await iterator.next();
    const [, data] = first.value as unknown as [string, { available: number }];
    expect(data).toMatchObject({ available: 5 });

    clock.advance(120_000);
    expect(world.services.engine.evictIdle()).toBe(0);
    await iterator.return?.(undefined);
    expect(world.services.engine.evictIdle()).toBe(1);
  });
});
