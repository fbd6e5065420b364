/**
 * The transactional outbox. `createOutboxWrites` runs inside the event actor's commit (the
 * writer's transaction, on whichever thread and connection the writer uses), so a notification
 * exists exactly when the change it tells about committed. `createOutboxStore` is the
 * dispatcher's side: due rows with their recipient, attempts, results.
 */
import type { CancellationReason, ConfirmedBooking, EventEvent, LineItem } from "@boxoffice/core";
import type { Db } from "../open.ts";

export interface BookingMail {
  readonly eventId: string;
  readonly bookingId: string;
  readonly tickets: readonly { code: string; ticketTypeId: string; seatId: string | null }[];
  readonly totalCents: number;
  readonly currency: string;
}

/** What each kind of notification carries: what the change knew, never names or addresses. */
export interface OutboxPayloads {
  booking_confirmed: BookingMail;
  /** Booked straight from the waitlist (mode `auto`). */
  waitlist_auto_booked: BookingMail;
  booking_cancelled: {
    readonly eventId: string;
    readonly bookingId: string;
    readonly refundCents: number;
    readonly feeCents: number;
    readonly currency: string;
    readonly reason: CancellationReason;
  };
  /** One per booking the cancellation of the event cancelled. */
  event_cancelled: {
    readonly eventId: string;
    readonly bookingId: string;
    readonly refundCents: number;
    readonly currency: string;
  };
  waitlist_joined: {
    readonly eventId: string;
    readonly entryId: string;
    readonly quantity: number;
    readonly ticketTypeId: string | null;
  };
  waitlist_offered: {
    readonly eventId: string;
    readonly entryId: string;
    readonly holdId: string;
    readonly expiresAt: number;
    readonly items: readonly LineItem[];
    readonly totalCents: number;
    readonly currency: string;
  };
  waitlist_offer_expired: { readonly eventId: string; readonly entryId: string };
}

export type OutboxKind = keyof OutboxPayloads;

export type OutboxMessage = {
  [K in OutboxKind]: { readonly kind: K; readonly payload: OutboxPayloads[K] };
}[OutboxKind];

/** The domain events whose commit writes an outbox row: after those, mail is worth a look. */
export const NOTIFYING_EVENTS: ReadonlySet<EventEvent["type"]> = new Set<EventEvent["type"]>([
  "BookingConfirmed",
  "BookingCancelled",
  "WaitlistJoined",
  "WaitlistOffered",
  "WaitlistOfferExpired",
  "WaitlistAutoBooked",
]);

const bookingMail = (b: ConfirmedBooking): BookingMail => ({
  eventId: b.eventId,
  bookingId: b.id,
  tickets: b.tickets.map((t) => ({ code: t.code, ticketTypeId: t.ticketTypeId, seatId: t.seatId })),
  totalCents: b.totalCents,
  currency: b.currency,
});

/**
 * Outbox rows for the domain events that people hear about. Must run in the same transaction as
 * the event's own writes. One prepared INSERT per notification; the recipient of a cancellation
 * or an expired offer is read from the row the change is about, inside the same statement.
 */
export function createOutboxWrites(db: Db) {
  const c = db.$client;
  const insert = c.prepare<[string, string, string, number, number]>(
    `insert into outbox (kind, recipient_user_id, payload, created_at, next_attempt_at)
     values (?, ?, ?, ?, ?)`,
  );
  const insertCancelled = c.prepare<
    { kind: string; refund: number; fee: number; reason: string; at: number; id: string },
    never
  >(
    `insert into outbox (kind, recipient_user_id, payload, created_at, next_attempt_at)
     select @kind, user_id,
            json_object('eventId', event_id, 'bookingId', id, 'refundCents', @refund,
                        'feeCents', @fee, 'currency', currency, 'reason', @reason),
            @at, @at
       from bookings where id = @id`,
  );
  const insertOfferExpired = c.prepare<{ at: number; id: string }, never>(
    `insert into outbox (kind, recipient_user_id, payload, created_at, next_attempt_at)
     select 'waitlist_offer_expired', user_id, json_object('eventId', event_id, 'entryId', id),
            @at, @at
       from waitlist_entries where id = @id`,
  );

  const add = <K extends OutboxKind>(
    kind: K,
    userId: string,
    payload: OutboxPayloads[K],
    at: number,
  ) => insert.run(kind, userId, JSON.stringify(payload), at, at);

  return {
    /** Writes the notifications `event` calls for, if any. */
    record(eventId: string, event: EventEvent): void {
      switch (event.type) {
        case "BookingConfirmed":
          add(
            "booking_confirmed",
            event.booking.userId,
            bookingMail(event.booking),
            event.booking.createdAt,
          );
          return;
        case "WaitlistAutoBooked":
          add(
            "waitlist_auto_booked",
            event.booking.userId,
            bookingMail(event.booking),
            event.booking.createdAt,
          );
          return;
        case "BookingCancelled":
          insertCancelled.run({
            kind: event.reason === "event_cancelled" ? "event_cancelled" : "booking_cancelled",
            refund: event.refundCents,
            fee: event.feeCents,
            reason: event.reason,
            at: event.at,
            id: event.bookingId,
          });
          return;
        case "WaitlistJoined": {
          const { entry } = event;
          const payload = {
            eventId,
            entryId: entry.id,
            quantity: entry.quantity,
            ticketTypeId: entry.ticketTypeId,
          };
          add("waitlist_joined", entry.userId, payload, entry.joinedAt);
          return;
        }
        case "WaitlistOffered": {
          const { hold } = event;
          const payload = {
            eventId,
            entryId: event.entryId,
            holdId: hold.id,
            expiresAt: hold.expiresAt,
            items: hold.items,
            totalCents: hold.totalCents,
            currency: hold.currency,
          };
          add("waitlist_offered", hold.userId, payload, hold.createdAt);
          return;
        }
        case "WaitlistOfferExpired":
          insertOfferExpired.run({ at: event.at, id: event.entryId });
          return;
        default:
          return;
      }
    },
  };
}

/** A pending row with what the template needs about its recipient and event. */
export interface DueMail {
  readonly id: number;
  readonly message: OutboxMessage;
  readonly attempts: number;
  readonly createdAt: number;
  readonly recipient: { readonly email: string; readonly name: string };
  readonly event: {
    readonly id: string;
    readonly title: string;
    readonly startsAt: number;
    readonly timezone: string;
    readonly venueName: string | null;
    readonly cancelReason: string | null;
  };
  /** Ticket type names of the event, by id. */
  readonly ticketTypes: ReadonlyMap<string, string>;
  /** The entry's place in the queue now, or null once it is no longer waiting. */
  readonly waitlistPosition: number | null;
}

type DueRow = {
  id: number;
  kind: OutboxKind;
  payload: string;
  attempts: number;
  created_at: number;
  email: string;
  name: string;
};

type EventRow = {
  id: string;
  title: string;
  starts_at: number;
  timezone: string;
  venue_name: string | null;
  cancel_reason: string | null;
};

export interface MailOutcome {
  readonly id: number;
  readonly sentAt?: number;
  /** When the attempt failed: the error, and when to try again (null: give up). */
  readonly error?: string;
  readonly retryAt?: number | null;
}

/** The dispatcher's statements. Synchronous, on the main connection; each call is short. */
export function createOutboxStore(db: Db) {
  const c = db.$client;
  const due = c.prepare<[number, number], DueRow>(
    `select o.id, o.kind, o.payload, o.attempts, o.created_at, u.email, u.name
       from outbox o join users u on u.id = o.recipient_user_id
      where o.sent_at is null and o.failed_at is null and o.next_attempt_at <= ?
      order by o.next_attempt_at, o.id
      limit ?`,
  );
  const eventRow = c.prepare<[string], EventRow>(
    "select id, title, starts_at, timezone, venue_name, cancel_reason from events where id = ?",
  );
  const typeNames = c.prepare<[string], { id: string; name: string }>(
    "select id, name from ticket_types where event_id = ?",
  );
  const position = c.prepare<[string], { position: number }>(
    `select count(*) as position from waitlist_entries w
       join waitlist_entries me on me.id = ?
      where w.event_id = me.event_id and w.state in ('waiting', 'offered') and w.seq <= me.seq
        and me.state = 'waiting'`,
  );
  // Every outcome counts the attempt it ends.
  const sent = c.prepare<[number, number]>(
    "update outbox set attempts = attempts + 1, sent_at = ?, last_error = null where id = ?",
  );
  const retry = c.prepare<[number, string, number]>(
    "update outbox set attempts = attempts + 1, next_attempt_at = ?, last_error = ? where id = ?",
  );
  const failed = c.prepare<[number, string, number]>(
    "update outbox set attempts = attempts + 1, failed_at = ?, last_error = ? where id = ?",
  );
  const nextDue = c.prepare<[], { at: number | null }>(
    "select min(next_attempt_at) as at from outbox where sent_at is null and failed_at is null",
  );

  const recordAll = c.transaction((outcomes: readonly MailOutcome[], now: number) => {
    for (const o of outcomes) {
      if (o.sentAt !== undefined) sent.run(o.sentAt, o.id);
      else if (o.retryAt === null) failed.run(now, o.error ?? "", o.id);
      else retry.run(o.retryAt ?? now, o.error ?? "", o.id);
    }
  });

  function withContext(row: DueRow): DueMail | null {
    const message = { kind: row.kind, payload: JSON.parse(row.payload) } as OutboxMessage;
    const event = eventRow.get(message.payload.eventId);
    if (!event) return null;
    const waitlistPosition =
      message.kind === "waitlist_joined"
        ? position.get(message.payload.entryId)?.position || null
        : null;
    return {
      id: row.id,
      message,
      attempts: row.attempts,
      createdAt: row.created_at,
      recipient: { email: row.email, name: row.name },
      event: {
        id: event.id,
        title: event.title,
        startsAt: event.starts_at,
        timezone: event.timezone,
        venueName: event.venue_name,
        cancelReason: event.cancel_reason,
      },
      ticketTypes: new Map(typeNames.all(event.id).map((t) => [t.id, t.name])),
      waitlistPosition,
    };
  }

  return {
    /**
     * Up to `limit` rows due at `now`, oldest deadline first, skipping `exclude` (rows being sent
     * right now), with their recipient and event. A row whose event is gone is returned as null.
     */
    due(
      now: number,
      limit: number,
      exclude: ReadonlySet<number>,
    ): (DueMail | { id: number; missing: true })[] {
      const rows = due.all(now, limit + exclude.size).filter((r) => !exclude.has(r.id));
      return rows.slice(0, limit).map((r) => withContext(r) ?? { id: r.id, missing: true });
    },
    /** Writes the outcomes of one batch of attempts in one transaction. */
    record(outcomes: readonly MailOutcome[], now: number): void {
      if (outcomes.length > 0) recordAll(outcomes, now);
    },
    /** The earliest pending deadline, or null when nothing is pending. */
    nextDueAt(): number | null {
      return nextDue.get()?.at ?? null;
    },
  };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;
