/**
 * Live streams of an event over SSE, fed by the engine's committed changes: availability, and a
 * seated event's seat changes. Each sends the current state at once, then one message per
 * (coalesced) change; the tracked id is the actor's version, which only grows.
 */
import { NotFoundError } from "@boxoffice/core";
import type { LiveFeed, LiveView, SeatMapView } from "@boxoffice/engine";
import { tracked } from "@trpc/server";
import { visibleEvent } from "../access.ts";
import { availabilityDto } from "../dto/event.ts";
import { compactSeatMap, seatChanges } from "../dto/seat-map.ts";
import { eventIdInput } from "../schemas/events.ts";
import { publicProcedure } from "../trpc.ts";

/** `events.availability`: the current availability at once, then one after every change. */
export const availabilityProcedure = publicProcedure
  .input(eventIdInput)
  .subscription(({ ctx, input, signal }) => {
    // Refusals happen here, before streaming starts, so they reach the client as errors.
    const event = visibleEvent(ctx, ctx.user, input.eventId);
    const feed = ctx.engine.live(event.id, signal);
    const message = (view: LiveView) =>
      tracked(String(view.version), availabilityDto(event.id, view.availability, ctx.clock.now()));
    return (async function* () {
      try {
        yield message(feed.current());
        for await (const view of feed) yield message(view);
      } finally {
        feed.close();
      }
    })();
  });

/**
 * `events.seatMapChanges`: a seated event's compact seat map at once, then the seats whose
 * status changed since the last message. The diff is over per-state status arrays (one byte a
 * seat, built once per state and shared by all subscribers): microseconds even for 20,000 seats.
 */
export const seatMapChangesProcedure = publicProcedure
  .input(eventIdInput)
  .subscription(({ ctx, input, signal }) => {
    const event = visibleEvent(ctx, ctx.user, input.eventId);
    const feed = ctx.engine.live(event.id, signal);
    const first = feed.current().seatMap;
    if (!first) {
      feed.close();
      throw new NotFoundError("This event has no seat map");
    }
    return seatChangeStream(feed, first);
  });

async function* seatChangeStream(feed: LiveFeed, first: SeatMapView) {
  try {
    let last = first.statuses;
    yield tracked(String(first.version), {
      type: "snapshot" as const,
      seatMap: compactSeatMap(first),
    });
    for await (const view of feed) {
      if (!view.seatMap) continue;
      const changes = seatChanges(first.seating, last, view.seatMap.statuses);
      last = view.seatMap.statuses;
      if (changes.length === 0) continue;
      yield tracked(String(view.version), {
        type: "changes" as const,
        eventId: first.eventId,
        version: view.version,
        changes,
      });
    }
  } finally {
    feed.close();
  }
}
