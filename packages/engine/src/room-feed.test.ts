import { describe, expect, it } from "bun:test";
import { type EventState, emptyRoom } from "@boxoffice/core";
import type { EventActor, EventRegistry } from "./registry.ts";
import { RoomFeeds } from "./room-feed.ts";

/** A feed over a stand-in actor whose committed changes the test announces itself. */
function feedWorld(intervalMs: number) {
  const listeners = new Set<() => void>();
  const registry = {
    subscribe: (_eventId: string, listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as EventRegistry;
  // Each change is a new state object (a new queue), as a commit makes one.
  const actor = { key: "evt_feed", state: { room: emptyRoom() } as EventState };
  const commit = () => {
    actor.state = { room: emptyRoom() } as EventState;
    for (const listener of listeners) listener();
  };
  return {
    feeds: new RoomFeeds(registry, intervalMs),
    actor: actor as unknown as EventActor,
    commit,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Burns the CPU like a slow SSE write would. */
function busy(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until) {}
}

describe("the room's feed", () => {
  it("sends at most one change per interval, the latest", async () => {
    const { feeds, actor, commit } = feedWorld(100);
    const watch = feeds.watch(actor, undefined);
    const seen: number[] = [];
    const reading = (async () => {
      for await (const _state of watch) seen.push(performance.now());
    })();
    const started = performance.now();
    while (performance.now() - started < 650) {
      commit();
      await sleep(5);
    }
    watch.close();
    await reading;
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.length).toBeLessThanOrEqual(8);
    for (let i = 1; i < seen.length; i++) {
      expect((seen[i] as number) - (seen[i - 1] as number)).toBeGreaterThanOrEqual(95);
    }
  });

  it("stretches the interval to three times what the last fan-out took", async () => {
    // Watchers that take 40 ms each to send a change: 80 ms a fan-out, so ≥ 240 ms apart,
    // though the feed's own interval is 10 ms. (A slower machine only widens the gaps.)
    const { feeds, actor, commit } = feedWorld(10);
    const watches = [feeds.watch(actor, undefined), feeds.watch(actor, undefined)];
    const seen: number[] = [];
    const readers = watches.map(async (watch, i) => {
      for await (const _state of watch) {
        if (i === 0) seen.push(performance.now());
        busy(40);
        await sleep(0);
      }
    });
    const started = performance.now();
    while (performance.now() - started < 1_500) {
      commit();
      await sleep(5);
    }
    for (const watch of watches) watch.close();
    await Promise.all(readers);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    // The first fan-out's cost is only known once it ends: the gaps after it are stretched.
    for (let i = 2; i < seen.length; i++) {
      expect((seen[i] as number) - (seen[i - 1] as number)).toBeGreaterThanOrEqual(200);
    }
  });
});
