/**
 * The checkpointer thread: copies what the WAL holds into the database file, with a connection of
 * its own, so that the writer's commits do not. SQLite's autocheckpoint runs inside the commit that
 * crosses its threshold, and its page writes and fsync then delay every booking waiting for that
 * group; measured on the on-sale benchmark, commits over 10 ms fell to a third with this thread.
 *
 * PASSIVE never waits for a lock and never blocks the writer or a reader: what it cannot copy now
 * (a frame a reader still needs) it copies on a later turn. Once everything is copied the writer
 * starts the WAL over from its beginning, so the file stays small.
 */
import { openDb, type Synchronous } from "./open.ts";

export type CheckpointMessage =
  | { readonly type: "init"; readonly path: string; readonly synchronous: Synchronous }
  | { readonly type: "stop" };

/** The answer to "stop": the connection is closed. */
export interface CheckpointStopped {
  readonly type: "stopped";
}

declare const self: Worker;

/** How often the WAL is copied while commits come in. */
const CHECKPOINT_EVERY_MS = 100;

let stop: (() => void) | null = null;

self.onmessage = (event: MessageEvent<CheckpointMessage>) => {
  const message = event.data;
  if (message.type === "stop") {
    stop?.();
    stop = null;
    self.postMessage({ type: "stopped" } satisfies CheckpointStopped);
    return;
  }
  const db = openDb(message.path, { synchronous: message.synchronous, busyTimeoutMs: 0 });
  const checkpoint = db.$client.prepare("pragma wal_checkpoint(PASSIVE)");
  const timer = setInterval(() => {
    try {
      checkpoint.run();
    } catch {
      // Busy (another connection's checkpoint, a backup): the next turn tries again.
    }
  }, CHECKPOINT_EVERY_MS);
  stop = () => {
    clearInterval(timer);
    db.$client.close();
  };
};
