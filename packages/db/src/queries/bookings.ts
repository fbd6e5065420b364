import { and, asc, desc, eq, gt, inArray, isNull, lt, or, type SQL } from "drizzle-orm";
import { principalOf } from "../event-load.ts";
import type { Db } from "../open.ts";
import {
  bookingAnswers,
  bookingItems,
  bookings,
  events,
  holds,
  payments,
  tickets,
  ticketTypes,
  waitlistEntries,
} from "../schema.ts";
import { prepared } from "../statements.ts";
import { type CodeRef, codeRefs } from "./codes.ts";
import { ticketTypeNamesByIds } from "./events.ts";
import { peopleByIds } from "./people.ts";
import { type SeatLabeler, seatLabelerOf } from "./seat-labels.ts";

export type BookingRow = typeof bookings.$inferSelect;
export type BookingItemRow = typeof bookingItems.$inferSelect;
export type TicketRow = typeof tickets.$inferSelect;
export type HoldRow = typeof holds.$inferSelect;
export type BookingAnswerRow = typeof bookingAnswers.$inferSelect;

export interface BookingWithLines {
  readonly booking: BookingRow;
  /** With the type's current name (hidden types too). */
  readonly items: readonly (BookingItemRow & { readonly ticketTypeName: string })[];
  /** With the label people read for a seat ("Stalls row C seat 6"); null for a type's ticket. */
  readonly tickets: readonly (TicketRow & { readonly seatLabel: string | null })[];
  /** Checkout answers, with the labels they were given under. */
  readonly answers: readonly BookingAnswerRow[];
  /** Who bought it: the account's name and email now, or the guest's as given. */
  readonly buyer: { readonly name: string; readonly email: string };
  /** The promo or access code it used, if any. */
  readonly code: CodeRef | null;
}

/**
 * Items and tickets of many bookings in two queries, not two per booking (plus, for seated
 * events, each event's layout once for the seat labels).
 */
function withLines(db: Db, rows: readonly BookingRow[]): BookingWithLines[] {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const items = db
    .select({ item: bookingItems, ticketTypeName: ticketTypes.name })
    .from(bookingItems)
    .innerJoin(ticketTypes, eq(ticketTypes.id, bookingItems.ticketTypeId))
    .where(inArray(bookingItems.bookingId, ids))
    .all()
    .map(({ item, ticketTypeName }) => ({ ...item, ticketTypeName }));
  const ticketRows = db
    .select()
    .from(tickets)
    .where(inArray(tickets.bookingId, ids))
    .orderBy(tickets.id)
    .all();
  const answerRows = db
    .select()
    .from(bookingAnswers)
    .where(inArray(bookingAnswers.bookingId, ids))
    .orderBy(bookingAnswers.id)
    .all();
  const labelers = new Map<string, SeatLabeler>();
  const labelOf = (t: TicketRow): string | null => {
    if (t.seatId === null) return null;
    let label = labelers.get(t.eventId);
    if (!label) {
      label = seatLabelerOf(db, t.eventId);
      labelers.set(t.eventId, label);
    }
    return label(t.seatId);
  };
  const people = peopleByIds(
    db,
    rows.flatMap((r) => (r.userId === null ? [] : [r.userId])),
  );
  const buyerOf = (b: BookingRow) => {
    const account = b.userId === null ? undefined : people.get(b.userId);
    return account
      ? { name: account.name, email: account.email }
      : { name: b.buyerName ?? b.buyerEmail, email: b.buyerEmail };
  };
  const codes = codeRefs(
    db,
    rows.flatMap((r) => (r.codeId === null ? [] : [r.codeId])),
  );
  return rows.map((booking) => ({
    booking,
    buyer: buyerOf(booking),
    code: booking.codeId === null ? null : (codes.get(booking.codeId) ?? null),
    items: items.filter((i) => i.bookingId === booking.id),
    tickets: ticketRows
      .filter((t) => t.bookingId === booking.id)
      .sort((a, b) => ticketNumber(booking.id, a.id) - ticketNumber(booking.id, b.id))
      .map((t) => ({ ...t, seatLabel: labelOf(t) })),
    answers: answerRows.filter((a) => a.bookingId === booking.id),
  }));
}

/**
 * A ticket's place in its booking, from 1: ids are `<bookingId>-<n>` in issuing order (the order
 * attendees and per-ticket answers refer to), which sorting ids as text breaks past 9.
 */
export function ticketNumber(bookingId: string, ticketId: string): number {
  return Number(ticketId.slice(bookingId.length + 1)) || 0;
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

/**
 * The booking a confirmed hold became, if it is the principal's (an account id, or a guest's
 * `guest:<email>`); null otherwise.
 */
export function bookingIdOfHold(db: Db, holdId: string, principal: string): string | null {
  const row = db
    .select({ id: bookings.id, userId: bookings.userId, buyerEmail: bookings.buyerEmail })
    .from(bookings)
    .where(eq(bookings.holdId, holdId))
    .get();
  return row && principalOf(row.userId, row.buyerEmail) === principal ? row.id : null;
}

export interface LiveHoldOfUser {
  readonly hold: HoldRow;
  readonly event: { readonly title: string; readonly startsAt: number; readonly timezone: string };
  /** The hold is a waitlist offer made to the user. */
  readonly waitlistOffer: boolean;
  /** Names of the hold's ticket types, by id (hidden types too). */
  readonly typeNames: ReadonlyMap<string, string>;
}

/**
 * A user's holds still live at `now` (of one event, or of all), soonest to lapse first, at most
 * `limit`: what they can still pay for.
 */
export function liveHoldsOfUser(
  db: Db,
  userId: string,
  now: number,
  eventId: string | null,
  limit: number,
): LiveHoldOfUser[] {
  const rows = db
    .select({
      hold: holds,
      title: events.title,
      startsAt: events.startsAt,
      timezone: events.timezone,
      offerOf: waitlistEntries.id,
    })
    .from(holds)
    .innerJoin(events, eq(events.id, holds.eventId))
    // Narrowed by the user's own entries of that event (waitlist_user_event_idx).
    .leftJoin(
      waitlistEntries,
      and(
        eq(waitlistEntries.userId, holds.userId),
        eq(waitlistEntries.eventId, holds.eventId),
        eq(waitlistEntries.holdId, holds.id),
      ),
    )
    .where(
      and(
        eq(holds.userId, userId),
        eq(holds.status, "active"),
        gt(holds.expiresAt, now),
        eventId === null ? undefined : eq(holds.eventId, eventId),
      ),
    )
    .orderBy(asc(holds.expiresAt), asc(holds.id))
    .limit(limit)
    .all();
  const typeNames = ticketTypeNamesByIds(
    db,
    rows.flatMap((r) => r.hold.items.map((i) => i.ticketTypeId)),
  );
  return rows.map((r) => ({
    hold: r.hold,
    event: { title: r.title, startsAt: r.startsAt, timezone: r.timezone },
    waitlistOffer: r.offerOf !== null,
    typeNames,
  }));
}

/**
 * A person's standing tickets in an event (`@eventId`, `@email`, `@userId`): the guest orders under
 * the email and the account's bookings, each read by its buyer's index (see ticketsOfPerson).
 */
export const PERSON_BOOKED = `select sum(bi.quantity) as n
         from (select id from bookings
                where user_id is null and buyer_email = @email
                  and +event_id = @eventId and +status = 'confirmed'
               union all
               select id from bookings
                where user_id = @userId and buyer_email = @email
                  and +event_id = @eventId and +status = 'confirmed') b
         join booking_items bi on bi.booking_id = b.id`;

/**
 * Tickets one person (a normalised `buyer_email`) has in an event as of `now`, in live holds and
 * in standing bookings: what its actor's `perUser` counts, for the account `userId` and the guest
 * orders under its email. The bookings are read by two indexes, the guests' by email and the
 * account's by `user_id` (no index has accounts' bookings by email, README Performance; the
 * unary `+` keeps SQLite off the event's index, which would read every booking of a big event),
 * so a booking another account made under this email before it changed address is not counted
 * here, where the actor does count it.
 */
export function ticketsOfPerson(
  db: Db,
  eventId: string,
  email: string,
  userId: string,
  now: number,
): number {
  const held = prepared<[string, string, number], { n: number | null }>(
    db,
    `select sum(json_extract(j.value, '$.quantity')) as n
         from holds h, json_each(h.items) j
        where h.event_id = ? and h.buyer_email = ? and h.status = 'active' and h.expires_at > ?`,
  ).get(eventId, email, now);
  const booked = prepared<{ eventId: string; email: string; userId: string }, { n: number | null }>(
    db,
    PERSON_BOOKED,
  ).get({ eventId, email, userId });
  return (held?.n ?? 0) + (booked?.n ?? 0);
}

/** The seats of a seated event that a user holds (live at `now`) or has booked. */
export function seatsOfUser(
  db: Db,
  eventId: string,
  userId: string,
  now: number,
): { held: string[]; booked: string[] } {
  const held = db
    .select({ seatIds: holds.seatIds })
    .from(holds)
    .where(
      and(
        eq(holds.userId, userId),
        eq(holds.eventId, eventId),
        eq(holds.status, "active"),
        gt(holds.expiresAt, now),
      ),
    )
    .all();
  const booked = db
    .select({ seatIds: bookings.seatIds })
    .from(bookings)
    .where(
      and(
        eq(bookings.userId, userId),
        eq(bookings.eventId, eventId),
        eq(bookings.status, "confirmed"),
      ),
    )
    .all();
  return { held: held.flatMap((r) => r.seatIds), booked: booked.flatMap((r) => r.seatIds) };
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

/**
 * A user's bookings, and with `verifiedEmail` (the account's address, once verified) the guest
 * bookings made under that address too.
 */
export function bookingsOfUser(
  db: Db,
  userId: string,
  limit: number,
  cursor: BookingCursor | null,
  verifiedEmail: string | null = null,
) {
  const mine =
    verifiedEmail === null
      ? eq(bookings.userId, userId)
      : or(
          eq(bookings.userId, userId),
          and(isNull(bookings.userId), eq(bookings.buyerEmail, verifiedEmail)),
        );
  return newestFirst(db, mine ?? eq(bookings.userId, userId), limit, cursor);
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
      result.items.flatMap((b) => (b.booking.userId === null ? [] : [b.booking.userId])),
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
