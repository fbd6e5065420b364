import {
  type BookingRecord,
  DEFAULT_ROOM,
  type EventConfig,
  guestPrincipal,
  type Hold,
  type LineItem,
  type LoadedEvent,
  type LoadedRoom,
  type SeatLayout,
  type WaitlistEntry,
} from "@boxoffice/core";
import { asc, eq } from "drizzle-orm";
import type { Db } from "./open.ts";
import { codesOfEvent } from "./queries/codes.ts";
import { peopleByIds } from "./queries/people.ts";
import { loadedRoomOf } from "./queries/room.ts";
import { activeWaitlistEntries } from "./queries/waitlist.ts";
import { events, ticketTypes } from "./schema.ts";
import { prepared } from "./statements.ts";

export type EventRow = typeof events.$inferSelect;
export type TicketTypeRow = typeof ticketTypes.$inferSelect;

export function eventConfigFromRows(row: EventRow, types: readonly TicketTypeRow[]): EventConfig {
  return {
    id: row.id,
    organizerId: row.organizerId,
    status: row.status,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    salesStartAt: row.salesStartAt,
    salesEndAt: row.salesEndAt,
    capacity: row.capacity,
    maxPerOrder: row.maxPerOrder,
    maxPerUser: row.maxPerUser,
    holdSeconds: row.holdSeconds,
    currency: row.currency,
    ticketTypes: types.map((t) => ({
      id: t.id,
      name: t.name,
      priceCents: t.priceCents,
      capacity: t.capacity,
      ...(t.hidden ? { hidden: true } : {}),
    })),
    cancellationPolicy: row.cancellationPolicy,
    waitlist: {
      enabled: row.waitlistEnabled,
      mode: row.waitlistMode,
      offerSeconds: row.waitlistOfferSeconds,
    },
    checkout: {
      guestCheckout: row.guestCheckout,
      personalizedTickets: row.personalizedTickets,
      editCutoffHours: row.editCutoffHours,
      questions: row.questions,
    },
    // Null: never configured, so DEFAULT_ROOM applies. Defaults fill settings added since.
    ...(row.onSaleRoom ? { room: { ...DEFAULT_ROOM, ...row.onSaleRoom } } : {}),
  };
}

/** The actor's principal for a stored row: its account, or for a guest `guest:<email>`. */
export const principalOf = (userId: string | null, buyerEmail: string): string =>
  userId ?? guestPrincipal(buyerEmail);

export function ticketTypesOf(db: Db, eventId: string): TicketTypeRow[] {
  return db
    .select()
    .from(ticketTypes)
    .where(eq(ticketTypes.eventId, eventId))
    .orderBy(asc(ticketTypes.position))
    .all();
}

/**
 * Everything an event actor needs, read in one go: config, live holds (expired ones included;
 * the actor's first sweep releases them through the journal), confirmed bookings, idempotency keys,
 * the on-sale room. `now` bounds the room's rate window (its admissions of the last 60 seconds).
 */
export function loadEvent(db: Db, eventId: string, now = Date.now()): LoadedEvent | null {
  const row = db.select().from(events).where(eq(events.id, eventId)).get();
  if (!row) return null;
  const holdRows = prepared<
    [string],
    {
      id: string;
      user_id: string | null;
      buyer_email: string;
      buyer_name: string | null;
      items: string;
      seat_ids: string;
      total_cents: number;
      currency: string;
      created_at: number;
      expires_at: number;
      idempotency_key: string | null;
      request_hash: string | null;
      code_id: string | null;
    }
  >(
    db,
    `select id, user_id, buyer_email, buyer_name, items, seat_ids, total_cents, currency,
              created_at, expires_at, idempotency_key, request_hash, code_id
         from holds where event_id = ? and status = 'active'`,
  ).all(eventId);
  const holds: Hold[] = holdRows.map((h) => ({
    id: h.id,
    userId: principalOf(h.user_id, h.buyer_email),
    personKey: h.buyer_email,
    ...(h.buyer_name === null ? {} : { buyerName: h.buyer_name }),
    items: JSON.parse(h.items) as LineItem[],
    seatIds: JSON.parse(h.seat_ids) as string[],
    totalCents: h.total_cents,
    currency: h.currency,
    createdAt: h.created_at,
    expiresAt: h.expires_at,
    idempotencyKey: h.idempotency_key,
    requestHash: h.request_hash,
    ...(h.code_id === null ? {} : { codeId: h.code_id }),
  }));
  const bookingRows = prepared<
    [string],
    {
      id: string;
      user_id: string | null;
      buyer_email: string;
      seat_ids: string;
      total_cents: number;
      paid_cents: number;
      created_at: number;
      idempotency_key: string | null;
      request_hash: string | null;
      code_id: string | null;
    }
  >(
    db,
    `select id, user_id, buyer_email, seat_ids, total_cents, paid_cents, created_at,
              idempotency_key, request_hash, code_id
         from bookings where event_id = ? and status = 'confirmed'`,
  ).all(eventId);
  const itemRows = prepared<
    [string],
    {
      booking_id: string;
      ticket_type_id: string;
      quantity: number;
      unit_price_cents: number;
      list_price_cents: number | null;
    }
  >(
    db,
    `select i.booking_id, i.ticket_type_id, i.quantity, i.unit_price_cents, i.list_price_cents
         from booking_items i join bookings b on b.id = i.booking_id
        where b.event_id = ? and b.status = 'confirmed'`,
  ).all(eventId);
  const itemsByBooking = new Map<string, LineItem[]>();
  for (const i of itemRows) {
    const list = itemsByBooking.get(i.booking_id) ?? [];
    list.push({
      ticketTypeId: i.ticket_type_id,
      quantity: i.quantity,
      unitPriceCents: i.unit_price_cents,
      // Only a code's discount makes the list price differ; plain lines stay as they were.
      ...(i.list_price_cents === null || i.list_price_cents === i.unit_price_cents
        ? {}
        : { listPriceCents: i.list_price_cents }),
    });
    itemsByBooking.set(i.booking_id, list);
  }
  const bookings: BookingRecord[] = bookingRows.map((b) => ({
    id: b.id,
    userId: principalOf(b.user_id, b.buyer_email),
    personKey: b.buyer_email,
    items: itemsByBooking.get(b.id) ?? [],
    seatIds: JSON.parse(b.seat_ids) as string[],
    totalCents: b.total_cents,
    paidCents: b.paid_cents,
    createdAt: b.created_at,
    ...(b.code_id === null ? {} : { codeId: b.code_id }),
  }));
  // Keys of cancelled bookings still answer a retried request with the (now cancelled) booking.
  const keyRows = prepared<
    [string],
    {
      id: string;
      user_id: string | null;
      buyer_email: string;
      idempotency_key: string;
      request_hash: string | null;
    }
  >(
    db,
    `select id, user_id, buyer_email, idempotency_key, request_hash from bookings
        where event_id = ? and idempotency_key is not null`,
  ).all(eventId);
  return {
    ...loadWaitlist(db, eventId),
    seating: seatLayoutOf(db, eventId),
    config: eventConfigFromRows(row, ticketTypesOf(db, eventId)),
    holds,
    bookings,
    codes: codesOfEvent(db, eventId),
    ...roomOfEvent(db, eventId, now),
    idempotency: keyRows.map((k) => ({
      userId: principalOf(k.user_id, k.buyer_email),
      key: k.idempotency_key,
      bookingId: k.id,
      requestHash: k.request_hash,
    })),
  };
}

/** The room as the actor keeps it; none (an empty room) for an event whose room never ran. */
function roomOfEvent(db: Db, eventId: string, now: number): { room?: LoadedRoom } {
  const room = loadedRoomOf(db, eventId, now);
  return room ? { room } : {};
}

/** A seated event's own copy of its venue's layout; null for an event sold by ticket type. */
export function seatLayoutOf(db: Db, eventId: string): SeatLayout | null {
  const row = prepared<[string], { layout: string }>(
    db,
    "select layout from event_seat_layouts where event_id = ?",
  ).get(eventId);
  return row ? (JSON.parse(row.layout) as SeatLayout) : null;
}

/** Active entries (waiting, offered) in queue order, and the last seq handed out. */
function loadWaitlist(db: Db, eventId: string): { waitlist: WaitlistEntry[]; waitlistSeq: number } {
  const last = prepared<[string], { seq: number | null }>(
    db,
    "select max(seq) seq from waitlist_entries where event_id = ?",
  ).get(eventId);
  const entries = activeWaitlistEntries(db, eventId);
  // Only accounts wait; each counts as its email, like its holds and bookings.
  const people = peopleByIds(
    db,
    entries.map((e) => e.userId),
  );
  return {
    waitlist: entries.map((e) => ({
      id: e.id,
      userId: e.userId,
      ...(people.has(e.userId)
        ? { personKey: (people.get(e.userId)?.email ?? "").trim().toLowerCase() }
        : {}),
      ticketTypeId: e.ticketTypeId,
      quantity: e.quantity,
      seq: e.seq,
      state: e.state === "offered" ? "offered" : "waiting",
      holdId: e.holdId,
      joinedAt: e.joinedAt,
    })),
    waitlistSeq: last?.seq ?? 0,
  };
}
