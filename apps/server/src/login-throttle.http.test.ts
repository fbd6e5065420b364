/**
 * Sign-in throttling over real HTTP (docs/API.md "auth"): the attempt is reserved before the
 * password is checked, so concurrent guesses see each other; a burst from one address is cut at
 * the limit; a stolen session is no password oracle; and one address's failures do not keep the
 * owner out from another. Argon2 checks are counted at `Bun.password.verify`, which this
 * in-process server calls once per checked password.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "bun:test";
import { request } from "node:http";
import { startTestServer, type TestServer } from "./testing.ts";

const password = "correct horse battery";
const wrong = "not the password";
/** docs/API.md: failures of one (email, IP) pair before the delays start; one IP's cap. */
const FREE_FAILURES = 5;
const IP_FAILURE_CAP = 30;

interface Answer {
  status: number;
  reason: string | null;
  retryAfterSeconds: number | null;
  token: string | null;
}

function answerOf(status: number, text: string): Answer {
  const body = JSON.parse(text) as {
    result?: { data: { token?: string } };
    error?: { data: { reason?: string | null; details?: { retryAfterSeconds?: number } | null } };
  };
  return {
    status,
    reason: body.error?.data.reason ?? null,
    retryAfterSeconds: body.error?.data.details?.retryAfterSeconds ?? null,
    token: body.result?.data.token ?? null,
  };
}

/**
 * A tRPC mutation sent from `localAddress`, one of the loopback addresses: the server sees it as
 * the client IP, so each test plays its own clients.
 */
function postFrom(
  localAddress: string,
  url: string,
  path: string,
  input: unknown,
  token?: string,
): Promise<Answer> {
  const target = new URL(`${url}/trpc/${path}`);
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        localAddress,
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => resolve(answerOf(res.statusCode ?? 0, text)));
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(input));
  });
}

const count = (answers: Answer[], reason: string | null) =>
  answers.filter((a) => a.reason === reason).length;

describe("sign-in throttling over HTTP", () => {
  let t: TestServer;
  let checks = 0;
  const verify = Bun.password.verify;

  beforeAll(async () => {
    // The production default for calls per minute: the throttle, not this, must cut the bursts.
    t = await startTestServer({ RATE_LIMIT_AUTH_PER_MINUTE: "60" });
  });
  afterAll(() => t.stop());
  beforeEach(() => {
    checks = 0;
    Bun.password.verify = (...args: Parameters<typeof verify>) => {
      checks++;
      return verify.apply(Bun.password, args);
    };
  });
  afterEach(() => {
    Bun.password.verify = verify;
  });

  let n = 0;
  async function account(): Promise<{ email: string; token: string }> {
    const email = `throttle${++n}@example.test`;
    // Registered from an address of its own, so that sign-up calls do not use up the per-minute
    // budget of the address under test.
    const answer = await postFrom(`127.0.0.${100 + n}`, t.url, "auth.register", {
      email,
      password,
      name: "Owner",
    });
    expect(answer.status).toBe(200);
    checks = 0;
    return { email, token: answer.token ?? "" };
  }

  it("checks at most 5 of 41 concurrent wrong-then-right passwords, and the right one stays out", async () => {
    const { email } = await account();
    const answers = await Promise.all(
      Array.from({ length: 41 }, (_, i) =>
        postFrom("127.0.0.10", t.url, "auth.login", {
          email,
          password: i === 40 ? password : wrong,
        }),
      ),
    );
    expect(checks).toBeLessThanOrEqual(FREE_FAILURES);
    expect(count(answers, "INVALID_CREDENTIALS")).toBeLessThanOrEqual(FREE_FAILURES);
    expect(count(answers, "RATE_LIMITED")).toBeGreaterThanOrEqual(41 - FREE_FAILURES);
    expect(answers[40]).toMatchObject({ status: 429, reason: "RATE_LIMITED", token: null });

    const after = await postFrom("127.0.0.10", t.url, "auth.login", { email, password });
    expect(after).toMatchObject({ status: 429, reason: "RATE_LIMITED", token: null });
    expect(after.retryAfterSeconds).toBeGreaterThan(0);
    expect(checks).toBeLessThanOrEqual(FREE_FAILURES);
  });

  it("cuts one address's burst of 59 concurrent guesses over many emails at its cap", async () => {
    const answers = await Promise.all(
      Array.from({ length: 59 }, (_, i) =>
        postFrom("127.0.0.9", t.url, "auth.login", {
          email: `sprayed${i}@example.test`,
          password: wrong,
        }),
      ),
    );
    expect(checks).toBeLessThanOrEqual(IP_FAILURE_CAP);
    expect(count(answers, "INVALID_CREDENTIALS")).toBeLessThanOrEqual(IP_FAILURE_CAP);
    expect(count(answers, "RATE_LIMITED")).toBeGreaterThanOrEqual(59 - IP_FAILURE_CAP);
  });

  it("throttles wrong current passwords in changePassword, concurrent or not", async () => {
    const { token } = await account();
    const change = (currentPassword: string) =>
      postFrom(
        "127.0.0.11",
        t.url,
        "auth.changePassword",
        { currentPassword, newPassword: "a brand new passphrase" },
        token,
      );
    const burst = await Promise.all(Array.from({ length: 20 }, () => change(wrong)));
    expect(checks).toBeLessThanOrEqual(FREE_FAILURES);
    expect(count(burst, "RATE_LIMITED")).toBeGreaterThanOrEqual(20 - FREE_FAILURES);
    for (let i = 0; i < 5; i++) {
      expect(await change(wrong)).toMatchObject({ status: 429, reason: "RATE_LIMITED" });
    }
    // The right current password waits for the delay as well.
    expect(await change(password)).toMatchObject({ status: 429, reason: "RATE_LIMITED" });
    expect(checks).toBeLessThanOrEqual(FREE_FAILURES);
  });

  it("lets the owner in from another address while one address is throttled for the email", async () => {
    const { email } = await account();
    for (let i = 0; i < 15; i++) {
      await postFrom("127.0.0.2", t.url, "auth.login", { email, password: wrong });
    }
    const attacker = await postFrom("127.0.0.2", t.url, "auth.login", { email, password });
    expect(attacker).toMatchObject({ status: 429, reason: "RATE_LIMITED", token: null });
    const owner = await postFrom("127.0.0.3", t.url, "auth.login", { email, password });
    expect(owner.status).toBe(200);
    expect(owner.token).not.toBeNull();
  });
});
