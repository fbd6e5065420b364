/**
 * An organizer's messages to an event's attendees (docs/API.md "mail.broadcast"). Writing one
 * is a single transaction: the broadcast, one unsubscribe token per address (its hash), and one
 * outbox row per address, which the unique index on (broadcast_id, recipient_email) makes exact.
 * The dispatcher sends those rows at the broadcast rate; a crash leaves the unsent ones pending.
 */
import { normalizeEmail } from "@boxoffice/core";
import type { Db } from "../open.ts";
import type { BroadcastAudience } from "../schema.ts";
import { prepared } from "../statements.ts";
import { hashUnsubscribeToken, unsubscribedEmailsOf } from "./unsubscribes.ts";

export interface BroadcastRecipient {
  /** Normalised (trimmed, lower case): each address once. */
  readonly email: string;
  readonly name: string;
}

export interface BroadcastAudienceFigures {
  /** Who it would go to now, in the order they booked. */
  readonly recipients: BroadcastRecipient[];
  /** Addresses left out because they unsubscribed from the organizer. */
  readonly unsubscribed: number;
}

type TicketAddressRow = { email: string; name: string | null };

/**
 * The addresses of the event's confirmed tickets (of `ticketTypeIds`, or all): a named ticket's
 * attendee email when it has one, else the buyer's (the account's current address, or the
 * guest's); each address once, those unsubscribed from `organizerId` counted apart.
 */
export function broadcastAudienceOf(
  db: Db,
  eventId: string,
  organizerId: string,
  ticketTypeIds: readonly string[] | null,
): BroadcastAudienceFigures {
  const rows = prepared<[{ eventId: string; types: string | null }], TicketAddressRow>(
    db,
    `select case when t.attendee_email is not null and t.attendee_email != ''
                   then t.attendee_email else coalesce(u.email, b.buyer_email) end as email,
              case when t.attendee_email is not null and t.attendee_email != ''
                   then coalesce(t.attendee_name, b.buyer_name, u.name)
                   else coalesce(b.buyer_name, u.name) end as name
         from tickets t
         join bookings b on b.id = t.booking_id
         left join users u on u.id = b.user_id
        where b.event_id = @eventId and b.status = 'confirmed'
          and (@types is null or t.ticket_type_id in (select value from json_each(@types)))
        order by b.created_at, b.rowid, t.rowid`,
  ).all({ eventId, types: ticketTypeIds === null ? null : JSON.stringify(ticketTypeIds) });
  const unsubscribedEmails = unsubscribedEmailsOf(db, organizerId);
  const seen = new Set<string>();
  const recipients: BroadcastRecipient[] = [];
  let unsubscribed = 0;
  for (const row of rows) {
    const email = normalizeEmail(row.email);
    if (seen.has(email)) continue;
    seen.add(email);
    if (unsubscribedEmails.has(email)) unsubscribed += 1;
    else recipients.push({ email, name: row.name?.trim() || email });
  }
  return { recipients, unsubscribed };
}

export interface NewBroadcast {
  readonly id: string;
  readonly eventId: string;
  readonly organizerId: string;
  readonly authorId: string;
  readonly subject: string;
  readonly body: string;
  readonly audience: BroadcastAudience;
  readonly at: number;
  /** A fresh unsubscribe token (the link's secret) per address. */
  readonly newToken: () => string;
}

/**
 * Writes the broadcast and its mails in one transaction, to the audience as it is at that
 * moment. Returns how many addresses it goes to, or null (and writes nothing) when nobody would
 * get it.
 */
export function writeBroadcast(db: Db, broadcast: NewBroadcast): { recipients: number } | null {
  const c = db.$client;
  const insertBroadcast = prepared(
    db,
    `insert into broadcasts (id, event_id, author_id, subject, body, audience, recipients,
       created_at) values (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertToken = prepared(
    db,
    `insert into unsubscribe_tokens (token_hash, organizer_id, email, created_at)
     values (?, ?, ?, ?)`,
  );
  const insertMail = prepared(
    db,
    `insert into outbox (kind, recipient_email, recipient_name, payload, created_at,
       next_attempt_at, broadcast_id) values ('broadcast', ?, ?, ?, ?, ?, ?)`,
  );
  const write = c.transaction(() => {
    const { audience, at, id } = broadcast;
    const types = audience.to === "all" ? null : audience.ticketTypeIds;
    const { recipients } = broadcastAudienceOf(db, broadcast.eventId, broadcast.organizerId, types);
    if (recipients.length === 0) return null;
    insertBroadcast.run(
      id,
      broadcast.eventId,
      broadcast.authorId,
      broadcast.subject,
      broadcast.body,
      JSON.stringify(audience),
      recipients.length,
      at,
    );
    for (const r of recipients) {
      const token = broadcast.newToken();
      insertToken.run(hashUnsubscribeToken(token), broadcast.organizerId, r.email, at);
      const payload = { eventId: broadcast.eventId, broadcastId: id, unsubscribeToken: token };
      insertMail.run(r.email, r.name, JSON.stringify(payload), at, at, id);
    }
    return { recipients: recipients.length };
  });
  return write();
}

export interface BroadcastSummary {
  readonly id: string;
  readonly subject: string;
  readonly body: string;
  readonly audience: BroadcastAudience;
  readonly createdAt: number;
  readonly authorName: string;
  readonly recipients: number;
  readonly sent: number;
  readonly pending: number;
  /** Given up after every attempt failed (not counting those skipped). */
  readonly failed: number;
  /** Not sent because the address unsubscribed after the broadcast was written. */
  readonly skipped: number;
}

type SummaryRow = {
  id: string;
  subject: string;
  body: string;
  audience: string;
  created_at: number;
  author_name: string;
  recipients: number;
  sent: number;
  pending: number;
  failed: number;
  skipped: number;
};

/** An event's broadcasts, newest first, with where their mails stand. */
export function broadcastsOf(db: Db, eventId: string): BroadcastSummary[] {
  return prepared<[string], SummaryRow>(
    db,
    `select b.id, b.subject, b.body, b.audience, b.created_at, u.name as author_name,
              b.recipients,
              coalesce(sum(o.sent_at is not null), 0) as sent,
              coalesce(sum(o.id is not null and o.sent_at is null and o.failed_at is null), 0)
                as pending,
              coalesce(sum(o.failed_at is not null and o.skipped_at is null), 0) as failed,
              coalesce(sum(o.skipped_at is not null), 0) as skipped
         from broadcasts b
         join users u on u.id = b.author_id
         left join outbox o on o.broadcast_id = b.id
        where b.event_id = ?
        group by b.id
        order by b.created_at desc, b.id desc`,
  )
    .all(eventId)
    .map((r) => ({
      id: r.id,
      subject: r.subject,
      body: r.body,
      audience: JSON.parse(r.audience) as BroadcastAudience,
      createdAt: r.created_at,
      authorName: r.author_name,
      recipients: r.recipients,
      sent: r.sent,
      pending: r.pending,
      failed: r.failed,
      skipped: r.skipped,
    }));
}
