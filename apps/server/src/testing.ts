/**
 * A real server on a random port over a fresh SQLite file, and typed clients for it. For the
 * HTTP-level tests (races, auth, durability); never used in production code.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger, type DispatcherTimings } from "@boxoffice/api";
import { type Client, createClient } from "@boxoffice/client";
import type { Clock } from "@boxoffice/core";
import { schema } from "@boxoffice/db";
import type { PaymentProvider } from "@boxoffice/engine";
import type { Subprocess } from "bun";
import { loadConfig, type ServerConfig } from "./env.ts";
import { type RunningServer, startServer } from "./server.ts";

export { freePort, linkIn, MailSink, type ReceivedMail } from "./mail-sink.ts";

export interface TestServer {
  readonly server: RunningServer;
  readonly url: string;
  readonly config: ServerConfig;
  client(token?: string): Client;
  /** Registers a user over HTTP and returns their token and a client acting as them. */
  register(
    role?: "attendee" | "organizer",
    name?: string,
  ): Promise<{ token: string; userId: string; client: Client; email: string }>;
  /**
   * A user made straight in the database with a real session: for tests that need hundreds of
   * buyers, where hashing a password per buyer (argon2id, deliberately slow) is not the point.
   */
  user(role?: "attendee" | "organizer"): { token: string; userId: string; client: Client };
  stop(): Promise<void>;
}

let counter = 0;

/**
 * The real clock plus an offset that tests can move forward: a real server's holds expire when
 * the offset passes their deadline, without the test waiting minutes.
 */
export class OffsetClock implements Clock {
  private offset = 0;
  private readonly timers = new Set<{
    at: number;
    fn: () => void;
    handle: ReturnType<typeof setTimeout> | null;
  }>();

  now(): number {
    return Date.now() + this.offset;
  }

  setTimer(at: number, fn: () => void) {
    const timer = { at, fn, handle: null as ReturnType<typeof setTimeout> | null };
    this.timers.add(timer);
    this.arm(timer);
    return {
      cancel: () => {
        if (timer.handle) clearTimeout(timer.handle);
        this.timers.delete(timer);
      },
    };
  }

  advance(ms: number): void {
    this.offset += ms;
    for (const timer of this.timers) this.arm(timer);
  }

  private arm(timer: {
    at: number;
    fn: () => void;
    handle: ReturnType<typeof setTimeout> | null;
  }): void {
    if (timer.handle) clearTimeout(timer.handle);
    timer.handle = setTimeout(
      () => {
        this.timers.delete(timer);
        timer.fn();
      },
      Math.max(0, timer.at - this.now()),
    );
  }
}

export async function startTestServer(
  env: Record<string, string> = {},
  options: {
    clock?: Clock;
    mailTimings?: DispatcherTimings;
    webDist?: string;
    payments?: PaymentProvider;
  } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "boxoffice-http-"));
  const config = loadConfig({
    PORT: "0",
    DATABASE_PATH: join(dir, "test.db"),
    DB_SYNCHRONOUS: "NORMAL",
    LOG_REQUESTS: "0",
    RATE_LIMIT_AUTH_PER_MINUTE: "100000",
    // Races make many requests per user, and sweeps many events per organizer; the tests of
    // these limits set their own.
    HOLDS_PER_BUYER_PER_MINUTE: "100000",
    EVENTS_PER_ORGANIZER_PER_DAY: "100000",
    ...env,
  });
  const server = await startServer(config, {
    clock: options.clock,
    mailTimings: options.mailTimings,
    payments: options.payments,
    logger: createLogger({ silent: true }),
    // No web app unless a test asks for one (the browser tests pass apps/web/dist).
    webDist: options.webDist ?? join(dir, "no-web"),
  });
  const client = (token?: string) => createClient({ url: server.url, token });
  return {
    server,
    url: server.url,
    config,
    client,
    async register(role = "attendee", name) {
      const n = ++counter;
      const email = `${role}${n}-${Math.random().toString(36).slice(2, 8)}@example.test`;
      const { token, user } = await client().auth.register.mutate({
        email,
        password: "correct horse battery",
        name: name ?? `${role} ${n}`,
        role,
      });
      return { token, userId: user.id, client: client(token), email };
    },
    user(role = "attendee") {
      const n = ++counter;
      const userId = `usr_direct${n}_${Math.random().toString(36).slice(2, 8)}`;
      const { db, sessions } = server.services;
      db.insert(schema.users)
        .values({
          id: userId,
          email: `${userId}@example.test`,
          name: `Buyer ${n}`,
          role,
          passwordHash: "!",
          createdAt: Date.now(),
        })
        .run();
      const { token } = sessions.create(userId, Date.now());
      return { token, userId, client: client(token) };
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

type CreateEventInput = Parameters<Client["events"]["create"]["mutate"]>[0];

/** Creates and publishes an event starting in 30 days; `overrides` shape it. */
export async function publishedEvent(organizer: Client, overrides: Partial<CreateEventInput> = {}) {
  const startsAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const created = await organizer.events.create.mutate({
    title: "Test concert",
    startsAt,
    ticketTypes: [{ name: "General", priceCents: 0, capacity: 100 }],
    ...overrides,
  } as CreateEventInput);
  return organizer.events.publish.mutate({ eventId: created.id });
}

/** The tRPC error's reason and code, for asserting refusals; throws if the call succeeded. */
export async function refusal(
  call: Promise<unknown>,
): Promise<{ reason?: string; code?: string; httpStatus?: number; message: string }> {
  try {
    await call;
  } catch (error) {
    const data = (error as { data?: { reason?: string; code?: string; httpStatus?: number } }).data;
    return {
      reason: data?.reason,
      code: data?.code,
      httpStatus: data?.httpStatus,
      message: (error as Error).message,
    };
  }
  throw new Error("Expected the call to be refused, but it succeeded");
}

/** Polls until `check` passes: for effects of an actor's own timer, which no request awaits. */
export async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await Bun.sleep(20);
  }
}

/** A server run as its own process (to be killed with SIGKILL or stopped with SIGTERM). */
export interface ServerProcess {
  readonly proc: Subprocess;
  readonly url: string;
}

const mainScript = join(import.meta.dir, "main.ts");

/**
 * Starts the real entry point as a child process on a free port over `databasePath`, with
 * `env` on top of quiet defaults (a name set to undefined is left out of its environment), and
 * resolves once it listens. Its stdout (the log, mails with the log transport among it) is
 * drained from then on: a full pipe would block it. `bunFlags` go before the script (a
 * profiler's, say); `stderr: "pipe"` keeps what it prints there for the caller to read.
 */
export async function spawnServer(
  databasePath: string,
  env: Record<string, string | undefined> = {},
  options: { bunFlags?: readonly string[]; stderr?: "inherit" | "pipe" } = {},
): Promise<ServerProcess> {
  const merged: Record<string, string | undefined> = {
    ...process.env,
    PORT: "0",
    DATABASE_PATH: databasePath,
    LOG_REQUESTS: "0",
    RATE_LIMIT_AUTH_PER_MINUTE: "100000",
    ...env,
  };
  const proc = Bun.spawn(["bun", ...(options.bunFlags ?? []), mainScript], {
    env: Object.fromEntries(
      Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
    stdout: "pipe",
    stderr: options.stderr ?? "inherit",
  });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    const url = /listening on (http:\/\/\S+)/.exec(text)?.[1];
    if (url) {
      void (async () => {
        while (!(await reader.read()).done);
      })().catch(() => {});
      return { proc, url };
    }
  }
  proc.kill(9);
  throw new Error(`server did not start: ${text}`);
}
