import type { EventEvent } from "@boxoffice/core";
import { createEventWrites } from "./event-writes.ts";
import type { Db } from "./open.ts";

/** One actor's batch of events, to be written atomically. */
export interface Submission {
  readonly eventId: string;
  readonly events: readonly EventEvent[];
}

/** Per submission: null when written, else why it was not (its savepoint was rolled back). */
export type Outcome = Error | null;

/**
 * Returns a function that writes many submissions in ONE transaction, each in its own savepoint,
 * so that one failing submission fails alone. Throws only if the transaction itself cannot
 * commit, in which case nothing was written.
 */
export function createBatchCommitter(db: Db): (submissions: readonly Submission[]) => Outcome[] {
  const writes = createEventWrites(db);
  const applyOne = db.$client.transaction((submission: Submission) => {
    writes.apply(submission.eventId, submission.events);
  });
  const all = db.$client.transaction((submissions: readonly Submission[]) =>
    submissions.map((submission) => {
      try {
        // Nested: better-sqlite3 runs it as a SAVEPOINT inside the outer transaction.
        applyOne(submission);
        return null;
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    }),
  );
  // BEGIN IMMEDIATE: the write lock is taken up front, so a lock held elsewhere fails the whole
  // transaction at its start (the writer retries it), never one submission half-way.
  return (submissions) => all.immediate(submissions);
}
