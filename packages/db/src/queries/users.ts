/** Accounts: sign-up, sign-in, the admins' user list and role changes, password changes. */
import { and, count, desc, eq, isNotNull, isNull, lt, ne, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../open.ts";
import { sessions, users } from "../schema.ts";

export type UserRow = typeof users.$inferSelect;
export type UserRole = UserRow["role"];
/** A user without the password hash: what may leave the server. */
export type PublicUserRow = Omit<UserRow, "passwordHash">;
/** A user to insert: without an organizer request, and unverified, unless said otherwise. */
export type NewUserRow = Omit<UserRow, "organizerRequestedAt" | "emailVerifiedAt"> & {
  readonly organizerRequestedAt?: number | null;
  readonly emailVerifiedAt?: number | null;
};

const publicColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  createdAt: users.createdAt,
  organizerRequestedAt: users.organizerRequestedAt,
  emailVerifiedAt: users.emailVerifiedAt,
};

export function findUserByEmail(db: Db, email: string): UserRow | null {
  return db.select().from(users).where(eq(users.email, email)).get() ?? null;
}

export function findUserById(db: Db, userId: string): UserRow | null {
  return db.select().from(users).where(eq(users.id, userId)).get() ?? null;
}

/** The stored password hash, or null for an unknown user. */
export function findPasswordHash(db: Db, userId: string): string | null {
  const row = db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  return row?.passwordHash ?? null;
}

/**
 * Inserts `row` unless its email is taken; false (and nothing written) when it is. The unique
 * index decides, so two sign-ups racing for one email cannot both win.
 */
export function insertUser(db: Db, row: NewUserRow): boolean {
  return (
    db.insert(users).values(row).onConflictDoNothing({ target: users.email }).run().changes === 1
  );
}

/** Where a page of the user list ends: newest first, ties broken by id. */
export interface UserCursor {
  readonly createdAt: number;
  readonly id: string;
}

export interface ListUsersOptions {
  /** Matched anywhere in email or name, ignoring ASCII case; `%` and `_` match literally. */
  readonly search?: string | undefined;
  /** true: only users with a pending organizer request; false: only those without. */
  readonly pendingOrganizer?: boolean | undefined;
  readonly after?: UserCursor | null;
  readonly limit: number;
}

/** `%`, `_` and the escape character itself match literally in the search text. */
function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function searchFilter(search: string | undefined): SQL | undefined {
  if (!search) return undefined;
  const pattern = likePattern(search);
  // SQLite's LIKE ignores ASCII case on its own.
  return or(
    sql`${users.email} like ${pattern} escape '\\'`,
    sql`${users.name} like ${pattern} escape '\\'`,
  );
}

function pendingFilter(pending: boolean | undefined): SQL | undefined {
  if (pending === undefined) return undefined;
  return pending ? isNotNull(users.organizerRequestedAt) : isNull(users.organizerRequestedAt);
}

function afterCursor(cursor: UserCursor | null | undefined): SQL | undefined {
  if (!cursor) return undefined;
  return or(
    lt(users.createdAt, cursor.createdAt),
    and(eq(users.createdAt, cursor.createdAt), lt(users.id, cursor.id)),
  );
}

/**
 * One page of users, newest first with ties broken by id, so a page boundary never skips or
 * repeats anyone; `more` says whether another page follows.
 */
export function listUsers(
  db: Db,
  options: ListUsersOptions,
): { users: PublicUserRow[]; more: boolean } {
  const rows = db
    .select(publicColumns)
    .from(users)
    .where(
      and(
        searchFilter(options.search),
        pendingFilter(options.pendingOrganizer),
        afterCursor(options.after),
      ),
    )
    .orderBy(desc(users.createdAt), desc(users.id))
    // One extra row says whether another page exists without a second query.
    .limit(options.limit + 1)
    .all();
  return { users: rows.slice(0, options.limit), more: rows.length > options.limit };
}

export type SetRoleResult =
  | { readonly ok: true; readonly user: PublicUserRow }
  | { readonly ok: false; readonly why: "not_found" | "last_admin" };

/** Changes a user's role, which decides a pending organizer request; never demotes the last admin. */
export function setUserRole(db: Db, userId: string, role: UserRole): SetRoleResult {
  // Synchronous transaction: the last-admin count and the update cannot interleave with
  // another admin's change.
  return db.transaction((tx): SetRoleResult => {
    const target = tx.select(publicColumns).from(users).where(eq(users.id, userId)).get();
    if (!target) return { ok: false, why: "not_found" };
    if (target.role === "admin" && role !== "admin") {
      const [admins] = tx.select({ n: count() }).from(users).where(eq(users.role, "admin")).all();
      if ((admins?.n ?? 0) <= 1) return { ok: false, why: "last_admin" };
    }
    tx.update(users).set({ role, organizerRequestedAt: null }).where(eq(users.id, userId)).run();
    return { ok: true, user: { ...target, role, organizerRequestedAt: null } };
  });
}

export type DeclineOrganizerResult =
  | { readonly ok: true; readonly user: PublicUserRow }
  | { readonly ok: false; readonly why: "not_found" | "not_pending" };

/** Declines a pending organizer request: the user stays what they are (an attendee). */
export function declineOrganizerRequest(db: Db, userId: string): DeclineOrganizerResult {
  return db.transaction((tx): DeclineOrganizerResult => {
    const target = tx.select(publicColumns).from(users).where(eq(users.id, userId)).get();
    if (!target) return { ok: false, why: "not_found" };
    if (target.organizerRequestedAt === null) return { ok: false, why: "not_pending" };
    tx.update(users).set({ organizerRequestedAt: null }).where(eq(users.id, userId)).run();
    return { ok: true, user: { ...target, organizerRequestedAt: null } };
  });
}

export interface PasswordChange {
  /** The hash the caller verified the current password against. */
  readonly expectedHash: string;
  readonly newHash: string;
  /** The session that replaces every session its user had. */
  readonly session: typeof sessions.$inferSelect;
}

/**
 * In one transaction: the new hash, a fresh session, and every other session of the user gone,
 * so a token that leaked before the change is worthless after it. Compare-and-set on the hash: a
 * concurrent change since `expectedHash` was read wins, and this one returns false having written
 * nothing.
 */
export function changePasswordAndRotateSessions(db: Db, change: PasswordChange): boolean {
  const { session } = change;
  const userId = session.userId;
  return db.transaction((tx) => {
    const updated = tx
      .update(users)
      .set({ passwordHash: change.newHash })
      .where(and(eq(users.id, userId), eq(users.passwordHash, change.expectedHash)))
      .run();
    if (updated.changes !== 1) return false;
    tx.insert(sessions).values(session).run();
    tx.delete(sessions)
      .where(and(eq(sessions.userId, userId), ne(sessions.id, session.id)))
      .run();
    return true;
  });
}
