/**
 * The transactional outbox. `createOutboxWrites` runs inside the event actor's commit (the
 * writer's transaction, on whichever thread and connection the writer uses), so a notification
 * exists exactly when the change it tells about committed. `createOutboxStore` is the
 * dispatcher's side: due rows with their recipient, attempts, results.
 */
import {
  type CancellationReason,
  type ConfirmedBooking,
  type EventEvent,
  GUEST_PREFIX,
  isGuestPrincipal,
  type LineItem,
} from "@boxoffice/core";
import { type Db, writeIfFree } from "../open.ts";
import { outbox } from "../schema.ts";
import { seatLabelsOf } from "./seat-labels.ts";
import { type TicketDocument, ticketDocumentOf } from "./ticket-documents.ts";

export interface BookingMail {
  readonly eventId: string;
  readonly bookingId: string;
  /**
   * The order page's secret, for the link the mail carries (rendered at send time with the
   * configured origin); removed from the row once the mail is sent or given up.
   */
  readonly orderToken?: string;
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
    /** The seats held, on a seated event (absent in rows written before seats were mailed). */
    readonly seatIds?: readonly string[];
    readonly totalCents: number;
    readonly currency: string;
  };
  waitlist_offer_expired: { readonly eventId: string; readonly entryId: string };
  // Mails to the event's organizer (recipient_user_id is the organizer), written by the notices
  // job with the figures as they were when it wrote them.
  /** One event's sales on one day of its own zone. */
  sale_digest: {
    readonly eventId: string;
    /** The day, `YYYY-MM-DD` in the event's zone. */
    readonly day: string;
    readonly ticketsSold: number;
    readonly ticketsCancelled: number;
    /** Money taken that day less refunds, per currency (one entry per currency, cents). */
    readonly revenue: readonly { readonly currency: string; readonly cents: number }[];
    /** Tickets sold in all, and what can be sold (null: no limit). */
    readonly totalSold: number;
    readonly capacity: number | null;
  };
  sold_out: { readonly eventId: string; readonly ticketsSold: number; readonly at: number };
  waitlist_growing: {
    readonly eventId: string;
    /** People waiting when it was written, and the threshold that count crossed. */
    readonly waiting: number;
    readonly threshold: number;
  };
  refund_failed: {
    readonly eventId: string;
    readonly buyerName: string;
    readonly buyerEmail: string;
    readonly amountCents: number;
    readonly currency: string;
    /** The payment provider's answer. */
    readonly error: string;
  };
  /**
   * An organizer's message to one attendee address (outbox.broadcast_id says which broadcast;
   * subject and body are read from it at send time). `unsubscribeToken` is the link's secret,
   * removed once the mail is sent or given up.
   */
  broadcast: {
    readonly eventId: string;
    readonly broadcastId: string;
    readonly unsubscribeToken?: string;
  };
}

/** The organizer notices, by kind. */
export const ORGANIZER_MAIL_KINDS: ReadonlySet<string> = new Set<OutboxKind>([
  "sale_digest",
  "sold_out",
  "waitlist_growing",
  "refund_failed",
]);

export type OutboxKind = keyof OutboxPayloads;

/**
 * Mails about an account rather than an event, written by the auth procedures with the token
 * they mail. `link` carries the token itself: it is removed from the row once the mail is sent
 * or given up (only the token's SHA-256 stays, in `account_tokens`), and a row whose link has
 * expired before it could be sent is given up rather than sent.
 */
export interface AccountMailPayloads {
  password_reset: { readonly link: string; readonly expiresAt: number };
  email_verification: {
    readonly link: string;
    readonly expiresAt: number;
    /** The address being verified (the recipient's, when it was asked for). */
    readonly email: string;
  };
}

export type AccountMailKind = keyof AccountMailPayloads;

export const ACCOUNT_MAIL_KINDS: ReadonlySet<string> = new Set<AccountMailKind>([
  "password_reset",
  "email_verification",
]);

export type AccountMessage = {
  [K in AccountMailKind]: { readonly kind: K; readonly payload: AccountMailPayloads[K] };
}[AccountMailKind];

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
  ...(b.orderToken ? { orderToken: b.orderToken } : {}),
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
  const insert = c.prepare<
    [string, string | null, string | null, string | null, string, number, number]
  >(
    `insert into outbox (kind, recipient_user_id, recipient_email, recipient_name, payload,
       created_at, next_attempt_at)
     values (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCancelled = c.prepare<
    { kind: string; refund: number; fee: number; reason: string; at: number; id: string },
    never
  >(
    `insert into outbox (kind, recipient_user_id, recipient_email, recipient_name, payload,
       created_at, next_attempt_at)
     select @kind, user_id, case when user_id is null then buyer_email end, buyer_name,
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
  ) => insert.run(kind, userId, null, null, JSON.stringify(payload), at, at);

  /** A booking's mail: to its account, or to a guest's own address (there is no account). */
  const addBooking = (kind: "booking_confirmed" | "waitlist_auto_booked", b: ConfirmedBooking) => {
    const guest = isGuestPrincipal(b.userId);
    const email = guest ? (b.personKey ?? b.userId.slice(GUEST_PREFIX.length)) : null;
    const payload = JSON.stringify(bookingMail(b));
    insert.run(
      kind,
      guest ? null : b.userId,
      email,
      guest ? (b.buyerName ?? null) : null,
      payload,
      b.createdAt,
      b.createdAt,
    );
  };

  return {
    /** Writes the notifications `event` calls for, if any. */
    record(eventId: string, event: EventEvent): void {
      switch (event.type) {
        case "BookingConfirmed":
          addBooking("booking_confirmed", event.booking);
          return;
        case "WaitlistAutoBooked":
          addBooking("waitlist_auto_booked", event.booking);
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
            seatIds: hold.seatIds,
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

/** The database, or a transaction on it. */
type Queryable = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * Writes an account mail for `userId`, due at once. Meant to run inside the transaction that
 * stores the token the mail carries, so that neither exists without the other.
 */
export function insertAccountMail(
  db: Queryable,
  userId: string,
  message: AccountMessage,
  at: number,
): void {
  db.insert(outbox)
    .values({
      kind: message.kind,
      recipientUserId: userId,
      payload: { ...message.payload },
      createdAt: at,
      nextAttemptAt: at,
    })
    .run();
}

/** A pending account mail with its recipient: no event. */
export interface AccountDueMail {
  readonly id: number;
  readonly account: true;
  readonly message: AccountMessage;
  readonly attempts: number;
  readonly createdAt: number;
  readonly recipient: { readonly email: string; readonly name: string };
}

/** What the dispatcher is handed: a mail to send, or a row it cannot send (its event is gone). */
export type DueRowOf = DueMail | AccountDueMail | { id: number; missing: true };

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
    readonly endsAt: number | null;
    readonly timezone: string;
    readonly venueName: string | null;
    readonly cancelReason: string | null;
    readonly organizerName: string;
  };
  /**
   * A booking mail's tickets as people read them (type names, seat labels, attendee names),
   * for the ticket list, the QR codes, the PDF, the calendar file and Wallet passes.
   */
  readonly document?: TicketDocument;
  /** A broadcast's message, as its organizer wrote it. */
  readonly broadcast?: { readonly subject: string; readonly body: string };
  /** Ticket type names of the event, by id. */
  readonly ticketTypes: ReadonlyMap<string, string>;
  /** The entry's place in the queue now, or null once it is no longer waiting. */
  readonly waitlistPosition: number | null;
  /** Labels of the seats the mail names ("Stalls row C seat 6"), by seat id; none without. */
  readonly seatLabels?: ReadonlyMap<string, string>;
}

/** The seats a notification names, to label them (never shown by id). */
function seatIdsOf(message: OutboxMessage): readonly string[] {
  switch (message.kind) {
    case "booking_confirmed":
    case "waitlist_auto_booked":
      return message.payload.tickets.flatMap((t) => (t.seatId === null ? [] : [t.seatId]));
    case "waitlist_offered":
      return message.payload.seatIds ?? [];
    default:
      return [];
  }
}

type DueRow = {
  id: number;
  kind: OutboxKind | AccountMailKind;
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
  ends_at: number | null;
  timezone: string;
  venue_name: string | null;
  cancel_reason: string | null;
  organizer_name: string;
};

/** A broadcast row as the dispatcher reads it: is its address unsubscribed from the organizer? */
type DueBroadcastRow = DueRow & { unsubscribed: 0 | 1 };

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
  // Due by a bound on next_attempt_at alone, so the pending index's range ends where it should:
  // a row's first attempt is due when it is created, so "waited long enough" in a rush is the
  // same bound (a filter on created_at here would walk every fresh row of the rush, per nudge).
  const due = c.prepare<[number, number], DueRow>(
    `select o.id, o.kind, o.payload, o.attempts, o.created_at,
            coalesce(u.email, o.recipient_email) as email,
            coalesce(u.name, o.recipient_name, o.recipient_email) as name
       from outbox o left join users u on u.id = o.recipient_user_id
      where o.sent_at is null and o.failed_at is null and o.next_attempt_at <= ?
        and o.broadcast_id is null
      order by o.next_attempt_at, o.id
      limit ?`,
  );
  // Broadcast rows, with whether their address has unsubscribed from the event's organizer by now.
  const dueBroadcasts = c.prepare<[number, number], DueBroadcastRow>(
    `select o.id, o.kind, o.payload, o.attempts, o.created_at, o.recipient_email as email,
            coalesce(o.recipient_name, o.recipient_email) as name,
            mu.email is not null as unsubscribed
       from outbox o
       join broadcasts b on b.id = o.broadcast_id
       join events e on e.id = b.event_id
       left join mail_unsubscribes mu
         on mu.organizer_id = e.organizer_id and mu.email = o.recipient_email
      where o.sent_at is null and o.failed_at is null and o.next_attempt_at <= ?
        and o.broadcast_id is not null
      order by o.next_attempt_at, o.id
      limit ?`,
  );
  const eventRow = c.prepare<[string], EventRow>(
    `select e.id, e.title, e.starts_at, e.ends_at, e.timezone, e.venue_name, e.cancel_reason,
            u.name as organizer_name
       from events e join users u on u.id = e.organizer_id
      where e.id = ?`,
  );
  const broadcastRow = c.prepare<[string], { subject: string; body: string }>(
    "select subject, body from broadcasts where id = ?",
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
  // Not sent on purpose: the address unsubscribed after the broadcast was written.
  const skipped = c.prepare<[number, number, number]>(
    `update outbox set skipped_at = ?, failed_at = ?, last_error = 'unsubscribed'
      where id = ? and sent_at is null`,
  );
  const nextDue = c.prepare<[], { at: number | null }>(
    "select min(next_attempt_at) as at from outbox where sent_at is null and failed_at is null",
  );

  // An account mail's link is a usable token: once the mail is out (or given up), it goes.
  // So is a booking mail's order token (the order page's secret; only its hash stays).
  const scrubLink = c.prepare<[number]>(
    `update outbox set payload = case
         when kind in ('password_reset', 'email_verification') then json_remove(payload, '$.link')
         when kind in ('booking_confirmed', 'waitlist_auto_booked')
           then json_remove(payload, '$.orderToken')
         when kind = 'broadcast' then json_remove(payload, '$.unsubscribeToken')
         else payload end
      where id = ?`,
  );

  const recordAll = c.transaction((outcomes: readonly MailOutcome[], now: number) => {
    for (const o of outcomes) {
      if (o.sentAt !== undefined) sent.run(o.sentAt, o.id);
      else if (o.retryAt === null) failed.run(now, o.error ?? "", o.id);
      else retry.run(o.retryAt ?? now, o.error ?? "", o.id);
      if (o.sentAt !== undefined || o.retryAt === null) scrubLink.run(o.id);
    }
  });

  const skipAll = c.transaction((ids: readonly number[], now: number) => {
    for (const id of ids) {
      skipped.run(now, now, id);
      scrubLink.run(id);
    }
  });

  const expireAll = c.transaction((ids: readonly number[], now: number) => {
    for (const id of ids) {
      failed.run(now, "The link expired before the mail could be sent", id);
      scrubLink.run(id);
    }
  });

  function accountMail(row: DueRow): AccountDueMail {
    const message = { kind: row.kind, payload: JSON.parse(row.payload) } as AccountMessage;
    return {
      id: row.id,
      account: true,
      message,
      attempts: row.attempts,
      createdAt: row.created_at,
      recipient: { email: row.email, name: row.name },
    };
  }

  /** What a booking mail or a broadcast shows beyond the event: its tickets, or its message. */
  function extrasOf(message: OutboxMessage): Pick<DueMail, "document" | "broadcast"> {
    switch (message.kind) {
      case "booking_confirmed":
      case "waitlist_auto_booked": {
        const document = ticketDocumentOf(db, message.payload.bookingId);
        return document ? { document } : {};
      }
      case "broadcast": {
        const broadcast = broadcastRow.get(message.payload.broadcastId);
        return broadcast ? { broadcast: { subject: broadcast.subject, body: broadcast.body } } : {};
      }
      default:
        return {};
    }
  }

  function withContext(row: DueRow): DueMail | null {
    const message = { kind: row.kind, payload: JSON.parse(row.payload) } as OutboxMessage;
    const event = eventRow.get(message.payload.eventId);
    if (!event) return null;
    const waitlistPosition =
      message.kind === "waitlist_joined"
        ? position.get(message.payload.entryId)?.position || null
        : null;
    const extras = extrasOf(message);
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
        endsAt: event.ends_at,
        timezone: event.timezone,
        venueName: event.venue_name,
        cancelReason: event.cancel_reason,
        organizerName: event.organizer_name,
      },
      ...extras,
      ticketTypes: new Map(typeNames.all(event.id).map((t) => [t.id, t.name])),
      waitlistPosition,
      // A booking's document already labels its seats: the event's layout is read once.
      ...(extras.document ? {} : { seatLabels: seatLabelsOf(db, event.id, seatIdsOf(message)) }),
    };
  }

  return {
    /**
     * Up to `limit` rows due at `now` other than broadcasts (those come by `dueBroadcasts`, at
     * their own rate), oldest deadline first, skipping `exclude` (rows being sent right now)
     * and rows not yet due at `createdBy` (in a rush, only mail that has waited long enough),
     * with their recipient and event. A row whose event is gone is returned as null.
     */
    due(
      now: number,
      limit: number,
      exclude: ReadonlySet<number>,
      createdBy = Number.MAX_SAFE_INTEGER,
    ): DueRowOf[] {
      const rows = due
        .all(Math.min(now, createdBy), limit + exclude.size)
        .filter((r) => !exclude.has(r.id));
      const out: DueRowOf[] = [];
      const expired: number[] = [];
      for (const r of rows.slice(0, limit)) {
        if (!ACCOUNT_MAIL_KINDS.has(r.kind)) {
          out.push(withContext(r) ?? { id: r.id, missing: true });
          continue;
        }
        const mail = accountMail(r);
        // A link already removed (a given-up row sent again by hand) cannot be mailed either.
        const { expiresAt, link } = mail.message.payload;
        if (expiresAt <= now || typeof link !== "string") expired.push(r.id);
        else out.push(mail);
      }
      if (expired.length > 0) expireAll(expired, now);
      return out;
    },
    /**
     * Up to `limit` broadcast rows due at `now`, oldest first, skipping `exclude`. A row whose
     * address has unsubscribed from the organizer since is marked skipped here, at send time,
     * and not returned (so it takes no place in the broadcast rate).
     */
    dueBroadcasts(now: number, limit: number, exclude: ReadonlySet<number>): DueRowOf[] {
      if (limit <= 0) return [];
      const rows = dueBroadcasts.all(now, limit + exclude.size).filter((r) => !exclude.has(r.id));
      const out: DueRowOf[] = [];
      const unsubscribed: number[] = [];
      for (const r of rows.slice(0, limit)) {
        if (r.unsubscribed) unsubscribed.push(r.id);
        else out.push(withContext(r) ?? { id: r.id, missing: true });
      }
      if (unsubscribed.length > 0) skipAll(unsubscribed, now);
      return out;
    },
    /**
     * The mail `message` would be if it were sent now to `recipient`, with `broadcast` as its
     * message: for previews, nothing is written. Null for an unknown event.
     */
    preview(
      message: OutboxMessage,
      recipient: DueMail["recipient"],
      at: number,
      broadcast?: DueMail["broadcast"],
    ): DueMail | null {
      const row: DueRow = {
        id: 0,
        kind: message.kind,
        payload: JSON.stringify(message.payload),
        attempts: 0,
        created_at: at,
        email: recipient.email,
        name: recipient.name,
      };
      const mail = withContext(row);
      return mail && broadcast ? { ...mail, broadcast } : mail;
    },
    /**
     * Writes the outcomes of one batch of attempts in one transaction, if the write lock is free
     * now; false (nothing written) while another connection commits. Never waits and never
     * fsyncs (`writeIfFree`): on the request thread, in a rush, waiting out the writer's commits
     * took 20–50 ms a batch. A mark lost to a power cut sends that mail again, which the outbox
     * allows (at least once).
     */
    tryRecord(outcomes: readonly MailOutcome[], now: number): boolean {
      if (outcomes.length === 0) return true;
      return writeIfFree(db, () => recordAll.immediate(outcomes, now));
    },
    /** The earliest pending deadline, or null when nothing is pending. */
    nextDueAt(): number | null {
      return nextDue.get()?.at ?? null;
    },
  };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;
