/**
 * The door: scanning ticket codes, undoing a mistaken scan, counting who is in, and the attendee
 * export's pages. Check-in never goes through the event actor: it touches no inventory, and a
 * conditional UPDATE inside a synchronous transaction serializes two gates scanning one code.
 */
import type { Db } from "../open.ts";
import { prepared } from "../statements.ts";
import { ticketNumber } from "./bookings.ts";
import { seatLabelerOf } from "./seat-labels.ts";

export interface ScannedTicket {
  readonly id: string;
  readonly code: string;
  readonly bookingId: string;
  readonly ticketTypeId: string;
  readonly ticketTypeName: string;
  readonly seatId: string | null;
  /** "Stalls row C seat 6" for a seat; null for a ticket sold by type. */
  readonly seatLabel: string | null;
  readonly bookingStatus: "confirmed" | "cancelled";
  readonly attendeeName: string;
  readonly attendeeEmail: string;
  readonly checkedInAt: number | null;
}

export type ScanResult =
  | { readonly result: "invalid" }
  | {
      readonly result: "ok" | "already" | "cancelled";
      readonly ticket: ScannedTicket;
      /** When the ticket was (first) checked in; null for a cancelled ticket never scanned. */
      readonly checkedInAt: number | null;
    };

export type UndoResult = "ok" | "invalid" | "not_checked_in";

/**
 * Who a ticket is for: the attendee named at checkout, else its buyer (the account's name and
 * email now, or the guest's as given). Needs `t` tickets, `b` bookings and `u` users (left join).
 */
const ATTENDEE_COLUMNS = `coalesce(t.attendee_name, u.name, b.buyer_name, b.buyer_email) as attendee_name,
  coalesce(t.attendee_email, u.email, b.buyer_email) as attendee_email`;

const BUYER_COLUMNS = `coalesce(u.name, b.buyer_name, b.buyer_email) as buyer_name,
  coalesce(u.email, b.buyer_email) as buyer_email`;

type TicketLookupRow = {
  id: string;
  code: string;
  booking_id: string;
  ticket_type_id: string;
  ticket_type_name: string | null;
  seat_id: string | null;
  booking_status: "confirmed" | "cancelled";
  attendee_name: string;
  attendee_email: string;
  checked_in_at: number | null;
};

export function createCheckinQueries(db: Db) {
  const c = db.$client;
  // Scoped to the event: a code of another event is as unknown here as a made-up one.
  const lookup = c.prepare<[string, string], TicketLookupRow>(
    `select t.id, t.code, t.booking_id, t.ticket_type_id, tt.name as ticket_type_name, t.seat_id,
            b.status as booking_status, ${ATTENDEE_COLUMNS}, t.checked_in_at
       from tickets t
       join bookings b on b.id = t.booking_id
       left join users u on u.id = b.user_id
       left join ticket_types tt on tt.id = t.ticket_type_id
      where t.code = ? and t.event_id = ?`,
  );
  const checkIn = c.prepare<[number, string, string]>(
    "update tickets set checked_in_at = ? where code = ? and event_id = ? and checked_in_at is null",
  );
  const uncheck = c.prepare<[string, string]>(
    "update tickets set checked_in_at = null where code = ? and event_id = ? and checked_in_at is not null",
  );
  const checkedInOfBooking = c.prepare<[string], { one: number }>(
    "select 1 as one from tickets where booking_id = ? and checked_in_at is not null limit 1",
  );
  const stats = c.prepare<[string], { total: number; checked_in: number }>(
    `select count(*) as total, count(t.checked_in_at) as checked_in
       from tickets t join bookings b on b.id = t.booking_id
      where t.event_id = ? and b.status = 'confirmed'`,
  );

  const toTicket = (row: TicketLookupRow, checkedInAt: number | null): ScannedTicket => ({
    id: row.id,
    code: row.code,
    bookingId: row.booking_id,
    ticketTypeId: row.ticket_type_id,
    ticketTypeName: row.ticket_type_name ?? "",
    seatId: row.seat_id,
    seatLabel: null,
    bookingStatus: row.booking_status,
    attendeeName: row.attendee_name,
    attendeeEmail: row.attendee_email,
    checkedInAt,
  });

  // better-sqlite3 transactions are synchronous: nothing else on this connection (the group-commit
  // writer included) runs between the read and the conditional update.
  const scan = c.transaction((eventId: string, code: string, now: number): ScanResult => {
    const row = lookup.get(code, eventId);
    if (!row) return { result: "invalid" };
    if (row.booking_status === "cancelled") {
      return { result: "cancelled", ticket: toTicket(row, row.checked_in_at), checkedInAt: null };
    }
    if (checkIn.run(now, code, eventId).changes === 1) {
      return { result: "ok", ticket: toTicket(row, now), checkedInAt: now };
    }
    // Someone got there first: answer with the time of that first scan, read after our update.
    const first = lookup.get(code, eventId)?.checked_in_at ?? row.checked_in_at;
    return { result: "already", ticket: toTicket(row, first), checkedInAt: first };
  });

  const undo = c.transaction((eventId: string, code: string): UndoResult => {
    if (!lookup.get(code, eventId)) return "invalid";
    return uncheck.run(code, eventId).changes === 1 ? "ok" : "not_checked_in";
  });

  /** The seat's label, read after the scan's transaction so that it holds the lock no longer. */
  const labelled = (eventId: string, result: ScanResult): ScanResult => {
    if (result.result === "invalid" || result.ticket.seatId === null) return result;
    const seatLabel = seatLabelerOf(db, eventId)(result.ticket.seatId);
    return { ...result, ticket: { ...result.ticket, seatLabel } };
  };

  return {
    scan: (eventId: string, code: string, now: number) =>
      labelled(eventId, scan.immediate(eventId, code, now)),
    undo: (eventId: string, code: string) => undo.immediate(eventId, code),
    /**
     * Whether any ticket of the booking has been scanned at the door: such a booking was used,
     * and its attendee can no longer cancel it for a refund.
     */
    bookingCheckedIn(bookingId: string): boolean {
      return checkedInOfBooking.get(bookingId) !== undefined;
    },
    /** Tickets of confirmed bookings, and how many of them are in. */
    stats(eventId: string): { checkedIn: number; total: number } {
      const row = stats.get(eventId);
      return { checkedIn: row?.checked_in ?? 0, total: row?.total ?? 0 };
    },
  };
}

export type CheckinQueries = ReturnType<typeof createCheckinQueries>;

const queriesByDb = new WeakMap<Db, CheckinQueries>();

/** The check-in statements of a connection, prepared once per connection. */
export function checkinQueries(db: Db): CheckinQueries {
  let queries = queriesByDb.get(db);
  if (!queries) {
    queries = createCheckinQueries(db);
    queriesByDb.set(db, queries);
  }
  return queries;
}

export interface AttendeeExportRow {
  readonly bookingId: string;
  readonly code: string;
  readonly ticketTypeName: string;
  readonly seatId: string | null;
  /** "Stalls row C seat 6" for a seat; null for a ticket sold by type. */
  readonly seatLabel: string | null;
  readonly attendeeName: string;
  readonly attendeeEmail: string;
  readonly buyerName: string;
  readonly buyerEmail: string;
  readonly status: "confirmed" | "cancelled";
  readonly checkedInAt: number | null;
  /** The promo or access code the booking used, or null. */
  readonly promoCode: string | null;
  /** The ticket's place in its booking, from 0: what per-ticket answers refer to. */
  readonly ticketIndex: number;
  /** Keyset position: pass back as `after` for the next page. */
  readonly position: { readonly createdAt: number; readonly ticketId: string };
}

/**
 * One page of an event's tickets for the attendee export, oldest booking first, keyset-paginated
 * on (booking created_at, ticket id) so that a long export never skips or repeats a ticket.
 */
export function attendeeExportPage(
  db: Db,
  eventId: string,
  after: { createdAt: number; ticketId: string } | null,
  limit: number,
): AttendeeExportRow[] {
  const rows = prepared<
    unknown[],
    {
      booking_id: string;
      code: string;
      ticket_type_name: string | null;
      seat_id: string | null;
      attendee_name: string;
      attendee_email: string;
      buyer_name: string;
      buyer_email: string;
      status: "confirmed" | "cancelled";
      checked_in_at: number | null;
      created_at: number;
      ticket_id: string;
      promo_code: string | null;
    }
  >(
    db,
    `select b.id as booking_id, t.code, tt.name as ticket_type_name, t.seat_id,
              ${ATTENDEE_COLUMNS}, ${BUYER_COLUMNS}, b.status, t.checked_in_at,
              b.created_at, t.id as ticket_id, c.code as promo_code
         from tickets t
         join bookings b on b.id = t.booking_id
         left join users u on u.id = b.user_id
         left join ticket_types tt on tt.id = t.ticket_type_id
         left join codes c on c.id = b.code_id
        where t.event_id = ?
          and (? is null or b.created_at > ? or (b.created_at = ? and t.id > ?))
        order by b.created_at, t.id
        limit ?`,
  ).all(
    eventId,
    after?.createdAt ?? null,
    after?.createdAt ?? null,
    after?.createdAt ?? null,
    after?.ticketId ?? null,
    limit,
  );
  const seatLabel = rows.some((r) => r.seat_id !== null) ? seatLabelerOf(db, eventId) : null;
  return rows.map((r) => ({
    bookingId: r.booking_id,
    code: r.code,
    ticketTypeName: r.ticket_type_name ?? "",
    seatId: r.seat_id,
    seatLabel: r.seat_id !== null && seatLabel ? seatLabel(r.seat_id) : null,
    attendeeName: r.attendee_name,
    attendeeEmail: r.attendee_email,
    buyerName: r.buyer_name,
    buyerEmail: r.buyer_email,
    status: r.status,
    checkedInAt: r.checked_in_at,
    promoCode: r.promo_code,
    ticketIndex: ticketNumber(r.booking_id, r.ticket_id) - 1,
    position: { createdAt: r.created_at, ticketId: r.ticket_id },
  }));
}
