import type {
  ConfirmedBooking,
  EventConfig,
  EventDetails,
  EventEvent,
  Hold,
  WaitlistEntry,
} from "@boxoffice/core";
import type { Db } from "./open.ts";
import { createOutboxWrites } from "./queries/outbox.ts";

/**
 * How each domain event of an event actor lands in SQLite. Statements are prepared once per
 * connection; `apply` must run inside a transaction (the writer's).
 */
export function createEventWrites(db: Db) {
  const c = db.$client;
  // Notifications commit with the change they tell about (the transactional outbox).
  const outbox = createOutboxWrites(db);
  const insertHold = c.prepare(
    `insert into holds (id, event_id, user_id, status, items, seat_ids, total_cents, currency, created_at, expires_at)
     values (?, ?, ?, 'active', ?, ?, ?, ?, ?, ?)`,
  );
  const endHold = c.prepare(
    "update holds set status = ?, ended_at = ? where id = ? and status = 'active'",
  );
  const insertBooking = c.prepare(
    `insert into bookings (id, event_id, user_id, hold_id, status, total_cents, paid_cents, refund_cents,
       currency, seat_ids, idempotency_key, request_hash, created_at)
     values (?, ?, ?, ?, 'confirmed', ?, ?, 0, ?, ?, ?, ?, ?)`,
  );
  const insertItem = c.prepare(
    "insert into booking_items (booking_id, ticket_type_id, quantity, unit_price_cents) values (?, ?, ?, ?)",
  );
  const insertTicket = c.prepare(
    "insert into tickets (id, booking_id, event_id, ticket_type_id, seat_id, code) values (?, ?, ?, ?, ?, ?)",
  );
  const insertPayment = c.prepare(
    `insert into payments (id, booking_id, provider, provider_ref, amount_cents, currency, created_at)
     values (?, ?, ?, ?, ?, ?, ?)`,
  );
  const addSold = c.prepare("update ticket_types set sold = sold + ? where id = ?");
  const cancelBooking = c.prepare(
    `update bookings set status = 'cancelled', refund_cents = ?, cancelled_at = ?, cancelled_by = ?
     where id = ? and status = 'confirmed' returning currency`,
  );
  const bookingItems = c.prepare<[string], { ticket_type_id: string; quantity: number }>(
    "select ticket_type_id, quantity from booking_items where booking_id = ?",
  );
  const insertRefund = c.prepare(
    `insert into refunds (id, booking_id, amount_cents, fee_cents, currency, reason, created_at)
     values (?, ?, ?, ?, ?, ?, ?)`,
  );
  const updateEvent = c.prepare(
    `update events set status = ?, starts_at = ?, ends_at = ?, sales_start_at = ?, sales_end_at = ?,
       capacity = ?, max_per_order = ?, max_per_user = ?, hold_seconds = ?, currency = ?,
       waitlist_enabled = ?, waitlist_mode = ?, waitlist_offer_seconds = ?, cancellation_policy = ?,
       updated_at = ? where id = ?`,
  );
  const updateDetails = c.prepare(
    "update events set title = ?, description = ?, venue_name = ?, timezone = ? where id = ?",
  );
  const upsertType = c.prepare(
    `insert into ticket_types (id, event_id, name, price_cents, capacity, sold, position)
     values (?, ?, ?, ?, ?, 0, ?)
     on conflict (id) do update set name = excluded.name, price_cents = excluded.price_cents,
       capacity = excluded.capacity, position = excluded.position`,
  );
  const insertEntry = c.prepare(
    `insert into waitlist_entries (id, event_id, user_id, ticket_type_id, quantity, seq, state,
       joined_at, updated_at)
     values (?, ?, ?, ?, ?, ?, 'waiting', ?, ?)`,
  );
  const setEntryState = c.prepare(
    `update waitlist_entries set state = ?, hold_id = coalesce(?, hold_id),
       booking_id = coalesce(?, booking_id), updated_at = ?
     where id = ? and state in ('waiting', 'offered')`,
  );
  const closeWaitlist = c.prepare(
    `update waitlist_entries set state = 'expired', updated_at = ?
     where event_id = ? and state in ('waiting', 'offered')`,
  );
  const cancelEvent = c.prepare(
    "update events set status = 'cancelled', cancel_reason = ?, updated_at = ? where id = ?",
  );

  // The sold counter of a hot ticket type is one row that every booking would update: changes are
  // summed over a batch and written once per type (it is read only after the commit).
  const soldDeltas = new Map<string, number>();
  const bumpSold = (ticketTypeId: string, n: number) =>
    soldDeltas.set(ticketTypeId, (soldDeltas.get(ticketTypeId) ?? 0) + n);
  const writeSold = () => {
    for (const [ticketTypeId, n] of soldDeltas) if (n !== 0) addSold.run(n, ticketTypeId);
    soldDeltas.clear();
  };

  function placeHold(eventId: string, hold: Hold): void {
    insertHold.run(
      hold.id,
      eventId,
      hold.userId,
      JSON.stringify(hold.items),
      JSON.stringify(hold.seatIds),
      hold.totalCents,
      hold.currency,
      hold.createdAt,
      hold.expiresAt,
    );
  }

  function confirmBooking(b: ConfirmedBooking): void {
    if (b.holdId) endHold.run("confirmed", b.createdAt, b.holdId);
    insertBooking.run(
      b.id,
      b.eventId,
      b.userId,
      b.holdId,
      b.totalCents,
      b.paidCents,
      b.currency,
      JSON.stringify(b.seatIds),
      b.idempotencyKey,
      b.requestHash,
      b.createdAt,
    );
    for (const item of b.items) {
      insertItem.run(b.id, item.ticketTypeId, item.quantity, item.unitPriceCents);
      bumpSold(item.ticketTypeId, item.quantity);
    }
    for (const t of b.tickets)
      insertTicket.run(t.id, b.id, b.eventId, t.ticketTypeId, t.seatId, t.code);
    if (b.payment) {
      insertPayment.run(
        `${b.id}-pay`,
        b.id,
        b.payment.provider,
        b.payment.ref,
        b.payment.amountCents,
        b.currency,
        b.createdAt,
      );
    }
  }

  function reconfigure(config: EventConfig, details: EventDetails | null, at: number): void {
    updateEvent.run(
      config.status,
      config.startsAt,
      config.endsAt,
      config.salesStartAt,
      config.salesEndAt,
      config.capacity,
      config.maxPerOrder,
      config.maxPerUser,
      config.holdSeconds,
      config.currency,
      config.waitlist.enabled ? 1 : 0,
      config.waitlist.mode,
      config.waitlist.offerSeconds,
      JSON.stringify(config.cancellationPolicy),
      at,
      config.id,
    );
    for (const [position, type] of config.ticketTypes.entries()) {
      upsertType.run(type.id, config.id, type.name, type.priceCents, type.capacity, position);
    }
    if (details) {
      updateDetails.run(
        details.title,
        details.description,
        details.venueName,
        details.timezone,
        config.id,
      );
    }
  }

  function joinWaitlist(eventId: string, e: WaitlistEntry): void {
    insertEntry.run(
      e.id,
      eventId,
      e.userId,
      e.ticketTypeId,
      e.quantity,
      e.seq,
      e.joinedAt,
      e.joinedAt,
    );
  }

  /** Moves an active entry on; a missing active row means memory and disk disagree. */
  function moveEntry(
    entryId: string,
    state: "offered" | "converted" | "expired" | "left",
    at: number,
    ids: { holdId?: string; bookingId?: string } = {},
  ): void {
    const { changes } = setEntryState.run(
      state,
      ids.holdId ?? null,
      ids.bookingId ?? null,
      at,
      entryId,
    );
    if (changes !== 1) throw new Error(`Waitlist entry ${entryId} is not active in the database`);
  }

  function applyWaitlist(eventId: string, event: EventEvent): void {
    switch (event.type) {
      case "WaitlistJoined":
        joinWaitlist(eventId, event.entry);
        return;
      case "WaitlistOffered":
        placeHold(eventId, event.hold);
        moveEntry(event.entryId, "offered", event.hold.createdAt, { holdId: event.hold.id });
        return;
      case "WaitlistAutoBooked":
        confirmBooking(event.booking);
        moveEntry(event.entryId, "converted", event.booking.createdAt, {
          bookingId: event.booking.id,
        });
        return;
      case "WaitlistConverted":
        moveEntry(event.entryId, "converted", event.at, { bookingId: event.bookingId });
        return;
      case "WaitlistOfferExpired":
        moveEntry(event.entryId, "expired", event.at);
        return;
      case "WaitlistLeft":
        moveEntry(event.entryId, "left", event.at);
        return;
      case "WaitlistClosed":
        closeWaitlist.run(event.at, eventId);
        return;
      default:
        throw new Error(`Not a waitlist event: ${event.type}`);
    }
  }

  function applyOne(eventId: string, event: EventEvent): void {
    outbox.record(eventId, event);
    switch (event.type) {
      case "HoldPlaced":
        placeHold(eventId, event.hold);
        return;
      case "HoldReleased":
        endHold.run("released", event.at, event.holdId);
        return;
      case "HoldExpired":
        endHold.run("expired", event.at, event.holdId);
        return;
      case "BookingConfirmed":
        confirmBooking(event.booking);
        return;
      case "BookingCancelled": {
        const row = cancelBooking.get(
          event.refundCents,
          event.at,
          event.byUserId,
          event.bookingId,
        ) as { currency: string } | undefined;
        if (!row) throw new Error(`Booking ${event.bookingId} is not confirmed in the database`);
        for (const item of bookingItems.all(event.bookingId))
          bumpSold(item.ticket_type_id, -item.quantity);
        insertRefund.run(
          `${event.bookingId}-refund`,
          event.bookingId,
          event.refundCents,
          event.feeCents,
          row.currency,
          event.reason,
          event.at,
        );
        return;
      }
      case "EventReconfigured":
        reconfigure(event.config, event.details, event.at);
        return;
      case "EventCancelled":
        cancelEvent.run(event.reason, event.at, eventId);
        return;
      default:
        applyWaitlist(eventId, event);
    }
  }

  return {
    /** Writes one actor batch's events; call inside a transaction (the writer's savepoint). */
    apply(eventId: string, events: readonly EventEvent[]): void {
      soldDeltas.clear();
      for (const event of events) applyOne(eventId, event);
      writeSold();
    },
  };
}
