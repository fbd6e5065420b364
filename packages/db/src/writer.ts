import type { EventEvent, Journal } from "@boxoffice/core";
import type { CheckpointMessage, CheckpointStopped } from "./checkpoint-worker.ts";
import { createBatchCommitter, type Outcome, type Submission } from "./commit-batches.ts";
import type { Db, Synchronous } from "./open.ts";
import type { FailureShape, WriterCommit, WriterInit, WriterReply } from "./writer-worker.ts";

export interface GroupCommitOptions {
  /**
   * true (default): the writes of every actor ready at the same time share one transaction, hence
   * one fsync. false: each actor batch commits on its own (for comparison in the benchmark).
   */
  readonly groupCommit?: boolean;
  /**
   * Commit on a thread of the writer's own (with its own connection; needs a database file). The
   * thread that serves requests then never waits for an fsync or a lock, and parses the next
   * requests while a group commits; the next group is sent when the last one has committed.
   */
  readonly thread?: boolean;
}

/**
 * The writer thread's WAL bound, in pages: past it, a commit copies the WAL itself. The
 * checkpointer thread (checkpoint-worker.ts) copies it long before, so this is only the bound
 * should that thread fall behind.
 */
export const WAL_BOUND_PAGES = 10_000;

const SYNCHRONOUS: readonly Synchronous[] = ["OFF", "NORMAL", "FULL", "EXTRA"];

const synchronousOf = (db: Db): Synchronous =>
  SYNCHRONOUS[db.$client.pragma("synchronous", { simple: true }) as number] ?? "FULL";

interface Pending extends Submission {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Each submission of a committed group: acknowledged, or refused with why its savepoint failed. */
function settle(batch: readonly Pending[], outcomes: readonly Outcome[]): void {
  batch.forEach((pending, i) => {
    const failure = outcomes[i];
    if (failure) pending.reject(failure);
    else pending.resolve();
  });
}

/** What the writer has done since it started: how busy the disk keeps it, and how well it groups. */
export interface WriterStats {
  /** Transactions committed (or tried): one fsync each under synchronous=FULL. */
  readonly groups: number;
  /** Actor batches written in them. */
  readonly submissions: number;
  /** Time spent inside those transactions, the fsync included. */
  readonly commitSeconds: number;
}

/** Counts one group's transaction into `stats`. */
function counted(
  stats: { -readonly [K in keyof WriterStats]: WriterStats[K] },
  size: number,
  ms: number,
) {
  stats.groups += 1;
  stats.submissions += size;
  stats.commitSeconds += ms / 1000;
}

export interface GroupCommitWriter extends Journal<EventEvent> {
  /** What it has done since it was made, as a copy (GET /healthz shows it). */
  stats(): WriterStats;
  /** Resolves once nothing is waiting to be written. */
  flushed(): Promise<void>;
  /** Waits for pending writes; nothing is accepted after the actors have stopped. */
  close(): Promise<void>;
}

/**
 * The journal of all event actors. Batches submitted together (in the same tick on the caller's
 * thread; while the previous group commits, on the writer's own thread) are written in ONE
 * synchronous SQLite transaction, hence one fsync; each batch in its own savepoint, so a batch that
 * fails (a bug, a constraint) fails alone while the others commit. Promises settle only after
 * COMMIT returned, which under synchronous=FULL means after the fsync.
 */
export function createGroupCommitWriter(
  db: Db,
  options: GroupCommitOptions = {},
): GroupCommitWriter {
  if (options.thread === true && db.$client.name !== ":memory:") {
    return threadWriter(db.$client.name, synchronousOf(db), options.groupCommit ?? true);
  }
  const commit = createBatchCommitter(db);
  const group = options.groupCommit ?? true;
  let queue: Pending[] = [];
  let scheduled = false;
  const idle: (() => void)[] = [];
  const stats = { groups: 0, submissions: 0, commitSeconds: 0 };

  const drain = () => {
    while (queue.length > 0) {
      const batch = group ? queue : queue.slice(0, 1);
      queue = group ? [] : queue.slice(1);
      let outcomes: Outcome[];
      const startedAt = performance.now();
      try {
        outcomes = commit(batch);
      } catch (error) {
        for (const pending of batch) pending.reject(error);
        continue;
      } finally {
        counted(stats, batch.length, performance.now() - startedAt);
      }
      settle(batch, outcomes);
    }
    scheduled = false;
    for (const resolve of idle.splice(0)) resolve();
  };

  return {
    commit(eventId, events) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ eventId, events, resolve, reject });
        if (scheduled) return;
        scheduled = true;
        // setImmediate runs after this tick's microtasks: every actor that drained its mailbox in
        // this tick has submitted by then.
        setImmediate(drain);
      });
    },
    stats: () => ({ ...stats }),
    flushed() {
      if (queue.length === 0 && !scheduled) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
    async close() {
      await this.flushed();
    },
  };
}

/** Asks the checkpointer to close its connection, then ends the thread (in any case within 1 s). */
async function stopCheckpointer(checkpointer: Worker): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1_000);
    checkpointer.onmessage = (event: MessageEvent<CheckpointStopped>) => {
      if (event.data.type !== "stopped") return;
      clearTimeout(timer);
      resolve();
    };
    checkpointer.postMessage({ type: "stop" } satisfies CheckpointMessage);
  });
  checkpointer.terminate();
}

/** An error from the writer thread, with SQLite's code when there was one. */
class CommitError extends Error {
  override readonly name = "CommitError";
  readonly code: string | undefined;
  constructor(shape: FailureShape) {
    super(shape.message);
    this.code = shape.code;
  }
}

/**
 * The writer with its transaction on a thread of its own (writer-worker.ts). One group is in
 * flight at a time: a submission to an idle writer goes at once, and what the actors submit while
 * a group commits waits and goes out as the next group, so a slower commit makes the next group
 * larger, not the line longer. A third thread, the checkpointer (checkpoint-worker.ts), copies
 * the WAL into the database file so that no commit has to.
 */
function threadWriter(path: string, synchronous: Synchronous, group: boolean): GroupCommitWriter {
  const worker = new Worker(new URL("./writer-worker.ts", import.meta.url).href);
  const checkpointer = new Worker(new URL("./checkpoint-worker.ts", import.meta.url).href);
  // Copying the WAL never keeps a stopping process alive.
  (checkpointer as Worker & { unref?: () => void }).unref?.();
  checkpointer.postMessage({ type: "init", path, synchronous } satisfies CheckpointMessage);
  const handle = worker as Worker & { ref?: () => void; unref?: () => void };
  worker.postMessage({ type: "init", path, synchronous } satisfies WriterInit);
  let queue: Pending[] = [];
  let flight: { seq: number; batch: Pending[] } | null = null;
  let seq = 0;
  let stopped: Error | null = null;
  let closing: Promise<void> | null = null;
  const idle: (() => void)[] = [];
  const stats = { groups: 0, submissions: 0, commitSeconds: 0 };

  const settleIdle = () => {
    if (queue.length === 0 && !flight) {
      // An idle writer never keeps a stopping process alive; one that is committing does.
      handle.unref?.();
      for (const resolve of idle.splice(0)) resolve();
    }
  };

  const send = () => {
    if (flight || queue.length === 0) return settleIdle();
    const batch = group ? queue : queue.slice(0, 1);
    queue = group ? [] : queue.slice(1);
    seq += 1;
    flight = { seq, batch };
    handle.ref?.();
    // As JSON text: events are plain data, and stringifying them costs this thread about half
    // of what the structured clone of postMessage does.
    const submissions = JSON.stringify(batch.map(({ eventId, events }) => ({ eventId, events })));
    worker.postMessage({ type: "commit", seq, submissions } satisfies WriterCommit);
  };

  const fail = (error: Error) => {
    stopped = error;
    const waiting = [...(flight?.batch ?? []), ...queue];
    flight = null;
    queue = [];
    for (const pending of waiting) pending.reject(error);
    settleIdle();
  };

  worker.onmessage = (event: MessageEvent<WriterReply>) => {
    const reply = event.data;
    const done = flight;
    if (!done || done.seq !== reply.seq) return;
    flight = null;
    counted(stats, done.batch.length, reply.commitMs);
    if ("error" in reply) {
      for (const pending of done.batch) pending.reject(new CommitError(reply.error));
    } else {
      settle(
        done.batch,
        reply.outcomes.map((failure) => (failure ? new CommitError(failure) : null)),
      );
    }
    send();
  };
  worker.onerror = (event) => {
    // The thread died: nothing it had was acknowledged, and nothing more can be.
    fail(new Error(`The writer thread stopped: ${event.message || "unknown error"}`));
  };

  return {
    commit(eventId, events) {
      if (stopped) return Promise.reject(stopped);
      return new Promise<void>((resolve, reject) => {
        queue.push({ eventId, events, resolve, reject });
        if (flight) return;
        // An idle writer sends at once; what comes while that group commits goes as the next.
        // Waiting for the next turn of the event loop instead (to gather this tick's actors, as
        // the writer on the caller's thread does) put the send behind every request read in the
        // meantime: the writer thread sat idle for milliseconds of each commit cycle.
        send();
      });
    },
    stats: () => ({ ...stats }),
    flushed() {
      if (queue.length === 0 && !flight) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
    close() {
      closing ??= this.flushed().then(() => {
        stopped ??= new Error("The writer is closed");
        worker.terminate();
        return stopCheckpointer(checkpointer);
      });
      return closing;
    },
  };
}
