import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { schema } from "./schema.ts";

export type Synchronous = "OFF" | "NORMAL" | "FULL" | "EXTRA";

export interface OpenDbOptions {
  /** `FULL` (default) survives power loss; `NORMAL` may lose the last commits on power loss. */
  synchronous?: Synchronous;
  /** How long a statement waits for another connection's lock before failing. */
  busyTimeoutMs?: number;
  /**
   * The WAL's size in pages past which a commit on this connection copies it into the database
   * file itself (default 1,000, SQLite's own).
   */
  walAutocheckpointPages?: number;
}

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const migrationsFolder = join(import.meta.dir, "..", "migrations");

/** Whether SQLite said another connection holds the lock this one needs. */
export const isBusyError = (error: unknown): boolean =>
  error instanceof Error &&
  "code" in error &&
  (error.code === "SQLITE_BUSY" || error.code === "SQLITE_LOCKED");

/**
 * Runs `write` (one transaction) only if the write lock is free now: no wait for it, and no fsync
 * at its commit (synchronous=NORMAL for this one commit: in WAL mode a process crash keeps it, a
 * power cut may lose it). For writes that may be lost and redone, made on the thread that serves
 * requests, where waiting out another connection's commit, or an fsync, stalls every request.
 * False when the lock was taken: nothing was written. The connection's settings are put back.
 */
export function writeIfFree(db: Db, write: () => void): boolean {
  const c = db.$client;
  const timeout = c.pragma("busy_timeout", { simple: true }) as number;
  const synchronous = c.pragma("synchronous", { simple: true }) as number;
  c.pragma("busy_timeout = 0");
  c.pragma("synchronous = NORMAL");
  try {
    write();
    return true;
  } catch (error) {
    if (isBusyError(error)) return false;
    throw error;
  } finally {
    c.pragma(`busy_timeout = ${timeout}`);
    c.pragma(`synchronous = ${synchronous}`);
  }
}

/** The most each connection keeps of the database's pages in memory, in KiB. */
const PAGE_CACHE_KIB = 16_000;

/** The one place that opens SQLite and sets its PRAGMAs. Creates the file's folder if needed. */
export function openDb(path: string, options: OpenDbOptions = {}): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const client = new Database(path);
  client.pragma("journal_mode = WAL");
  client.pragma(`synchronous = ${options.synchronous ?? "FULL"}`);
  client.pragma("foreign_keys = ON");
  client.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  // WAL checkpoints run in the background of commits; keep the WAL from growing without bound.
  client.pragma(`wal_autocheckpoint = ${options.walAutocheckpointPages ?? 1000}`);
  client.pragma("temp_store = MEMORY");
  // Up to 16 MB of pages cached per connection (better-sqlite3's compiled default, stated here so
  // that the bound does not move with the driver): the request thread's and the writer's fill
  // with what they read and write until then, and stay there.
  client.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  return drizzle({ client, schema });
}

/** How many migrations the database has had applied (drizzle's own journal table). */
function appliedMigrations(db: Db): number {
  const table = db.$client
    .prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'")
    .get();
  if (!table) return 0;
  const row = db.$client.prepare("select count(*) as n from __drizzle_migrations").get() as {
    n: number;
  };
  return row.n;
}

/**
 * Applies the committed drizzle-kit migrations; safe to run on every start, and cheap when there
 * is nothing to apply.
 */
export function migrateDb(db: Db): void {
  // A migration that rebuilds a table (SQLite cannot drop NOT NULL in place) drops the old one,
  // which with foreign keys on fails while other tables point at it, and drizzle runs every
  // migration inside one transaction, where `PRAGMA foreign_keys` does nothing. So, as SQLite's
  // own recipe for schema changes says: keys off around the transaction, then checked as a whole.
  const client = db.$client;
  const before = appliedMigrations(db);
  client.pragma("foreign_keys = OFF");
  try {
    migrate(db, { migrationsFolder });
    // The check reads every row that has a foreign key (about a second at a million bookings):
    // only after a migration ran, since with keys on nothing else can leave a row dangling.
    if (appliedMigrations(db) !== before) {
      const broken = client.pragma("foreign_key_check") as unknown[];
      if (broken.length > 0) {
        throw new Error(`Migration left ${broken.length} rows pointing at nothing`);
      }
    }
  } finally {
    client.pragma("foreign_keys = ON");
  }
}

export function closeDb(db: Db): void {
  if (db.$client.open) db.$client.close();
}
