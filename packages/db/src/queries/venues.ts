/** Venues: organizers' seat-map templates, read and written straight from SQLite. */
import { asc, desc, eq } from "drizzle-orm";
import type { Db } from "../open.ts";
import { venues } from "../schema.ts";

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
