import {
  clearLoginFailures,
  type Db,
  type LoginAttemptKey,
  type LoginFailureCounts,
  recordLoginFailure,
  reserveLoginAttempt,
  sweepLoginFailures,
} from "@boxoffice/db";
import { rateLimited } from "../errors.ts";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * How password checks (auth.login, auth.changePassword) are throttled: docs/API.md "auth" and the
 * README's "Security". Pending checks count as failures until they succeed.
 */
export const LOGIN_THROTTLE = {
  /** Failures of one email from one IP before the delays start. */
  freeFailures: 5,
  /** Then the next check waits this long after the previous one, doubling with each failure… */
  firstDelayMs: MINUTE_MS,
  /** …up to this. */
  maxDelayMs: HOUR_MS,
  /** A pair's failures are remembered this long (or until it signs in). */
  pairWindowMs: 24 * HOUR_MS,
  /** Failures of one email from all IPs together: the cap on distributed guessing. */
  emailCap: 50,
  emailWindowMs: HOUR_MS,
  /** Failures of one IP over all emails: the cap on spraying from one address. */
  ipCap: 30,
  ipWindowMs: 15 * MINUTE_MS,
} as const;

/**
 * When a check of a pair with these failures may be made, or null for now. One IP alone cannot
 * reach the email's cap (the delays let it make about 10 checks an hour), so its failures never
 * keep the owner out when the owner signs in from elsewhere.
 */
export function loginRetryAt(counts: LoginFailureCounts, now: number): number | null {
  const p = LOGIN_THROTTLE;
  const waits: number[] = [];
  if (counts.pairFailures >= p.freeFailures && counts.pairLatestAt !== null) {
    const delay = Math.min(
      p.firstDelayMs * 2 ** (counts.pairFailures - p.freeFailures),
      p.maxDelayMs,
    );
    if (counts.pairLatestAt + delay > now) waits.push(counts.pairLatestAt + delay);
  }
  if (counts.emailCapReachedAt !== null) waits.push(counts.emailCapReachedAt + p.emailWindowMs);
  if (counts.ipCapReachedAt !== null) waits.push(counts.ipCapReachedAt + p.ipWindowMs);
  return waits.length > 0 ? Math.max(...waits) : null;
}

/** A reserved password check: settle it with `succeeded` or `failed`. */
export interface LoginAttempt extends LoginAttemptKey {
  readonly id: number;
}

/**
 * Throttles for sign-in and sign-up. Per client IP: a sliding minute of auth calls, kept in memory
 * (one node). Per password check: the failures of the email and IP (LOGIN_THROTTLE), kept in
 * SQLite so a restart does not reset an attack in progress.
 */
export class AuthRateLimits {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly db: Db,
    private readonly perIpPerMinute: number,
  ) {}

  /** Counts one auth call from `ip`; throws RATE_LIMITED when it is over the limit. */
  countCall(ip: string, now: number): void {
    const recent = (this.hits.get(ip) ?? []).filter((at) => at > now - MINUTE_MS);
    if (recent.length >= this.perIpPerMinute) {
      this.hits.set(ip, recent);
      const oldest = recent[recent.length - this.perIpPerMinute] ?? now;
      throw rateLimited(
        "Too many sign-in attempts from your network; try again in a minute",
        oldest + MINUTE_MS - now,
      );
    }
    recent.push(now);
    this.hits.set(ip, recent);
    if (this.hits.size > 10_000) this.sweep(now);
  }

  /**
   * Reserves a password check for `email` from `ip` before any hash is verified, or throws
   * RATE_LIMITED with the seconds to wait. Atomic, so concurrent checks see each other.
   */
  reserveCheck(email: string, ip: string, now: number): LoginAttempt {
    const p = LOGIN_THROTTLE;
    const key = { email, ip };
    const reservation = reserveLoginAttempt(
      this.db,
      key,
      now,
      {
        pairSince: now - p.pairWindowMs,
        emailSince: now - p.emailWindowMs,
        emailCap: p.emailCap,
        ipSince: now - p.ipWindowMs,
        ipCap: p.ipCap,
      },
      (counts) => loginRetryAt(counts, now),
    );
    if (!reservation.reserved) {
      throw rateLimited(
        "Too many failed sign-ins; wait before trying again",
        reservation.retryAt - now,
      );
    }
    return { ...key, id: reservation.attemptId };
  }

  /** The check failed: it counts. */
  failed(attempt: LoginAttempt): void {
    recordLoginFailure(this.db, attempt.id);
  }

  /** The check succeeded: the pair's failures are forgotten (other IPs' stay). */
  succeeded(attempt: LoginAttempt): void {
    clearLoginFailures(this.db, attempt, attempt.id);
  }

  /** Forgets what no window can count any more. */
  sweep(now: number): void {
    for (const [ip, times] of this.hits) {
      if (times.every((at) => at <= now - MINUTE_MS)) this.hits.delete(ip);
    }
    sweepLoginFailures(this.db, now - LOGIN_THROTTLE.pairWindowMs);
  }
}
