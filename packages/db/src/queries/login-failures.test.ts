import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import type { Db } from "../open.ts";
import { openTestDb, type TestDb } from "../testing.ts";
import {
  clearLoginFailures,
  countLoginFailures,
  type LoginAttemptKey,
  type LoginFailureWindows,
  recordLoginFailure,
  reserveLoginAttempt,
  sweepLoginFailures,
} from "./login-failures.ts";

let testDb: TestDb;
let db: Db;

beforeEach(() => {
  testDb = openTestDb();
  db = testDb.db;
});

afterEach(() => testDb.close());

const ada = { email: "ada@example.test", ip: "198.51.100.1" };
const adaElsewhere = { email: "ada@example.test", ip: "198.51.100.2" };
const grace = { email: "grace@example.test", ip: "198.51.100.1" };
const everything: LoginFailureWindows = {
  pairSince: 0,
  emailSince: 0,
  emailCap: 3,
  ipSince: 0,
  ipCap: 3,
};
const allow = () => null;

/** A failed check of `key` at `at`. */
function fail(key: LoginAttemptKey, at: number): void {
  const r = reserveLoginAttempt(db, key, at, everything, allow);
  if (!r.reserved) throw new Error("not reserved");
  recordLoginFailure(db, r.attemptId);
}

describe("login failures", () => {
  it("counts a pair's failures after the window's start, pending checks included", () => {
    fail(ada, 100);
    fail(ada, 200);
    fail(adaElsewhere, 250);
    reserveLoginAttempt(db, ada, 300, everything, allow);
    expect(countLoginFailures(db, ada, everything)).toMatchObject({
      pairFailures: 3,
      pairLatestAt: 300,
    });
    // The window is open at its start: a failure exactly at `since` no longer counts.
    expect(countLoginFailures(db, ada, { ...everything, pairSince: 200 })).toMatchObject({
      pairFailures: 1,
      pairLatestAt: 300,
    });
    expect(countLoginFailures(db, grace, everything)).toMatchObject({
      pairFailures: 0,
      pairLatestAt: null,
    });
  });

  it("says when the email's and the IP's caps were reached: the cap-th newest failure", () => {
    fail(ada, 100);
    fail(adaElsewhere, 200);
    expect(countLoginFailures(db, ada, everything)).toMatchObject({
      emailCapReachedAt: null,
      ipCapReachedAt: null,
    });
    fail(grace, 300);
    fail(adaElsewhere, 400);
    // ada's failures from any IP: 100, 200, 400; IP .1's from any email: 100, 300.
    expect(countLoginFailures(db, ada, everything)).toMatchObject({
      emailCapReachedAt: 100,
      ipCapReachedAt: null,
    });
    expect(countLoginFailures(db, ada, { ...everything, emailSince: 100 })).toMatchObject({
      emailCapReachedAt: null,
    });
  });

  it("reserves nothing when the decision names a time to come back", () => {
    fail(ada, 100);
    const refused = reserveLoginAttempt(db, ada, 200, everything, (counts) =>
      counts.pairFailures >= 1 ? 5000 : null,
    );
    expect(refused).toEqual({ reserved: false, retryAt: 5000 });
    expect(countLoginFailures(db, ada, everything).pairFailures).toBe(1);
  });

  it("clears a pair on success, keeping other pairs and the pair's checks in flight", () => {
    fail(ada, 100);
    fail(adaElsewhere, 100);
    fail(grace, 100);
    const inFlight = reserveLoginAttempt(db, ada, 150, everything, allow);
    const success = reserveLoginAttempt(db, ada, 160, everything, allow);
    if (!success.reserved || !inFlight.reserved) throw new Error("not reserved");
    clearLoginFailures(db, ada, success.attemptId);
    expect(countLoginFailures(db, ada, everything)).toMatchObject({
      pairFailures: 1,
      pairLatestAt: 150,
    });
    expect(countLoginFailures(db, adaElsewhere, everything).pairFailures).toBe(1);
    expect(countLoginFailures(db, grace, everything).pairFailures).toBe(1);
  });

  it("sweeps every row older than the cutoff and keeps the rest", () => {
    fail(ada, 100);
    fail(grace, 199);
    fail(ada, 200);
    reserveLoginAttempt(db, grace, 150, everything, allow);
    expect(sweepLoginFailures(db, 200)).toBe(3);
    expect(countLoginFailures(db, ada, everything).pairFailures).toBe(1);
    expect(countLoginFailures(db, grace, everything).pairFailures).toBe(0);
    expect(sweepLoginFailures(db, 200)).toBe(0);
  });
});
