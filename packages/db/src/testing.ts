/** A fresh, migrated SQLite file in its own temp folder, for the db package's tests only. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConfirmedBooking, Hold, LineItem } from "@boxoffice/core";
import { closeDb, type Db, migrateDb, openDb } from "./open.ts";
import { insertEvent, type NewEventRow } from "./queries/events.ts";
import { insertUser } from "./queries/users.ts";

export interface TestDb {
  readonly db: Db;
  close(): void;
}

export function openTestDb(): TestDb {
  const dir = mkdtempSync(join(tmpdir(), "boxoffice-db-test-"));
  const db = openDb(join(dir, "test.db"), { synchronous: "NORMAL" });
  migrateDb(db);
  return {
    db,
    close() {
      closeDb(db);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A published event with one ticket type ("GA") starting a day after `now`, and its organizer
 * (`usr_org_<eventId>`), for the db package's tests.
 */
export function insertTestEvent(
  db: Db,
  event: {
    readonly eventId: string;
    readonly ticketTypeId: string;
    readonly now: number;
    readonly priceCents?: number;
    readonly capacity?: number;
    readonly fields?: Partial<NewEventRow>;
  },
): void {
  const { eventId, now } = event;
  const organizerId = `usr_org_${eventId}`;
  insertUser(db, {
    id: organizerId,
    email: `${organizerId}@example.test`,
    name: "Org",
    role: "organizer",
    passwordHash: "h",
    createdAt: 0,
  });
  insertEvent(
    db,
    {
      id: eventId,
      organizerId,
      title: eventId,
      status: "published",
      startsAt: now + 86_400_000,
      cancellationPolicy: { refundable: false, feeCents: 0, rules: [] },
      createdAt: now,
      updatedAt: now,
      ...event.fields,
    },
    [
      {
        id: event.ticketTypeId,
        eventId,
        name: "GA",
        priceCents: event.priceCents ?? 0,
        capacity: event.capacity ?? 1_000,
        position: 0,
      },
    ],
    null,
  );
}

const totalOf = (items: readonly LineItem[]): number =>
  items.reduce((sum, i) => sum + i.quantity * i.unitPriceCents, 0);

/**
 * A hold as the decider places one for a buyer, for the db package's tests: of no seats, its
 * total the lines' sum, in USD, expiring ten minutes after it was made, with no idempotency key.
 * Any field given wins.
 */
export function testHold(
  fields: Pick<Hold, "id" | "userId" | "items" | "createdAt"> & Partial<Hold>,
): Hold {
  return {
    seatIds: [],
    totalCents: totalOf(fields.items),
    currency: "USD",
    expiresAt: fields.createdAt + 600_000,
    idempotencyKey: null,
    requestHash: null,
    ...fields,
  };
}

/**
 * A confirmed booking as the decider makes one, for the db package's tests: a ticket per unit of
 * its lines in their order (numbered `<id>-<n>` as core numbers them, each on the next of
 * `seatIds` while they last, with a code unique to the booking), a total of the lines' sum paid
 * in full without a provider, in USD, with no hold and no idempotency key. Any field given wins.
 */
export function testBooking(
  fields: Pick<ConfirmedBooking, "id" | "eventId" | "userId" | "items" | "createdAt"> &
    Partial<ConfirmedBooking>,
): ConfirmedBooking {
  const { id, items } = fields;
  const seatIds = fields.seatIds ?? [];
  const totalCents = totalOf(items);
  const typeOfTicket = items.flatMap((i) => Array<string>(i.quantity).fill(i.ticketTypeId));
  return {
    holdId: null,
    seatIds,
    totalCents,
    paidCents: totalCents,
    currency: "USD",
    tickets: typeOfTicket.map((ticketTypeId, n) => ({
      id: `${id}-${n + 1}`,
      code: `${id}-CODE-${n + 1}`,
      ticketTypeId,
      seatId: seatIds[n] ?? null,
    })),
    payment: null,
    idempotencyKey: null,
    requestHash: null,
    ...fields,
  };
}
