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
  /** Drops what is cached about a user (after a role or profile change). */
  forgetUser(userId: string): void;
}

/** How long a validated session is trusted from memory before SQLite is asked again. */
const CACHE_TTL_MS = 300_000;
const CACHE_MAX_ENTRIES = 50_000;

interface Cached {
  readonly secretHash: Buffer;
  readonly user: PublicUser;
  expiresAt: number;
  readonly loadedAt: number;
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

  // Every authenticated request validates its session; on the booking path the join above cost
  // about a quarter of the server's CPU. Revocations go through this store, which drops the cached
  // entry at once, so the cache never lets a revoked session in; the TTL bounds how long other
  // changes to the user (made outside this store) take to show.
  const cache = new Map<string, Cached>();
  const remember = (id: string, entry: Cached) => {
    if (cache.size >= CACHE_MAX_ENTRIES) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(id, entry);
  };
  const load = (id: string, now: number): Cached | null => {
    const cached = cache.get(id);
    if (cached && now - cached.loadedAt < CACHE_TTL_MS) return cached;
    const row = lookup.get(id);
    if (!row) {
      cache.delete(id);
      return null;
    }
    const entry: Cached = {
      secretHash: row.secret_hash,
      expiresAt: row.expires_at,
      loadedAt: now,
      user: {
        id: row.user_id,
        email: row.email,
        name: row.name,
        role: row.role,
        createdAt: row.created_at,
      },
    };
    remember(id, entry);
    return entry;
  };

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
      const entry = load(id, now);
      if (!entry) return null;
      const hash = sha256(secret);
      if (entry.secretHash.length !== hash.length || !timingSafeEqual(entry.secretHash, hash)) {
        return null;
      }
      if (entry.expiresAt <= now) {
        cache.delete(id);
        remove.run(id);
        return null;
      }
      if (entry.expiresAt - now < lifetimeMs - EXTEND_AFTER_MS) {
        entry.expiresAt = now + lifetimeMs;
        extend.run(entry.expiresAt, id);
      }
      return {
        session: { id, userId: entry.user.id, expiresAt: entry.expiresAt },
        user: entry.user,
      };
    },

    invalidate(sessionId) {
      cache.delete(sessionId);
      remove.run(sessionId);
    },

    invalidateAllOf(userId, except) {
      // Session ids are never empty, so "" as the exception keeps nothing.
      removeAllOf.run(userId, except ?? "");
      for (const [id, entry] of cache)
        if (entry.user.id === userId && id !== except) cache.delete(id);
    },

    forgetUser(userId) {
      for (const [id, entry] of cache) if (entry.user.id === userId) cache.delete(id);
    },
  };
}
