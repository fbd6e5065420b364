/**
 * Test data. Load users and their sessions are inserted straight into the database file (drizzle
 * schema, sessions from the server's own SessionStore) because registering thousands of users
 * through argon2id would dominate the run; the organizer and the scenario events go through the
 * typed client, as any script would.
 */
import { createSessionStore } from "@boxoffice/api";
import { createClient } from "@boxoffice/client";
import { defaultCancellationPolicy } from "@boxoffice/core";
import { closeDb, type Db, migrateDb, openDb, tables } from "@boxoffice/db";

const DAY = 86_400_000;
const CHUNK = 500;

export interface EventRef {
  readonly eventId: string;
  readonly ticketTypeId: string;
}

/** A fresh, migrated database file; the caller closes it. */
export function freshDb(path: string): Db {
  const db = openDb(path, { synchronous: "NORMAL" });
  migrateDb(db);
  return db;
}

/** The id of the `i`th user that `insertUsers` inserts with `prefix`. */
export const benchUserId = (prefix: string, i: number) => `usr_${prefix}${i}`;

/** Inserts `count` attendees with one session each; returns their bearer tokens. */
export function insertUsers(db: Db, count: number, prefix: string): string[] {
  const now = Date.now();
  const sessions = createSessionStore(db, 30);
  const tokens: string[] = [];
  db.$client.transaction(() => {
    for (let start = 0; start < count; start += CHUNK) {
      const rows = [];
      for (let i = start; i < Math.min(count, start + CHUNK); i += 1) {
        rows.push({
          id: benchUserId(prefix, i),
          email: `${prefix}${i}@bench.example`,
          name: `Bench user ${i}`,
          role: "attendee" as const,
          // Nobody logs in as these users; they only ever present their session token.
          passwordHash: "!bench-no-login",
          createdAt: now,
        });
      }
      db.insert(tables.users).values(rows).run();
      for (const row of rows) tokens.push(sessions.create(row.id, now).token);
    }
  })();
  return tokens;
}

/** Published events with one free ticket type each, inserted directly (scenario 6). */
export function insertEvents(db: Db, organizerId: string, count: number, prefix: string) {
  const now = Date.now();
  const refs: EventRef[] = [];
  db.$client.transaction(() => {
    for (let start = 0; start < count; start += CHUNK) {
      const events = [];
      const types = [];
      for (let i = start; i < Math.min(count, start + CHUNK); i += 1) {
        const eventId = `evt_${prefix}${i}`;
        const ticketTypeId = `tt_${prefix}${i}`;
        refs.push({ eventId, ticketTypeId });
        events.push({
          id: eventId,
          organizerId,
          title: `Bench event ${i}`,
          startsAt: now + 30 * DAY,
          status: "published" as const,
          cancellationPolicy: defaultCancellationPolicy,
          createdAt: now,
          updatedAt: now,
        });
        types.push({
          id: ticketTypeId,
          eventId,
          name: "General",
          priceCents: 0,
          capacity: 100,
          position: 0,
        });
      }
      db.insert(tables.events).values(events).run();
      db.insert(tables.ticketTypes).values(types).run();
    }
  })();
  return refs;
}

/** The users, sessions and many events every scenario needs, written before any server starts. */
export function seedDatabase(path: string, users: number, manyEvents: number) {
  const db = freshDb(path);
  try {
    const tokens = insertUsers(db, users, "u");
    // Scenario 6's events belong to a directly inserted organizer; the API creates the rest.
    db.insert(tables.users)
      .values({
        id: "usr_bench_org",
        email: "org@bench.example",
        name: "Bench organizer",
        role: "organizer",
        passwordHash: "!bench-no-login",
        createdAt: Date.now(),
      })
      .run();
    const many = insertEvents(db, "usr_bench_org", manyEvents, "m");
    const userIds = tokens.map((_, i) => benchUserId("u", i));
    return { tokens, userIds, many };
  } finally {
    closeDb(db);
  }
}

export type Client = ReturnType<typeof createClient>;

/** An organizer, registered through auth.register (argon2id and all). */
export async function registerOrganizer(url: string): Promise<Client> {
  const anonymous = createClient({ url, batch: false });
  const email = `organizer-${Date.now()}@bench.example`;
  const { token } = await anonymous.auth.register.mutate({
    email,
    password: "bench-password-1",
    name: "Bench Organizer",
    role: "organizer",
  });
  return createClient({ url, token, batch: false });
}

type CreateInput = Parameters<Client["events"]["create"]["mutate"]>[0];

/**
 * A published event with one ticket type, through events.create and events.publish; `extra`
 * adds settings (questions, the on-sale room). Returns the ids of its questions too.
 */
export async function createEvent(
  organizer: Client,
  title: string,
  capacity: number,
  priceCents: number,
  extra: Partial<CreateInput> = {},
): Promise<EventRef & { readonly questionIds: readonly string[] }> {
  const event = await organizer.events.create.mutate({
    ...extra,
    title,
    startsAt: new Date(Date.now() + 30 * DAY).toISOString(),
    ticketTypes: [{ name: "General", priceCents, capacity }],
  });
  await organizer.events.publish.mutate({ eventId: event.id });
  const type = event.ticketTypes[0];
  if (!type) throw new Error("The event came back without its ticket type");
  return {
    eventId: event.id,
    ticketTypeId: type.id,
    questionIds: event.questions.map((q) => q.id),
  };
}

/** What the database says was sold for an event: confirmed bookings, tickets, the sold counter. */
export function soldInDb(path: string, eventId: string) {
  const db = openDb(path);
  try {
    const c = db.$client;
    const one = (sql: string) => (c.prepare(sql).get(eventId) as { n: number | null }).n ?? 0;
    return {
      bookings: one(
        "select count(*) as n from bookings where event_id = ? and status = 'confirmed'",
      ),
      tickets: one("select count(*) as n from tickets where event_id = ?"),
      sold: one(
        `select sum(i.quantity) as n from booking_items i join bookings b on b.id = i.booking_id
          where b.event_id = ? and b.status = 'confirmed'`,
      ),
    };
  } finally {
    closeDb(db);
  }
}

/**
 * Marks the mails still pending in the outbox as skipped. Each server started on the bench
 * database, and each run on a running one, would otherwise deliver the earlier runs' backlog
 * (tens of thousands of confirmation mails) while it is measured. Beside a running server it
 * takes the write lock like any other connection; a dispatcher that had picked some of the rows
 * finishes those, then finds none due.
 */
export function setAsidePendingMail(path: string): number {
  const db = openDb(path);
  try {
    return db.$client
      .prepare(
        `update outbox set skipped_at = @at, failed_at = @at, last_error = 'set aside by the bench'
          where sent_at is null and failed_at is null`,
      )
      .run({ at: Date.now() }).changes;
  } finally {
    closeDb(db);
  }
}
