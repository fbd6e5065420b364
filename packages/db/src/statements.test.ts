import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { closeDb, type Db, openDb } from "./open.ts";
import { schema } from "./schema.ts";
import { prepared, preparedIn } from "./statements.ts";
import { openTestDb, type TestDb } from "./testing.ts";

const SECRET = "select value from app_secrets where name = ?";

let testDb: TestDb;
let db: Db;

beforeEach(() => {
  testDb = openTestDb();
  db = testDb.db;
  const insert = db.$client.prepare(
    "insert into app_secrets (name, value, created_at) values (?, ?, 0)",
  );
  for (const n of [1, 2, 3, 4, 5]) insert.run(`s${n}`, `v${n}`);
});

afterEach(() => testDb.close());

describe("prepared", () => {
  it("gives the same statement for the same SQL on the same connection", () => {
    const first = prepared<[string], { value: string }>(db, SECRET);
    expect(prepared(db, SECRET)).toBe(first);
    expect(first.get("s1")).toEqual({ value: "v1" });
    expect(prepared(db, "select 1")).not.toBe(first);
  });

  it("shares statements between drizzle wrappers of one connection", () => {
    const again = drizzle({ client: db.$client, schema }) as Db;
    expect(prepared(again, SECRET)).toBe(prepared(db, SECRET));
  });

  it("gives another connection a statement of its own", () => {
    const other = openDb(db.$client.name);
    try {
      const mine = prepared(db, SECRET);
      const theirs = prepared<[string], { value: string }>(other, SECRET);
      expect(theirs).not.toBe(mine);
      expect(theirs.database).toBe(other.$client);
      expect(theirs.get("s2")).toEqual({ value: "v2" });
    } finally {
      closeDb(other);
    }
  });

  it("prepares afresh on a database closed and opened again", () => {
    const path = db.$client.name;
    const before = prepared(db, SECRET);
    closeDb(db);
    const reopened = openDb(path);
    try {
      const after = prepared<[string], { value: string }>(reopened, SECRET);
      expect(after).not.toBe(before);
      expect(after.get("s3")).toEqual({ value: "v3" });
    } finally {
      closeDb(reopened);
    }
  });
});

describe("preparedIn", () => {
  const sqlOf = (placeholders: string) =>
    `select name from app_secrets where name in (${placeholders}) order by name`;
  const names = (ids: readonly string[]) => {
    const { statement, values } = preparedIn<string, { name: string }>(db, ids, sqlOf);
    return statement.all(...values).map((r) => r.name);
  };

  it("pads a list to a power of two with its first value, which changes no answer", () => {
    const { statement, values } = preparedIn(db, ["s3", "s1", "nope"], sqlOf);
    expect(values).toEqual(["s3", "s1", "nope", "s3"]);
    expect(statement.source).toBe(sqlOf("?, ?, ?, ?"));
    expect(names(["s3", "s1", "nope"])).toEqual(["s1", "s3"]);
    expect(names(["s5"])).toEqual(["s5"]);
  });

  it("shares one statement among the lengths of one power of two", () => {
    const of = (ids: string[]) => preparedIn(db, ids, sqlOf).statement;
    expect(of(["s1", "s2", "s3"])).toBe(of(["s4", "s5", "s1", "s2"]));
    expect(of(["s1", "s2", "s3", "s4", "s5"])).not.toBe(of(["s1", "s2", "s3", "s4"]));
  });

  it("keeps lists longer than 1,024 out of the cache, with exactly their own length", () => {
    const ids = [...Array.from({ length: 1_100 }, (_, i) => `x${i}`), "s2"];
    const first = preparedIn(db, ids, sqlOf);
    expect(first.values).toHaveLength(1_101);
    expect(preparedIn(db, ids, sqlOf).statement).not.toBe(first.statement);
    expect(names(ids)).toEqual(["s2"]);
  });

  it("refuses an empty list", () => {
    expect(() => preparedIn(db, [], sqlOf)).toThrow();
  });
});
