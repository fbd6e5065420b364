/**
 * Test helpers of the engine package (tests only): a fresh migrated SQLite file, users and
 * events written straight into it, and an engine on a clock the test moves.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Clock, ManualClock, newId } from "@boxoffice/core";
import {
  closeDb,
  createGroupCommitWriter,
  type Db,
  findEventRow,
  insertEvent,
  insertUser,
  migrateDb,
  type NewEventRow,
  openDb,
  ticketTypesOf,
} from "@boxoffice/db";
import { createEngine, type Engine, type EngineOptions } from "./engine.ts";
import { createMockPaymentProvider, type PaymentProvider } from "./payments.ts";
import type { StoredEvent } from "./views.ts";

export const T0 = Date.parse("2026-06-01T10:00:00Z");

export interface EngineWorld {
  readonly db: Db;
  readonly clock: ManualClock;
  readonly engine: Engine;
  readonly writer: ReturnType<typeof createGroupCommitWriter>;
  user(): string;
  /** An event as stored, for the engine's read views. */
  stored(eventId: string): StoredEvent;
  /** A new engine on the same file, as after a restart: no actor in memory. */
  restart(): Promise<void>;
  /** A published event sold by ticket type (or seated, with `seats` per section and row). */
  event(
    overrides?: Partial<NewEventRow>,
    types?: { priceCents: number; capacity: number }[],
  ): {
    eventId: string;
    typeIds: string[];
  };
  close(): Promise<void>;
}

export function createEngineWorld(
  options: {
    payments?: PaymentProvider;
    clock?: Clock;
    engine?: Partial<Pick<EngineOptions, "limits" | "mailboxSize" | "maxBatch" | "roomFeedMs">>;
  } = {},
): EngineWorld {
  const dir = mkdtempSync(join(tmpdir(), "boxoffice-engine-"));
  const db = openDb(join(dir, "test.db"), { synchronous: "OFF" });
  migrateDb(db);
  const clock = new ManualClock(T0);
  const writer = createGroupCommitWriter(db);
  const start = () =>
    createEngine({
      db,
      clock: options.clock ?? clock,
      journal: writer,
      payments: options.payments ?? createMockPaymentProvider(),
      logger: { error: () => {} },
      ...options.engine,
    });
  let engine = start();
  let organizer: string | null = null;
  const user = () => {
    const id = newId("user");
    insertUser(db, {
      id,
      email: `${id}@example.test`,
      name: `User ${id}`,
      role: "attendee",
      passwordHash: "x",
      createdAt: T0,
    });
    return id;
  };
  return {
    db,
    clock,
    get engine() {
      return engine;
    },
    writer,
    user,
    stored(eventId) {
      const row = findEventRow(db, eventId);
      if (!row) throw new Error(`No event ${eventId}`);
      return { row, types: ticketTypesOf(db, eventId) };
    },
    async restart() {
      await engine.stop();
      await writer.flushed();
      engine = start();
    },
    event(overrides = {}, types = [{ priceCents: 1_000, capacity: 5 }]) {
      organizer ??= user();
      const eventId = newId("event");
      const typeRows = types.map((t, position) => ({
        id: newId("ticketType"),
        eventId,
        name: `Type ${position + 1}`,
        position,
        ...t,
      }));
      insertEvent(
        db,
        {
          id: eventId,
          organizerId: organizer,
          title: "Test event",
          startsAt: T0 + 7 * 86_400_000,
          status: "published",
          cancellationPolicy: { refundable: true, feeCents: 0, rules: [] },
          createdAt: T0,
          updatedAt: T0,
          ...overrides,
        },
        typeRows,
        null,
      );
      return { eventId, typeIds: typeRows.map((t) => t.id) };
    },
    async close() {
      await engine.stop();
      await writer.close();
      closeDb(db);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
