/**
 * The writer thread: owns a connection of its own and commits what the main thread's writer
 * sends, one group per message, in ONE transaction (hence one fsync). Blocking here (the fsync, a
 * lock held by a backup tool) never blocks the thread that serves requests.
 */
import { createBatchCommitter, type Submission } from "./commit-batches.ts";
import { isBusyError, openDb, type Synchronous } from "./open.ts";
import { WAL_BOUND_PAGES } from "./writer.ts";

export interface WriterInit {
  readonly type: "init";
  readonly path: string;
  readonly synchronous: Synchronous;
}

export interface WriterCommit {
  readonly type: "commit";
  readonly seq: number;
  /** The group's submissions as JSON text (`Submission[]`). */
  readonly submissions: string;
}

export interface FailureShape {
  readonly message: string;
  readonly code?: string;
}

/** `commitMs`: the time spent in the transaction (and waiting for the lock), fsync included. */
export type WriterReply =
  | {
      readonly seq: number;
      readonly commitMs: number;
      readonly outcomes: readonly (FailureShape | null)[];
    }
  | { readonly seq: number; readonly commitMs: number; readonly error: FailureShape };

/** How long one try at the write lock waits before trying again (there is no limit on tries). */
const LOCK_WAIT_MS = 1_000;

const failureShape = (error: unknown): FailureShape => {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = "code" in error && typeof error.code === "string" ? error.code : undefined;
  return code ? { message: error.message, code } : { message: error.message };
};

declare const self: Worker;

let commit: ((submissions: readonly Submission[]) => (Error | null)[]) | null = null;

self.onmessage = (event: MessageEvent<WriterInit | WriterCommit>) => {
  const message = event.data;
  if (message.type === "init") {
    const db = openDb(message.path, {
      synchronous: message.synchronous,
      busyTimeoutMs: LOCK_WAIT_MS,
      walAutocheckpointPages: WAL_BOUND_PAGES,
    });
    commit = createBatchCommitter(db);
    return;
  }
  if (!commit) throw new Error("The writer thread got a commit before its init");
  const submissions = JSON.parse(message.submissions) as Submission[];
  const startedAt = performance.now();
  for (;;) {
    try {
      const outcomes = commit(submissions);
      self.postMessage({
        seq: message.seq,
        commitMs: performance.now() - startedAt,
        outcomes: outcomes.map((o) => (o ? failureShape(o) : null)),
      } satisfies WriterReply);
      return;
    } catch (error) {
      // Someone else holds the write lock: wait for it here, where waiting blocks nobody.
      if (isBusyError(error)) continue;
      self.postMessage({
        seq: message.seq,
        commitMs: performance.now() - startedAt,
        error: failureShape(error),
      } satisfies WriterReply);
      return;
    }
  }
};
