/**
 * What one buyer may take of an event: held tickets, holds per minute, and places in the event's
 * mailbox, so that one account cannot hold a whole event nor crowd out everyone else.
 */
import { afterEach, describe, expect, it } from "bun:test";
import { DomainError, OverloadedError } from "@boxoffice/core";
import { createEngineWorld, type EngineWorld } from "./testing.ts";

let world: EngineWorld;

afterEach(async () => {
  await world.close();
});

const reasonOf = (error: unknown) => (error instanceof DomainError ? error.reason : error);

describe("what one buyer may take of an event", () => {
  it("lets one account hold no more than its cap, however many holds it asks for", async () => {
    world = createEngineWorld();
    const { eventId, typeIds } = world.event({ maxPerOrder: 10 }, [
      { priceCents: 0, capacity: 200 },
    ]);
    const greedy = world.user();
    const items = [{ ticketTypeId: typeIds[0] ?? "", quantity: 10 }];
    const answers: PromiseSettledResult<unknown>[] = [];
    for (let n = 0; n < 20; n++) {
      const [answer] = await Promise.allSettled([
        world.engine.hold({ eventId, buyer: { kind: "user", userId: greedy }, items, seatIds: [] }),
      ]);
      if (answer) answers.push(answer);
    }
    expect(answers.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    const refusals = answers.flatMap((a) => (a.status === "rejected" ? [reasonOf(a.reason)] : []));
    expect(new Set(refusals)).toEqual(new Set(["LIMIT_EXCEEDED"]));
    const [figures] = world.engine.availabilities([world.stored(eventId)]).values();
    expect(figures?.held).toBe(10);
  });

  it("limits hold requests per buyer per minute, across events", async () => {
    world = createEngineWorld({ engine: { limits: { holdsPerBuyerPerMinute: 3 } } });
    const buyer = world.user();
    const events = [world.event(), world.event()];
    const hold = (n: number) => {
      const { eventId, typeIds } = events[n % 2]!;
      return world.engine.hold({
        eventId,
        buyer: { kind: "user", userId: buyer },
        items: [{ ticketTypeId: typeIds[0] ?? "", quantity: 1 }],
        seatIds: [],
      });
    };
    for (const n of [0, 1, 2]) await hold(n);
    const fourth = await hold(3).catch((e) => e);
    expect(reasonOf(fourth)).toBe("RATE_LIMITED");
    expect((fourth as DomainError).details).toEqual({ retryAfterSeconds: 60 });
    // Someone else is not affected, and a minute later the buyer may hold again.
    const other = world.user();
    const { eventId, typeIds } = events[0]!;
    const items = [{ ticketTypeId: typeIds[0] ?? "", quantity: 1 }];
    await world.engine.hold({
      eventId,
      buyer: { kind: "user", userId: other },
      items,
      seatIds: [],
    });
    world.clock.advance(60_001);
    await hold(4);
  });

  it("keeps places in a busy event's mailbox for everyone when one account floods it", async () => {
    world = createEngineWorld({
      engine: { mailboxSize: 60, limits: { queuedPerBuyer: 8, holdsPerBuyerPerMinute: 10_000 } },
    });
    const { eventId, typeIds } = world.event({ maxPerOrder: 1, maxPerUser: 1 }, [
      { priceCents: 0, capacity: 1_000 },
    ]);
    const items = [{ ticketTypeId: typeIds[0] ?? "", quantity: 1 }];
    const flooder = world.user();
    const flood = Array.from({ length: 200 }, () =>
      world.engine.hold({ eventId, buyer: { kind: "user", userId: flooder }, items, seatIds: [] }),
    );
    const buyers = Array.from({ length: 30 }, () => world.user());
    const fair = buyers.map((userId) =>
      world.engine.hold({ eventId, buyer: { kind: "user", userId }, items, seatIds: [] }),
    );
    const floodAnswers = await Promise.allSettled(flood);
    const fairAnswers = await Promise.allSettled(fair);
    expect(fairAnswers.filter((a) => a.status === "rejected")).toEqual([]);
    const overloaded = floodAnswers.filter(
      (a) => a.status === "rejected" && a.reason instanceof OverloadedError,
    );
    expect(overloaded.length).toBeGreaterThan(150);
  });
});
