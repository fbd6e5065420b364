/**
 * Test helpers: a fresh SQLite file with migrations applied, services on it, and callers acting
 * as users of each role, without HTTP. Used by tests only.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Clock } from "@boxoffice/core";
import { closeDb, insertUser, migrateDb, openDb } from "@boxoffice/db";
import type { Role } from "./auth/session.ts";
import { createLogger } from "./logger.ts";
import { createCaller } from "./root.ts";
import { createServices, type RunningServices } from "./services.ts";
import type { Context, Limits } from "./trpc.ts";

export interface TestWorld {
  readonly services: RunningServices;
  readonly dir: string;
  /** A caller with no session. */
  anonymous(): ReturnType<typeof createCaller>;
  /** Stops the services (actors drained, none left in memory) and starts new ones on the file. */
  restart(): Promise<void>;
  /** Creates a user of that role directly in the database and returns a caller acting as them. */
  signUp(
    role?: Role,
    name?: string,
  ): Promise<{ userId: string; token: string; caller: ReturnType<typeof createCaller> }>;
  close(): Promise<void>;
}

let counter = 0;

export async function createTestWorld(
  options: { clock?: Clock; groupCommit?: boolean; limits?: Partial<Limits> } = {},
): Promise<TestWorld> {
  const dir = mkdtempSync(join(tmpdir(), "boxoffice-test-"));
  const db = openDb(join(dir, "test.db"), { synchronous: "NORMAL" });
  migrateDb(db);
  const start = () =>
    createServices({
      db,
      clock: options.clock,
      groupCommit: options.groupCommit,
      logger: createLogger({ silent: true }),
      config: {
        sessionDays: 30,
        publicOrigin: null,
        rateLimitAuthPerMinute: 1000,
        limits: options.limits,
      },
    });
  let services = start();
  const contextFor = (token: string | null): Context => {
    const auth = token ? services.sessions.validate(token, services.clock.now()) : null;
    return {
      ...services,
      requestId: `test-${++counter}`,
      clientIp: () => "127.0.0.1",
      resHeaders: null,
      user: auth?.user ?? null,
      session: auth?.session ?? null,
    };
  };
  return {
    get services() {
      return services;
    },
    dir,
    anonymous: () => createCaller(() => contextFor(null)),
    async signUp(role = "attendee", name) {
      const n = ++counter;
      const userId = `usr_test${n}`;
      insertUser(db, {
        id: userId,
        email: `user${n}@example.test`,
        name: name ?? `Test ${role} ${n}`,
        role,
        // Not a usable hash: these users only ever act through their session.
        passwordHash: "!",
        createdAt: services.clock.now(),
      });
      const { token } = services.sessions.create(userId, services.clock.now());
      // Callers build their context per call, so they act on the services of the moment.
      return { userId, token, caller: createCaller(() => contextFor(token)) };
    },
    async restart() {
      await services.stop();
      services = start();
    },
    async close() {
      await services.stop();
      closeDb(db);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The booking of a `bookings.book` answer; throws if the buyer was waitlisted instead. */
export function confirmed<B>(answer: { status: string; booking?: B }): B {
  if (answer.status !== "confirmed" || answer.booking === undefined) {
    throw new Error(`Expected a confirmed booking, got ${answer.status}`);
  }
  return answer.booking;
}
