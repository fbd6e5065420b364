import type { EventEvent, Journal } from "@boxoffice/core";
import { createBatchCommitter, type Outcome, type Submission } from "./commit-batches.ts";
import type { Db, Synchronous } from "./open.ts";
import type { WriterJob, WriterReply } from "./writer-worker.ts";

export interface GroupCommitOptions {
  /**
   * true (default): the writes of every actor ready at the same time share one transaction, hence
   * one fsync. false: each actor batch commits on its own (for comparison in the benchmark).
   */
  readonly groupCommit?: boolean;
  /**
   * Run the transactions on a writer thread with its own connection to this file, so the main
   * thread is not blocked while a commit waits for the disk. Omit to write on the main thread
   * (tests with a manual clock; in-memory databases).
   */
  readonly thread?: { readonly path: string; readonly synchronous: Synchronous };
}

interface Pending extends Submission {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitWriter extends Journal<EventEvent> {
  /** Resolves once nothing is waiting to be written. */
  flushed(): Promise<void>;
  /** Waits for pending writes, then stops the writer thread (if any). */
  close(): Promise<void>;
  readonly stats: { transactions: number; batches: number };
}

/** Where transactions run: on this thread, or on the writer thread. */
type Committer = {
  run(submissions: readonly Submission[]): Promise<Outcome[]>;
  close(): void;
};

function mainThreadCommitter(db: Db): Committer {
  const commit = createBatchCommitter(db);
  return {
    run: async (submissions) => commit(submissions),
    close() {},
  };
}

function threadCommitter(path: string, synchronous: Synchronous): Committer {
  const worker = new Worker(new URL("./writer-worker.ts", import.meta.url).href);
  // Bun's Worker can be unref'd (not in the DOM typings): a forgotten writer must not keep a
  // process alive.
  (worker as Worker & { unref?: () => void }).unref?.();
  worker.postMessage({ type: "init", path, synchronous });
  const waiting = new Map<
    number,
    { resolve: (o: Outcome[]) => void; reject: (e: Error) => void }
  >();
  let nextId = 0;
  worker.onmessage = (message: MessageEvent<WriterReply>) => {
    const reply = message.data;
    const job = waiting.get(reply.id);
    waiting.delete(reply.id);
    if ("error" in reply) job?.reject(new Error(reply.error));
    else job?.resolve(reply.outcomes);
  };
  worker.onerror = (event) => {
    const error = new Error(`The writer thread failed: ${event.message}`);
    for (const job of waiting.values()) job.reject(error);
    waiting.clear();
  };
  return {
    run(submissions) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        // Only the data crosses: the promise callbacks stay here.
        const plain = submissions.map(({ eventId, events }) => ({ eventId, events }));
        worker.postMessage({ type: "commit", id, submissions: plain } satisfies WriterJob);
      });
    },
    close: () => worker.terminate(),
  };
}

/**
 * The journal of all event actors. Batches submitted while no transaction is running are written
 * in ONE transaction; batches that arrive while one is running wait and form the next, so the
 * busier the server, the more bookings share an fsync. Each batch has its own savepoint, so a
 * batch that fails (a bug, a constraint) fails alone. Promises settle only after COMMIT returned,
 * which under synchronous=FULL means after the fsync.
 */
export function createGroupCommitWriter(
  db: Db,
  options: GroupCommitOptions = {},
): GroupCommitWriter {
  const committer = options.thread
    ? threadCommitter(options.thread.path, options.thread.synchronous)
    : mainThreadCommitter(db);
  const group = options.groupCommit ?? true;
  let queue: Pending[] = [];
  let running = false;
  const idle: (() => void)[] = [];
  const stats = { transactions: 0, batches: 0 };

  const settleIdle = () => {
    if (queue.length === 0 && !running) for (const resolve of idle.splice(0)) resolve();
  };

  const flush = async () => {
    const batch = group ? queue : queue.slice(0, 1);
    queue = group ? [] : queue.slice(1);
    let outcomes: Outcome[];
    try {
      outcomes = await committer.run(batch);
      stats.transactions += 1;
      stats.batches += batch.length;
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, i) => {
      const failure = outcomes[i];
      if (failure) pending.reject(new Error(failure));
      else pending.resolve();
    });
  };

  const drain = async () => {
    while (queue.length > 0) await flush();
    running = false;
    settleIdle();
  };

  return {
    stats,
    commit(eventId, events) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ eventId, events, resolve, reject });
        if (running) return;
        running = true;
        // setImmediate runs after this tick's microtasks: every actor that drained its mailbox in
        // this tick has submitted by then.
        setImmediate(() => void drain());
      });
    },
    flushed() {
      if (queue.length === 0 && !running) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
    async close() {
      await this.flushed();
      committer.close();
    },
  };
}
