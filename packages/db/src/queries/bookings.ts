import { and, desc, eq, inArray, lt, or, type SQL } from "drizzle-orm";
import type { Db } from "../open.ts";
import { bookingItems, bookings, events, holds, payments, tickets } from "../schema.ts";
import { peopleByIds } from "./people.ts";

export type BookingRow = typeof bookings.$inferSelect;
export type BookingItemRow = typeof bookingItems.$inferSelect;
export type TicketRow = typeof tickets.$inferSelect;
export type HoldRow = typeof holds.$inferSelect;

export interface BookingWithLines {
  readonly booking: BookingRow;
  readonly items: readonly BookingItemRow[];
  readonly tickets: readonly TicketRow[];
}

/** Items and tickets of many bookings in two queries, not two per booking. */
function withLines(db: Db, rows: readonly BookingRow[]): BookingWithLines[] {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const items = db.select().from(bookingItems).where(inArray(bookingItems.bookingId, ids)).all();
  const ticketRows = db
    .select()
    .from(tickets)
    .where(inArray(tickets.bookingId, ids))
    .orderBy(tickets.id)
    .all();
  return rows.map((booking) => ({
    booking,
    items: items.filter((i) => i.bookingId === booking.id),
    tickets: ticketRows.filter((t) => t.bookingId === booking.id),
  }));
}

/** One booking with its lines, and who organizes its event (for access checks). */
export function findBooking(
  db: Db,
  bookingId: string,
): (BookingWithLines & { readonly organizerId: string }) | null {
  const found = db
    .select({ booking: bookings, organizerId: events.organizerId })
    .from(bookings)
    .innerJoin(events, eq(events.id, bookings.eventId))
    .where(eq(bookings.id, bookingId))
    .get();
  const lines = found ? withLines(db, [found.booking])[0] : undefined;
  return found && lines ? { ...lines, organizerId: found.organizerId } : null;
}

export function findHold(db: Db, holdId: string): HoldRow | null {
  return db.select().from(holds).where(eq(holds.id, holdId)).get() ?? null;
}

export function findPayment(db: Db, bookingId: string) {
  return db.select().from(payments).where(eq(payments.bookingId, bookingId)).get() ?? null;
}

export interface BookingCursor {
  readonly createdAt: number;
  readonly id: string;
}

/** Newest first, keyset-paginated on (created_at, id). */
function newestFirst(db: Db, filter: SQL, limit: number, cursor: BookingCursor | null) {
  const after = cursor
    ? or(
        lt(bookings.createdAt, cursor.createdAt),
        and(eq(bookings.createdAt, cursor.createdAt), lt(bookings.id, cursor.id)),
      )
    : undefined;
  const rows = db
    .select()
    .from(bookings)
    .where(and(filter, after))
    .orderBy(desc(bookings.createdAt), desc(bookings.id))
    .limit(limit + 1)
    .all();
  return page(db, rows, limit);
}

export function bookingsOfUser(
  db: Db,
  userId: string,
  limit: number,
  cursor: BookingCursor | null,
) {
  return newestFirst(db, eq(bookings.userId, userId), limit, cursor);
}

export function bookingsOfEvent(
  db: Db,
  eventId: string,
  limit: number,
  cursor: BookingCursor | null,
) {
  const result = newestFirst(db, eq(bookings.eventId, eventId), limit, cursor);
  return {
    ...result,
    attendees: peopleByIds(
      db,
      result.items.map((b) => b.booking.userId),
    ),
  };
}

function page(db: Db, rows: BookingRow[], limit: number) {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    items: withLines(db, pageRows),
    next: more && last ? { createdAt: last.createdAt, id: last.id } : null,
  };
}
