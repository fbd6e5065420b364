import type { Behavior } from "../actor/actor.ts";
import { decide } from "./decide.ts";
import { evolve } from "./evolve.ts";
import { roomNextWake } from "./room.ts";
import { earliestExpiry } from "./state.ts";
import type { EventCommand, EventEvent, EventState } from "./types.ts";

/** The earliest of two instants, either of which may be missing. */
const earliest = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.min(a, b);

/** When the next hold expires, given the wake-up already scheduled (a bound on it) and new holds. */
function holdWake(
  state: EventState,
  events: readonly EventEvent[],
  scheduled: number | null,
): number | null {
  // Nothing held, nothing to expire: the timer goes (an idle event keeps none). Otherwise only a
  // new hold can bring the next expiry forward; other removals merely make a wake-up idle. A
  // scheduled wake-up that fires rescans (it comes back with `scheduled` null), so none is lost.
  if (state.holds.size === 0) return null;
  if (scheduled === null) return earliestExpiry(state);
  let next = scheduled;
  for (const event of events) {
    const placed =
      event.type === "HoldPlaced" || event.type === "WaitlistOffered" ? event.hold : null;
    if (placed && placed.expiresAt < next) next = placed.expiresAt;
  }
  return next;
}

/** The event actor: the decider plus when it needs waking (holds expire, the room moves on). */
export const eventBehavior: Behavior<EventState, EventCommand, EventEvent> = {
  decide,
  evolve,
  nextWake(state, events, scheduled, now) {
    return earliest(holdWake(state, events, scheduled), roomNextWake(state, now));
  },
  // Without codes an auto-mode waitlist served by the sweep gets offers instead of bookings;
  // the API's registry draws codes for it through the actor's `prepare` option.
  wakeCommand: { type: "Tick" },
};
