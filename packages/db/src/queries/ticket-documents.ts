/**
 * What a ticket document shows (the PDF, the calendar file, a Wallet pass, the confirmation
 * mail's ticket list): the event as people read it and each ticket with its type's name, its
 * seat's label and its attendee. Never an internal id but the ticket's code, which is the ticket.
 */
import type { Db } from "../open.ts";
import { prepared } from "../statements.ts";
import { ticketNumber } from "./bookings.ts";
import { seatLabelerOf } from "./seat-labels.ts";

export interface TicketDocumentEvent {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly startsAt: number;
  readonly endsAt: number | null;
  readonly timezone: string;
  readonly venueName: string | null;
  readonly status: "draft" | "published" | "cancelled";
  readonly organizerId: string;
  readonly organizerName: string;
}

export interface TicketDocumentTicket {
  readonly code: string;
  readonly ticketTypeName: string;
  /** "Stalls row C seat 6", or null for a ticket sold by type. */
  readonly seatLabel: string | null;
  readonly attendeeName: string | null;
  readonly checkedInAt: number | null;
  /** When the ticket last changed after the sale (name edited, cancelled); else the sale. */
  readonly updatedAt: number;
}

export interface TicketDocument {
  readonly bookingId: string;
  readonly status: "confirmed" | "cancelled";
  readonly buyerName: string;
  readonly buyerEmail: string;
  readonly totalCents: number;
  readonly currency: string;
  readonly createdAt: number;
  readonly event: TicketDocumentEvent;
  /** In ticket order (the order they were sold in). */
  readonly tickets: readonly TicketDocumentTicket[];
}

type BookingRow = {
  id: string;
  event_id: string;
  status: "confirmed" | "cancelled";
  buyer_name: string | null;
  buyer_email: string;
  user_name: string | null;
  total_cents: number;
  currency: string;
  created_at: number;
  cancelled_at: number | null;
};

type EventRow = {
  id: string;
  title: string;
  description: string;
  starts_at: number;
  ends_at: number | null;
  timezone: string;
  venue_name: string | null;
  status: "draft" | "published" | "cancelled";
  organizer_id: string;
  organizer_name: string;
};

type TicketRow = {
  id: string;
  code: string;
  type_name: string | null;
  seat_id: string | null;
  attendee_name: string | null;
  checked_in_at: number | null;
  updated_at: number | null;
};

/**
 * The document of one booking, or null for an unknown booking. Three small reads, with the names
 * they need read by scalar subqueries rather than joins: SQLite (built with STAT4) plans a join
 * again for every new key bound, about five times the cost of the read itself, and the mail
 * dispatcher reads a document for every confirmation after a rush.
 */
export function ticketDocumentOf(db: Db, bookingId: string): TicketDocument | null {
  const booking = prepared<[string], BookingRow>(
    db,
    `select b.id, b.event_id, b.status, b.buyer_name, b.buyer_email,
            (select u.name from users u where u.id = b.user_id) as user_name,
            b.total_cents, b.currency, b.created_at, b.cancelled_at
       from bookings b where b.id = ?`,
  ).get(bookingId);
  if (!booking) return null;
  const event = prepared<[string], EventRow>(
    db,
    `select e.id, e.title, e.description, e.starts_at, e.ends_at, e.timezone, e.venue_name,
            e.status, e.organizer_id,
            (select u.name from users u where u.id = e.organizer_id) as organizer_name
       from events e where e.id = ?`,
  ).get(booking.event_id);
  if (!event) return null;
  const label = seatLabelerOf(db, event.id);
  const tickets = prepared<[string], TicketRow>(
    db,
    `select t.id, t.code,
            (select tt.name from ticket_types tt where tt.id = t.ticket_type_id) as type_name,
            t.seat_id, t.attendee_name, t.checked_in_at, t.updated_at
       from tickets t where t.booking_id = ?`,
  )
    .all(bookingId)
    .sort((a, b) => ticketNumber(bookingId, a.id) - ticketNumber(bookingId, b.id));
  const changedAt = (t: TicketRow) =>
    Math.max(t.updated_at ?? 0, booking.cancelled_at ?? 0, booking.created_at);
  return {
    bookingId: booking.id,
    status: booking.status,
    buyerName: booking.buyer_name ?? booking.user_name ?? booking.buyer_email,
    buyerEmail: booking.buyer_email,
    totalCents: booking.total_cents,
    currency: booking.currency,
    createdAt: booking.created_at,
    event: {
      id: event.id,
      title: event.title,
      description: event.description,
      startsAt: event.starts_at,
      endsAt: event.ends_at,
      timezone: event.timezone,
      venueName: event.venue_name,
      status: event.status,
      organizerId: event.organizer_id,
      organizerName: event.organizer_name,
    },
    tickets: tickets.map((t) => ({
      code: t.code,
      ticketTypeName: t.type_name ?? "Ticket",
      seatLabel: t.seat_id === null ? null : label(t.seat_id),
      attendeeName: t.attendee_name,
      checkedInAt: t.checked_in_at,
      updatedAt: changedAt(t),
    })),
  };
}
