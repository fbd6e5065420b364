/**
 * HTTP on a real server: batch size, long URLs and paths, security headers, and the Origin rule
 * without PUBLIC_ORIGIN (docs/API.md "Wire format").
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { publishedEvent, startTestServer, type TestServer } from "./testing.ts";

interface TrpcError {
  message: string;
  data: { code: string; httpStatus: number; reason?: string | null };
}
type BatchItem = { result?: { data: unknown }; error?: TrpcError };

const list = (n: number, path = "events.list") => Array.from({ length: n }, () => path).join(",");

/** The query string tRPC's batch link builds for these inputs. */
const batchQuery = (inputs: unknown[]) =>
  `?batch=1&input=${encodeURIComponent(JSON.stringify(Object.fromEntries(inputs.entries())))}`;

describe("batches", () => {
  let t: TestServer;
  // Low, so that a batch of sign-ups can be seen counted call by call.
  const AUTH_PER_MINUTE = 5;
  beforeAll(async () => {
    t = await startTestServer({ RATE_LIMIT_AUTH_PER_MINUTE: String(AUTH_PER_MINUTE) });
  });
  afterAll(() => t.stop());

  it("refuses a GET batch of 21 calls with 400 naming the limit, and runs a batch of 20", async () => {
    const refused = await fetch(`${t.url}/trpc/${list(21)}?batch=1`);
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: TrpcError };
    expect(body.error.data).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400 });
    expect(body.error.message).toContain("at most 20 calls");

    const accepted = await fetch(`${t.url}/trpc/${list(20)}?batch=1`);
    expect(accepted.status).toBe(200);
    const items = (await accepted.json()) as BatchItem[];
    expect(items).toHaveLength(20);
    expect(items.every((item) => item.result !== undefined)).toBe(true);
  });

  it("refuses a POST batch of 21 mutations before any runs, and runs a batch of 20", async () => {
    const { token } = t.user();
    const post = (n: number) =>
      fetch(`${t.url}/trpc/${list(n, "system.noop")}?batch=1`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: "{}",
      });
    const refused = await post(21);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: TrpcError }).error.data.code).toBe("BAD_REQUEST");
    const accepted = await post(20);
    expect(accepted.status).toBe(200);
    expect((await accepted.json()) as BatchItem[]).toHaveLength(20);
  });

  it("answers a 300-call GET batch with 400 at once, and /healthz promptly meanwhile", async () => {
    const organizer = t.user("organizer");
    for (let i = 0; i < 3; i++) await publishedEvent(organizer.client, { title: `Rush ${i}` });
    const started = performance.now();
    const timed = async (url: string) => {
      const res = await fetch(url);
      await res.arrayBuffer();
      return { status: res.status, ms: performance.now() - started };
    };
    const [batch, health] = await Promise.all([
      timed(`${t.url}/trpc/${list(300)}?batch=1`),
      timed(`${t.url}/healthz`),
    ]);
    expect(batch.status).toBe(400);
    expect(health.status).toBe(200);
    expect(batch.ms).toBeLessThan(500);
    expect(health.ms).toBeLessThan(500);
  });

  it("refuses a batch whose path list is absurdly long", async () => {
    const res = await fetch(`${t.url}/trpc/events.${"x".repeat(3_000)},auth.me?batch=1`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: TrpcError }).error.data.code).toBe("BAD_REQUEST");
  });

  it("counts every call of an accepted batch against the sign-up limit, as separate requests", async () => {
    const n = AUTH_PER_MINUTE + 3;
    const inputs = Array.from({ length: n }, (_, i) => ({
      email: `batch${i}-${Math.random().toString(36).slice(2, 8)}@example.test`,
      password: "correct horse battery",
      name: `Batch ${i}`,
    }));
    const res = await fetch(`${t.url}/trpc/${list(n, "auth.register")}?batch=1`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(Object.fromEntries(inputs.entries())),
    });
    const items = (await res.json()) as BatchItem[];
    expect(items).toHaveLength(n);
    expect(items.filter((item) => item.result !== undefined)).toHaveLength(AUTH_PER_MINUTE);
    const refused = items.filter((item) => item.error?.data.reason === "RATE_LIMITED");
    expect(refused).toHaveLength(n - AUTH_PER_MINUTE);
  });
});

describe("long URLs and paths", () => {
  let t: TestServer;
  let eventIds: string[];
  const dist = mkdtempSync(join(tmpdir(), "boxoffice-dist-"));
  mkdirSync(join(dist, "assets"));
  writeFileSync(join(dist, "index.html"), "<!doctype html><title>app</title>");
  writeFileSync(join(dist, "assets/index-abc123.js"), "console.log(1)");
  beforeAll(async () => {
    t = await startTestServer({}, { webDist: dist });
    const organizer = t.user("organizer");
    eventIds = [];
    for (let i = 0; i < 4; i++) eventIds.push((await publishedEvent(organizer.client)).id);
  });
  afterAll(async () => {
    await t.stop();
    rmSync(dist, { recursive: true, force: true });
  });

  it("answers 414 for a request target over 8 KiB, on static paths and the API alike", async () => {
    for (const target of [
      `/${"a".repeat(16_000)}`,
      `/${"a".repeat(8_192)}`,
      `/trpc/events.list?input=${encodeURIComponent(JSON.stringify({ search: "x".repeat(8_200) }))}`,
    ]) {
      const res = await fetch(`${t.url}${target}`);
      expect(res.status).toBe(414);
      expect(await res.json()).toMatchObject({
        error: { data: { code: "BAD_REQUEST", httpStatus: 414 } },
      });
    }
  });

  it("answers 404, not 500, for static paths the file system cannot look up", async () => {
    for (const target of [
      `/${"a/".repeat(2_100)}`,
      `/${"a".repeat(8_000)}`,
      `/${"a".repeat(300)}`,
      `/assets/${"b".repeat(4_500)}.js`,
    ]) {
      const res = await fetch(`${t.url}${target}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: "Not found" });
    }
    // What the app serves is unchanged.
    expect((await fetch(`${t.url}/assets/index-abc123.js`)).status).toBe(200);
    expect((await fetch(`${t.url}/events/evt_1`)).status).toBe(200);
  });

  it("fits a GET batch of 20 calls with the largest ids and cursors inputs take", async () => {
    // The worst case of id-shaped queries: 64-character ids and 200-character cursors.
    const inputs = Array.from({ length: 20 }, () => ({
      eventId: "e".repeat(64),
      cursor: "c".repeat(200),
      limit: 100,
    }));
    const target = `/trpc/${list(20, "bookings.forEvent")}${batchQuery(inputs)}`;
    expect(target.length).toBeLessThan(8_192);
    const { token } = t.user("organizer");
    const res = await fetch(`${t.url}${target}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).not.toBe(414);
    expect((await res.json()) as BatchItem[]).toHaveLength(20);
  });

  it("answers a realistic GET batch of 20 event reads", async () => {
    const inputs = Array.from({ length: 20 }, (_, i) => ({ eventId: eventIds[i % 4] }));
    const res = await fetch(`${t.url}/trpc/${list(20, "events.get")}${batchQuery(inputs)}`);
    expect(res.status).toBe(200);
    const items = (await res.json()) as BatchItem[];
    const ids = items.map((item) => (item.result?.data as { id: string } | undefined)?.id);
    expect(ids).toEqual(inputs.map((input) => input.eventId));
  });
});

describe("security headers", () => {
  const POLICY =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; " +
    "frame-ancestors 'none'; form-action 'self'";
  let t: TestServer;
  const dist = mkdtempSync(join(tmpdir(), "boxoffice-dist-"));
  writeFileSync(join(dist, "index.html"), "<!doctype html><title>app</title>");
  beforeAll(async () => {
    t = await startTestServer({}, { webDist: dist });
  });
  afterAll(async () => {
    await t.stop();
    rmSync(dist, { recursive: true, force: true });
  });

  it("sends a strict Content-Security-Policy with the app at / and on client routes", async () => {
    for (const path of ["/", "/events/evt_1", "/organizer/events/evt_1/door"]) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(res.headers.get("content-security-policy")).toBe(POLICY);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("sends it on every other answer too: API, health, refusals", async () => {
    const answers = [
      await fetch(`${t.url}/trpc/auth.me`),
      await fetch(`${t.url}/healthz`),
      await fetch(`${t.url}/trpc/${list(21)}?batch=1`),
      await fetch(`${t.url}/${"a".repeat(9_000)}`),
    ];
    for (const res of answers) {
      expect(res.headers.get("content-security-policy")).toBe(POLICY);
      await res.arrayBuffer();
    }
  });
});

describe("origins without PUBLIC_ORIGIN", () => {
  let t: TestServer;
  let token: string;
  beforeAll(async () => {
    t = await startTestServer();
    token = t.user().token;
  });
  afterAll(() => t.stop());

  /** A cookie POST as a browser page at `origin` sends it; `host` is where its DNS pointed. */
  const noop = (origin: string, host?: string) =>
    fetch(`${t.url}/trpc/system.noop`, {
      method: "POST",
      headers: {
        cookie: `session=${token}`,
        origin,
        "content-type": "application/json",
        ...(host ? { host } : {}),
      },
    });

  it("refuses a DNS-rebinding page: Host evil.example and Origin http://evil.example", async () => {
    const res = await noop("http://evil.example", "evil.example");
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { data: { code: "FORBIDDEN" } } });
    const withPort = await noop(
      `http://evil.example:${t.server.port}`,
      `evil.example:${t.server.port}`,
    );
    expect(withPort.status).toBe(403);
  });

  it("accepts the listen address and loopback names with the server's port", async () => {
    const port = t.server.port;
    for (const name of ["127.0.0.1", "localhost", "[::1]"]) {
      const res = await noop(`http://${name}:${port}`, `${name}:${port}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ result: { data: { ok: true } } });
    }
  });

  it("refuses a loopback page on another port", async () => {
    const other = t.server.port === 1 ? 2 : t.server.port - 1;
    expect((await noop(`http://localhost:${other}`)).status).toBe(403);
  });
});

describe("origins with PUBLIC_ORIGIN", () => {
  it("accepts only the public origin, loopback names included", async () => {
    const t = await startTestServer({ PUBLIC_ORIGIN: "https://tickets.example" });
    try {
      const { token } = t.user();
      const noop = (origin: string) =>
        fetch(`${t.url}/trpc/system.noop`, {
          method: "POST",
          headers: { cookie: `session=${token}`, origin, "content-type": "application/json" },
        });
      expect((await noop("https://tickets.example")).status).toBe(200);
      expect((await noop(`http://localhost:${t.server.port}`)).status).toBe(403);
      expect((await noop(t.url)).status).toBe(403);
    } finally {
      await t.stop();
    }
  });
});
