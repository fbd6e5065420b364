import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import type { Db } from "../open.ts";
import { openTestDb, type TestDb } from "../testing.ts";
import {
  clearLoginFailures,
  countLoginFailuresSince,
  recordLoginFailure,
  sweepLoginFailures,
} from "./login-failures.ts";

let testDb: TestDb;
let db: Db;

beforeEach(() => {
  testDb = openTestDb();
  db = testDb.db;
});

afterEach(() => testDb.close());

describe("login failures", () => {
  it("counts only failures after the window's start, per email", () => {
    for (const at of [100, 200, 300, 400]) recordLoginFailure(db, "ada@example.test", at);
    recordLoginFailure(db, "grace@example.test", 350);
    expect(countLoginFailuresSince(db, "ada@example.test", 0)).toBe(4);
    // The window is open at its start: a failure exactly at `since` no longer counts.
    expect(countLoginFailuresSince(db, "ada@example.test", 200)).toBe(2);
    expect(countLoginFailuresSince(db, "ada@example.test", 400)).toBe(0);
    expect(countLoginFailuresSince(db, "grace@example.test", 0)).toBe(1);
    expect(countLoginFailuresSince(db, "nobody@example.test", 0)).toBe(0);
  });

  it("clears one email's failures and leaves the others", () => {
    recordLoginFailure(db, "ada@example.test", 100);
    recordLoginFailure(db, "ada@example.test", 200);
    recordLoginFailure(db, "grace@example.test", 100);
    clearLoginFailures(db, "ada@example.test");
    expect(countLoginFailuresSince(db, "ada@example.test", 0)).toBe(0);
    expect(countLoginFailuresSince(db, "grace@example.test", 0)).toBe(1);
  });

  it("sweeps every email's failures older than the cutoff and keeps the rest", () => {
    recordLoginFailure(db, "ada@example.test", 100);
    recordLoginFailure(db, "grace@example.test", 199);
    recordLoginFailure(db, "ada@example.test", 200);
    recordLoginFailure(db, "grace@example.test", 300);
    expect(sweepLoginFailures(db, 200)).toBe(2);
    expect(countLoginFailuresSince(db, "ada@example.test", 0)).toBe(1);
    expect(countLoginFailuresSince(db, "grace@example.test", 0)).toBe(1);
    expect(sweepLoginFailures(db, 200)).toBe(0);
  });
});
