/**
 * The calendar file of a booking (`event.ics`, RFC 5545): the event's real start and end as UTC
 * instants (start + 2 hours when it has none), its zone as X-WR-TIMEZONE, its title, venue and
 * link, and a UID stable per booking so adding it twice updates one entry.
 */
import type { TicketDocument } from "@boxoffice/db";
import { createEvent } from "ics";
import { linksOf } from "./links.ts";

/** How long an event without an end is taken to last. */
export const DEFAULT_EVENT_MS = 2 * 60 * 60 * 1000;

const hostOf = (origin: string): string => {
  try {
    return new URL(origin).hostname || "boxoffice";
  } catch {
    return "boxoffice";
  }
};

export function eventIcs(doc: TicketDocument, origin: string): string {
  const { event } = doc;
  const url = linksOf(origin).event(event.id);
  const cancelled = doc.status === "cancelled" || event.status === "cancelled";
  const tickets = doc.tickets
    // A seat's label starts with its section, which is its type: said once.
    .map((t) => [t.seatLabel ?? t.ticketTypeName, t.attendeeName].filter(Boolean).join(", "))
    .join("\n");
  const { error, value } = createEvent({
    productId: "boxoffice/tickets",
    uid: `${doc.bookingId}@${hostOf(origin)}`,
    start: event.startsAt,
    startInputType: "utc",
    startOutputType: "utc",
    end: event.endsAt ?? event.startsAt + DEFAULT_EVENT_MS,
    endInputType: "utc",
    endOutputType: "utc",
    title: event.title,
    description: `Your ${doc.tickets.length === 1 ? "ticket" : "tickets"}:\n${tickets}\n\n${url}`,
    ...(event.venueName ? { location: event.venueName } : {}),
    url,
    status: cancelled ? "CANCELLED" : "CONFIRMED",
    busyStatus: "BUSY",
    calName: event.title,
  });
  if (error || !value) throw error ?? new Error("The calendar file could not be made");
  // The event's own zone, for calendars that show it (the instants stay UTC).
  return value.replace(/(\r\nX-WR-CALNAME:[^\r\n]*)/, `$1\r\nX-WR-TIMEZONE:${event.timezone}`);
}
