import type { Clock, Timer } from "../clock.ts";
import { CommitFailedError, OverloadedError } from "../errors.ts";

export interface Command {
  readonly type: string;
}

/** The pure part of an actor: how it decides and how its state moves. */
export interface Behavior<S, C extends Command, E> {
  decide(
    state: S,
    command: C,
    now: number,
  ): { readonly events: readonly E[]; readonly reply: unknown };
  evolve(state: S, event: E): S;
  /**
   * When the actor next wants `wakeCommand`, given the events just adopted and the wake-up already
   * scheduled (null when none is, or it just fired) and the clock's `now`. Lets the behaviour avoid
   * a full scan per batch. A wake-up at or before `now` runs at once: return one only when there
   * is work to do then, or the actor spins.
   */
  nextWake(state: S, events: readonly E[], scheduled: number | null, now: number): number | null;
  readonly wakeCommand: C;
}

/** Where adopted events go before anyone is answered. Resolves once they are durable. */
export interface Journal<E> {
  commit(actorKey: string, events: readonly E[]): Promise<void>;
}

export interface ActorOptions<S, E, C = Command> {
  readonly clock: Clock;
  readonly journal: Journal<E>;
  /** Commands waiting beyond this are refused at once (backpressure), never queued without end. */
  readonly mailboxSize?: number;
  /** Commands decided together and committed in one go. 1 means one commit per command. */
  readonly maxBatch?: number;
  /** Wake-ups are rounded up to this granularity so that expiries are swept together. */
  readonly wakeGranularityMs?: number;
  /**
   * Completes a command just before it is decided, against the state it will be decided on: for
   * what the pure decider cannot make itself (random ticket codes, sized to what it may need).
   * Applies to the timer's wake command too.
   */
  readonly prepare?: (command: C, state: S) => C;
  /**
   * Who a command is from, for fairness: at most `perKeyQueued` commands of one key wait in the
   * mailbox at once, so one sender's flood cannot take every place from the others.
   */
  readonly keyOf?: (command: C) => string | null;
  readonly perKeyQueued?: number;
  /**
   * Called after each adopted batch with events; subscribers hear only of committed changes.
   * Given the actor's key, so that one options object can serve every actor (an idle actor then
   * carries no closures of its own).
   */
  readonly onCommitted?: (state: S, events: readonly E[], actorKey: string) => void;
  /**
   * Hears of failures that no caller can be told about (a throwing `onCommitted` or `nextWake`).
   * They are contained so that the actor keeps serving its mailbox.
   */
  readonly onError?: (error: unknown, actorKey: string) => void;
}

interface Envelope<C> {
  readonly command: C;
  readonly key: string | null;
  readonly resolve: (reply: unknown) => void;
  readonly reject: (error: unknown) => void;
}

const noop = () => {};

type ReplyOf<C extends Command, R extends Record<C["type"], unknown>, K extends C> = R[K["type"]];

/**
 * One actor: a bounded FIFO mailbox applied in arrival order. Each turn drains a batch, decides
 * every command against the evolving draft, commits all resulting events at once, and only then
 * adopts the draft and answers. A failed commit leaves the state as it was and fails the batch.
 */
export class Actor<S, C extends Command, E, R extends Record<C["type"], unknown>> {
  private committed: S;
  private readonly mailbox: Envelope<C>[] = [];
  private running = false;
  private stopping = false;
  private timer: Timer | null = null;
  private wakeAt: number | null = null;
  private drained: (() => void)[] = [];
  private lastActive: number;
  /** The timer has put the wake-up command in the mailbox and no turn has run it yet. */
  private wakeQueued = false;
  /** Commands waiting in the mailbox per sender key; null while none waits (most actors, idle). */
  private queuedByKey: Map<string, number> | null = null;

  constructor(
    readonly key: string,
    initial: S,
    private readonly behavior: Behavior<S, C, E>,
    private readonly options: ActorOptions<S, E, C>,
  ) {
    this.committed = initial;
    this.lastActive = options.clock.now();
    this.schedule(behavior.nextWake(initial, [], null, this.lastActive));
  }

  /** The last committed state: what every answered command has seen. */
  get state(): S {
    return this.committed;
  }

  /** No command waiting or being applied. */
  get idle(): boolean {
    return !this.running && this.mailbox.length === 0;
  }

  get lastActiveAt(): number {
    return this.lastActive;
  }

  /** Whether the wake-up command is due at `now`: the next turn runs it before anything else. */
  wakeDue(now: number): boolean {
    return this.wakeQueued || (this.wakeAt !== null && this.wakeAt <= now);
  }

  ask<K extends C>(command: K): Promise<ReplyOf<C, R, K>> {
    if (this.stopping) return Promise.reject(new OverloadedError("The server is shutting down"));
    if (this.mailbox.length >= (this.options.mailboxSize ?? 10_000)) {
      return Promise.reject(new OverloadedError("Too many requests for this event; try again"));
    }
    const key = this.options.keyOf?.(command) ?? null;
    if (key !== null && (this.queuedByKey?.get(key) ?? 0) >= (this.options.perKeyQueued ?? 32)) {
      return Promise.reject(
        new OverloadedError("Too many of your requests are waiting for this event; try again"),
      );
    }
    return this.enqueue(command, key) as Promise<ReplyOf<C, R, K>>;
  }

  /** Refuses new commands, lets queued ones finish, and drops the timer. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.timer?.cancel();
    this.timer = null;
    if (this.idle) return;
    await new Promise<void>((resolve) => this.drained.push(resolve));
  }

  private enqueue(command: C, key: string | null): Promise<unknown> {
    if (key !== null) {
      this.queuedByKey ??= new Map();
      this.queuedByKey.set(key, (this.queuedByKey.get(key) ?? 0) + 1);
    }
    return new Promise((resolve, reject) => {
      this.mailbox.push({ command, key, resolve, reject });
      if (!this.running) {
        this.running = true;
        queueMicrotask(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.mailbox.length > 0) {
      const batch = this.mailbox.splice(0, this.options.maxBatch ?? 512);
      for (const { key } of batch) if (key !== null) this.leave(key);
      try {
        await this.turn(batch);
      } catch (error) {
        // Never leave the actor "running" with a wedged mailbox; settled envelopes ignore this.
        for (const envelope of batch) envelope.reject(error);
        this.options.onError?.(error, this.key);
      }
    }
    this.running = false;
    this.lastActive = this.options.clock.now();
    for (const resolve of this.drained.splice(0)) resolve();
  }

  private leave(key: string): void {
    const queued = this.queuedByKey;
    if (!queued) return;
    const left = (queued.get(key) ?? 1) - 1;
    if (left > 0) queued.set(key, left);
    else queued.delete(key);
    if (queued.size === 0) this.queuedByKey = null;
  }

  /** Decides one command and evolves a copy of the draft: all of its events, or none. */
  private decideOne(
    draft: S,
    command: C,
    now: number,
  ): { draft: S; events: readonly E[]; reply: unknown } {
    const decision = this.behavior.decide(draft, command, now);
    let next = draft;
    for (const event of decision.events) next = this.behavior.evolve(next, event);
    return { draft: next, events: decision.events, reply: decision.reply };
  }

  private async turn(batch: Envelope<C>[]): Promise<void> {
    const now = this.options.clock.now();
    let draft = this.committed;
    const events: E[] = [];
    const outcomes: { envelope: Envelope<C>; reply: unknown; failed: boolean }[] = [];
    // What is due is done before anything is decided: a hold past its deadline frees its tickets
    // for this very batch, even if the timer (rounded up, or not yet run after a restart) has not
    // fired. The wake-up runs as the batch's first command, answered to nobody.
    if (batch.some((e) => e.command === this.behavior.wakeCommand)) this.wakeQueued = false;
    const woke = this.wakeAt !== null && this.wakeAt <= now;
    if (woke) {
      this.timer?.cancel();
      this.timer = null;
      this.wakeAt = null;
      batch.unshift({ command: this.behavior.wakeCommand, key: null, resolve: noop, reject: noop });
    }
    for (const envelope of batch) {
      try {
        const command = this.options.prepare?.(envelope.command, draft) ?? envelope.command;
        const decided = this.decideOne(draft, command, now);
        draft = decided.draft;
        events.push(...decided.events);
        outcomes.push({ envelope, reply: decided.reply, failed: decided.reply instanceof Error });
      } catch (error) {
        // A bug in one decision must not take the batch down: that command alone fails, and none
        // of its events (not even those evolved before the throw) reach the draft or the journal.
        outcomes.push({ envelope, reply: error, failed: true });
      }
    }
    if (events.length > 0) {
      try {
        await this.options.journal.commit(this.key, events);
      } catch (cause) {
        const error = new CommitFailedError("The change could not be saved; nothing was changed", {
          cause,
        });
        for (const { envelope } of outcomes) envelope.reject(error);
        // The wake-up it carried did not happen: try again shortly.
        if (woke) this.schedule(now + 1000);
        return;
      }
    }
    this.committed = draft;
    for (const { envelope, reply, failed } of outcomes) {
      if (failed) envelope.reject(reply);
      else envelope.resolve(reply);
    }
    if (events.length === 0 && !woke) return;
    if (events.length > 0) {
      try {
        this.options.onCommitted?.(draft, events, this.key);
      } catch (error) {
        this.options.onError?.(error, this.key);
      }
    }
    try {
      this.schedule(this.behavior.nextWake(draft, events, this.wakeAt, now));
    } catch (error) {
      this.options.onError?.(error, this.key);
    }
  }

  private schedule(at: number | null): void {
    if (this.stopping || at === this.wakeAt) return;
    this.timer?.cancel();
    this.timer = null;
    this.wakeAt = at;
    if (at === null) return;
    const step = this.options.wakeGranularityMs ?? 100;
    const due = Math.ceil(at / step) * step;
    this.timer = this.options.clock.setTimer(due, () => {
      this.timer = null;
      this.wakeAt = null;
      // Internal: bypasses the mailbox bound, since it frees capacity rather than taking it.
      // Whatever the sweep found (or if it failed), look again for the next deadline.
      const rearm = (retryAfterMs: number) => () => {
        if (this.wakeAt !== null) return;
        const next = this.behavior.nextWake(this.committed, [], null, this.options.clock.now());
        this.schedule(
          next === null ? null : Math.max(next, this.options.clock.now() + retryAfterMs),
        );
      };
      this.wakeQueued = true;
      this.enqueue(this.behavior.wakeCommand, null).then(rearm(0), rearm(1000));
    });
  }
}
