import { availability, type EventState } from "@boxoffice/core";
import { TRPCError, tracked } from "@trpc/server";
import { z } from "zod";
import { availabilityDto } from "../dto/event.ts";
import { cachedSeatStatuses, compactSeatMap, seatChanges } from "../dto/seat-map.ts";
import type { EventActor } from "../engine/registry.ts";
import { type Context, publicProcedure } from "../trpc.ts";

/** At most this many availability messages per second per subscriber. */
const DEBOUNCE_MS = 250;

/**
 * The actor's state after each committed change, coalesced over DEBOUNCE_MS, until `signal`
 * aborts. It subscribes before it returns, so a caller that reads the state first and then
 * iterates misses nothing in between; `close()` unsubscribes even if iteration never started.
 */
function committedStates(ctx: Context, actor: EventActor, signal: AbortSignal | undefined) {
  let wake: (() => void) | null = null;
  let changed = false;
  const unsubscribe = ctx.registry.subscribe(actor.key, () => {
    changed = true;
    wake?.();
  });
  const aborted = new Promise<void>((resolve) =>
    signal?.addEventListener("abort", () => resolve(), { once: true }),
  );
  async function* states(): AsyncGenerator<EventState> {
    try {
      while (!signal?.aborted) {
        if (!changed) {
          await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
          wake = null;
          if (signal?.aborted) break;
        }
        await Promise.race([Bun.sleep(DEBOUNCE_MS), aborted]);
        changed = false;
        yield actor.state;
      }
    } finally {
      unsubscribe();
    }
  }
  return Object.assign(states(), { close: unsubscribe });
}

/**
 * `events.availability`: the current availability at once, then one after every committed change,
 * coalesced. It listens before it reads, so no change between the two is missed; the tracked id
 * is the actor's version, which only grows.
 */
export const availabilityProcedure = publicProcedure
  .input(z.object({ eventId: z.string().trim().min(1).max(64) }))
  .subscription(async function* ({ ctx, input, signal }) {
    const actor = visibleActor(ctx, input.eventId);
    const changes = committedStates(ctx, actor, signal);
    const emit = (state: EventState) =>
      tracked(
        String(state.version),
        availabilityDto(input.eventId, availability(state), ctx.clock.now()),
      );
    try {
      yield emit(actor.state);
      for await (const state of changes) yield emit(state);
    } finally {
      changes.close();
    }
  });

/** The event's actor if the caller may see the event (drafts only to their organizer). */
function visibleActor(ctx: Context, eventId: string): EventActor {
  const actor = ctx.registry.get(eventId);
  const visible =
    actor &&
    (actor.state.config.status !== "draft" ||
      ctx.user?.id === actor.state.config.organizerId ||
      ctx.user?.role === "admin");
  if (!actor || !visible) throw new TRPCError({ code: "NOT_FOUND", message: "No such event" });
  return actor;
}

/**
 * `events.seatMapChanges`: a seated event's compact seat map at once, then, after every committed
 * change (coalesced like availability), the seats whose status changed since the last message.
 * The diff is over per-state status arrays (one byte a seat, built once per state and shared by
 * all subscribers), so it costs microseconds even for 20,000 seats.
 */
export const seatMapChangesProcedure = publicProcedure
  .input(z.object({ eventId: z.string().trim().min(1).max(64) }))
  .subscription(async function* ({ ctx, input, signal }) {
    const actor = visibleActor(ctx, input.eventId);
    const seating = actor.state.seating;
    if (!seating) throw new TRPCError({ code: "NOT_FOUND", message: "This event has no seat map" });
    const changes = committedStates(ctx, actor, signal);
    try {
      let last = cachedSeatStatuses(actor.state);
      yield tracked(String(actor.state.version), {
        type: "snapshot" as const,
        seatMap: compactSeatMap(actor.state),
      });
      for await (const state of changes) {
        const now = cachedSeatStatuses(state);
        const changed = seatChanges(seating, last, now);
        last = now;
        if (changed.length === 0) continue;
        yield tracked(String(state.version), {
          type: "changes" as const,
          eventId: input.eventId,
          version: state.version,
          changes: changed,
        });
      }
    } finally {
      changes.close();
    }
  });
