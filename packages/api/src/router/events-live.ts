/**
 * Live streams of an event over SSE, fed by the engine's committed changes: availability, and a
 * seated event's seat changes. Each sends the current state at once, then one message per
 * (coalesced) change; the tracked id is the actor's version, which only grows.
 */
import { NotFoundError, type Seating } from "@boxoffice/core";
import { ticketTypesOf } from "@boxoffice/db";
import type { LiveFeed, LiveView, SeatMapView, UserSeats } from "@boxoffice/engine";
import { tracked } from "@trpc/server";
import { mayManage, visibleEvent } from "../access.ts";
import { availabilityDto, publicAvailability } from "../dto/event.ts";
import {
  compactSeatMap,
  mineDto,
  type SeatChangeDto,
  seatChanges,
  statusName,
} from "../dto/seat-map.ts";
import { eventIdInput } from "../schemas/events.ts";
import { publicProcedure } from "../trpc.ts";

/** `events.availability`: the current availability at once, then one after every change. */
export const availabilityProcedure = publicProcedure
  .input(eventIdInput)
  .subscription(({ ctx, input, signal }) => {
    // Refusals happen here, before streaming starts, so they reach the client as errors.
    const event = visibleEvent(ctx, ctx.user, input.eventId);
    const feed = ctx.engine.live(event.id, signal);
    // Hidden types count for the organizer only (read once: types change rarely, if ever, live).
    const types = mayManage(ctx.user, event.organizerId) ? [] : ticketTypesOf(ctx.db, event.id);
    const message = (view: LiveView) =>
      tracked(
        String(view.version),
        availabilityDto(
          event.id,
          publicAvailability(view.availability, types, event.capacity),
          ctx.clock.now(),
        ),
      );
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
 * A signed-in subscriber's own seats are named: `mine` in the snapshot, `mine: true` on a change
 * that makes a seat theirs (one owner look-up per changed seat).
 */
export const seatMapChangesProcedure = publicProcedure
  .input(eventIdInput)
  .subscription(({ ctx, input, signal }) => {
    const event = visibleEvent(ctx, ctx.user, input.eventId);
    const feed = ctx.engine.live(event.id, signal);
    const current = feed.current();
    const first = current.seatMap;
    if (!first) {
      feed.close();
      throw new NotFoundError("This event has no seat map");
    }
    const userId = ctx.user?.id ?? null;
    const mine = userId === null ? null : current.seatsOf(userId);
    return seatChangeStream(feed, first, userId, mine);
  });

async function* seatChangeStream(
  feed: LiveFeed,
  first: SeatMapView,
  userId: string | null,
  mine: UserSeats | null,
) {
  try {
    let last = first.statuses;
    yield tracked(String(first.version), {
      type: "snapshot" as const,
      seatMap: { ...compactSeatMap(first), mine: mineDto(mine) },
    });
    const changesOf = subscriberChanges(first.seating, userId, mine);
    for await (const view of feed) {
      if (!view.seatMap) continue;
      const changes = changesOf(view, last, view.seatMap.statuses);
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

/**
 * What one subscriber is told: every seat whose status changed, `mine` when it is now theirs;
 * and, for a signed-in one, their seats that passed to someone else without a status change in
 * between (released and held again within one coalescing window). Costs one owner look-up per
 * changed seat and per seat of theirs.
 */
function subscriberChanges(seating: Seating, userId: string | null, mine: UserSeats | null) {
  const owned = new Set<number>();
  for (const id of [...(mine?.held ?? []), ...(mine?.booked ?? [])]) {
    const n = seating.numberOf.get(id);
    if (n !== undefined) owned.add(n);
  }
  return (view: LiveView, before: Uint8Array, after: Uint8Array): SeatChangeDto[] => {
    if (userId === null) return seatChanges(seating, before, after);
    const changes = seatChanges(seating, before, after, (n) => view.ownsSeat(userId, n));
    for (const n of owned) {
      if (after[n] === before[n] && !view.ownsSeat(userId, n)) {
        changes.push({ seatId: seating.ids[n] as string, status: statusName(after[n] ?? 0) });
      }
    }
    for (const change of changes) {
      const n = seating.numberOf.get(change.seatId);
      if (n !== undefined && change.mine) owned.add(n);
      else if (n !== undefined) owned.delete(n);
    }
    return changes;
  };
}
