/**
 * A real server on a random port over a fresh SQLite file, and typed clients for it. For the
 * HTTP-level tests (races, auth, durability); never used in production code.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@boxoffice/api";
import { type Client, createClient } from "@boxoffice/client";
import { loadConfig, type ServerConfig } from "./env.ts";
import { type RunningServer, startServer } from "./server.ts";

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
  stop(): Promise<void>;
}

let counter = 0;

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "boxoffice-http-"));
  const config = loadConfig({
    PORT: "0",
    DATABASE_PATH: join(dir, "test.db"),
    DB_SYNCHRONOUS: "NORMAL",
    LOG_REQUESTS: "0",
    RATE_LIMIT_AUTH_PER_MINUTE: "100000",
    ...env,
  });
  const server = await startServer(config, {
    logger: createLogger({ silent: true }),
    webDist: join(dir, "no-web"),
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
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
