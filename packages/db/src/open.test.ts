import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeDb, type Db, migrateDb, openDb, writeIfFree } from "./open.ts";

const migrations = readdirSync(join(import.meta.dir, "..", "migrations")).filter((f) =>
  f.endsWith(".sql"),
).length;

let dir: string;
let path: string;
const opened: Db[] = [];
const open = () => {
  const db = openDb(path);
  opened.push(db);
  return db;
};
const applied = (db: Db) =>
  (db.$client.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number }).n;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "boxoffice-open-"));
  path = join(dir, "app.db");
});

afterEach(() => {
  for (const db of opened.splice(0)) closeDb(db);
  rmSync(dir, { recursive: true, force: true });
});

describe("migrateDb", () => {
  it("applies every migration to a new database and leaves foreign keys on", () => {
    const db = open();
    migrateDb(db);
    expect(applied(db)).toBe(migrations);
    expect(db.$client.pragma("foreign_keys", { simple: true })).toBe(1);
  });

  it("does nothing on a database that has them all: no migration, and no scan of every row", () => {
    const first = open();
    migrateDb(first);
    // A row pointing at nothing, written past the keys as only an outside tool could: the check
    // that reads every row runs after a migration, so a start with nothing to apply leaves it be.
    first.$client.pragma("foreign_keys = OFF");
    first.$client
      .prepare(
        "insert into sessions (id, user_id, secret_hash, expires_at, created_at) values ('s', 'usr_nobody', x'00', 0, 0)",
      )
      .run();
    closeDb(first);

    const again = open();
    expect(() => migrateDb(again)).not.toThrow();
    expect(applied(again)).toBe(migrations);
    expect(again.$client.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(again.$client.pragma("foreign_key_check")).toHaveLength(1);
  });
});

describe("writeIfFree", () => {
  const count = (db: Db) =>
    (db.$client.prepare("select count(*) as n from t").get() as { n: number }).n;
  const settings = (db: Db) => ({
    busyTimeout: db.$client.pragma("busy_timeout", { simple: true }),
    synchronous: db.$client.pragma("synchronous", { simple: true }),
  });

  it("writes nothing and waits for nothing while another connection holds the lock", () => {
    const mine = open();
    const theirs = open();
    mine.$client.exec("create table t (x integer)");
    const insert = mine.$client.transaction(() => {
      mine.$client.prepare("insert into t (x) values (1)").run();
    });
    const before = settings(mine);
    theirs.$client.exec("begin immediate");
    // With busy_timeout 5000 a plain write would sleep here for five seconds, then throw.
    expect(writeIfFree(mine, () => insert.immediate())).toBe(false);
    expect(count(mine)).toBe(0);
    expect(settings(mine)).toEqual(before);
    theirs.$client.exec("commit");
    expect(writeIfFree(mine, () => insert.immediate())).toBe(true);
    expect(count(mine)).toBe(1);
    expect(settings(mine)).toEqual(before);
    // FULL, as openDb set it: the one commit ran without its fsync, nothing after it does.
    expect(before.synchronous).toBe(2);
    // Bounded well under the connection's 5 s busy timeout: a wait for the lock fails the test.
  }, 2_000);

  it("throws what is not a lock, and still puts the settings back", () => {
    const mine = open();
    const before = settings(mine);
    expect(() =>
      writeIfFree(mine, () => {
        mine.$client.prepare("insert into nowhere (x) values (1)").run();
      }),
    ).toThrow(/no such table/);
    expect(settings(mine)).toEqual(before);
  });
});
