/**
 * Committed changes of one event as a stream of views, for live subscriptions. It listens before
 * it reads, so a caller that takes `current()` first and then iterates misses nothing in between;
 * changes are coalesced over `debounceMs`; `close()` stops listening even if iteration never
 * started.
 */
import { type Availability, availability, type EventState } from "@boxoffice/core";
import type { EventActor, EventRegistry } from "./registry.ts";
import {
  type SeatMapView,
  seatMapOfState,
  seatsOfUserInState,
  seatUserOfState,
  type UserSeats,
} from "./views.ts";

export interface LiveView {
  /** Only grows: a subscription's tracked id. */
  readonly version: number;
  readonly availability: Availability;
  /** A seated event's seats; null for one sold by ticket type. */
  readonly seatMap: SeatMapView | null;
  /** The seats this user holds or has booked in this state. */
  seatsOf(userId: string): UserSeats;
  /** Whether seat number `n` is held or booked by this user in this state. */
  ownsSeat(userId: string, n: number): boolean;
}

export interface LiveFeed extends AsyncIterable<LiveView> {
  current(): LiveView;
  close(): void;
}

const viewOf = (state: EventState): LiveView => ({
  version: state.version,
  availability: availability(state),
  seatMap: seatMapOfState(state),
  seatsOf: (userId) => seatsOfUserInState(state, userId),
  ownsSeat: (userId, n) => seatUserOfState(state, n) === userId,
});

export function liveFeed(
  registry: EventRegistry,
  actor: EventActor,
  signal: AbortSignal | undefined,
  debounceMs: number,
): LiveFeed {
  let wake: (() => void) | null = null;
  let changed = false;
  const unsubscribe = registry.subscribe(actor.key, () => {
    changed = true;
    wake?.();
  });
  const aborted = new Promise<void>((resolve) =>
    signal?.addEventListener("abort", () => resolve(), { once: true }),
  );
  async function* views(): AsyncGenerator<LiveView> {
    try {
      while (!signal?.aborted) {
        if (!changed) {
          await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
          wake = null;
          if (signal?.aborted) break;
        }
        await Promise.race([Bun.sleep(debounceMs), aborted]);
        changed = false;
        yield viewOf(actor.state);
      }
    } finally {
      unsubscribe();
    }
  }
  const iterator = views();
  return {
    current: () => viewOf(actor.state),
    close: unsubscribe,
    [Symbol.asyncIterator]: () => iterator,
  };
}
