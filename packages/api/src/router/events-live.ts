import { availability, type EventState } from "@boxoffice/core";
import { TRPCError, tracked } from "@trpc/server";
import { z } from "zod";
import { availabilityDto } from "../dto/event.ts";
import { publicProcedure } from "../trpc.ts";

/** At most this many availability messages per second per subscriber. */
const DEBOUNCE_MS = 250;

/**
 * `events.availability`: the current availability at once, then one after every committed change,
 * coalesced. It listens before it reads, so no change between the two is missed; the tracked id
 * is the actor's version, which only grows.
 */
export const availabilityProcedure = publicProcedure
  .input(z.object({ eventId: z.string().trim().min(1).max(64) }))
  .subscription(async function* ({ ctx, input, signal }) {
    const actor = ctx.registry.get(input.eventId);
    const visible =
      actor &&
      (actor.state.config.status !== "draft" ||
        ctx.user?.id === actor.state.config.organizerId ||
        ctx.user?.role === "admin");
    if (!actor || !visible) throw new TRPCError({ code: "NOT_FOUND", message: "No such event" });

    let wake: (() => void) | null = null;
    let changed = false;
    const unsubscribe = ctx.registry.subscribe(input.eventId, () => {
      changed = true;
      wake?.();
    });
    const aborted = new Promise<void>((resolve) =>
      signal?.addEventListener("abort", () => resolve(), { once: true }),
    );
    const emit = (state: EventState) =>
      tracked(
        String(state.version),
        availabilityDto(input.eventId, availability(state), ctx.clock.now()),
      );
    try {
      yield emit(actor.state);
      while (!signal?.aborted) {
        if (!changed) {
          await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
          wake = null;
          if (signal?.aborted) break;
        }
        await Promise.race([Bun.sleep(DEBOUNCE_MS), aborted]);
        changed = false;
        yield emit(actor.state);
      }
    } finally {
      unsubscribe();
    }
  });
