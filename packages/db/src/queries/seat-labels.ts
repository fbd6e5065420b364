/**
 * Seat labels ("Stalls row C seat 6") for what people read: the door, the attendee list and its
 * export, booking answers and mails. Built from the event's own copy of its layout and its ticket
 * type names (a section is a ticket type), with core's `seatLabel`.
 */
import { seatLabel } from "@boxoffice/core";
import { seatLayoutOf } from "../event-load.ts";
import type { Db } from "../open.ts";
import { prepared } from "../statements.ts";

/** A seat id's label, or null for an id the event's layout does not have. */
export type SeatLabeler = (seatId: string) => string | null;

const noSeats: SeatLabeler = () => null;

/**
 * The labeler of one event: two small reads (the layout, which has one entry per row, not per
 * seat, and the type names). An event sold by ticket type labels nothing.
 */
export function seatLabelerOf(db: Db, eventId: string): SeatLabeler {
  const layout = seatLayoutOf(db, eventId);
  if (!layout) return noSeats;
  const names = new Map(
    prepared<[string], { id: string; name: string }>(
      db,
      "select id, name from ticket_types where event_id = ?",
    )
      .all(eventId)
      .map((t) => [t.id, t.name] as const),
  );
  return (seatId) => seatLabel(layout, seatId, (id) => names.get(id));
}

/** Labels of the given seats of one event, by seat id (seats without a label left out). */
export function seatLabelsOf(
  db: Db,
  eventId: string,
  seatIds: readonly string[],
): Map<string, string> {
  const labels = new Map<string, string>();
  if (seatIds.length === 0) return labels;
  const label = seatLabelerOf(db, eventId);
  for (const id of seatIds) {
    const text = label(id);
    if (text !== null) labels.set(id, text);
  }
  return labels;
}
