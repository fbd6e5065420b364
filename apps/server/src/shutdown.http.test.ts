/**
 * Stopping the real server process (README "Running in production"): SIGTERM finishes what is in
 * flight but does not wait for live subscriptions, which never end by themselves; it cuts them,
 * and the process exits within SHUTDOWN_GRACE_MS.
 */
import { afterAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@boxoffice/client";
import type { Subprocess } from "bun";
import { SHUTDOWN_GRACE_MS } from "./server.ts";
import { publishedEvent, spawnServer } from "./testing.ts";

const dir = mkdtempSync(join(tmpdir(), "boxoffice-shutdown-"));
const children: Subprocess[] = [];
afterAll(() => {
  for (const child of children) child.kill(9);
  rmSync(dir, { recursive: true, force: true });
});

/** Opens `events.availability` over SSE as a browser would, and reads its first message. */
async function subscribe(url: string, eventId: string) {
  const input = encodeURIComponent(JSON.stringify({ eventId }));
  const response = await fetch(`${url}/trpc/events.availability?input=${input}`, {
    headers: { accept: "text/event-stream" },
  });
  expect(response.headers.get("content-type")).toStartWith("text/event-stream");
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let text = "";
  while (!text.includes('"available"')) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended early: ${text}`);
    text += new TextDecoder().decode(value);
  }
  /** Resolves once the server has closed or cut the stream. */
  const closed = (async () => {
    try {
      while (!(await reader.read()).done) {}
    } catch {
      // Cut: what a browser's EventSource sees as an error, and reconnects after.
    }
  })();
  return { closed };
}

describe("SIGTERM", () => {
  it("cuts open live subscriptions and exits within the shutdown grace", async () => {
    const { proc, url } = await spawnServer(join(dir, "sse.db"));
    children.push(proc);
    const anonymous = createClient({ url });
    const { token } = await anonymous.auth.register.mutate({
      email: "organizer@shutdown.test",
      password: "correct horse battery",
      name: "Organizer",
      role: "organizer",
    });
    const event = await publishedEvent(createClient({ url, token }));
    const streams = await Promise.all([subscribe(url, event.id), subscribe(url, event.id)]);

    const sent = Date.now();
    proc.kill("SIGTERM");
    const exited = await Promise.race([proc.exited, Bun.sleep(SHUTDOWN_GRACE_MS + 3_000)]);
    const took = Date.now() - sent;
    expect(exited).toBe(0);
    // Nothing else was in flight: no need to wait out the grace.
    expect(took).toBeLessThan(SHUTDOWN_GRACE_MS);
    await Promise.all(streams.map((s) => s.closed));
  }, 30_000);

  it("lets a request in flight finish before cutting the connections", async () => {
    const { proc, url } = await spawnServer(join(dir, "inflight.db"));
    children.push(proc);
    const anonymous = createClient({ url });
    const { token } = await anonymous.auth.register.mutate({
      email: "organizer@inflight.test",
      password: "correct horse battery",
      name: "Organizer",
      role: "organizer",
    });
    const event = await publishedEvent(createClient({ url, token }));
    const stream = await subscribe(url, event.id);
    // A sign-up hashes a password (argon2id, deliberately slow): in flight while SIGTERM lands.
    const signUp = anonymous.auth.register.mutate({
      email: "late@inflight.test",
      password: "correct horse battery",
      name: "Late",
    });
    await Bun.sleep(25);
    proc.kill("SIGTERM");
    await expect(signUp).resolves.toMatchObject({ user: { email: "late@inflight.test" } });
    expect(await proc.exited).toBe(0);
    await stream.closed;
  }, 30_000);
});
