/**
 * Sessions as Lucia's current guide teaches them (no library): a token `<id>.<secret>` with two
 * random halves; the database keeps the id and SHA-256(secret) only, and the secret is compared in
 * constant time, so neither a leaked table nor response timing gives a usable token away.
 */
import { timingSafeEqual } from "node:crypto";
import type { Db } from "@boxoffice/db";
import { schema } from "@boxoffice/db";

export type Role = "attendee" | "organizer" | "admin";

export interface PublicUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: number;
}

export interface AuthSession {
  readonly id: string;
  readonly userId: string;
  readonly expiresAt: number;
}

// a-z and 2-9 without look-alikes: 32 symbols, 5 bits each.
const alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

/** 24 symbols × 5 bits = 120 bits of entropy, as Lucia recommends for ids and secrets. */
export function randomString(length = 24): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  for (const byte of bytes) out += alphabet[byte >> 3];
  return out;
}

function sha256(text: string): Buffer {
  return new Bun.CryptoHasher("sha256").update(text).digest();
}

/** At most one write per session per this interval for the sliding expiry. */
const EXTEND_AFTER_MS = 3_600_000;

export interface SessionStore {
  create(userId: string, now: number): { token: string; session: AuthSession };
  validate(token: string, now: number): { session: AuthSession; user: PublicUser } | null;
  invalidate(sessionId: string): void;
  invalidateAllOf(userId: string, except?: string): void;
}

export function createSessionStore(db: Db, sessionDays: number): SessionStore {
  const lifetimeMs = sessionDays * 86_400_000;
  const client = db.$client;
  // Prepared once: this runs on every authenticated request.
  const lookup = client.prepare<
    [string],
    {
      id: string;
      user_id: string;
      secret_hash: Buffer;
      expires_at: number;
      email: string;
      name: string;
      role: Role;
      created_at: number;
    }
  >(
    `select s.id, s.user_id, s.secret_hash, s.expires_at, u.email, u.name, u.role, u.created_at
       from sessions s join users u on u.id = s.user_id where s.id = ?`,
  );
  const extend = client.prepare<[number, string]>(
    "update sessions set expires_at = ? where id = ?",
  );
  const remove = client.prepare<[string]>("delete from sessions where id = ?");
  // One statement, so a password change cannot leave a session behind half-way.
  const removeAllOf = client.prepare<[string, string]>(
    "delete from sessions where user_id = ? and id <> ?",
  );

  return {
    create(userId, now) {
      const id = randomString();
      const secret = randomString();
      const session = { id, userId, expiresAt: now + lifetimeMs };
      db.insert(schema.sessions)
        .values({
          id,
          userId,
          secretHash: sha256(secret),
          createdAt: now,
          expiresAt: session.expiresAt,
        })
        .run();
      return { token: `${id}.${secret}`, session };
    },

    validate(token, now) {
      const parts = token.split(".");
      if (parts.length !== 2) return null;
      const [id, secret] = parts as [string, string];
      if (id.length === 0 || id.length > 64 || secret.length > 64) return null;
      const row = lookup.get(id);
      if (!row) return null;
      const hash = sha256(secret);
      if (row.secret_hash.length !== hash.length || !timingSafeEqual(row.secret_hash, hash))
        return null;
      if (row.expires_at <= now) {
        remove.run(id);
        return null;
      }
      let expiresAt = row.expires_at;
      if (expiresAt - now < lifetimeMs - EXTEND_AFTER_MS) {
        expiresAt = now + lifetimeMs;
        extend.run(expiresAt, id);
      }
      return {
        session: { id, userId: row.user_id, expiresAt },
        user: {
          id: row.user_id,
          email: row.email,
          name: row.name,
          role: row.role,
          createdAt: row.created_at,
        },
      };
    },

    invalidate(sessionId) {
      remove.run(sessionId);
    },

    invalidateAllOf(userId, except) {
      // Session ids are never empty, so "" as the exception keeps nothing.
      removeAllOf.run(userId, except ?? "");
    },
  };
}
