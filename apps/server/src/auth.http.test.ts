import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TRPCClientError } from "@boxoffice/client";
import { startTestServer, type TestServer } from "./testing.ts";

const password = "correct horse battery";
const evil = "http://evil.example";

interface TrpcBody {
  result?: { data: unknown };
  error?: {
    message: string;
    data: {
      code: string;
      httpStatus: number;
      reason?: string;
      details?: Record<string, unknown> | null;
      issues?: { path: string }[];
      stack?: unknown;
    };
  };
}

/** Raw HTTP against a server: what a browser or curl would send, with nothing typed in between. */
function rawHttp(url: string) {
  const call = async (path: string, init: RequestInit) => {
    const res = await fetch(`${url}/trpc/${path}`, init);
    const text = await res.text();
    let body: TrpcBody = {};
    try {
      body = JSON.parse(text) as TrpcBody;
    } catch {
      // Non-JSON bodies are checked by status only.
    }
    return { res, body, text, cookies: res.headers.getSetCookie() };
  };
  return {
    post: (path: string, input: unknown, headers: Record<string, string> = {}) =>
      call(path, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: typeof input === "string" ? input : JSON.stringify(input),
      }),
    get: (path: string, input: unknown, headers: Record<string, string> = {}) =>
      call(
        input === undefined ? path : `${path}?input=${encodeURIComponent(JSON.stringify(input))}`,
        {
          headers,
        },
      ),
  };
}

/** The result of a call that must have succeeded. */
function dataOf<T>(r: { body: TrpcBody; text: string }): T {
  if (!r.body.result) throw new Error(`expected a result, got ${r.text}`);
  return r.body.result.data as T;
}

function sessionCookieOf(cookies: string[]): string {
  const cookie = cookies.find((c) => c.startsWith("session="));
  if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(cookies)}`);
  return cookie;
}

const cookieHeader = (token: string) => ({ cookie: `theme=dark; session=${token}` });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("auth over HTTP", () => {
  let t: TestServer;
  let http: ReturnType<typeof rawHttp>;
  let n = 0;
  const email = () => `http${++n}-${Date.now()}@example.test`;

  beforeAll(async () => {
    t = await startTestServer();
    http = rawHttp(t.url);
  });
  afterAll(() => t.stop());

  async function registerRaw() {
    const address = email();
    const r = await http.post("auth.register", { email: address, password, name: "Ann" });
    expect(r.res.status).toBe(200);
    const data = dataOf<{ token: string; user: { id: string } }>(r);
    return { email: address, token: data.token, user: data.user, cookies: r.cookies };
  }

  it("registers, returns the public user and sets an HttpOnly SameSite=Lax session cookie", async () => {
    const { token, user, cookies } = await registerRaw();
    expect(Object.keys(user).sort()).toEqual([
      "createdAt",
      "email",
      "emailVerified",
      "id",
      "name",
      "organizerRequest",
      "role",
    ]);
    const cookie = sessionCookieOf(cookies);
    expect(cookie).toStartWith(`session=${token};`);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/");
    expect(cookie).toContain(`Max-Age=${30 * 86_400}`);
    expect(cookie).not.toContain("Secure");
  });

  it("answers GET /trpc/auth.me with the user for the session cookie, and null without", async () => {
    const { token, email: address } = await registerRaw();
    const me = await http.get("auth.me", undefined, cookieHeader(token));
    expect(me.res.status).toBe(200);
    expect(me.body.result?.data).toMatchObject({ email: address, role: "attendee" });
    const anonymous = await http.get("auth.me", undefined);
    expect(anonymous.body.result?.data).toBeNull();
  });

  it("authenticates a bearer token through the typed client", async () => {
    const { token, email: address } = await t.register("organizer");
    expect(await t.client(token).auth.me.query()).toMatchObject({
      email: address,
      role: "organizer",
    });
  });

  it("refuses a cookie-authenticated POST from a foreign Origin with 403, and the session lives on", async () => {
    const { token } = await registerRaw();
    const r = await http.post("auth.logout", {}, { ...cookieHeader(token), origin: evil });
    expect(r.res.status).toBe(403);
    expect(r.body.error?.data.code).toBe("FORBIDDEN");
    const me = await http.get("auth.me", undefined, bearer(token));
    expect(me.body.result?.data).not.toBeNull();
  });

  it("refuses a cross-site cookie POST that carries only Sec-Fetch-Site", async () => {
    const { token } = await registerRaw();
    const r = await http.post(
      "auth.logout",
      {},
      {
        ...cookieHeader(token),
        "sec-fetch-site": "cross-site",
      },
    );
    expect(r.res.status).toBe(403);
  });

  it("refuses an anonymous login POST from a foreign Origin (login CSRF)", async () => {
    const { email: address } = await registerRaw();
    const r = await http.post("auth.login", { email: address, password }, { origin: evil });
    expect(r.res.status).toBe(403);
    expect(r.cookies).toHaveLength(0);
  });

  it("accepts a cookie POST from the app's own origin", async () => {
    const { token } = await registerRaw();
    const r = await http.post("auth.logout", {}, { ...cookieHeader(token), origin: t.url });
    expect(r.res.status).toBe(200);
    expect(r.body.result?.data).toEqual({ ok: true });
  });

  it("accepts a bearer POST whatever its Origin", async () => {
    const { token } = await registerRaw();
    const r = await http.post("auth.logout", {}, { ...bearer(token), origin: evil });
    expect(r.res.status).toBe(200);
  });

  it("logs out: the session is gone server-side and the cookie is cleared", async () => {
    const { token } = await registerRaw();
    const r = await http.post("auth.logout", {}, bearer(token));
    expect(sessionCookieOf(r.cookies)).toMatch(/^session=;.*Max-Age=0/);
    const me = await http.get("auth.me", undefined, cookieHeader(token));
    expect(me.body.result?.data).toBeNull();
    const again = await http.post("auth.logout", {}, bearer(token));
    expect(again.res.status).toBe(401);
    expect(again.body.error?.data.code).toBe("UNAUTHORIZED");
  });

  it("counts in /healthz the sessions held in memory: one more at a session's first request, one fewer at sign-out", async () => {
    const cached = async () => {
      const res = await fetch(`${t.url}/healthz`);
      return ((await res.json()) as { sessions: number }).sessions;
    };
    const { token } = await registerRaw();
    const before = await cached();
    await http.get("auth.me", undefined, cookieHeader(token));
    expect(await cached()).toBe(before + 1);
    await http.get("auth.me", undefined, cookieHeader(token));
    expect(await cached()).toBe(before + 1);
    await http.post("auth.logout", {}, bearer(token));
    expect(await cached()).toBe(before);
  });

  it("refuses a duplicate email with 409 CONFLICT and reason EMAIL_TAKEN", async () => {
    const { email: address } = await registerRaw();
    const r = await http.post("auth.register", {
      email: address.toUpperCase(),
      password,
      name: "Again",
    });
    expect(r.res.status).toBe(409);
    expect(r.body.error?.data).toMatchObject({
      code: "CONFLICT",
      httpStatus: 409,
      reason: "EMAIL_TAKEN",
    });
    expect(r.body.error?.data.stack).toBeUndefined();
  });

  it("refuses a wrong password with 401 INVALID_CREDENTIALS and no cookie", async () => {
    const { email: address } = await registerRaw();
    const r = await http.post("auth.login", { email: address, password: "wrong password" });
    expect(r.res.status).toBe(401);
    expect(r.body.error?.data).toMatchObject({
      code: "UNAUTHORIZED",
      reason: "INVALID_CREDENTIALS",
    });
    expect(r.cookies).toHaveLength(0);
  });

  it("answers a malformed JSON body with a 4xx, not a 500", async () => {
    const r = await http.post("auth.login", "{not json");
    expect(r.res.status).toBeGreaterThanOrEqual(400);
    expect(r.res.status).toBeLessThan(500);
  });

  it("answers an unknown procedure with 404", async () => {
    expect((await http.post("auth.nope", {})).res.status).toBe(404);
    expect((await http.get("nothing.here", undefined)).res.status).toBe(404);
  });

  it("answers wrong input types with 400 and issues naming the field", async () => {
    const r = await http.post("auth.register", { email: 42, password, name: "Ann" });
    expect(r.res.status).toBe(400);
    expect(r.body.error?.data.code).toBe("BAD_REQUEST");
    expect(r.body.error?.data.issues?.map((i) => i.path)).toContain("email");
  });

  it("answers oversized strings with 400 naming the field", async () => {
    const r = await http.post("auth.register", {
      email: email(),
      password,
      name: "n".repeat(50_000),
    });
    expect(r.res.status).toBe(400);
    expect(r.body.error?.data.issues?.map((i) => i.path)).toEqual(["name"]);
    const login = await http.post("auth.login", { email: email(), password: "p".repeat(10_000) });
    expect(login.res.status).toBe(400);
    expect(login.body.error?.data.issues?.map((i) => i.path)).toEqual(["password"]);
  });

  it("changePassword revokes the other sessions and hands back a working token", async () => {
    const { email: address, token: first } = await registerRaw();
    const second = dataOf<{ token: string }>(
      await http.post("auth.login", { email: address, password }),
    );
    const r = await http.post(
      "auth.changePassword",
      { currentPassword: password, newPassword: "another fine passphrase" },
      { ...cookieHeader(first), origin: t.url },
    );
    expect(r.res.status).toBe(200);
    const { token } = dataOf<{ token: string }>(r);
    expect(sessionCookieOf(r.cookies)).toStartWith(`session=${token};`);
    expect(
      (await http.get("auth.me", undefined, bearer(second.token))).body.result?.data,
    ).toBeNull();
    expect(
      (await http.get("auth.me", undefined, cookieHeader(token))).body.result?.data,
    ).toMatchObject({
      email: address,
    });
    const old = await http.post("auth.login", { email: address, password });
    expect(old.body.error?.data.reason).toBe("INVALID_CREDENTIALS");
  });

  it("throttles an email from one address after 5 failed logins, even for the right password", async () => {
    const { email: address } = await registerRaw();
    for (let i = 0; i < 5; i++) {
      const r = await http.post("auth.login", { email: address, password: "wrong password" });
      expect(r.body.error?.data.reason).toBe("INVALID_CREDENTIALS");
    }
    const r = await http.post("auth.login", { email: address, password });
    expect(r.res.status).toBe(429);
    expect(r.body.error?.data).toMatchObject({
      code: "TOO_MANY_REQUESTS",
      reason: "RATE_LIMITED",
    });
    // A minute after the fifth failure, less the time since.
    const retryAfter = r.body.error?.data.details?.retryAfterSeconds;
    expect(retryAfter).toBeGreaterThanOrEqual(50);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(r.res.headers.get("retry-after")).toBe(String(retryAfter));
  });

  it("treats an undecodable session cookie as signed out, not as a 500", async () => {
    const r = await http.get("auth.me", undefined, { cookie: "session=%E0%A4%A" });
    expect(r.res.status).toBe(200);
    expect(r.body.result?.data).toBeNull();
  });

  it("keeps users' admin procedures from non-admins (403) and anonymous callers (401)", async () => {
    const { token } = await registerRaw();
    expect((await http.get("users.list", {}, bearer(token))).res.status).toBe(403);
    expect((await http.get("users.list", {})).res.status).toBe(401);
  });
});

describe("throttling per client IP", () => {
  it("refuses the sixth register or login within a minute when the limit is 5", async () => {
    const t = await startTestServer({ RATE_LIMIT_AUTH_PER_MINUTE: "5" });
    try {
      const http = rawHttp(t.url);
      await http.post("auth.register", { email: "ip@example.test", password, name: "Ip" });
      for (let i = 0; i < 4; i++) {
        const r = await http.post("auth.login", { email: "ip@example.test", password });
        expect(r.res.status).toBe(200);
      }
      const r = await http.post("auth.register", {
        email: "ip2@example.test",
        password,
        name: "Ip",
      });
      expect(r.res.status).toBe(429);
      expect(r.body.error?.data).toMatchObject({
        code: "TOO_MANY_REQUESTS",
        reason: "RATE_LIMITED",
      });
    } finally {
      await t.stop();
    }
  });
});

describe("deployment", () => {
  it("marks the cookie Secure and trusts only PUBLIC_ORIGIN behind https", async () => {
    const origin = "https://tickets.example";
    const t = await startTestServer({ PUBLIC_ORIGIN: origin });
    try {
      const http = rawHttp(t.url);
      const r = await http.post("auth.register", { email: "s@example.test", password, name: "S" });
      expect(sessionCookieOf(r.cookies)).toContain("; Secure");
      const { token } = dataOf<{ token: string }>(r);
      const own = await http.post("auth.logout", {}, { ...cookieHeader(token), origin });
      expect(own.res.status).toBe(200);
      const login = await http.post(
        "auth.login",
        { email: "s@example.test", password },
        { origin: t.url },
      );
      // The server's own http:// address is not the public origin.
      expect(login.res.status).toBe(403);
    } finally {
      await t.stop();
    }
  });

  it("creates the bootstrap admin, who can sign in and list users, and keeps everyone across a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "boxoffice-restart-"));
    const env = {
      DATABASE_PATH: join(dir, "boxoffice.db"),
      BOOTSTRAP_ADMIN_EMAIL: "Root@Example.test",
      BOOTSTRAP_ADMIN_PASSWORD: "the admin passphrase",
    };
    try {
      const first = await startTestServer(env);
      const login = await first.client().auth.login.mutate({
        email: "root@example.test",
        password: "the admin passphrase",
      });
      expect(login.user.role).toBe("admin");
      const bob = await first.register("organizer");
      const listed = await first.client(login.token).users.list.query({});
      expect(listed.items.map((u) => u.email).sort()).toEqual(
        [bob.email, "root@example.test"].sort(),
      );
      await first.stop();

      // Same file again: migrations are idempotent, bootstrap adds no second admin.
      const second = await startTestServer(env);
      try {
        const admin = second.client(login.token);
        expect((await admin.auth.me.query())?.email).toBe("root@example.test");
        expect((await admin.users.list.query({})).items).toHaveLength(2);
        const again = await second.client().auth.login.mutate({ email: bob.email, password });
        expect(again.user.id).toBe(bob.userId);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("surfaces refusals to the typed client as TRPCClientError with the reason", async () => {
    const t = await startTestServer();
    try {
      const error = await t
        .client()
        .auth.login.mutate({ email: "ghost@example.test", password })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCClientError);
      expect((error as TRPCClientError<never>).data).toMatchObject({
        code: "UNAUTHORIZED",
        httpStatus: 401,
        reason: "INVALID_CREDENTIALS",
      });
    } finally {
      await t.stop();
    }
  });
});
