import type { EventEvent, Journal } from "@boxoffice/core";
import { createEventWrites } from "./event-writes.ts";
import type { Db } from "./open.ts";

export interface GroupCommitOptions {
  /**
   * true (default): the writes of every actor ready in the same tick share one transaction, hence
   * one fsync. false: each actor batch commits on its own (for comparison in the benchmark).
   */
  readonly groupCommit?: boolean;
}

interface Pending {
  readonly eventId: string;
  readonly events: readonly EventEvent[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitWriter extends Journal<EventEvent> {
  /** Resolves once nothing is waiting to be written. */
  flushed(): Promise<void>;
  readonly stats: { transactions: number; batches: number };
}

/**
 * The journal of all event actors. Batches submitted in the same tick are written in ONE
 * synchronous SQLite transaction; each batch in its own savepoint, so a batch that fails (a bug,
 * a constraint) fails alone while the others commit. Promises settle only after COMMIT returned,
 * which under synchronous=FULL means after the fsync.
 */
export function createGroupCommitWriter(
  db: Db,
  options: GroupCommitOptions = {},
): GroupCommitWriter {
  const writes = createEventWrites(db);
  const group = options.groupCommit ?? true;
  let queue: Pending[] = [];
  let scheduled = false;
  const idle: (() => void)[] = [];
  const stats = { transactions: 0, batches: 0 };

  const applyBatch = db.$client.transaction((pending: Pending) => {
    for (const event of pending.events) writes.apply(pending.eventId, event);
  });

  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    const failed = new Map<Pending, unknown>();
    try {
      db.$client.transaction(() => {
        for (const pending of batch) {
          try {
            // Nested: better-sqlite3 runs it as a SAVEPOINT inside the outer transaction.
            applyBatch(pending);
          } catch (error) {
            failed.set(pending, error);
          }
        }
      })();
      stats.transactions += 1;
      stats.batches += batch.length;
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return settleIdle();
    }
    for (const pending of batch) {
      if (failed.has(pending)) pending.reject(failed.get(pending));
      else pending.resolve();
    }
    settleIdle();
  };

  const settleIdle = () => {
    if (queue.length === 0 && !scheduled) for (const resolve of idle.splice(0)) resolve();
  };

  return {
    stats,
    commit(eventId, events) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ eventId, events, resolve, reject });
        if (!group) return flush();
        if (!scheduled) {
          scheduled = true;
          // setImmediate runs after the microtasks of this tick: every actor that drained its
          // mailbox in this tick has submitted by then.
          setImmediate(flush);
        }
      });
    },
    flushed() {
      if (queue.length === 0 && !scheduled) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
  };
}
