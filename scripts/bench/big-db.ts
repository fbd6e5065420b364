/**
 * Scenario 7's database: `events` events with `perEvent` confirmed one-ticket bookings each,
 * written with prepared INSERTs in a few large transactions after the migrations, matching
 * packages/db/src/schema.ts (one booking_items and one tickets row per booking). Returns a session token and an event to book on after the restart.
 */
import { createSessionStore } from "@boxoffice/api";
import { defaultCancellationPolicy } from "@boxoffice/core";
import { closeDb } from "@boxoffice/db";
import { freshDb } from "./fixtures.ts";
import { progress } from "./progress.ts";

const DAY = 86_400_000;
const USERS = 10_000;
const EVENTS_PER_TRANSACTION = 50;

export interface BigDb {
  readonly token: string;
  readonly eventId: string;
  readonly ticketTypeId: string;
  readonly bookings: number;
}

export function buildBigDb(path: string, events: number, perEvent: number): BigDb {
  const db = freshDb(path);
  const c = db.$client;
  c.pragma("synchronous = OFF");
  const now = Date.now();
  const policy = JSON.stringify(defaultCancellationPolicy);
  const insertUser = c.prepare(
    `insert into users (id, email, name, role, password_hash, created_at) values (?, ?, ?, ?, '!bench-no-login', ?)`,
  );
  const insertEvent = c.prepare(
    `insert into events (id, organizer_id, title, starts_at, status, cancellation_policy, created_at, updated_at)
     values (?, 'usr_org', ?, ?, 'published', ?, ?, ?)`,
  );
  const insertType = c.prepare(
    `insert into ticket_types (id, event_id, name, price_cents, capacity, position) values (?, ?, 'General', 0, ?, 0)`,
  );
  const insertBooking = c.prepare(
    `insert into bookings (id, event_id, user_id, buyer_email, hold_id, status, total_cents, paid_cents, refund_cents, currency, seat_ids, created_at)
     values (?, ?, ?, ?, null, 'confirmed', 0, 0, 0, 'USD', '[]', ?)`,
  );
  const insertItem = c.prepare(
    "insert into booking_items (booking_id, ticket_type_id, quantity, unit_price_cents) values (?, ?, 1, 0)",
  );
  const insertTicket = c.prepare(
    "insert into tickets (id, booking_id, event_id, ticket_type_id, seat_id, code) values (?, ?, ?, ?, null, ?)",
  );
  c.transaction(() => {
    insertUser.run("usr_org", "org@big.example", "Organizer", "organizer", now);
    for (let u = 0; u < USERS; u += 1)
      insertUser.run(`usr_${u}`, `${u}@big.example`, `User ${u}`, "attendee", now);
  })();
  let booking = 0;
  const writeEvents = c.transaction((from: number, to: number) => {
    for (let e = from; e < to; e += 1) {
      const eventId = `evt_${e}`;
      const typeId = `tt_${e}`;
      insertEvent.run(eventId, `Big event ${e}`, now + 30 * DAY, policy, now, now);
      insertType.run(typeId, eventId, perEvent * 2);
      for (let i = 0; i < perEvent; i += 1) {
        const bookingId = `bkg_${booking.toString(36)}`;
        const user = booking % USERS;
        insertBooking.run(bookingId, eventId, `usr_${user}`, `${user}@big.example`, now);
        insertItem.run(bookingId, typeId);
        insertTicket.run(
          `tkt_${booking.toString(36)}`,
          bookingId,
          eventId,
          typeId,
          `C${booking.toString(36).toUpperCase().padStart(12, "0")}`,
        );
        booking += 1;
      }
    }
  });
  for (let e = 0; e < events; e += EVENTS_PER_TRANSACTION) {
    writeEvents(e, Math.min(events, e + EVENTS_PER_TRANSACTION));
    progress(`restart: building database, ${booking.toLocaleString("en-US")} bookings`);
  }
  const { token } = createSessionStore(db, 30).create("usr_0", now);
  c.pragma("wal_checkpoint(TRUNCATE)");
  closeDb(db);
  // The middle event: nothing about it is special, and nothing of it is cached by the server.
  const middle = Math.floor(events / 2);
  return { token, eventId: `evt_${middle}`, ticketTypeId: `tt_${middle}`, bookings: booking };
}
