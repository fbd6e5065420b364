/** Failed sign-ins per email, kept in SQLite so that a restart does not reset an attack. */
import { and, count, eq, gt, lt } from "drizzle-orm";
import type { Db } from "../open.ts";
import { loginFailures } from "../schema.ts";

export type LoginFailureRow = typeof loginFailures.$inferSelect;

/** How many failures `email` had strictly after `since`. */
export function countLoginFailuresSince(db: Db, email: string, since: number): number {
  // Counted by the (email, at) index; the rows themselves are never needed.
  const [row] = db
    .select({ failures: count() })
    .from(loginFailures)
    .where(and(eq(loginFailures.email, email), gt(loginFailures.at, since)))
    .all();
  return row?.failures ?? 0;
}

export function recordLoginFailure(db: Db, email: string, at: number): void {
  db.insert(loginFailures).values({ email, at }).run();
}

export function clearLoginFailures(db: Db, email: string): void {
  db.delete(loginFailures).where(eq(loginFailures.email, email)).run();
}

/** Deletes every failure (of any email) strictly before `before`; returns how many. */
export function sweepLoginFailures(db: Db, before: number): number {
  return db.delete(loginFailures).where(lt(loginFailures.at, before)).run().changes;
}
