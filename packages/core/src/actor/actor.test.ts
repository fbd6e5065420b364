import { describe, expect, it } from "bun:test";
import { ManualClock } from "../clock.ts";
import { CommitFailedError, DomainError, OverloadedError } from "../errors.ts";
import { eventBehavior } from "../event/behavior.ts";
import {
  bookTickets,
  enterRoom,
  eventConfig,
  items,
  placeHold,
  roomConfig,
  SEED,
} from "../event/fixtures.ts";
import { roomDrawDue } from "../event/room.ts";
import { ROOM_LIMITS } from "../event/room-types.ts";
import { snapshot } from "../event/snapshot.ts";
import { initialState } from "../event/state.ts";
import type { EventCommand, EventEvent, EventReplies, EventState, Hold } from "../event/types.ts";
import { Actor, type ActorOptions, type Behavior, type Journal } from "./actor.ts";

// ---------------------------------------------------------------------------------------------
// A counter: the smallest behaviour that shows what the runtime does.

type CounterCommand =
  | { type: "Add"; n: number }
  | { type: "Refuse" }
  | { type: "Throw" }
  /** Two events, the second of which evolve() chokes on. */
  | { type: "Poison" }
  | { type: "Tick" };
type CounterEvent = { n: number };
interface CounterReplies {
  Add: number;
  Refuse: never;
  Throw: never;
  Poison: never;
  Tick: number;
}

const counter: Behavior<number, CounterCommand, CounterEvent> = {
  decide(state, command) {
    switch (command.type) {
      case "Add":
        return { events: [{ n: command.n }], reply: state + command.n };
      case "Refuse":
        return { events: [], reply: new DomainError("SOLD_OUT", "no") };
      case "Throw":
        throw new Error("decide blew up");
      case "Poison":
        return { events: [{ n: 1 }, { n: Number.NaN }], reply: 0 };
      case "Tick":
        return { events: [], reply: state };
    }
  },
  evolve(state, event) {
    if (Number.isNaN(event.n)) throw new Error("evolve blew up");
    return state + event.n;
  },
  nextWake: () => null,
  wakeCommand: { type: "Tick" },
};

/** A journal whose commits the test resolves or fails by hand (or at once, when `auto`). */
class FakeJournal<E> implements Journal<E> {
  readonly calls: (readonly E[])[] = [];
  private pending: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  constructor(public mode: "auto" | "manual" | "fail" = "auto") {}

  commit(_key: string, events: readonly E[]): Promise<void> {
    this.calls.push([...events]);
    if (this.mode === "auto") return Promise.resolve();
    if (this.mode === "fail") return Promise.reject(new Error("disk full"));
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }

  get waiting(): number {
    return this.pending.length;
  }

  resolveNext(): void {
    this.pending.shift()?.resolve();
  }

  rejectNext(error: unknown): void {
    this.pending.shift()?.reject(error);
  }
}

/** Lets queued microtasks and timers of zero delay run. */
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Wraps a promise so a test can see whether it has settled yet, without awaiting it. */
function watch<T>(promise: Promise<T>) {
  const seen: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(seen, { settled: true, value }),
    (error) => Object.assign(seen, { settled: true, error }),
  );
  return seen;
}

function counterActor(
  journal: FakeJournal<CounterEvent>,
  options: Partial<ActorOptions<number, CounterEvent, CounterCommand>> = {},
) {
  const clock = new ManualClock(0);
  return new Actor<number, CounterCommand, CounterEvent, CounterReplies>("counter", 0, counter, {
    clock,
    journal,
    ...options,
  });
}

describe("Actor: mailbox and batches", () => {
  it("answers commands in the order they arrived", async () => {
    const actor = counterActor(new FakeJournal(), { maxBatch: 2 });
    const order: number[] = [];
    const replies = [1, 2, 3, 4, 5].map((n) =>
      actor.ask({ type: "Add", n }).then((r) => order.push(r)),
    );
    await Promise.all(replies);
    expect(order).toEqual([1, 3, 6, 10, 15]);
    expect(actor.state).toBe(15);
  });

  it("drains what is waiting as one batch and commits it once, with every event", async () => {
    const journal = new FakeJournal<CounterEvent>();
    const actor = counterActor(journal);
    const replies = await Promise.all([1, 2, 3].map((n) => actor.ask({ type: "Add", n })));
    expect(replies).toEqual([1, 3, 6]);
    expect(journal.calls).toEqual([[{ n: 1 }, { n: 2 }, { n: 3 }]]);
  });

  it("prepares each command against the draft it is decided on, wake commands included", async () => {
    const seen: number[] = [];
    const actor = counterActor(new FakeJournal(), {
      prepare: (command, state) => {
        seen.push(state);
        return command.type === "Add" ? { ...command, n: command.n * 10 } : command;
      },
    });
    const replies = await Promise.all([1, 2].map((n) => actor.ask({ type: "Add", n })));
    expect(replies).toEqual([10, 30]);
    expect(seen).toEqual([0, 10]);
  });

  it("splits a long queue into batches of maxBatch", async () => {
    const journal = new FakeJournal<CounterEvent>();
    const actor = counterActor(journal, { maxBatch: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => actor.ask({ type: "Add", n })));
    expect(journal.calls.map((c) => c.length)).toEqual([2, 2, 1]);
  });

  it("answers only after the journal has made the batch durable", async () => {
    const journal = new FakeJournal<CounterEvent>("manual");
    const actor = counterActor(journal);
    const first = watch(actor.ask({ type: "Add", n: 1 }));
    const second = watch(actor.ask({ type: "Add", n: 2 }));
    await flush();
    expect(journal.waiting).toBe(1);
    expect(first.settled || second.settled).toBe(false);
    expect(actor.state).toBe(0); // the draft is not adopted before the commit
    journal.resolveNext();
    await flush();
    expect([first.value, second.value]).toEqual([1, 3]);
    expect(actor.state).toBe(3);
  });

  it("queues commands that arrive during a commit for the next batch", async () => {
    const journal = new FakeJournal<CounterEvent>("manual");
    const actor = counterActor(journal);
    const first = actor.ask({ type: "Add", n: 1 });
    await flush();
    const later = [actor.ask({ type: "Add", n: 10 }), actor.ask({ type: "Add", n: 100 })];
    await flush();
    expect(journal.calls).toHaveLength(1);
    journal.resolveNext();
    expect(await first).toBe(1);
    await flush();
    expect(journal.calls[1]).toEqual([{ n: 10 }, { n: 100 }]);
    journal.resolveNext();
    expect(await Promise.all(later)).toEqual([11, 111]);
  });

  it("answers a refusal without touching the journal", async () => {
    const journal = new FakeJournal<CounterEvent>();
    const actor = counterActor(journal);
    const refused = await actor.ask({ type: "Refuse" }).catch((e) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect(journal.calls).toEqual([]);
  });
});

describe("Actor: failures", () => {
  it("fails every command of a batch with CommitFailedError when the commit fails, and keeps the state", async () => {
    const journal = new FakeJournal<CounterEvent>();
    const actor = counterActor(journal);
    await actor.ask({ type: "Add", n: 5 });
    journal.mode = "fail";
    const outcomes = await Promise.allSettled([
      actor.ask({ type: "Add", n: 1 }),
      actor.ask({ type: "Refuse" }),
      actor.ask({ type: "Add", n: 2 }),
    ]);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe("rejected");
      const reason = (outcome as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(CommitFailedError);
      expect((reason as Error).cause).toBeInstanceOf(Error);
    }
    expect(actor.state).toBe(5);
    journal.mode = "auto";
    expect(await actor.ask({ type: "Add", n: 1 })).toBe(6);
  });

  it("fails a command whose decide throws on its own; the rest of the batch goes through", async () => {
    const journal = new FakeJournal<CounterEvent>();
    const actor = counterActor(journal);
    const [a, boom, b] = await Promise.allSettled([
      actor.ask({ type: "Add", n: 1 }),
      actor.ask({ type: "Throw" }),
      actor.ask({ type: "Add", n: 2 }),
    ]);
    expect(a).toEqual({ status: "fulfilled", value: 1 });
    expect(boom.status).toBe("rejected");
    expect(((boom as PromiseRejectedResult).reason as Error).message).toBe("decide blew up");
    expect(b).toEqual({ status: "fulfilled", value: 3 });
    expect(journal.calls).toEqual([[{ n: 1 }, { n: 2 }]]);
  });

  it("keeps none of the events of a command whose evolve throws half-way", async () => {
    const journal = new FakeJournal<CounterEvent>();
    const actor = counterActor(journal);
    const [poison, after] = await Promise.allSettled([
      actor.ask({ type: "Poison" }),
      actor.ask({ type: "Add", n: 2 }),
    ]);
    expect(poison.status).toBe("rejected");
    expect(after).toEqual({ status: "fulfilled", value: 2 });
    expect(journal.calls).toEqual([[{ n: 2 }]]);
    expect(actor.state).toBe(2);
  });

  it("refuses commands beyond the mailbox bound with OverloadedError", async () => {
    const journal = new FakeJournal<CounterEvent>("manual");
    const actor = counterActor(journal, { mailboxSize: 2 });
    const inFlight = actor.ask({ type: "Add", n: 1 });
    await flush(); // taken out of the mailbox into a batch that is committing
    const queued = [actor.ask({ type: "Add", n: 1 }), actor.ask({ type: "Add", n: 1 })];
    expect(await actor.ask({ type: "Add", n: 1 }).catch((e) => e)).toBeInstanceOf(OverloadedError);
    journal.resolveNext();
    await inFlight;
    await flush();
    journal.resolveNext();
    expect(await Promise.all(queued)).toEqual([2, 3]);
    // With room again, it accepts again.
    journal.mode = "auto";
    expect(await actor.ask({ type: "Add", n: 1 })).toBe(4);
  });

  it("tells subscribers of committed batches only, and survives a subscriber that throws", async () => {
    const journal = new FakeJournal<CounterEvent>();
    const heard: [number, readonly CounterEvent[]][] = [];
    const errors: unknown[] = [];
    const actor = counterActor(journal, {
      onCommitted: (state, events) => {
        heard.push([state, events]);
        throw new Error("subscriber bug");
      },
      onError: (error) => errors.push(error),
    });
    await actor.ask({ type: "Add", n: 1 });
    journal.mode = "fail";
    await actor.ask({ type: "Add", n: 1 }).catch(() => {});
    journal.mode = "auto";
    expect(await actor.ask({ type: "Add", n: 2 })).toBe(3);
    expect(heard).toEqual([
      [1, [{ n: 1 }]],
      [3, [{ n: 2 }]],
    ]);
    expect(errors).toHaveLength(2);
    await flush();
    expect(actor.idle).toBe(true);
  });
});

describe("Actor: stop", () => {
  it("finishes queued commands, then refuses new ones", async () => {
    const journal = new FakeJournal<CounterEvent>("manual");
    const actor = counterActor(journal);
    const queued = [actor.ask({ type: "Add", n: 1 }), actor.ask({ type: "Add", n: 2 })];
    const stopped = watch(actor.stop());
    expect(await actor.ask({ type: "Add", n: 3 }).catch((e) => e)).toBeInstanceOf(OverloadedError);
    await flush();
    expect(stopped.settled).toBe(false);
    journal.resolveNext();
    expect(await Promise.all(queued)).toEqual([1, 3]);
    await flush();
    expect(stopped.settled).toBe(true);
    expect(actor.idle).toBe(true);
  });

  it("stops at once when idle", async () => {
    const actor = counterActor(new FakeJournal());
    await actor.stop();
    expect(await actor.ask({ type: "Add", n: 1 }).catch((e) => e)).toBeInstanceOf(OverloadedError);
  });
});

// ---------------------------------------------------------------------------------------------
// The timer, with the real event behaviour.

const T0 = 10_000_130; // deliberately not a multiple of the wake granularity
const STEP = 250;

function eventActor(
  options: { holdSeconds?: number; holds?: Hold[]; journal?: FakeJournal<EventEvent> } = {},
) {
  const clock = new ManualClock(T0);
  const journal = options.journal ?? new FakeJournal<EventEvent>();
  const config = eventConfig({
    startsAt: T0 + 86_400_000,
    holdSeconds: options.holdSeconds ?? 1,
  });
  const state = initialState({ config, holds: options.holds ?? [], bookings: [], idempotency: [] });
  const actor = new Actor<EventState, EventCommand, EventEvent, EventReplies>(
    "ev-1",
    state,
    eventBehavior,
    { clock, journal, wakeGranularityMs: STEP },
  );
  const expired = () =>
    journal.calls
      .flat()
      .flatMap((e) => (e.type === "HoldExpired" ? [[e.holdId, e.at] as const] : []));
  return { actor, clock, journal, expired };
}

const ceilTo = (t: number) => Math.ceil(t / STEP) * STEP;

describe("Actor: the event's state across failed commits and reads in flight", () => {
  it("keeps the committed bookings and holds when a batch fails, reads them while one is in flight, and goes on", async () => {
    const journal = new FakeJournal<EventEvent>("manual");
    const { actor } = eventActor({ journal, holdSeconds: 600 });
    const first = actor.ask(bookTickets("u1", items(["free", 2]), null));
    await flush();
    journal.resolveNext();
    const booked = (await first) as { booking: { id: string } };
    const committed = snapshot(actor.state);

    // A batch that fails: the last free ticket and a hold, on a draft the actor then drops.
    const failing = [
      actor.ask(bookTickets("u2", items(["free", 1]), null)).catch((e) => e),
      actor.ask(placeHold("u1", items(["ga", 1]))).catch((e) => e),
    ];
    await flush();
    expect(journal.waiting).toBe(1);
    // Read while the batch is in flight: the committed state, not the draft.
    expect(actor.state.bookings.size).toBe(1);
    expect(actor.state.perUser.get("u2")).toBeUndefined();
    journal.rejectNext(new Error("disk full"));
    for (const outcome of await Promise.all(failing)) {
      expect(outcome).toBeInstanceOf(CommitFailedError);
    }
    expect(snapshot(actor.state)).toEqual(committed);

    // The next batch decides on the committed state (the last free ticket is there) and is kept.
    const next = actor.ask(bookTickets("u3", items(["free", 1]), null));
    await flush();
    expect(actor.state.bookings.has(booked.booking.id)).toBe(true);
    journal.resolveNext();
    await next;
    expect([...actor.state.bookings.values()].map((b) => b.userId).sort()).toEqual(["u1", "u3"]);
    expect(actor.state.perUser.get("u1")).toBe(2);
    expect(actor.state.perUser.get("u2")).toBeUndefined();
    expect(actor.state.holds.size).toBe(0);
    expect(actor.state.sold).toBe(3);
  });
});

describe("Actor: hold expiry timer", () => {
  it("sends Tick at the hold's expiresAt rounded up to the granularity, and the hold is gone", async () => {
    const { actor, clock, expired } = eventActor();
    const { hold } = await actor.ask(placeHold("u1", items(["ga", 2]), "h1"));
    expect(hold.expiresAt).toBe(T0 + 1_000);
    const due = ceilTo(hold.expiresAt);
    expect(due).toBeGreaterThan(hold.expiresAt);

    clock.advance(due - 1 - clock.now());
    await flush();
    expect(expired()).toEqual([]);
    expect(actor.state.holds.has("h1")).toBe(true);

    clock.advance(1);
    await flush();
    expect(expired()).toEqual([["h1", due]]);
    expect(actor.state.holds.size).toBe(0);
    expect(actor.state.counts.ga).toEqual({ sold: 0, held: 0 });
  });

  it("brings the wake-up forward when a hold that expires sooner arrives", async () => {
    const { actor, clock, expired } = eventActor({ holdSeconds: 10 });
    await actor.ask(placeHold("u1", items(["ga", 1]), "long"));
    await actor.ask({
      type: "Reconfigure",
      config: { ...actor.state.config, holdSeconds: 1 },
      details: null,
    });
    await actor.ask(placeHold("u2", items(["ga", 1]), "short"));
    clock.advance(ceilTo(T0 + 1_000) - T0);
    await flush();
    expect(expired().map(([id]) => id)).toEqual(["short"]);
    expect([...actor.state.holds.keys()]).toEqual(["long"]);
    // Then re-arms for the remaining hold.
    clock.advance(ceilTo(T0 + 10_000) - clock.now());
    await flush();
    expect(expired().map(([id]) => id)).toEqual(["short", "long"]);
    expect(actor.state.holds.size).toBe(0);
  });

  it("still expires the next hold after the one it was woken for was released", async () => {
    const { actor, clock, expired } = eventActor();
    await actor.ask(placeHold("u1", items(["ga", 1]), "released"));
    clock.advance(500);
    await actor.ask(placeHold("u2", items(["ga", 1]), "kept"));
    await actor.ask({ type: "ReleaseHold", holdId: "released", userId: "u1" });
    clock.advance(ceilTo(T0 + 1_500) - clock.now());
    await flush();
    expect(expired().map(([id]) => id)).toEqual(["kept"]);
    expect(actor.state.holds.size).toBe(0);
  });

  it("keeps no timer once nothing is held, and sets one again for the next hold", async () => {
    const { actor, clock, expired } = eventActor({ holdSeconds: 60 });
    expect(clock.pending).toBe(0);
    await actor.ask(placeHold("u1", items(["ga", 1]), "h1"));
    expect(clock.pending).toBe(1);
    await actor.ask(placeHold("u2", items(["ga", 1]), "h2"));
    await actor.ask({ type: "ReleaseHold", holdId: "h1", userId: "u1" });
    // One hold left: its wake-up stays.
    expect(clock.pending).toBe(1);
    await actor.ask({ type: "ReleaseHold", holdId: "h2", userId: "u2" });
    // An idle event holds no timer (thousands of them stay loaded after a rush).
    expect(clock.pending).toBe(0);
    await actor.ask(placeHold("u3", items(["ga", 1]), "h3"));
    expect(clock.pending).toBe(1);
    clock.advance(ceilTo(T0 + 60_000) - clock.now());
    await flush();
    expect(expired().map(([id]) => id)).toEqual(["h3"]);
    expect(clock.pending).toBe(0);
  });

  it("expires holds that were already overdue when the actor was loaded", async () => {
    const overdue: Hold = {
      id: "old",
      userId: "u1",
      items: [{ ticketTypeId: "ga", quantity: 1, unitPriceCents: 2_000 }],
      seatIds: [],
      totalCents: 2_000,
      currency: "USD",
      createdAt: T0 - 10_000,
      expiresAt: T0 - 5_000,
    };
    const { actor, clock, expired } = eventActor({ holds: [overdue] });
    expect(actor.state.held).toBe(1);
    clock.advance(0);
    await flush();
    expect(expired().map(([id]) => id)).toEqual(["old"]);
    expect(actor.state.held).toBe(0);
  });

  it("retries a sweep whose commit failed a second later", async () => {
    const journal = new FakeJournal<EventEvent>();
    const { actor, clock, expired } = eventActor({ journal });
    await actor.ask(placeHold("u1", items(["ga", 1]), "h1"));
    journal.mode = "fail";
    clock.advance(ceilTo(T0 + 1_000) - T0);
    await flush();
    expect(actor.state.holds.has("h1")).toBe(true);
    journal.mode = "auto";
    clock.advance(999);
    await flush();
    expect(actor.state.holds.has("h1")).toBe(true);
    clock.advance(STEP);
    await flush();
    expect(actor.state.holds.has("h1")).toBe(false);
    expect(expired().filter(([id]) => id === "h1")).toHaveLength(2); // the failed try and the retry
  });

  it("sends no more sweeps once stopped", async () => {
    const { actor, clock, journal } = eventActor();
    await actor.ask(placeHold("u1", items(["ga", 1]), "h1"));
    await actor.stop();
    const commits = journal.calls.length;
    clock.advance(60_000);
    await flush();
    expect(journal.calls).toHaveLength(commits);
    expect(actor.state.holds.has("h1")).toBe(true);
  });

  it("expires what is due before deciding anything, however late the timer", async () => {
    // A hold that lapsed while the server was down holds the last tickets; the first command
    // after the restart comes before any timer has run.
    const lapsed: Hold = {
      id: "lapsed",
      userId: "u1",
      items: [{ ticketTypeId: "vip", quantity: 2, unitPriceCents: 5_000 }],
      seatIds: [],
      totalCents: 10_000,
      currency: "USD",
      createdAt: T0 - 10_000,
      expiresAt: T0 - 5_000,
    };
    const { actor, expired } = eventActor({ holds: [lapsed] });
    const { hold } = await actor.ask(placeHold("u2", items(["vip", 2]), "fresh"));
    expect(hold.id).toBe("fresh");
    expect(expired()).toEqual([["lapsed", T0]]);
    expect([...actor.state.holds.keys()]).toEqual(["fresh"]);
  });

  it("keeps the next wake-up after a due sweep that found nothing left to expire", async () => {
    const { actor, clock, expired } = eventActor();
    await actor.ask(placeHold("u1", items(["ga", 1]), "confirmed-soon"));
    clock.advance(500);
    await actor.ask(placeHold("u2", items(["ga", 1]), "later"));
    await actor.ask({ type: "ReleaseHold", holdId: "confirmed-soon", userId: "u1" });
    // Due now by the first hold's deadline, which is gone: the turn sweeps nothing but re-arms.
    clock.advance(T0 + 1_000 - clock.now());
    await actor.ask({ type: "ExpireHolds" });
    clock.advance(ceilTo(T0 + 1_500) - clock.now());
    await flush();
    expect(expired().map(([id]) => id)).toEqual(["later"]);
  });
});

describe("Actor: fairness between senders", () => {
  it("caps the commands one sender may have waiting, so others still get in", async () => {
    const journal = new FakeJournal<CounterEvent>("manual");
    const actor = counterActor(journal, {
      keyOf: (command) => (command.type === "Add" ? `u${command.n}` : null),
      perKeyQueued: 3,
    });
    const first = actor.ask({ type: "Add", n: 1 });
    await flush(); // the first batch is committing; what comes now waits in the mailbox
    const flood = Array.from({ length: 10 }, () => watch(actor.ask({ type: "Add", n: 1 })));
    const other = watch(actor.ask({ type: "Add", n: 2 }));
    await flush();
    const refused = flood.filter((w) => w.error instanceof OverloadedError);
    expect(refused).toHaveLength(7);
    expect(other.error).toBeUndefined();
    journal.resolveNext();
    await first;
    await flush();
    journal.resolveNext();
    await flush();
    expect(other.value).toBe(6); // 1, then three more of u1's 1s, then u2's 2
    // Once its commands have left the mailbox, the sender may queue again.
    const again = watch(actor.ask({ type: "Add", n: 1 }));
    await flush();
    journal.resolveNext();
    await flush();
    expect(again.value).toBe(7);
  });
});

describe("Actor: the on-sale room's ticks", () => {
  /** An event actor with a room; `prepare` hands the draw its seed, as the engine does. */
  function roomActor(room = {}) {
    const clock = new ManualClock(T0);
    const journal = new FakeJournal<EventEvent>();
    const config = eventConfig({
      startsAt: T0 + 86_400_000,
      room: roomConfig({ opensAt: T0 + 10_000, ...room }),
    });
    const ticks: number[] = [];
    const actor = new Actor<EventState, EventCommand, EventEvent, EventReplies>(
      "ev-1",
      initialState({ config, holds: [], bookings: [], idempotency: [] }),
      eventBehavior,
      {
        clock,
        journal,
        wakeGranularityMs: STEP,
        prepare(command, state) {
          if (command.type !== "Tick") return command;
          ticks.push(clock.now());
          return roomDrawDue(state, clock.now()) ? { ...command, seed: SEED } : command;
        },
      },
    );
    return { actor, clock, journal, ticks };
  }

  it("passes the clock's now to nextWake", async () => {
    const seen: number[] = [];
    const clock = new ManualClock(500);
    const behavior = {
      ...counter,
      nextWake: (_s: number, _e: unknown, _w: unknown, now: number) => {
        seen.push(now);
        return null;
      },
    };
    const actor = new Actor<number, CounterCommand, CounterEvent, CounterReplies>(
      "c",
      0,
      behavior,
      {
        clock,
        journal: new FakeJournal<CounterEvent>(),
      },
    );
    clock.advance(250);
    await actor.ask({ type: "Add", n: 1 });
    expect(seen).toEqual([500, 750]);
  });

  it("draws at the opening, then ticks every second while someone waits", async () => {
    const { actor, clock, ticks } = roomActor({ admitPerMinute: 1 });
    await actor.ask(enterRoom("u1", "rm1"));
    await actor.ask(enterRoom("u2", "rm2"));
    const opening = ceilTo(T0 + 10_000);
    clock.advance(opening - 1 - T0);
    await flush();
    expect(ticks).toEqual([]);
    clock.advance(1);
    await flush();
    expect(ticks).toEqual([opening]);
    expect(actor.state.room.drawnAt).toBe(opening);
    expect(actor.state.room.admitted.size).toBe(1);
    for (let i = 0; i < 5; i += 1) {
      clock.advance(ROOM_LIMITS.tickMs);
      await flush();
    }
    expect(ticks).toHaveLength(6);
    // One a minute: the second buyer still waits, and the room keeps ticking for them.
    expect(actor.state.room.queue.size).toBe(1);
  });

  it("stops ticking once the doors are open and the last token is gone: an idle room never spins", async () => {
    const { actor, clock, ticks } = roomActor({ tokenSeconds: 60 });
    await actor.ask(enterRoom("u1", "rm1"));
    clock.advance(ceilTo(T0 + 10_000) - T0);
    await flush();
    expect(actor.state.room.doorsOpenAt).toBe(ceilTo(T0 + 10_000));
    clock.advance(61_000);
    await flush();
    expect(actor.state.room.admitted.size).toBe(0);
    const count = ticks.length;
    expect(count).toBeLessThanOrEqual(62);
    clock.advance(600_000);
    await flush();
    expect(ticks).toHaveLength(count);
  });

  it("never wakes for a room nobody entered before its opening, and draws an empty room once", async () => {
    const { actor, clock, ticks } = roomActor();
    clock.advance(ceilTo(T0 + 10_000) - T0);
    await flush();
    expect(ticks).toEqual([ceilTo(T0 + 10_000)]);
    expect(actor.state.room.doorsOpenAt).toBe(ceilTo(T0 + 10_000));
    clock.advance(600_000);
    await flush();
    expect(ticks).toHaveLength(1);
  });
});
