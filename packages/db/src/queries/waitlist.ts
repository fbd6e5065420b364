/**
 * The waitlist as SQLite keeps it, for reads of events whose actor is asleep: every entry has a
 * row (ended ones too), active ones in queue order by `seq`, an offer's deadline on its hold.
 */
import type { Db } from "../open.ts";
import { prepared } from "../statements.ts";

export type WaitlistEntryState = "waiting" | "offered" | "converted" | "expired" | "left";

export interface WaitlistEntryRow {
  readonly id: string;
  readonly userId: string;
  readonly ticketTypeId: string | null;
  readonly quantity: number;
  readonly seq: number;
  readonly state: WaitlistEntryState;
  readonly joinedAt: number;
  /** The entry's offer hold, live or ended. */
  readonly holdId: string | null;
  /** The live offer hold of an offered entry. */
  readonly offer: { readonly holdId: string; readonly expiresAt: number } | null;
}

interface RawEntry {
  id: string;
  user_id: string;
  ticket_type_id: string | null;
  quantity: number;
  seq: number;
  state: WaitlistEntryState;
  joined_at: number;
  entry_hold_id: string | null;
  hold_id: string | null;
  expires_at: number | null;
}

const columns = `w.id, w.user_id, w.ticket_type_id, w.quantity, w.seq, w.state, w.joined_at,
  w.hold_id as entry_hold_id, h.id as hold_id, h.expires_at`;
// Only a live offer hold is an offer.
const offerJoin = "left join holds h on h.id = w.hold_id and h.status = 'active'";

const entryOf = (r: RawEntry): WaitlistEntryRow => ({
  id: r.id,
  userId: r.user_id,
  ticketTypeId: r.ticket_type_id,
  quantity: r.quantity,
  seq: r.seq,
  state: r.state,
  joinedAt: r.joined_at,
  holdId: r.entry_hold_id,
  offer:
    r.state === "offered" && r.hold_id !== null && r.expires_at !== null
      ? { holdId: r.hold_id, expiresAt: r.expires_at }
      : null,
});

/** A user's latest entry for an event, whatever its state, and its place if it waits. */
export function latestWaitlistEntry(
  db: Db,
  eventId: string,
  userId: string,
): { entry: WaitlistEntryRow; position: number | null } | null {
  const row = prepared<[string, string], RawEntry>(
    db,
    `select ${columns} from waitlist_entries w ${offerJoin}
        where w.event_id = ? and w.user_id = ? order by w.seq desc limit 1`,
  ).get(eventId, userId);
  if (!row) return null;
  if (row.state !== "waiting") return { entry: entryOf(row), position: null };
  const ahead = prepared<[string, number], { n: number }>(
    db,
    `select count(*) as n from waitlist_entries
        where event_id = ? and state = 'waiting' and seq < ?`,
  ).get(eventId, row.seq);
  return { entry: entryOf(row), position: (ahead?.n ?? 0) + 1 };
}

/** Active entries (waiting, offered) in queue order. */
export function activeWaitlistEntries(db: Db, eventId: string): WaitlistEntryRow[] {
  return prepared<[string], RawEntry>(
    db,
    `select ${columns} from waitlist_entries w ${offerJoin}
        where w.event_id = ? and w.state in ('waiting', 'offered') order by w.seq`,
  )
    .all(eventId)
    .map(entryOf);
}

export interface WaitlistHistoryRow extends WaitlistEntryRow {
  /** 1 for the next in line; null unless waiting. */
  readonly position: number | null;
  /** When a converted, expired or left entry ended; null while active. */
  readonly endedAt: number | null;
  /** The booking a converted entry became. */
  readonly bookingId: string | null;
  /** The deadline of the entry's offer, live or ended; null if it never had one. */
  readonly offerExpiresAt: number | null;
}

export interface WaitlistHistoryFilter {
  readonly state: WaitlistEntryState | null;
  /** Entries after this `seq` (the last of the previous page), or from the first. */
  readonly afterSeq: number | null;
  readonly limit: number;
}

/**
 * Every entry of an event that ever joined, ended ones too, in the order they joined. Positions
 * cost one count per page: the page holds every waiting entry between its first and last.
 */
export function waitlistHistory(
  db: Db,
  eventId: string,
  f: WaitlistHistoryFilter,
): WaitlistHistoryRow[] {
  type Raw = RawEntry & {
    updated_at: number;
    booking_id: string | null;
    offer_expires_at: number | null;
  };
  type Params = { eventId: string; state: string | null; afterSeq: number | null; limit: number };
  const rows = prepared<[Params], Raw>(
    db,
    `select ${columns}, w.updated_at, w.booking_id, o.expires_at as offer_expires_at
         from waitlist_entries w ${offerJoin}
         left join holds o on o.id = w.hold_id
        where w.event_id = @eventId and (@state is null or w.state = @state)
          and (@afterSeq is null or w.seq > @afterSeq)
        order by w.seq limit @limit`,
  ).all({ eventId, state: f.state, afterSeq: f.afterSeq, limit: f.limit });
  const firstWaiting = rows.find((r) => r.state === "waiting");
  let position = firstWaiting
    ? (prepared<[string, number], { n: number }>(
        db,
        `select count(*) as n from waitlist_entries
            where event_id = ? and state = 'waiting' and seq < ?`,
      ).get(eventId, firstWaiting.seq)?.n ?? 0)
    : 0;
  return rows.map((r) => ({
    ...entryOf(r),
    position: r.state === "waiting" ? ++position : null,
    endedAt: r.state === "waiting" || r.state === "offered" ? null : r.updated_at,
    bookingId: r.booking_id,
    offerExpiresAt: r.offer_expires_at,
  }));
}
