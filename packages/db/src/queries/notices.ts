/**
 * Organizer notices (docs/API.md "mail"): `organizer_notices` holds one row per notice decided,
 * keyed by (event, kind, key), and the notice's mail is written in the same transaction, only
 * when that row was new. However often the notices job runs, each notice is decided once.
 */
import { and, eq, gte, inArray, lte, ne, sql } from "drizzle-orm";
import type { EventRow } from "../event-load.ts";
import type { Db } from "../open.ts";
import { events, organizerNotices } from "../schema.ts";
import { prepared } from "../statements.ts";
import type { OutboxPayloads } from "./outbox.ts";

export type NoticeKind = "sale_digest" | "sold_out" | "waitlist_growing" | "refund_failed";

export interface Notice<K extends NoticeKind> {
  readonly eventId: string;
  readonly kind: K;
  /** The digest's day, the waitlist threshold, the booking whose refund failed; "" for sold out. */
  readonly key: string;
  readonly at: number;
  /** The organizer to mail, or null: decided, but not wanted (their settings say no). */
  readonly mailTo: string | null;
  readonly payload: OutboxPayloads[K];
}

/** The database, or a transaction on it. */
type Queryable = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * Decides a notice: inserts its key and, if the key was new and someone is to be mailed, its
 * outbox row. Returns whether the key was new. Call inside a transaction when the notice belongs
 * to another write (a refund's failure); on its own it makes one.
 */
export function writeNotice<K extends NoticeKind>(db: Queryable, notice: Notice<K>): boolean {
  return db.transaction((tx) => {
    const inserted = tx
      .insert(organizerNotices)
      .values({ eventId: notice.eventId, kind: notice.kind, key: notice.key, createdAt: notice.at })
      .onConflictDoNothing()
      .run();
    if (inserted.changes === 0) return false;
    if (notice.mailTo !== null) {
      tx.run(
        sql`insert into outbox (kind, recipient_user_id, payload, created_at, next_attempt_at)
            values (${notice.kind}, ${notice.mailTo}, ${JSON.stringify(notice.payload)},
                    ${notice.at}, ${notice.at})`,
      );
    }
    return true;
  });
}

/** Keys of one kind already decided for these events, as `eventId key`. */
export function noticeKeysOf(
  db: Db,
  eventIds: readonly string[],
  kind: NoticeKind,
  keys: readonly string[],
): Set<string> {
  if (eventIds.length === 0 || keys.length === 0) return new Set();
  const rows = db
    .select({ eventId: organizerNotices.eventId, key: organizerNotices.key })
    .from(organizerNotices)
    .where(
      and(
        inArray(organizerNotices.eventId, [...eventIds]),
        eq(organizerNotices.kind, kind),
        inArray(organizerNotices.key, [...keys]),
      ),
    )
    .all();
  return new Set(rows.map((r) => `${r.eventId} ${r.key}`));
}

/** Published events that have not ended by `now`: those that can still sell out or fill a queue. */
export function eventsOnSale(db: Db, now: number): EventRow[] {
  return db
    .select()
    .from(events)
    .where(
      and(
        eq(events.status, "published"),
        gte(sql`coalesce(${events.endsAt}, ${events.startsAt})`, now),
      ),
    )
    .all();
}

/**
 * Events (not drafts) that existed by `now`, ended no earlier than `since`, and have sold anything
 * at all: digest candidates. An event without a booking has no sale or cancellation to report,
 * and a server may hold thousands of them (one index seek each here, not a day's sums each later).
 */
export function eventsForDigest(db: Db, since: number, now: number): EventRow[] {
  return db
    .select()
    .from(events)
    .where(
      and(
        ne(events.status, "draft"),
        lte(events.createdAt, now),
        gte(sql`coalesce(${events.endsAt}, ${events.startsAt})`, since),
        sql`exists (select 1 from bookings b where b.event_id = ${events.id})`,
      ),
    )
    .all();
}

/** Published events by id (the ones a commit just touched), without the ended ones. */
export function eventsOnSaleById(db: Db, eventIds: readonly string[], now: number): EventRow[] {
  if (eventIds.length === 0) return [];
  return db
    .select()
    .from(events)
    .where(
      and(
        inArray(events.id, [...eventIds]),
        eq(events.status, "published"),
        gte(sql`coalesce(${events.endsAt}, ${events.startsAt})`, now),
      ),
    )
    .all();
}

export interface DaySales {
  /** Tickets of bookings made in the window (whatever became of them since). */
  readonly ticketsSold: number;
  /** Tickets of bookings cancelled in the window. */
  readonly ticketsCancelled: number;
  /** Per currency: paid for bookings made in the window, less refunds of those cancelled in it. */
  readonly revenue: { currency: string; cents: number }[];
}

/** salesBetween's statement (exported for its query-plan test). */
export const SALES_BETWEEN = `select b.currency,
              coalesce(sum(case when b.created_at >= @from and b.created_at < @to
                                then b.tickets end), 0) as sold,
              coalesce(sum(case when b.cancelled_at >= @from and b.cancelled_at < @to
                                then b.tickets end), 0) as cancelled,
              coalesce(sum(case when b.created_at >= @from and b.created_at < @to
                                then b.paid_cents else 0 end), 0)
                - coalesce(sum(case when b.cancelled_at >= @from and b.cancelled_at < @to
                                    then b.refund_cents else 0 end), 0) as cents
         from (select b.*, (select coalesce(sum(i.quantity), 0) from booking_items i
                              where i.booking_id = b.id) as tickets
                 from bookings b
                where b.id in (
                  -- Two index ranges (bookings_event_status_created_idx), never a scan of the
                  -- event's every booking: a hot event's is a stall on the server's thread.
                  select id from bookings
                   where event_id = @eventId and status in ('confirmed', 'cancelled')
                     and created_at >= @from and created_at < @to
                  union
                  select id from bookings
                   where event_id = @eventId and status = 'cancelled'
                     and cancelled_at >= @from and cancelled_at < @to)) b
        group by b.currency order by b.currency`;

/** One event's sales and cancellations in [from, to). */
export function salesBetween(db: Db, eventId: string, from: number, to: number): DaySales {
  const rows = prepared<
    { eventId: string; from: number; to: number },
    { currency: string; sold: number; cancelled: number; cents: number }
  >(db, SALES_BETWEEN).all({ eventId, from, to });
  return {
    ticketsSold: rows.reduce((n, r) => n + r.sold, 0),
    ticketsCancelled: rows.reduce((n, r) => n + r.cancelled, 0),
    revenue: rows.map((r) => ({ currency: r.currency, cents: r.cents })),
  };
}
