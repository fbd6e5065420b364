import type { EventEvent, Journal } from "@boxoffice/core";
import { createBatchCommitter, type Outcome, type Submission } from "./commit-batches.ts";
import type { Db } from "./open.ts";

export interface GroupCommitOptions {
  /**
   * true (default): the writes of every actor ready at the same time share one transaction, hence
   * one fsync. false: each actor batch commits on its own (for comparison in the benchmark).
   */
  readonly groupCommit?: boolean;
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
  // The transaction runs on this thread: a writer thread with its own connection was tried and
  // measured no faster on 2 cores, where the load generator and the server already fill both.
  const commit = createBatchCommitter(db);
  const group = options.groupCommit ?? true;
  let queue: Pending[] = [];
  let scheduled = false;
  const idle: (() => void)[] = [];

  const settleIdle = () => {
    if (queue.length === 0 && !scheduled) for (const resolve of idle.splice(0)) resolve();
  };

  const flush = () => {
    const batch = group ? queue : queue.slice(0, 1);
    queue = group ? [] : queue.slice(1);
    let outcomes: Outcome[];
    try {
      outcomes = commit(batch);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, i) => {
      const failure = outcomes[i];
      if (failure) pending.reject(failure);
      else pending.resolve();
    });
  };

  const drain = () => {
    while (queue.length > 0) flush();
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
    close() {
      return this.flushed();
    },
  };
}
