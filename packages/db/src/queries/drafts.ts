/** Deleting a draft: its rows go at once, and only while it is a draft nobody ever took part in. */
import { count, eq } from "drizzle-orm";
import type { Db } from "../open.ts";
import {
  bookings,
  codes,
  eventSeatLayouts,
  events,
  holds,
  roomEntries,
  rooms,
  ticketTypes,
  waitlistEntries,
} from "../schema.ts";

export type DeleteDraftResult = "deleted" | "missing" | "not_draft" | "has_activity";

/**
 * Deletes a draft event with its ticket types and seat layout in one transaction. Refused (and
 * nothing changes) unless it is still a draft without any hold, booking or waitlist entry; drafts
 * take none, so that check only guards the rule.
 */
export function deleteDraftEvent(db: Db, eventId: string): DeleteDraftResult {
  return db.transaction(
    (tx): DeleteDraftResult => {
      const row = tx
        .select({ status: events.status })
        .from(events)
        .where(eq(events.id, eventId))
        .get();
      if (!row) return "missing";
      if (row.status !== "draft") return "not_draft";
      for (const table of [holds, bookings, waitlistEntries]) {
        const taken = tx.select({ n: count() }).from(table).where(eq(table.eventId, eventId)).get();
        if ((taken?.n ?? 0) > 0) return "has_activity";
      }
      // A draft's room never opens, but a room row may have been made for it; it goes too.
      tx.delete(roomEntries).where(eq(roomEntries.eventId, eventId)).run();
      tx.delete(rooms).where(eq(rooms.eventId, eventId)).run();
      tx.delete(eventSeatLayouts).where(eq(eventSeatLayouts.eventId, eventId)).run();
      tx.delete(codes).where(eq(codes.eventId, eventId)).run();
      tx.delete(ticketTypes).where(eq(ticketTypes.eventId, eventId)).run();
      tx.delete(events).where(eq(events.id, eventId)).run();
      return "deleted";
    },
    { behavior: "immediate" },
  );
}
