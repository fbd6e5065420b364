/**
 * The on-sale room in SQLite (docs/API.md "room"): what an event actor loads of it, and the read
 * side (a buyer's entry, the organizer's counts, the lottery's audit) without waking the actor.
 */
import type { LoadedRoom, RoomEntry } from "@boxoffice/core";
import type { Db } from "../open.ts";
import type { roomEntries } from "../schema.ts";
import { prepared } from "../statements.ts";

/** An entry as stored, ended ones too: the live fields plus when it ended and what it bought. */
export type RoomEntryRow = typeof roomEntries.$inferSelect;

/** The rate window: admissions of the last minute count against `admitPerMinute`. */
const RATE_WINDOW_MS = 60_000;

interface EntryColumns {
  id: string;
  event_id: string;
  user_id: string;
  person_key: string;
  seq: number;
  place: number | null;
  state: RoomEntry["state"];
  entered_at: number;
  admitted_at: number | null;
  token_expires_at: number | null;
  ended_at: number | null;
  order_id: string | null;
}

const ENTRY_COLUMNS = `id, event_id, user_id, person_key, seq, place, state, entered_at, admitted_at,
  token_expires_at, ended_at, order_id`;

const entryOf = (r: EntryColumns): RoomEntryRow => ({
  id: r.id,
  eventId: r.event_id,
  userId: r.user_id,
  personKey: r.person_key,
  seq: r.seq,
  place: r.place,
  state: r.state,
  enteredAt: r.entered_at,
  admittedAt: r.admitted_at,
  tokenExpiresAt: r.token_expires_at,
  endedAt: r.ended_at,
  orderId: r.order_id,
});

interface RoomColumns {
  seed: string | null;
  drawn_at: number | null;
  entrants: number;
  doors_open_at: number | null;
  last_seq: number;
  last_place: number;
  admitted_total: number;
  lapsed_total: number;
}

function roomRowOf(db: Db, eventId: string): RoomColumns | undefined {
  return prepared<[string], RoomColumns>(
    db,
    `select seed, drawn_at, entrants, doors_open_at, last_seq, last_place, admitted_total,
              lapsed_total
         from rooms where event_id = ?`,
  ).get(eventId);
}

/**
 * An event's live entries, waiting ones first (by place after the draw, by arrival before it),
 * then the admitted ones. They are read through the unique index of live entries, which holds
 * nothing else, so that the ended entries (most of them, after a busy on-sale) are never read.
 * `state in ('waiting', 'admitted')` is that index's condition word for word, which SQLite needs
 * to use it; `indexed by` makes preparing the query fail if it ever could not.
 */
export const LIVE_ENTRIES = `select id, user_id, person_key, seq, place, state, entered_at, admitted_at,
         token_expires_at
    from room_entries indexed by room_entries_live_person_idx
   where event_id = ? and state in ('waiting', 'admitted')
   order by state = 'admitted', place, seq`;

/**
 * The admissions of the rate window. Only an admitted entry has an admission instant (kept when it
 * goes on to spend or let expire its token), so the admitted-at index holds only those and answers
 * from the index alone: the waiting crowd stays out of this scan.
 */
export const RECENT_ADMISSIONS = `select admitted_at from room_entries
   where event_id = ? and admitted_at > ? order by admitted_at`;

/**
 * What the actor keeps of its room: the live entries (see `LIVE_ENTRIES`) and the room's row. Null
 * when the room never ran (no row), so that the actor starts with an empty room.
 */
export function loadedRoomOf(db: Db, eventId: string, now: number): LoadedRoom | null {
  const room = roomRowOf(db, eventId);
  if (!room) return null;
  const live = prepared<[string], Omit<EntryColumns, "event_id" | "ended_at" | "order_id">>(
    db,
    LIVE_ENTRIES,
  ).all(eventId);
  const entries: RoomEntry[] = live.map((r) => ({
    id: r.id,
    userId: r.user_id,
    personKey: r.person_key,
    seq: r.seq,
    enteredAt: r.entered_at,
    place: r.place,
    state: r.state,
    admittedAt: r.admitted_at,
    tokenExpiresAt: r.token_expires_at,
  }));
  const recent = prepared<[string, number], { admitted_at: number }>(db, RECENT_ADMISSIONS).all(
    eventId,
    now - RATE_WINDOW_MS,
  );
  return {
    entries,
    lastSeq: room.last_seq,
    lastPlace: room.last_place,
    drawnAt: room.drawn_at,
    seed: room.seed,
    doorsOpenAt: room.doors_open_at,
    admittedTotal: room.admitted_total,
    recentAdmissions: recent.map((r) => r.admitted_at),
  };
}

/** A person's latest entry in an event's room, ended or not; null if they never entered. */
export function latestRoomEntryOf(db: Db, eventId: string, personKey: string): RoomEntryRow | null {
  const row = prepared<[string, string], EntryColumns>(
    db,
    `select ${ENTRY_COLUMNS} from room_entries
        where event_id = ? and person_key = ? order by seq desc limit 1`,
  ).get(eventId, personKey);
  return row ? entryOf(row) : null;
}

export function roomEntryById(db: Db, entryId: string): RoomEntryRow | null {
  const row = prepared<[string], EntryColumns>(
    db,
    `select ${ENTRY_COLUMNS} from room_entries where id = ?`,
  ).get(entryId);
  return row ? entryOf(row) : null;
}

export interface RoomCounts {
  /** Everyone who ever entered (entering again after an entry ended counts again). */
  readonly entrants: number;
  readonly lapsedTotal: number;
  readonly admittedTotal: number;
  readonly drawnAt: number | null;
  /** The lottery's seed (hex); null before the draw. */
  readonly seed: string | null;
  readonly doorsOpenAt: number | null;
  /** How many were present at the draw (places 1..entrantsAtDraw are the lottery's). */
  readonly entrantsAtDraw: number;
}

/** The room's counters as committed; all zero (and null) for a room that never ran. */
export function roomCountsOf(db: Db, eventId: string): RoomCounts {
  const room = roomRowOf(db, eventId);
  return {
    // Seqs are handed out 1, 2, ... once each, so the last one counts every entry.
    entrants: room?.last_seq ?? 0,
    lapsedTotal: room?.lapsed_total ?? 0,
    admittedTotal: room?.admitted_total ?? 0,
    drawnAt: room?.drawn_at ?? null,
    seed: room?.seed ?? null,
    doorsOpenAt: room?.doors_open_at ?? null,
    entrantsAtDraw: room?.entrants ?? 0,
  };
}

export interface RoomDraw {
  readonly seed: string;
  readonly drawnAt: number;
  /** The entries present at the draw, in arrival order: the lottery's input. */
  readonly entrants: readonly string[];
  /** `places[i]` is the place `entrants[i]` drew (1 for the front). */
  readonly places: readonly number[];
}

/**
 * The lottery as stored, for an audit: replaying core's draw with `seed` over `entrants` must give
 * `places`. Null before the draw. Entries that lapsed or spent their token since keep their place.
 */
export function roomDrawOf(db: Db, eventId: string): RoomDraw | null {
  const room = roomRowOf(db, eventId);
  if (!room || room.seed === null || room.drawn_at === null) return null;
  const rows = prepared<[string, number], { id: string; place: number }>(
    db,
    `select id, place from room_entries
        where event_id = ? and place between 1 and ? order by seq`,
  ).all(eventId, room.entrants);
  return {
    seed: room.seed,
    drawnAt: room.drawn_at,
    entrants: rows.map((r) => r.id),
    places: rows.map((r) => r.place),
  };
}

/**
 * Events whose room is switched on and whose doors have not opened, with the effective opening
 * (`opensAt`, else the sales start; null: as soon as it is on): the actors to wake at start so
 * that their rooms tick (draw, admit, expire) with nobody asking.
 */
export function roomsInUse(db: Db): { eventId: string; opensAt: number | null }[] {
  return prepared<[], { eventId: string; opensAt: number | null }>(
    db,
    `select e.id as eventId,
              coalesce(json_extract(e.on_sale_room, '$.opensAt'), e.sales_start_at) as opensAt
         from events e left join rooms r on r.event_id = e.id
        where e.status = 'published' and e.on_sale_room is not null
          and json_extract(e.on_sale_room, '$.enabled') = 1 and r.doors_open_at is null`,
  ).all();
}
