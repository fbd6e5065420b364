import {
  type CodeConfig,
  type ConfirmedBooking,
  checkoutOf,
  type EventConfig,
  type EventDetails,
  type EventEvent,
  GUEST_PREFIX,
  type Hold,
  isGuestPrincipal,
  isRoomEvent,
  orderToken,
  type WaitlistEntry,
} from "@boxoffice/core";
import type { Db } from "./open.ts";
import { answerRow, INSERT_ANSWER, storedOrderToken } from "./queries/orders.ts";
import { createOutboxWrites } from "./queries/outbox.ts";
import { createRoomWrites } from "./room-writes.ts";

/**
 * How each domain event of an event actor lands in SQLite: the documented hot write path, hence
 * raw prepared statements (prepared once per connection). `apply` must run inside a transaction
 * (the writer's savepoint).
 */
function prepareStatements(db: Db) {
  const c = db.$client;
  return {
    insertHold: c.prepare(
      `insert into holds (id, event_id, user_id, buyer_email, buyer_name, status, items, seat_ids,
         total_cents, currency, created_at, expires_at, idempotency_key, request_hash, code_id)
       values (?, ?, ?, coalesce(?, (select email from users where id = ?)), ?, 'active',
         ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    endHold: c.prepare(
      "update holds set status = ?, ended_at = ? where id = ? and status = 'active'",
    ),
    insertBooking: c.prepare(
      `insert into bookings (id, event_id, user_id, buyer_email, buyer_name, order_token_hash,
         order_secret_hash, hold_id, status, total_cents, paid_cents, refund_cents, currency,
         seat_ids, idempotency_key, request_hash, created_at, code_id)
       values (?, ?, ?, coalesce(?, (select email from users where id = ?)), ?, ?, ?, ?,
         'confirmed', ?, ?, 0, ?, ?, ?, ?, ?, ?)`,
    ),
    insertItem: c.prepare(
      `insert into booking_items (booking_id, ticket_type_id, quantity, unit_price_cents,
         list_price_cents)
       values (?, ?, ?, ?, ?)`,
    ),
    insertTicket: c.prepare(
      `insert into tickets (id, booking_id, event_id, ticket_type_id, seat_id, code, attendee_name,
         attendee_email)
       values (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertAnswer: c.prepare(INSERT_ANSWER),
    insertPayment: c.prepare(
      `insert into payments (id, booking_id, provider, provider_ref, amount_cents, currency, created_at)
       values (?, ?, ?, ?, ?, ?, ?)`,
    ),
    cancelBooking: c.prepare<[number, number, string, string], { currency: string }>(
      `update bookings set status = 'cancelled', refund_cents = ?, cancelled_at = ?, cancelled_by = ?
       where id = ? and status = 'confirmed' returning currency`,
    ),
    touchTickets: c.prepare("update tickets set updated_at = ? where booking_id = ?"),
    insertRefund: c.prepare(
      `insert into refunds (id, booking_id, amount_cents, fee_cents, currency, reason, created_at,
         next_attempt_at)
       values (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateEvent: c.prepare(
      `update events set status = ?, starts_at = ?, ends_at = ?, sales_start_at = ?,
         sales_end_at = ?, capacity = ?, max_per_order = ?, max_per_user = ?, hold_seconds = ?,
         currency = ?, waitlist_enabled = ?, waitlist_mode = ?, waitlist_offer_seconds = ?,
         cancellation_policy = ?, guest_checkout = ?, personalized_tickets = ?,
         edit_cutoff_hours = ?, questions = ?, updated_at = ? where id = ?`,
    ),
    updateDetails: c.prepare(
      "update events set title = ?, description = ?, venue_name = ?, timezone = ? where id = ?",
    ),
    upsertType: c.prepare(
      `insert into ticket_types (id, event_id, name, price_cents, capacity, position, hidden)
       values (?, ?, ?, ?, ?, ?, ?)
       on conflict (id) do update set name = excluded.name, price_cents = excluded.price_cents,
         capacity = excluded.capacity, position = excluded.position, hidden = excluded.hidden`,
    ),
    upsertCode: c.prepare(
      `insert into codes (id, event_id, code, kind, discount, ticket_type_ids, max_uses,
         max_uses_per_buyer, valid_from, valid_until, unlocks_ticket_type_ids, opens_sales_at,
         disabled, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (id) do update set discount = excluded.discount,
         ticket_type_ids = excluded.ticket_type_ids, max_uses = excluded.max_uses,
         max_uses_per_buyer = excluded.max_uses_per_buyer, valid_from = excluded.valid_from,
         valid_until = excluded.valid_until, unlocks_ticket_type_ids = excluded.unlocks_ticket_type_ids,
         opens_sales_at = excluded.opens_sales_at, disabled = excluded.disabled`,
    ),
    // A draft's types the organizer removed (the API lets only drafts drop types; a type that
    // has tickets is kept by the foreign key, which fails the commit rather than lose them).
    deleteOtherTypes: c.prepare(
      `delete from ticket_types
        where event_id = ? and id not in (select value from json_each(?))`,
    ),
    insertEntry: c.prepare(
      `insert into waitlist_entries (id, event_id, user_id, ticket_type_id, quantity, seq, state,
         joined_at, updated_at)
       values (?, ?, ?, ?, ?, ?, 'waiting', ?, ?)`,
    ),
    setEntryState: c.prepare(
      `update waitlist_entries set state = ?, hold_id = coalesce(?, hold_id),
         booking_id = coalesce(?, booking_id), updated_at = ?
       where id = ? and state in ('waiting', 'offered')`,
    ),
    closeWaitlist: c.prepare(
      `update waitlist_entries set state = 'expired', updated_at = ?
       where event_id = ? and state in ('waiting', 'offered')`,
    ),
    cancelEvent: c.prepare(
      "update events set status = 'cancelled', cancel_reason = ?, updated_at = ? where id = ?",
    ),
    setOnSaleRoom: c.prepare("update events set on_sale_room = ? where id = ?"),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

/** The account a row belongs to: none for a guest, whose `buyer_email` says whose it is. */
const accountOf = (principal: string): string | null =>
  isGuestPrincipal(principal) ? null : principal;

/** A row's buyer email: its person, or (without one) the account's email, read by the insert. */
const buyerEmailOf = (owner: { userId: string; personKey?: string }): string | null =>
  owner.personKey ??
  (isGuestPrincipal(owner.userId) ? owner.userId.slice(GUEST_PREFIX.length) : null);

function placeHold(st: Statements, eventId: string, hold: Hold): void {
  st.insertHold.run(
    hold.id,
    eventId,
    accountOf(hold.userId),
    buyerEmailOf(hold),
    accountOf(hold.userId),
    hold.buyerName ?? null,
    JSON.stringify(hold.items),
    JSON.stringify(hold.seatIds),
    hold.totalCents,
    hold.currency,
    hold.createdAt,
    hold.expiresAt,
    hold.idempotencyKey ?? null,
    hold.idempotencyKey ? (hold.requestHash ?? null) : null,
    hold.codeId ?? null,
  );
}

function confirmBooking(st: Statements, b: ConfirmedBooking): void {
  if (b.holdId) st.endHold.run("confirmed", b.createdAt, b.holdId);
  const hashes = storedOrderToken(b.id, b.orderToken ?? null);
  st.insertBooking.run(
    b.id,
    b.eventId,
    accountOf(b.userId),
    buyerEmailOf(b),
    accountOf(b.userId),
    b.buyerName ?? null,
    hashes.tokenHash,
    hashes.secretHash,
    b.holdId,
    b.totalCents,
    b.paidCents,
    b.currency,
    JSON.stringify(b.seatIds),
    b.idempotencyKey,
    b.requestHash,
    b.createdAt,
    b.codeId ?? null,
  );
  for (const item of b.items) {
    const list = item.listPriceCents ?? item.unitPriceCents;
    st.insertItem.run(b.id, item.ticketTypeId, item.quantity, item.unitPriceCents, list);
  }
  for (const t of b.tickets) {
    const who = t.attendee ?? null;
    st.insertTicket.run(
      t.id,
      b.id,
      b.eventId,
      t.ticketTypeId,
      t.seatId,
      t.code,
      who?.name ?? null,
      who?.email ?? null,
    );
  }
  for (const a of b.answers ?? []) {
    st.insertAnswer.run(...answerRow(b.id, a));
  }
  if (b.payment) {
    const { provider, ref, amountCents } = b.payment;
    st.insertPayment.run(`${b.id}-pay`, b.id, provider, ref, amountCents, b.currency, b.createdAt);
  }
}

function cancelBooking(st: Statements, event: Extract<EventEvent, { type: "BookingCancelled" }>) {
  const row = st.cancelBooking.get(event.refundCents, event.at, event.byUserId, event.bookingId);
  if (!row) throw new Error(`Booking ${event.bookingId} is not confirmed in the database`);
  st.touchTickets.run(event.at, event.bookingId);
  // The refund is due at once; the engine tells the provider after the commit, and retries.
  st.insertRefund.run(
    `${event.bookingId}-refund`,
    event.bookingId,
    event.refundCents,
    event.feeCents,
    row.currency,
    event.reason,
    event.at,
    event.at,
  );
}

function reconfigure(
  st: Statements,
  config: EventConfig,
  details: EventDetails | null,
  at: number,
): void {
  const checkout = checkoutOf(config);
  st.updateEvent.run(
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
    checkout.guestCheckout ? 1 : 0,
    checkout.personalizedTickets,
    checkout.editCutoffHours,
    JSON.stringify(checkout.questions),
    at,
    config.id,
  );
  for (const [position, type] of config.ticketTypes.entries()) {
    const hidden = type.hidden ? 1 : 0;
    st.upsertType.run(
      type.id,
      config.id,
      type.name,
      type.priceCents,
      type.capacity,
      position,
      hidden,
    );
  }
  st.deleteOtherTypes.run(config.id, JSON.stringify(config.ticketTypes.map((t) => t.id)));
  st.setOnSaleRoom.run(config.room ? JSON.stringify(config.room) : null, config.id);
  if (details) {
    const { title, description, venueName, timezone } = details;
    st.updateDetails.run(title, description, venueName, timezone, config.id);
  }
}

function upsertCode(st: Statements, eventId: string, code: CodeConfig): void {
  st.upsertCode.run(
    code.id,
    eventId,
    code.code,
    code.kind,
    code.discount === null ? null : JSON.stringify(code.discount),
    code.ticketTypeIds === null ? null : JSON.stringify(code.ticketTypeIds),
    code.maxUses,
    code.maxUsesPerBuyer,
    code.validFrom,
    code.validUntil,
    JSON.stringify(code.unlocksTicketTypeIds),
    code.opensSalesAt,
    code.disabled ? 1 : 0,
    code.createdAt,
  );
}

function joinWaitlist(st: Statements, eventId: string, e: WaitlistEntry): void {
  st.insertEntry.run(
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
  st: Statements,
  entryId: string,
  state: "offered" | "converted" | "expired" | "left",
  at: number,
  ids: { holdId?: string; bookingId?: string } = {},
): void {
  const { changes } = st.setEntryState.run(
    state,
    ids.holdId ?? null,
    ids.bookingId ?? null,
    at,
    entryId,
  );
  if (changes !== 1) throw new Error(`Waitlist entry ${entryId} is not active in the database`);
}

function applyWaitlist(st: Statements, eventId: string, event: EventEvent): void {
  switch (event.type) {
    case "WaitlistJoined":
      joinWaitlist(st, eventId, event.entry);
      return;
    case "WaitlistOffered":
      placeHold(st, eventId, event.hold);
      moveEntry(st, event.entryId, "offered", event.hold.createdAt, {
        holdId: event.hold.id,
      });
      return;
    case "WaitlistAutoBooked":
      confirmBooking(st, event.booking);
      moveEntry(st, event.entryId, "converted", event.booking.createdAt, {
        bookingId: event.booking.id,
      });
      return;
    case "WaitlistConverted":
      moveEntry(st, event.entryId, "converted", event.at, { bookingId: event.bookingId });
      return;
    case "WaitlistOfferExpired":
      moveEntry(st, event.entryId, "expired", event.at);
      return;
    case "WaitlistLeft":
      moveEntry(st, event.entryId, "left", event.at);
      return;
    case "WaitlistClosed":
      st.closeWaitlist.run(event.at, eventId);
      return;
    default:
      throw new Error(`Not a waitlist event: ${event.type}`);
  }
}

function applyOne(st: Statements, eventId: string, event: EventEvent): void {
  switch (event.type) {
    case "HoldPlaced":
      placeHold(st, eventId, event.hold);
      return;
    case "HoldReleased":
      st.endHold.run("released", event.at, event.holdId);
      return;
    case "HoldExpired":
      st.endHold.run("expired", event.at, event.holdId);
      return;
    case "BookingConfirmed":
      confirmBooking(st, event.booking);
      return;
    case "BookingCancelled":
      cancelBooking(st, event);
      return;
    case "EventReconfigured":
      reconfigure(st, event.config, event.details, event.at);
      return;
    case "EventCancelled":
      st.cancelEvent.run(event.reason, event.at, eventId);
      return;
    case "CodesChanged":
      for (const code of event.codes) upsertCode(st, eventId, code);
      return;
    default:
      applyWaitlist(st, eventId, event);
      return;
  }
}

/**
 * Every booking gets an order page: one the decider made on its own (a waitlist entry booked
 * automatically) has no token from a caller, so one is drawn here, for its hash and its mail.
 */
function withOrderToken(event: EventEvent): EventEvent {
  if (
    (event.type === "BookingConfirmed" || event.type === "WaitlistAutoBooked") &&
    !event.booking.orderToken
  ) {
    return { ...event, booking: { ...event.booking, orderToken: orderToken(event.booking.id) } };
  }
  return event;
}

export function createEventWrites(db: Db) {
  const st = prepareStatements(db);
  // Notifications commit with the change they tell about (the transactional outbox).
  const outbox = createOutboxWrites(db);
  const room = createRoomWrites(db);
  return {
    /** Writes one actor batch's events; call inside a transaction (the writer's savepoint). */
    apply(eventId: string, events: readonly EventEvent[]): void {
      for (const given of events) {
        const event = withOrderToken(given);
        outbox.record(eventId, event);
        if (isRoomEvent(event)) room.apply(eventId, event);
        else applyOne(st, eventId, event);
      }
    },
  };
}
