/**
 * The room's live feed: one per event however many watch it. It hears the actor's committed
 * changes once, coalesces them to at most one per `intervalMs` (the first change after a quiet
 * second goes out at once), warms the positions of the whole queue once per change after the
 * draw (core's cache, O(n)), and hands the new state to every watcher, each of which then builds its own
 * message in O(1). A watcher that is slow to read just gets the latest state when it reads.
 *
 * Sending one change to every watcher costs CPU in proportion to how many watch (tRPC's SSE path
 * is tens of microseconds a message: a second and more for 20,000). So the interval stretches to
 * FANOUT_SHARE⁻¹ times what the last fan-out took, from the flush until every watcher had read:
 * the buyers' updates never take more than about a third of the server, whatever the crowd.
 */
import { type EventState, queuePositions } from "@boxoffice/core";
import type { EventActor, EventRegistry } from "./registry.ts";

interface Watcher {
  /** The latest state not yet read; null when the watcher is up to date. */
  pending: EventState | null;
  wake: (() => void) | null;
  /** Woken by the last flush and not yet back for more: the fan-out is still going on. */
  busy: boolean;
}

/** At most this share of the time goes to fanning changes out (see the header). */
const FANOUT_SHARE = 1 / 3;

class RoomFeed {
  readonly watchers = new Set<Watcher>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastFlush = 0;
  /** Watchers the last flush woke that have not read yet, and when that flush began. */
  private outstanding = 0;
  private flushedAt = 0;
  /** What the last complete fan-out took. */
  private lastFanoutMs = 0;
  private readonly unsubscribe: () => void;

  constructor(
    registry: EventRegistry,
    private readonly actor: EventActor,
    private readonly intervalMs: number,
  ) {
    this.unsubscribe = registry.subscribe(actor.key, () => this.changed());
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.unsubscribe();
  }

  private changed(): void {
    if (this.timer) return;
    const interval = Math.max(this.intervalMs, this.lastFanoutMs / FANOUT_SHARE);
    const wait = Math.max(0, this.lastFlush + interval - performance.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = null;
    this.lastFlush = performance.now();
    this.flushedAt = this.lastFlush;
    const state = this.actor.state;
    // Positions are shown only after the draw; before it, numbering the queue is wasted work.
    if (state.room.drawnAt !== null) queuePositions(state.room);
    this.outstanding = 0;
    for (const watcher of this.watchers) {
      watcher.pending = state;
      if (!watcher.busy) this.outstanding += 1;
      watcher.busy = true;
      watcher.wake?.();
    }
    if (this.outstanding === 0) this.lastFanoutMs = performance.now() - this.flushedAt;
  }

  /** A watcher has sent what the last flush gave it (or left). */
  done(watcher: Watcher): void {
    if (!watcher.busy) return;
    watcher.busy = false;
    this.outstanding -= 1;
    if (this.outstanding === 0) this.lastFanoutMs = performance.now() - this.flushedAt;
  }
}

export class RoomFeeds {
  private readonly feeds = new Map<string, RoomFeed>();

  constructor(
    private readonly registry: EventRegistry,
    private readonly intervalMs: number,
  ) {}

  /** Watchers of every room (for tests and the bench). */
  get watching(): number {
    let n = 0;
    for (const feed of this.feeds.values()) n += feed.watchers.size;
    return n;
  }

  /**
   * The actor's state after each coalesced committed change, until `signal` aborts or `close()`.
   * It listens from the call on, so nothing is missed between the caller's first read of
   * `actor.state` and its first step; `close()` stops listening even if it never stepped.
   */
  watch(actor: EventActor, signal: AbortSignal | undefined): RoomWatch {
    let feed = this.feeds.get(actor.key);
    if (!feed) {
      feed = new RoomFeed(this.registry, actor, this.intervalMs);
      this.feeds.set(actor.key, feed);
    }
    const watcher: Watcher = { pending: null, wake: null, busy: false };
    feed.watchers.add(watcher);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      watcher.wake?.();
      const current = this.feeds.get(actor.key);
      if (!current) return;
      current.done(watcher);
      current.watchers.delete(watcher);
      if (current.watchers.size === 0) {
        current.close();
        this.feeds.delete(actor.key);
      }
    };
    signal?.addEventListener("abort", close, { once: true });
    if (signal?.aborted) close();
    async function* states(): AsyncGenerator<EventState> {
      try {
        while (!closed) {
          if (watcher.pending === null) {
            // Back for more with nothing new: what the last flush gave has been sent.
            feed?.done(watcher);
            await new Promise<void>((resolve) => (watcher.wake = resolve));
            watcher.wake = null;
            if (closed) break;
          }
          const state = watcher.pending;
          watcher.pending = null;
          if (state) yield state;
        }
      } finally {
        close();
      }
    }
    const iterator = states();
    return { close, [Symbol.asyncIterator]: () => iterator };
  }
}

export interface RoomWatch extends AsyncIterable<EventState> {
  close(): void;
}
