/**
 * Sessions as Lucia's current guide teaches them (no library): a token `<id>.<secret>` with two
 * random halves; the database keeps the id and SHA-256(secret) only, and the secret is compared in
 * constant time, so neither a leaked table nor response timing gives a usable token away.
 */
import { randomString, sameSecret } from "@boxoffice/core";
import { createSessionQueries, type Db, type SessionRow, type UserRole } from "@boxoffice/db";

export type Role = UserRole;

export interface PublicUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: number;
  /** When they asked to become an organizer, while no admin has decided it; else null. */
  readonly organizerRequestedAt: number | null;
  /** When the email address was verified (a mailed link followed), or null. */
  readonly emailVerifiedAt: number | null;
}

export interface AuthSession {
  readonly id: string;
  readonly userId: string;
  readonly expiresAt: number;
}

function sha256(text: string): Buffer {
  return new Bun.CryptoHasher("sha256").update(text).digest();
}

/** At most one write per session per this interval for the sliding expiry. */
const EXTEND_AFTER_MS = 3_600_000;

export interface NewSession {
  readonly token: string;
  readonly session: AuthSession;
}

export interface SessionStore {
  create(userId: string, now: number): NewSession;
  /**
   * A new session that is not stored yet: for a caller that writes `row` in its own transaction
   * (a password change). Its token works once `row` is committed.
   */
  mint(userId: string, now: number): NewSession & { row: SessionRow };
  validate(token: string, now: number): { session: AuthSession; user: PublicUser } | null;
  invalidate(sessionId: string): void;
  invalidateAllOf(userId: string, except?: string): void;
  /** Drops what is cached about a user (after a role or profile change). */
  forgetUser(userId: string): void;
  /**
   * Forgets the cached sessions loaded `CACHE_TTL_MS` or more before `now`, which the next
   * request would load again anyway: after an on-sale, the memory of every buyer who has not
   * come back. From the server's housekeeping; changes no answer of `validate`.
   */
  sweep(now: number): void;
  /** How many sessions are cached in memory. */
  readonly cachedCount: number;
}

/** How long a validated session is trusted from memory before SQLite is asked again. */
const CACHE_TTL_MS = 300_000;
const CACHE_MAX_ENTRIES = 50_000;

interface Cached {
  /**
   * The SHA-256 of the secret as a string of one character a byte (latin1): 144 B less heap per
   * cached session than the Buffer SQLite gives (measured over 20,000 sessions: 391 B against
   * 535), which every signed-in buyer waiting in an on-sale room keeps.
   */
  readonly secretHash: string;
  readonly user: PublicUser;
  expiresAt: number;
  readonly loadedAt: number;
}

export function createSessionStore(db: Db, sessionDays: number): SessionStore {
  const lifetimeMs = sessionDays * 86_400_000;
  // Prepared once: validation runs on every authenticated request.
  const queries = createSessionQueries(db);

  // Every authenticated request validates its session; on the booking path the session/user join cost
  // about a quarter of the server's CPU. Revocations go through this store, which drops the cached
  // entry at once, so the cache never lets a revoked session in; the TTL bounds how long other
  // changes to the user (made outside this store) take to show. Entries stay in the order they
  // were loaded (one loaded again moves to the end), so the least recently loaded goes first when
  // the cache is full, and a sweep stops at the first fresh one.
  const cache = new Map<string, Cached>();
  const remember = (id: string, entry: Cached) => {
    cache.delete(id);
    if (cache.size >= CACHE_MAX_ENTRIES) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(id, entry);
  };
  const load = (id: string, now: number): Cached | null => {
    const cached = cache.get(id);
    if (cached && now - cached.loadedAt < CACHE_TTL_MS) return cached;
    const row = queries.find(id);
    if (!row) {
      cache.delete(id);
      return null;
    }
    const entry: Cached = {
      secretHash: row.secretHash.toString("latin1"),
      expiresAt: row.expiresAt,
      loadedAt: now,
      user: row.user,
    };
    remember(id, entry);
    return entry;
  };

  const mint: SessionStore["mint"] = (userId, now) => {
    const id = randomString();
    const secret = randomString();
    const session = { id, userId, expiresAt: now + lifetimeMs };
    const row = { ...session, secretHash: sha256(secret), createdAt: now };
    return { token: `${id}.${secret}`, session, row };
  };

  return {
    mint,

    create(userId, now) {
      const { token, session, row } = mint(userId, now);
      queries.insert(row);
      return { token, session };
    },

    validate(token, now) {
      const parts = token.split(".");
      if (parts.length !== 2) return null;
      const [id, secret] = parts as [string, string];
      if (id.length === 0 || id.length > 64 || secret.length > 64) return null;
      const entry = load(id, now);
      if (!entry) return null;
      if (!sameSecret(sha256(secret).toString("latin1"), entry.secretHash)) return null;
      if (entry.expiresAt <= now) {
        cache.delete(id);
        queries.remove(id);
        return null;
      }
      if (entry.expiresAt - now < lifetimeMs - EXTEND_AFTER_MS) {
        entry.expiresAt = now + lifetimeMs;
        queries.extend(id, entry.expiresAt);
      }
      return {
        session: { id, userId: entry.user.id, expiresAt: entry.expiresAt },
        user: entry.user,
      };
    },

    invalidate(sessionId) {
      cache.delete(sessionId);
      queries.remove(sessionId);
    },

    invalidateAllOf(userId, except) {
      queries.removeAllOf(userId, except ?? null);
      for (const [id, entry] of cache)
        if (entry.user.id === userId && id !== except) cache.delete(id);
    },

    forgetUser(userId) {
      for (const [id, entry] of cache) if (entry.user.id === userId) cache.delete(id);
    },

    sweep(now) {
      for (const [id, entry] of cache) {
        if (now - entry.loadedAt < CACHE_TTL_MS) return;
        cache.delete(id);
      }
    },

    get cachedCount() {
      return cache.size;
    },
  };
}
