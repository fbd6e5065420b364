/**
 * Aggregates for organizers' dashboards. Every figure is a SQL aggregate over indexed rows; no
 * query here returns one row per booking or per ticket.
 *
 * Money: "revenue" is what was taken (`bookings.paid_cents`, of every booking ever confirmed,
 * cancelled ones included), "refunded" what was given back (`bookings.refund_cents`), so that
 * revenue - refunded is what the organizer keeps (cancellation fees included). Amounts are
 * grouped by the currency each booking was paid in and never summed across currencies.
 */
import type { Db } from "../open.ts";
import { prepared } from "../statements.ts";

/** Money of one currency: what was taken and what went back. */
export interface CurrencyTotals {
  readonly currency: string;
  readonly revenueCents: number;
  readonly refundedCents: number;
}

export interface BookingTotals {
  /** Bookings that stand (status confirmed). */
  readonly bookings: number;
  readonly cancellations: number;
  /** Per currency the bookings were paid in, by currency code: never summed across them. */
  readonly money: CurrencyTotals[];
  /** Tickets of standing bookings that have been scanned in. */
  readonly checkedIn: number;
  /**
   * Tickets scanned in whose booking was cancelled afterwards (e.g. with the event): the door
   * let them in, and the attendee list shows it, so they are not forgotten.
   */
  readonly checkedInCancelled: number;
}

export function bookingTotals(db: Db, eventId: string): BookingTotals {
  const money = prepared<[string], CurrencyTotals & { bookings: number; cancellations: number }>(
    db,
    `select currency,
              coalesce(sum(status = 'confirmed'), 0) as bookings,
              coalesce(sum(status = 'cancelled'), 0) as cancellations,
              coalesce(sum(paid_cents), 0) as revenueCents,
              coalesce(sum(refund_cents), 0) as refundedCents
         from bookings where event_id = ? group by currency order by currency`,
  ).all(eventId);
  const scanned = prepared<[string], { checkedIn: number; checkedInCancelled: number }>(
    db,
    `select coalesce(sum(b.status = 'confirmed'), 0) as checkedIn,
              coalesce(sum(b.status = 'cancelled'), 0) as checkedInCancelled
         from tickets t join bookings b on b.id = t.booking_id
        where t.event_id = ? and t.checked_in_at is not null`,
  ).get(eventId);
  return {
    bookings: money.reduce((n, m) => n + m.bookings, 0),
    cancellations: money.reduce((n, m) => n + m.cancellations, 0),
    money: money.map(({ currency, revenueCents, refundedCents }) => {
      return { currency, revenueCents, refundedCents };
    }),
    checkedIn: scanned?.checkedIn ?? 0,
    checkedInCancelled: scanned?.checkedInCancelled ?? 0,
  };
}

export interface TicketTypeFigures {
  readonly ticketTypeId: string;
  readonly name: string;
  readonly priceCents: number;
  readonly capacity: number;
  /** Tickets of standing (confirmed) bookings. */
  readonly sold: number;
  /** What the standing tickets of this type sold for, at the price of the day of each sale. */
  readonly revenueCents: number;
}

export function ticketTypeFigures(db: Db, eventId: string): TicketTypeFigures[] {
  return prepared<[string], TicketTypeFigures>(
    db,
    `select tt.id as ticketTypeId, tt.name, tt.price_cents as priceCents, tt.capacity,
              coalesce(sum(case when b.status = 'confirmed' then bi.quantity end), 0) as sold,
              coalesce(sum(case when b.status = 'confirmed'
                                then bi.quantity * bi.unit_price_cents end), 0) as revenueCents
         from ticket_types tt
         left join booking_items bi on bi.ticket_type_id = tt.id
         left join bookings b on b.id = bi.booking_id
        where tt.event_id = ? group by tt.id order by tt.position`,
  ).all(eventId);
}

/** A quarter of an hour: every UTC offset in use today is a multiple of it. */
export const SALES_BUCKET_MS = 15 * 60_000;

export interface SalesBucket {
  /** Start of the bucket, epoch ms (a multiple of SALES_BUCKET_MS). */
  readonly startsAt: number;
  /** The currency these sales were paid in (one bucket per currency). */
  readonly currency: string;
  /** Tickets sold in the bucket that are still sold (their booking stands). */
  readonly tickets: number;
  /** Tickets sold in the bucket whose booking has been cancelled since. */
  readonly cancelledTickets: number;
  /** What the bucket's bookings paid, cancelled ones too (their refunds are counted apart). */
  readonly revenueCents: number;
}

/**
 * Sales per quarter-hour in UTC and currency, every sale counted on the moment it was made:
 * tickets still sold apart from those cancelled since, and the money taken. SQLite knows no time
 * zones; since no local midnight falls inside a UTC quarter-hour, the caller can put each bucket
 * into its local day exactly, with Intl, over at most 96 buckets per day of sales instead of
 * every booking.
 */
export function salesBuckets(db: Db, eventId: string): SalesBucket[] {
  return prepared<[string], SalesBucket>(
    db,
    // The bucket width is inlined: a bound JS number arrives as REAL and would not truncate.
    `select (b.created_at / ${SALES_BUCKET_MS}) * ${SALES_BUCKET_MS} as startsAt, b.currency,
              coalesce(sum(case when b.status = 'confirmed' then b.n end), 0) as tickets,
              coalesce(sum(case when b.status = 'cancelled' then b.n end), 0) as cancelledTickets,
              coalesce(sum(b.paid_cents), 0) as revenueCents
         from (select created_at, currency, status, paid_cents,
                      (select sum(bi.quantity) from booking_items bi
                        where bi.booking_id = bookings.id) as n
                 from bookings where event_id = ?) b
        group by 1, 2 order by 1, 2`,
  ).all(eventId);
}

export interface OverviewFigures {
  readonly events: number;
  readonly ticketsSold: number;
  /** Per currency, by currency code: amounts in different currencies are never added up. */
  readonly revenue: CurrencyTotals[];
  readonly popular: {
    readonly eventId: string;
    readonly title: string;
    readonly sold: number;
    readonly capacity: number;
  }[];
}

/** Totals over the events of one organizer, or of everyone when `organizerId` is null (admins). */
export function overviewFigures(db: Db, organizerId: string | null): OverviewFigures {
  // `@organizerId is null` lets one statement serve both the admin's and an organizer's view.
  const perEvent = `select e.id, e.title, e.capacity as cap,
                           coalesce((select sum(bi.quantity) from bookings b
                                       join booking_items bi on bi.booking_id = b.id
                                      where b.event_id = e.id and b.status = 'confirmed'), 0)
                             as sold,
                           coalesce((select sum(tt.capacity) from ticket_types tt
                                      where tt.event_id = e.id), 0) as types_capacity
                      from events e
                     where @organizerId is null or e.organizer_id = @organizerId`;
  const totals = prepared<
    [{ organizerId: string | null }],
    { events: number; ticketsSold: number }
  >(db, `select count(*) as events, coalesce(sum(sold), 0) as ticketsSold from (${perEvent})`).get({
    organizerId,
  });
  const revenue = prepared<[{ organizerId: string | null }], CurrencyTotals>(
    db,
    `select b.currency, coalesce(sum(b.paid_cents), 0) as revenueCents,
              coalesce(sum(b.refund_cents), 0) as refundedCents
         from bookings b join events e on e.id = b.event_id
        where @organizerId is null or e.organizer_id = @organizerId
        group by b.currency order by b.currency`,
  ).all({ organizerId });
  // Capacity by the actor's rule: the event-wide cap, if any, bounds the types' total.
  const popular = prepared<[{ organizerId: string | null }], OverviewFigures["popular"][number]>(
    db,
    `select id as eventId, title, sold,
              case when cap is null then types_capacity else min(cap, types_capacity) end
                as capacity
         from (${perEvent})
        order by sold desc, id limit 5`,
  ).all({ organizerId });
  return {
    events: totals?.events ?? 0,
    ticketsSold: totals?.ticketsSold ?? 0,
    revenue,
    popular,
  };
}

export interface OrganizerWithEvents {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  /** Events of every status. */
  readonly events: number;
}

/** Everyone who runs at least one event, by name (for an admin's filter), at most `limit`. */
export function organizersWithEvents(db: Db, limit: number): OrganizerWithEvents[] {
  return prepared<[number], OrganizerWithEvents>(
    db,
    `select u.id, u.name, u.email, count(*) as events
         from events e join users u on u.id = e.organizer_id
        group by u.id order by u.name collate nocase, u.id limit ?`,
  ).all(limit);
}

export interface WaitlistCounts {
  waiting: number;
  offered: number;
  converted: number;
  expired: number;
  left: number;
}

/** Waitlist entries of one event by state: every entry is kept after it ends, so this is exact. */
export function waitlistCounts(db: Db, eventId: string): WaitlistCounts {
  const rows = prepared<[string], { state: keyof WaitlistCounts; n: number }>(
    db,
    "select state, count(*) n from waitlist_entries where event_id = ? group by state",
  ).all(eventId);
  const counts: WaitlistCounts = { waiting: 0, offered: 0, converted: 0, expired: 0, left: 0 };
  for (const row of rows) counts[row.state] = row.n;
  return counts;
}

export interface AnswerCount {
  readonly questionId: string;
  /** The answer's value as stored (JSON). */
  readonly value: string;
  readonly count: number;
}

/** How often each value was given to each question, over the event's standing bookings. */
export function answerCounts(db: Db, eventId: string): AnswerCount[] {
  return prepared<[string], { question_id: string; value: string; n: number }>(
    db,
    `select a.question_id, a.value, count(*) as n
         from booking_answers a join bookings b on b.id = a.booking_id
        where b.event_id = ? and b.status = 'confirmed'
        group by a.question_id, a.value`,
  )
    .all(eventId)
    .map((r) => ({ questionId: r.question_id, value: r.value, count: r.n }));
}
