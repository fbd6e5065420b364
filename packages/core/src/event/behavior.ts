import type { Behavior } from "../actor/actor.ts";
import { decide } from "./decide.ts";
import { evolve } from "./evolve.ts";
import { earliestExpiry } from "./state.ts";
import type { EventCommand, EventEvent, EventState } from "./types.ts";

/** The event actor: the decider plus when it needs waking to expire holds. */
export const eventBehavior: Behavior<EventState, EventCommand, EventEvent> = {
  decide,
  evolve,
  nextWake(state, events, scheduled) {
    // Only a new hold can bring the next expiry forward; removals merely make a wake-up idle.
    if (scheduled === null) return earliestExpiry(state);
    let next = scheduled;
    for (const event of events) {
      const placed =
        event.type === "HoldPlaced" || event.type === "WaitlistOffered" ? event.hold : null;
      if (placed && placed.expiresAt < next) next = placed.expiresAt;
    }
    return next;
  },
  // Without codes an auto-mode waitlist served by the sweep gets offers instead of bookings;
  // the API's registry draws codes for it through the actor's `prepare` option.
  wakeCommand: { type: "ExpireHolds" },
};
