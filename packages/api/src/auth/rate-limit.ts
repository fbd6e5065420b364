import {
  clearLoginFailures,
  countLoginFailuresSince,
  type Db,
  recordLoginFailure,
  sweepLoginFailures,
} from "@boxoffice/db";

const MINUTE_MS = 60_000;
const FAILURE_WINDOW_MS = 15 * MINUTE_MS;
const MAX_FAILURES_PER_EMAIL = 10;

/**
 * Throttles for sign-in and sign-up. Per client IP: a sliding minute of auth.register +
 * auth.login calls, kept in memory (one node). Per email: failed logins in the last 15 minutes,
 * kept in SQLite so a restart does not reset an attack in progress.
 */
export class AuthRateLimits {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly db: Db,
    private readonly perIpPerMinute: number,
  ) {}

  /** Counts one auth attempt from `ip`; false when it is over the limit. */
  allowIp(ip: string, now: number): boolean {
    const recent = (this.hits.get(ip) ?? []).filter((at) => at > now - MINUTE_MS);
    if (recent.length >= this.perIpPerMinute) {
      this.hits.set(ip, recent);
      return false;
    }
    recent.push(now);
    this.hits.set(ip, recent);
    if (this.hits.size > 10_000) this.sweep(now);
    return true;
  }

  emailLocked(email: string, now: number): boolean {
    return (
      countLoginFailuresSince(this.db, email, now - FAILURE_WINDOW_MS) >= MAX_FAILURES_PER_EMAIL
    );
  }

  recordFailure(email: string, now: number): void {
    recordLoginFailure(this.db, email, now);
  }

  clearFailures(email: string): void {
    clearLoginFailures(this.db, email);
  }

  /** Forgets what no window can count any more. */
  sweep(now: number): void {
    for (const [ip, times] of this.hits) {
      if (times.every((at) => at <= now - MINUTE_MS)) this.hits.delete(ip);
    }
    sweepLoginFailures(this.db, now - FAILURE_WINDOW_MS);
  }
}
