/** A fresh, migrated SQLite file in its own temp folder, for the db package's tests only. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeDb, type Db, migrateDb, openDb } from "./open.ts";

export interface TestDb {
  readonly db: Db;
  close(): void;
}

export function openTestDb(): TestDb {
  const dir = mkdtempSync(join(tmpdir(), "boxoffice-db-test-"));
  const db = openDb(join(dir, "test.db"), { synchronous: "NORMAL" });
  migrateDb(db);
  return {
    db,
    close() {
      closeDb(db);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
