import type { EventEvent, Journal } from "@boxoffice/core";
import { createBatchCommitter, type Outcome, type Submission } from "./commit-batches.ts";
import { closeDb, type Db, openDb, type Synchronous } from "./open.ts";

export interface GroupCommitOptions {
  /**
   * true (default): the writes of every actor ready at the same time share one transaction, hence
   * one fsync. false: each actor batch commits on its own (for comparison in the benchmark).
   */
  readonly groupCommit?: boolean;
  /**
   * Commit on a connection of the writer's own that never waits for a lock: while another
   * process holds the database's write lock (a backup tool's BEGIN IMMEDIATE), commits are
   * retried a few milliseconds later instead of blocking the event loop, so reads and /healthz
   * keep answering and bookings simply wait. Needs a database file (not ":memory:").
   */
  readonly ownConnection?: boolean;
}

/** The longest pause between two tries at the write lock. */
const MAX_RETRY_MS = 50;

const isBusy = (error: unknown) =>
  error instanceof Error &&
  "code" in error &&
  (error.code === "SQLITE_BUSY" || error.code === "SQLITE_LOCKED");

const SYNCHRONOUS: readonly Synchronous[] = ["OFF", "NORMAL", "FULL", "EXTRA"];

/** A second connection to the same file, with the same durability and no busy wait. */
function writerConnection(db: Db): Db {
  const level = db.$client.pragma("synchronous", { simple: true }) as number;
  return openDb(db.$client.name, { synchronous: SYNCHRONOUS[level] ?? "FULL", busyTimeoutMs: 0 });
}

interface Pending extends Submission {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitWriter extends Journal<EventEvent> {
  /** Resolves once nothing is waiting to be written. */
  flushed(): Promise<void>;
  /** Waits for pending writes; nothing is accepted after the actors have stopped. */
  close(): Promise<void>;
}

/**
 * The journal of all event actors. Batches submitted in the same tick are written in ONE
 * synchronous SQLite transaction, hence one fsync; each batch in its own savepoint, so a batch that
 * fails (a bug, a constraint) fails alone while the others commit. Promises settle only after
 * COMMIT returned, which under synchronous=FULL means after the fsync.
 */
export function createGroupCommitWriter(
  db: Db,
  options: GroupCommitOptions = {},
): GroupCommitWriter {
  // The transaction runs on this thread: a writer thread was tried and measured no faster on 2
  // cores, where the load generator and the server already fill both.
  const own = options.ownConnection === true && db.$client.name !== ":memory:";
  const connection = own ? writerConnection(db) : db;
  const commit = createBatchCommitter(connection);
  const group = options.groupCommit ?? true;
  let queue: Pending[] = [];
  let scheduled = false;
  let retryMs = 0;
  const idle: (() => void)[] = [];

  const settleIdle = () => {
    if (queue.length === 0 && !scheduled) for (const resolve of idle.splice(0)) resolve();
  };

  /** Writes one group; false when the write lock was taken and the group went back in line. */
  const flush = (): boolean => {
    const batch = group ? queue : queue.slice(0, 1);
    queue = group ? [] : queue.slice(1);
    let outcomes: Outcome[];
    try {
      outcomes = commit(batch);
    } catch (error) {
      if (own && isBusy(error)) {
        queue = [...batch, ...queue];
        return false;
      }
      for (const pending of batch) pending.reject(error);
      return true;
    }
    batch.forEach((pending, i) => {
      const failure = outcomes[i];
      if (failure) pending.reject(failure);
      else pending.resolve();
    });
    return true;
  };

  const drain = () => {
    while (queue.length > 0) {
      if (!flush()) {
        // Someone else holds the write lock: try again soon, leaving the event loop free.
        retryMs = Math.min(MAX_RETRY_MS, Math.max(1, retryMs * 2));
        setTimeout(drain, retryMs);
        return;
      }
      retryMs = 0;
    }
    scheduled = false;
    settleIdle();
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
    flushed() {
      if (queue.length === 0 && !scheduled) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
    async close() {
      await this.flushed();
      if (own) closeDb(connection);
    },
  };
}
