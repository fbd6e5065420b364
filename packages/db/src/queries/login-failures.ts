/**
 * The sign-in throttle's memory: password checks per email and client IP that failed or are being
 * made, kept in SQLite so that a restart does not reset an attack. The policy (how many, how long)
 * is the API's; these functions count and reserve atomically.
 */
import { and, count, desc, eq, gt, lt, max, or, type SQL } from "drizzle-orm";
import type { Db } from "../open.ts";
import { loginFailures } from "../schema.ts";

export type LoginFailureRow = typeof loginFailures.$inferSelect;

/** The database, or a transaction on it. */
type Queryable = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface LoginAttemptKey {
  /** Normalised (trimmed, lower-cased); unknown emails are counted like known ones. */
  readonly email: string;
  readonly ip: string;
}

/** Where the counts start, and the caps whose reaching time is wanted. */
export interface LoginFailureWindows {
  readonly pairSince: number;
  readonly emailSince: number;
  readonly emailCap: number;
  readonly ipSince: number;
  readonly ipCap: number;
}

/** Failures count pending checks too: a check in flight may well be one. */
export interface LoginFailureCounts {
  /** Failures of this email from this IP after `pairSince`, and when the newest was made. */
  readonly pairFailures: number;
  readonly pairLatestAt: number | null;
  /**
   * The time of the email's `emailCap`-th newest failure after `emailSince`, from any IP: the cap
   * is reached until that one leaves the window. Null while under the cap.
   */
  readonly emailCapReachedAt: number | null;
  /** The same for the IP's failures across emails and `ipCap`. */
  readonly ipCapReachedAt: number | null;
}

export type LoginReservation =
  | { readonly reserved: true; readonly attemptId: number }
  | { readonly reserved: false; readonly retryAt: number };

function pairCounts(db: Queryable, key: LoginAttemptKey, since: number) {
  const row = db
    .select({ failures: count(), latestAt: max(loginFailures.at) })
    .from(loginFailures)
    .where(
      and(
        eq(loginFailures.email, key.email),
        eq(loginFailures.ip, key.ip),
        gt(loginFailures.at, since),
      ),
    )
    .get();
  return { failures: row?.failures ?? 0, latestAt: row?.latestAt ?? null };
}

/** The time of the `nth` newest failure matching `where`, or null when there are fewer. */
function nthNewestAt(db: Queryable, where: SQL | undefined, nth: number): number | null {
  const row = db
    .select({ at: loginFailures.at })
    .from(loginFailures)
    .where(where)
    .orderBy(desc(loginFailures.at))
    .limit(1)
    .offset(nth - 1)
    .get();
  return row?.at ?? null;
}

export function countLoginFailures(
  db: Queryable,
  key: LoginAttemptKey,
  windows: LoginFailureWindows,
): LoginFailureCounts {
  const pair = pairCounts(db, key, windows.pairSince);
  return {
    pairFailures: pair.failures,
    pairLatestAt: pair.latestAt,
    emailCapReachedAt: nthNewestAt(
      db,
      and(eq(loginFailures.email, key.email), gt(loginFailures.at, windows.emailSince)),
      windows.emailCap,
    ),
    ipCapReachedAt: nthNewestAt(
      db,
      and(eq(loginFailures.ip, key.ip), gt(loginFailures.at, windows.ipSince)),
      windows.ipCap,
    ),
  };
}

/**
 * Reserves a password check, atomically: counts the failures `decide` looks at and, unless it
 * answers a time to come back at, records a pending check, all in one synchronous transaction.
 * Concurrent sign-ins therefore see each other's reservations before any hash is verified.
 */
export function reserveLoginAttempt(
  db: Db,
  key: LoginAttemptKey,
  at: number,
  windows: LoginFailureWindows,
  decide: (counts: LoginFailureCounts) => number | null,
): LoginReservation {
  // Immediate: the reads and the insert hold the write lock together, whatever else has the file.
  return db.transaction(
    (tx): LoginReservation => {
      const retryAt = decide(countLoginFailures(tx, key, windows));
      if (retryAt !== null) return { reserved: false, retryAt };
      const row = tx
        .insert(loginFailures)
        .values({ email: key.email, ip: key.ip, at, pending: true })
        .returning({ id: loginFailures.id })
        .get();
      return { reserved: true, attemptId: row.id };
    },
    { behavior: "immediate" },
  );
}

/** The reserved check failed: it stays, as a failure. */
export function recordLoginFailure(db: Db, attemptId: number): void {
  db.update(loginFailures).set({ pending: false }).where(eq(loginFailures.id, attemptId)).run();
}

/**
 * The reserved check succeeded: the pair's failures are forgotten, with the reservation. Checks of
 * the pair still in flight stay, so that a guess racing the owner's sign-in is still counted.
 */
export function clearLoginFailures(db: Db, key: LoginAttemptKey, attemptId: number): void {
  db.delete(loginFailures)
    .where(
      and(
        eq(loginFailures.email, key.email),
        eq(loginFailures.ip, key.ip),
        or(eq(loginFailures.pending, false), eq(loginFailures.id, attemptId)),
      ),
    )
    .run();
}

/** Deletes every row (of any email) strictly before `before`; returns how many. */
export function sweepLoginFailures(db: Db, before: number): number {
  return db.delete(loginFailures).where(lt(loginFailures.at, before)).run().changes;
}
