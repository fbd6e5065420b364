/**
 * Read side of events: details and lists straight from SQLite, without waking any event actor.
 * Sold counts are summed from standing bookings and held counts from live holds, by the rules
 * the actor counts by, so the figures match what an awake actor would say.
 */
import { and, asc, desc, eq, gt, gte, inArray, lte, or, type SQL, sql } from "drizzle-orm";
import type { EventRow, TicketTypeRow } from "../event-load.ts";
import type { Db } from "../open.ts";
import { eventSeatLayouts, events, ticketTypes } from "../schema.ts";
import { prepared, preparedIn } from "../statements.ts";

export function findEventRow(db: Db, eventId: string): EventRow | null {
  return db.select().from(events).where(eq(events.id, eventId)).get() ?? null;
}

/** Ticket types of many events in one query, in each event's display order. */
export function ticketTypesOfEvents(
  db: Db,
  eventIds: readonly string[],
): Map<string, TicketTypeRow[]> {
  const byEvent = new Map<string, TicketTypeRow[]>(eventIds.map((id) => [id, []]));
  if (eventIds.length === 0) return byEvent;
  const rows = db
    .select()
    .from(ticketTypes)
    .where(inArray(ticketTypes.eventId, [...eventIds]))
    .orderBy(asc(ticketTypes.eventId), asc(ticketTypes.position))
    .all();
  for (const row of rows) byEvent.get(row.eventId)?.push(row);
  return byEvent;
}

/** Waiting waitlist entries per event, for lists (the actor has the same count in memory). */
export function waitingByEvent(db: Db, eventIds: readonly string[]): Map<string, number> {
  const waiting = new Map<string, number>();
  if (eventIds.length === 0) return waiting;
  const { statement, values } = preparedIn<string, { event_id: string; n: number }>(
    db,
    eventIds,
    (placeholders) =>
      `select event_id, count(*) n from waitlist_entries
        where event_id in (${placeholders}) and state = 'waiting' group by event_id`,
  );
  const rows = statement.all(...values);
  for (const row of rows) waiting.set(row.event_id, row.n);
  return waiting;
}

/**
 * Tickets in live holds per ticket type id, for many events at once. A hold past its expiry is
 * not counted even before the actor's sweep marks it expired: it no longer takes anything.
 */
export function heldByTicketType(
  db: Db,
  eventIds: readonly string[],
  now: number,
): Map<string, number> {
  const held = new Map<string, number>();
  if (eventIds.length === 0) return held;
  const { statement, values } = preparedIn<string, { ticket_type_id: string; held: number }>(
    db,
    eventIds,
    (placeholders) =>
      `select json_extract(j.value, '$.ticketTypeId') as ticket_type_id,
              sum(json_extract(j.value, '$.quantity')) as held
         from holds h, json_each(h.items) j
        where h.event_id in (${placeholders}) and h.status = 'active' and h.expires_at > ?
        group by 1`,
  );
  const rows = statement.all(...values, now);
  for (const row of rows) held.set(row.ticket_type_id, row.held);
  return held;
}

export interface EventListFilter {
  /** Already a LIKE pattern with `\` as the escape character. */
  readonly searchPattern: string | null;
  readonly from: number | null;
  readonly to: number | null;
  readonly organizerId: string | null;
  /** true: every status of `organizerId`'s events (their own list); false: published only. */
  readonly allStatuses: boolean;
  /** Events that ended (or started, when they have no end) before this are left out. */
  readonly endedBefore: number | null;
  readonly after: { readonly startsAt: number; readonly id: string } | null;
  readonly limit: number;
}

/** Upcoming first: by start, then id, so that keyset pagination never skips or repeats. */
export function listEventRows(db: Db, f: EventListFilter): EventRow[] {
  const where: (SQL | undefined)[] = [
    f.allStatuses ? undefined : eq(events.status, "published"),
    f.organizerId === null ? undefined : eq(events.organizerId, f.organizerId),
    f.from === null ? undefined : gte(events.startsAt, f.from),
    f.to === null ? undefined : lte(events.startsAt, f.to),
    f.endedBefore === null
      ? undefined
      : sql`coalesce(${events.endsAt}, ${events.startsAt}) >= ${f.endedBefore}`,
    f.searchPattern === null
      ? undefined
      : sql`(${events.title} like ${f.searchPattern} escape '\\'
          or ${events.description} like ${f.searchPattern} escape '\\'
          or ${events.venueName} like ${f.searchPattern} escape '\\')`,
    f.after === null
      ? undefined
      : or(
          gt(events.startsAt, f.after.startsAt),
          and(eq(events.startsAt, f.after.startsAt), gt(events.id, f.after.id)),
        ),
  ];
  return db
    .select()
    .from(events)
    .where(and(...where))
    .orderBy(asc(events.startsAt), asc(events.id))
    .limit(f.limit)
    .all();
}

/** Tickets of standing bookings per ticket type id, for many events at once. */
export function soldByTicketType(db: Db, eventIds: readonly string[]): Map<string, number> {
  const sold = new Map<string, number>();
  if (eventIds.length === 0) return sold;
  const { statement, values } = preparedIn<string, { ticket_type_id: string; sold: number }>(
    db,
    eventIds,
    (placeholders) =>
      `select bi.ticket_type_id, sum(bi.quantity) as sold
         from bookings b join booking_items bi on bi.booking_id = b.id
        where b.event_id in (${placeholders}) and b.status = 'confirmed'
        group by 1`,
  );
  const rows = statement.all(...values);
  for (const row of rows) sold.set(row.ticket_type_id, row.sold);
  return sold;
}

/** Sold and held per ticket type id of these events, as of `now`. */
export function ticketCounts(
  db: Db,
  eventIds: readonly string[],
  now: number,
): Map<string, { sold: number; held: number }> {
  const sold = soldByTicketType(db, eventIds);
  const held = heldByTicketType(db, eventIds, now);
  const counts = new Map<string, { sold: number; held: number }>();
  for (const id of new Set([...sold.keys(), ...held.keys()])) {
    counts.set(id, { sold: sold.get(id) ?? 0, held: held.get(id) ?? 0 });
  }
  return counts;
}

/** Seats taken in a seated event, as of `now`: by standing bookings, and by live holds. */
export function takenSeats(
  db: Db,
  eventId: string,
  now: number,
): { booked: string[]; held: string[] } {
  const seatsOf = (rows: { seat_ids: string }[]) =>
    rows.flatMap((r) => JSON.parse(r.seat_ids) as string[]);
  const booked = prepared<[string], { seat_ids: string }>(
    db,
    `select seat_ids from bookings
        where event_id = ? and status = 'confirmed' and seat_ids <> '[]'`,
  ).all(eventId);
  const held = prepared<[string, number], { seat_ids: string }>(
    db,
    `select seat_ids from holds
        where event_id = ? and status = 'active' and expires_at > ? and seat_ids <> '[]'`,
  ).all(eventId, now);
  return { booked: seatsOf(booked), held: seatsOf(held) };
}

export type NewEventRow = typeof events.$inferInsert;
export type NewTicketTypeRow = typeof ticketTypes.$inferInsert;

/** A new event with its ticket types (and a seated event's own copy of its layout), at once. */
export function insertEvent(
  db: Db,
  event: NewEventRow,
  types: readonly NewTicketTypeRow[],
  seating: typeof eventSeatLayouts.$inferInsert | null,
): void {
  // One synchronous transaction: an event never exists without its ticket types.
  db.transaction((tx) => {
    tx.insert(events).values(event).run();
    tx.insert(ticketTypes)
      .values([...types])
      .run();
    if (seating) tx.insert(eventSeatLayouts).values(seating).run();
  });
}

/**
 * When the organizer's `nth` newest event created after `since` was created, or null when they
 * created fewer. With `nth` a limit per window, the limit is reached until that event leaves the
 * window. One step of the (organizer_id, created_at) index.
 */
export function nthNewestEventCreatedAt(
  db: Db,
  organizerId: string,
  since: number,
  nth: number,
): number | null {
  const row = db
    .select({ createdAt: events.createdAt })
    .from(events)
    .where(and(eq(events.organizerId, organizerId), gt(events.createdAt, since)))
    .orderBy(desc(events.createdAt))
    .limit(1)
    .offset(nth - 1)
    .get();
  return row?.createdAt ?? null;
}

/** The earliest deadline of the live holds of every event that has any (offers included). */
export function liveHoldDeadlines(db: Db): { eventId: string; expiresAt: number }[] {
  return prepared<[], { eventId: string; expiresAt: number }>(
    db,
    `select event_id as eventId, min(expires_at) as expiresAt from holds
        where status = 'active' group by event_id`,
  ).all();
}

/**
 * Names of an event's ticket types (hidden ones too), by id: what holds and just-made bookings
 * call their lines, since `events.get` leaves hidden types out for buyers.
 */
export function ticketTypeNames(db: Db, eventId: string): Map<string, string> {
  const rows = db
    .select({ id: ticketTypes.id, name: ticketTypes.name })
    .from(ticketTypes)
    .where(eq(ticketTypes.eventId, eventId))
    .all();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Names of ticket types by id, of any events, in one query. */
export function ticketTypeNamesByIds(db: Db, ids: readonly string[]): Map<string, string> {
  if (ids.length === 0) return new Map();
  const rows = db
    .select({ id: ticketTypes.id, name: ticketTypes.name })
    .from(ticketTypes)
    .where(inArray(ticketTypes.id, [...new Set(ids)]))
    .all();
  return new Map(rows.map((r) => [r.id, r.name]));
}
