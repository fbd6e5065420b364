import { randomBytes } from "node:crypto";
import {
  Actor,
  type ActorOptions,
  type Clock,
  type EventCommand,
  type EventEvent,
  type EventReplies,
  type EventState,
  eventBehavior,
  initialState,
  type Journal,
  OverloadedError,
  roomDrawDue,
  roomInUse,
  roomOf,
  ticketCodes,
} from "@boxoffice/core";
import { type Db, loadEvent } from "@boxoffice/db";
import type { RoomPresence } from "./room-presence.ts";

export type EventActor = Actor<EventState, EventCommand, EventEvent, EventReplies>;

export type ChangeListener = (state: EventState, events: readonly EventEvent[]) => void;

export interface RegistryOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly journal: Journal<EventEvent>;
  /** Commands decided and committed together; 1 commits each command on its own. */
  readonly maxBatch?: number;
  readonly mailboxSize?: number;
  /** An actor with no live holds, idle this long, is dropped from memory. */
  readonly idleMs?: number;
  /** Commands of one buyer that may wait in an event's mailbox at once (fairness). */
  readonly perBuyerQueued?: number;
  /** Errors an actor caught outside any command (a listener or timer that threw). */
  readonly onError?: (eventId: string, error: unknown) => void;
  /** Who in each room is present; none: everyone is (no entry ever lapses). */
  readonly presence?: RoomPresence;
}

/** Commands after which the actor serves its waitlist (they may free tickets). */
const FREEING = new Set<EventCommand["type"]>([
  "CancelBooking",
  "ExpireHolds",
  "ReleaseHold",
  "Reconfigure",
  "LeaveWaitlist",
  "OfferNext",
  "Tick",
]);

/**
 * Gives a command that may serve an auto-mode waitlist the ticket codes the pure decider cannot
 * draw: exactly enough for every waiting request, against the state it will be decided on, and
 * none at all (no cost) when the event has no auto-mode waiters. Runs for the timer's sweep too.
 */
export function withWaitlistCodes(command: EventCommand, state: EventState): EventCommand {
  const { waitlist } = state.config;
  if (!FREEING.has(command.type) || !waitlist.enabled || waitlist.mode !== "auto") return command;
  if ("codes" in command && command.codes !== undefined) return command;
  let wanted = 0;
  for (const entry of state.waitlist.values()) {
    if (entry.state === "waiting") wanted += entry.quantity;
  }
  return wanted === 0 ? command : ({ ...command, codes: ticketCodes(wanted) } as EventCommand);
}

/**
 * Gives the timer's Tick what the pure decider cannot know about the room: a secure random
 * 128-bit seed when the lottery is due, and the waiting entries whose buyer has not been seen for
 * the room's grace period. Neither costs anything for an event whose room is not in use.
 */
export function withRoomInputs(
  command: EventCommand,
  state: EventState,
  now: number,
  presence: RoomPresence | undefined,
): EventCommand {
  if (command.type !== "Tick" || !roomInUse(state, now)) return command;
  const seed =
    command.seed === undefined && roomDrawDue(state, now) ? randomBytes(16).toString("hex") : null;
  const graceMs = roomOf(state.config).graceSeconds * 1000;
  const absent =
    command.absent === undefined && presence && state.room.queue.size > 0
      ? presence.absent(state.config.id, state.room, graceMs)
      : [];
  if (seed === null && absent.length === 0) return command;
  return {
    ...command,
    ...(seed === null ? {} : { seed }),
    ...(absent.length === 0 ? {} : { absent }),
  };
}

/** Who a command is from, for the mailbox's fairness between buyers (none for the system's). */
const buyerOf = (command: EventCommand): string | null =>
  "userId" in command ? command.userId : null;

/**
 * One actor per event, created on first use from what SQLite holds and dropped when idle.
 * Lookups are synchronous: loading is a handful of indexed reads on the same connection.
 */
export class EventRegistry {
  private readonly actors = new Map<string, EventActor>();
  private readonly listeners = new Map<string, Set<ChangeListener>>();
  private stopped = false;
  /** One options object for every actor: an idle actor carries no closures of its own. */
  private readonly actorOptions: ActorOptions<EventState, EventEvent, EventCommand>;

  constructor(private readonly options: RegistryOptions) {
    this.actorOptions = {
      clock: options.clock,
      journal: options.journal,
      maxBatch: options.maxBatch,
      mailboxSize: options.mailboxSize,
      prepare: (command, state) =>
        withRoomInputs(
          withWaitlistCodes(command, state),
          state,
          options.clock.now(),
          options.presence,
        ),
      keyOf: buyerOf,
      perKeyQueued: options.perBuyerQueued,
      onCommitted: (state, events, eventId) => this.notify(eventId, state, events),
      onError: (error, eventId) => options.onError?.(eventId, error),
    };
  }

  get size(): number {
    return this.actors.size;
  }

  /** The event's actor, loading it if needed; null when there is no such event. */
  get(eventId: string): EventActor | null {
    const existing = this.actors.get(eventId);
    if (existing) return existing;
    if (this.stopped) return null;
    const now = this.options.clock.now();
    const loaded = loadEvent(this.options.db, eventId, now);
    if (!loaded) return null;
    // Entries not seen since this process started count as seen now: a fresh grace after a
    // restart. A room with no live entry has nobody to give it to, and keeps no mark at all.
    if (loaded.room?.entries.length) this.options.presence?.loaded(eventId);
    const actor: EventActor = new Actor(
      eventId,
      initialState(loaded),
      eventBehavior,
      this.actorOptions,
    );
    this.actors.set(eventId, actor);
    return actor;
  }

  /** The actor only if it is already in memory: reads never load one. */
  peek(eventId: string): EventActor | undefined {
    return this.actors.get(eventId);
  }

  /** Hears every committed change of one event. Returns the unsubscribe function. */
  subscribe(eventId: string, listener: ChangeListener): () => void {
    let set = this.listeners.get(eventId);
    if (!set) {
      set = new Set();
      this.listeners.set(eventId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(eventId);
    };
  }

  /**
   * Drops actors that are idle, hold nothing live, have nobody on their waitlist, no room in use
   * (its timer draws, admits and expires) and nobody listening. Returns how many.
   */
  evictIdle(): number {
    const cutoff = this.options.clock.now() - (this.options.idleMs ?? 60_000);
    let evicted = 0;
    for (const [eventId, actor] of this.actors) {
      if (!actor.idle || actor.lastActiveAt > cutoff) continue;
      // An actor with waiters stays: its waitlistLength is what events.get shows.
      const { holds, waitlist, room } = actor.state;
      if (holds.size > 0 || waitlist.size > 0 || this.listeners.has(eventId)) continue;
      // A room with people in it, or one still to draw, needs its actor's timer.
      if (room.queue.size > 0 || room.admitted.size > 0) continue;
      if (roomInUse(actor.state, this.options.clock.now())) continue;
      void actor.stop();
      this.actors.delete(eventId);
      evicted += 1;
    }
    return evicted;
  }

  /**
   * Runs `change` (synchronous) with no actor of this event in memory, so that no command of the
   * event is decided while `change` rewrites its rows: once a loaded actor is idle, it leaves the
   * registry in the same turn as `change` runs, if `unload` accepts its state. If not, the actor
   * stays (its timers too) and `change` runs anyway: it must then refuse by itself, as the rows
   * say the same as the actor's committed state. Waits at most `maxWaitMs` for a busy actor.
   */
  async withoutActor<T>(
    eventId: string,
    unload: (state: EventState) => boolean,
    change: () => T,
    maxWaitMs = 5_000,
  ): Promise<T> {
    for (let waited = 0; ; waited += 10) {
      const actor = this.actors.get(eventId);
      if (!actor) return change();
      if (actor.idle) {
        if (unload(actor.state)) {
          this.actors.delete(eventId);
          void actor.stop();
        }
        return change();
      }
      if (waited >= maxWaitMs) throw new OverloadedError("This event is busy; try again");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Stops taking commands and waits for every mailbox to drain. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.actors.values()].map((actor) => actor.stop()));
    this.actors.clear();
  }

  private notify(eventId: string, state: EventState, events: readonly EventEvent[]): void {
    const set = this.listeners.get(eventId);
    if (!set) return;
    for (const listener of set) listener(state, events);
  }
}
