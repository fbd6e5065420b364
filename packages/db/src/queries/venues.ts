/** Venues: organizers' seat-map templates, read and written straight from SQLite. */
import { asc, count, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "../open.ts";
import { events, venues } from "../schema.ts";

export type VenueRow = typeof venues.$inferSelect;

export function insertVenue(db: Db, row: VenueRow): void {
  db.insert(venues).values(row).run();
}

export function findVenue(db: Db, venueId: string): VenueRow | null {
  return db.select().from(venues).where(eq(venues.id, venueId)).get() ?? null;
}

/** Newest first; every organizer's when `organizerId` is null (admins). */
export function listVenues(db: Db, organizerId: string | null, limit: number): VenueRow[] {
  const query = db.select().from(venues);
  const filtered = organizerId === null ? query : query.where(eq(venues.organizerId, organizerId));
  return filtered.orderBy(desc(venues.createdAt), asc(venues.id)).limit(limit).all();
}

/** How many events (any status) were created from each venue; venues without any are absent. */
export function eventsPerVenue(db: Db, venueIds: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  if (venueIds.length === 0) return counts;
  const rows = db
    .select({ venueId: events.venueId, n: count() })
    .from(events)
    .where(inArray(events.venueId, [...venueIds]))
    .groupBy(events.venueId)
    .all();
  for (const row of rows) if (row.venueId) counts.set(row.venueId, row.n);
  return counts;
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Whether a venue changed, or how many events use it (then nothing changed). */
export type VenueChange =
  | { readonly done: true }
  | { readonly done: false; readonly events: number };

/**
 * Runs `write` on the venue only while no event uses it, in one transaction: an events.create
 * from this venue cannot slip in between the check and the write.
 */
function whileUnused(db: Db, venueId: string, write: (tx: Tx) => void): VenueChange {
  return db.transaction(
    (tx) => {
      const used =
        tx.select({ n: count() }).from(events).where(eq(events.venueId, venueId)).get()?.n ?? 0;
      if (used > 0) return { done: false, events: used };
      write(tx);
      return { done: true };
    },
    { behavior: "immediate" },
  );
}

/** Replaces a venue's name, layout and seat count, unless an event uses it. */
export function updateVenueIfUnused(
  db: Db,
  venueId: string,
  change: Pick<VenueRow, "name" | "layout" | "seatCount">,
): VenueChange {
  return whileUnused(db, venueId, (tx) => {
    tx.update(venues).set(change).where(eq(venues.id, venueId)).run();
  });
}

/** Deletes a venue, unless an event uses it. */
export function deleteVenueIfUnused(db: Db, venueId: string): VenueChange {
  return whileUnused(db, venueId, (tx) => {
    tx.delete(venues).where(eq(venues.id, venueId)).run();
  });
}
