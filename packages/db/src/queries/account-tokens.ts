/**
 * Single-use links mailed to a user (password reset, email verification). The API makes the
 * token and hashes it; these functions keep only the hash, and issue, spend and check a token
 * each in one synchronous transaction, so two clicks on one link cannot both win.
 */
import { and, count, eq, gt, gte, isNull, lt, ne } from "drizzle-orm";
import type { Db } from "../open.ts";
import { accountTokens, sessions, users } from "../schema.ts";
import { type AccountMessage, insertAccountMail } from "./outbox.ts";

export type AccountTokenPurpose = (typeof accountTokens.$inferSelect)["purpose"];

export interface IssueAccountToken {
  /** SHA-256 of the token, hex: the token itself is never stored. */
  readonly tokenHash: string;
  readonly userId: string;
  readonly purpose: AccountTokenPurpose;
  /** The address the link goes to. */
  readonly email: string;
  readonly now: number;
  readonly expiresAt: number;
  /** The mail that carries the link, written in the same transaction as the token. */
  readonly mail: AccountMessage;
  /** At most `max` tokens of this purpose per user since `since`: a mail flood stops here. */
  readonly limit: { readonly since: number; readonly max: number };
}

/**
 * Stores the token's hash and its mail in one transaction, unless the user already had `max`
 * tokens of this purpose since `since` (then nothing is written and the answer is false). Tokens
 * that expired a day ago are swept on the way.
 */
export function issueAccountToken(db: Db, issue: IssueAccountToken): boolean {
  return db.transaction(
    (tx) => {
      tx.delete(accountTokens)
        .where(lt(accountTokens.expiresAt, issue.now - 86_400_000))
        .run();
      const recent = tx
        .select({ n: count() })
        .from(accountTokens)
        .where(
          and(
            eq(accountTokens.userId, issue.userId),
            eq(accountTokens.purpose, issue.purpose),
            gte(accountTokens.createdAt, issue.limit.since),
          ),
        )
        .get();
      if ((recent?.n ?? 0) >= issue.limit.max) return false;
      tx.insert(accountTokens)
        .values({
          tokenHash: issue.tokenHash,
          userId: issue.userId,
          purpose: issue.purpose,
          email: issue.email,
          createdAt: issue.now,
          expiresAt: issue.expiresAt,
        })
        .run();
      insertAccountMail(tx, issue.userId, issue.mail, issue.now);
      return true;
    },
    { behavior: "immediate" },
  );
}

/** A live token: unused, unexpired, of this purpose. Its user and the address it went to. */
export function findLiveAccountToken(
  db: Db,
  tokenHash: string,
  purpose: AccountTokenPurpose,
  now: number,
): { userId: string; email: string } | null {
  return (
    db
      .select({ userId: accountTokens.userId, email: accountTokens.email })
      .from(accountTokens)
      .where(
        and(
          eq(accountTokens.tokenHash, tokenHash),
          eq(accountTokens.purpose, purpose),
          isNull(accountTokens.usedAt),
          gt(accountTokens.expiresAt, now),
        ),
      )
      .get() ?? null
  );
}

export interface PasswordReset {
  readonly tokenHash: string;
  readonly now: number;
  readonly newHash: string;
  /** The session that replaces every session of the token's user, made for that user. */
  readonly session: (userId: string) => typeof sessions.$inferSelect;
}

/**
 * Spends a live reset token: in one transaction the new hash, every reset link of the user
 * spent, every session gone and `session` in their place; the address counts as verified (the
 * link proved it is theirs), if it is still the user's. Null (nothing written) when the token is
 * unknown, spent or expired.
 */
export function resetPasswordWithToken(db: Db, reset: PasswordReset): { userId: string } | null {
  return db.transaction(
    (tx) => {
      const token = tx
        .select({ userId: accountTokens.userId, email: accountTokens.email })
        .from(accountTokens)
        .where(
          and(
            eq(accountTokens.tokenHash, reset.tokenHash),
            eq(accountTokens.purpose, "password_reset"),
            isNull(accountTokens.usedAt),
            gt(accountTokens.expiresAt, reset.now),
          ),
        )
        .get();
      if (!token) return null;
      tx.update(accountTokens)
        .set({ usedAt: reset.now })
        .where(
          and(
            eq(accountTokens.userId, token.userId),
            eq(accountTokens.purpose, "password_reset"),
            isNull(accountTokens.usedAt),
          ),
        )
        .run();
      tx.update(users).set({ passwordHash: reset.newHash }).where(eq(users.id, token.userId)).run();
      markVerified(tx, token.userId, token.email, reset.now);
      const session = reset.session(token.userId);
      tx.insert(sessions).values(session).run();
      tx.delete(sessions)
        .where(and(eq(sessions.userId, token.userId), ne(sessions.id, session.id)))
        .run();
      return { userId: token.userId };
    },
    { behavior: "immediate" },
  );
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

function markVerified(tx: Tx, userId: string, email: string, now: number): boolean {
  const user = tx
    .select({ email: users.email, verifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!user || user.email !== email) return false;
  if (user.verifiedAt === null) {
    tx.update(users).set({ emailVerifiedAt: now }).where(eq(users.id, userId)).run();
  }
  return true;
}

/**
 * Follows a verification link: marks the address verified if it is still the user's. A link
 * followed twice (within its hour) answers the same; a spent link of an address no longer the
 * user's, or an unknown or expired one, answers null.
 */
export function verifyEmailWithToken(
  db: Db,
  tokenHash: string,
  now: number,
): { userId: string; email: string } | null {
  return db.transaction(
    (tx) => {
      const token = tx
        .select({ userId: accountTokens.userId, email: accountTokens.email })
        .from(accountTokens)
        .where(
          and(
            eq(accountTokens.tokenHash, tokenHash),
            eq(accountTokens.purpose, "email_verification"),
            gt(accountTokens.expiresAt, now),
          ),
        )
        .get();
      if (!token || !markVerified(tx, token.userId, token.email, now)) return null;
      tx.update(accountTokens)
        .set({ usedAt: now })
        .where(and(eq(accountTokens.tokenHash, tokenHash), isNull(accountTokens.usedAt)))
        .run();
      return token;
    },
    { behavior: "immediate" },
  );
}
