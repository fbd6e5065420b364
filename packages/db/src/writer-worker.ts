/**
 * The writer thread: owns a second SQLite connection and runs the group-commit transactions, so
 * that the main thread keeps parsing and deciding requests while a transaction waits for its
 * fsync. Messages are answered in the order they arrive.
 */
import { createBatchCommitter, type Outcome, type Submission } from "./commit-batches.ts";
import { openDb, type Synchronous } from "./open.ts";

declare const self: Worker;

export interface WriterInit {
  readonly type: "init";
  readonly path: string;
  readonly synchronous: Synchronous;
}

export interface WriterJob {
  readonly type: "commit";
  readonly id: number;
  readonly submissions: readonly Submission[];
}

export type WriterReply =
  | { readonly id: number; readonly outcomes: Outcome[] }
  | { readonly id: number; readonly error: string };

let commit: ((submissions: readonly Submission[]) => Outcome[]) | null = null;

self.onmessage = (message: MessageEvent<WriterInit | WriterJob>) => {
  const data = message.data;
  if (data.type === "init") {
    commit = createBatchCommitter(openDb(data.path, { synchronous: data.synchronous }));
    return;
  }
  try {
    if (!commit) throw new Error("The writer thread was not initialised");
    postMessage({ id: data.id, outcomes: commit(data.submissions) } satisfies WriterReply);
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    postMessage({ id: data.id, error: text } satisfies WriterReply);
  }
};
