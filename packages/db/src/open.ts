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
}

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const migrationsFolder = join(import.meta.dir, "..", "migrations");

/** The one place that opens SQLite and sets its PRAGMAs. Creates the file's folder if needed. */
export function openDb(path: string, options: OpenDbOptions = {}): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const client = new Database(path);
  client.pragma("journal_mode = WAL");
  client.pragma(`synchronous = ${options.synchronous ?? "FULL"}`);
  client.pragma("foreign_keys = ON");
  client.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  // WAL checkpoints run in the background of commits; keep the WAL from growing without bound.
  client.pragma("wal_autocheckpoint = 1000");
  client.pragma("temp_store = MEMORY");
  return drizzle({ client, schema });
}

/** Applies the committed drizzle-kit migrations; safe to run on every start. */
export function migrateDb(db: Db): void {
  // A migration that rebuilds a table (SQLite cannot drop NOT NULL in place) drops the old one,
  // which with foreign keys on fails while other tables point at it, and drizzle runs every
  // migration inside one transaction, where `PRAGMA foreign_keys` does nothing. So, as SQLite's
  // own recipe for schema changes says: keys off around the transaction, then checked as a whole.
  const client = db.$client;
  client.pragma("foreign_keys = OFF");
  try {
    migrate(db, { migrationsFolder });
    const broken = client.pragma("foreign_key_check") as unknown[];
    if (broken.length > 0) {
      throw new Error(`Migration left ${broken.length} rows pointing at nothing`);
    }
  } finally {
    client.pragma("foreign_keys = ON");
  }
}

export function closeDb(db: Db): void {
  if (db.$client.open) db.$client.close();
}
