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
  /**
   * Shared with the request thread: the seq of the last group committed with every batch
   * acknowledged (an Int32 at byte 0) and its time in the transaction (a Float64 at byte 8).
   */
  readonly done: SharedArrayBuffer;
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

/** What `WriterInit.done` shares. */
let doneSeq: Int32Array | null = null;
let doneMs: Float64Array | null = null;
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
    doneSeq = new Int32Array(message.done, 0, 1);
    doneMs = new Float64Array(message.done, 8, 1);
    return;
  }
  if (!commit) throw new Error("The writer thread got a commit before its init");
  const submissions = JSON.parse(message.submissions) as Submission[];
  const startedAt = performance.now();
  for (;;) {
    try {
      const outcomes = commit(submissions);
      // A group whose every batch committed is told through shared memory first: the request
      // thread sees it at its next request, without waiting for this message, which its event
      // loop delivers only after the socket reads already queued (a millisecond at a rush).
      if (doneSeq && doneMs && outcomes.every((o) => o === null)) {
        doneMs[0] = performance.now() - startedAt;
        Atomics.store(doneSeq, 0, message.seq);
      }
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
