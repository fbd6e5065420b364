import { describe, expect, it } from "bun:test";
import type { LoginFailureCounts } from "@boxoffice/db";
import { LOGIN_THROTTLE, loginRetryAt } from "./rate-limit.ts";

const now = 10_000_000_000;
const MINUTE = 60_000;
const none: LoginFailureCounts = {
  pairFailures: 0,
  pairLatestAt: null,
  emailCapReachedAt: null,
  ipCapReachedAt: null,
};

describe("loginRetryAt", () => {
  const cases: [string, Partial<LoginFailureCounts>, number | null][] = [
    ["allows a first check", {}, null],
    ["allows the fifth check at once", { pairFailures: 4, pairLatestAt: now }, null],
    [
      "waits a minute after the fifth failure",
      { pairFailures: 5, pairLatestAt: now },
      now + MINUTE,
    ],
    [
      "counts the wait from the latest failure",
      { pairFailures: 5, pairLatestAt: now - 40_000 },
      now + 20_000,
    ],
    ["allows once the wait is over", { pairFailures: 5, pairLatestAt: now - MINUTE }, null],
    ["doubles with each failure", { pairFailures: 7, pairLatestAt: now }, now + 4 * MINUTE],
    ["never waits more than an hour", { pairFailures: 40, pairLatestAt: now }, now + 60 * MINUTE],
    [
      "waits for the email's cap to free a place",
      { emailCapReachedAt: now - 10 * MINUTE },
      now + 50 * MINUTE,
    ],
    [
      "waits for the IP's cap to free a place",
      { ipCapReachedAt: now - 5 * MINUTE },
      now + 10 * MINUTE,
    ],
    [
      "waits for the latest of several limits",
      { pairFailures: 6, pairLatestAt: now, ipCapReachedAt: now - 14 * MINUTE },
      now + 2 * MINUTE,
    ],
  ];
  for (const [name, counts, expected] of cases) {
    it(name, () => {
      expect(loginRetryAt({ ...none, ...counts }, now)).toBe(expected);
    });
  }

  it("lets one IP make fewer checks an hour than the email's cap", () => {
    // Every check at the first moment the throttle allows it, all failing.
    let at = now;
    let failures = 0;
    let latest: number | null = null;
    while (at < now + 60 * MINUTE) {
      const retryAt = loginRetryAt({ ...none, pairFailures: failures, pairLatestAt: latest }, at);
      if (retryAt !== null) {
        at = retryAt;
        continue;
      }
      failures++;
      latest = at;
    }
    expect(failures).toBeLessThan(LOGIN_THROTTLE.emailCap);
    expect(failures).toBeLessThanOrEqual(11);
  });
});
