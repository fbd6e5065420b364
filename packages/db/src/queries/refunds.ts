/**
 * Refunds as money to send back. The actor's commit writes each refund row (the decision); the
 * engine then tells the payment provider and records its answer here: the provider's reference
 * once sent, or the failure and when to try again.
 */
import type { Db } from "../open.ts";
import { prepared, preparedIn } from "../statements.ts";
import { mailSettingsOf } from "./mail-settings.ts";
import { writeNotice } from "./notices.ts";

export interface PendingRefund {
  readonly bookingId: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly attempts: number;
  /** The charge to refund; null when the booking was never paid through a provider. */
  readonly paymentRef: string | null;
}

const pendingColumns = `r.booking_id as bookingId, r.amount_cents as amountCents,
  r.currency, r.attempts, p.provider_ref as paymentRef
  from refunds r left join payments p on p.booking_id = r.booking_id`;

/** Ids bound per statement: far below SQLite's limit of 32,766 bound parameters. */
const CHUNK = 500;

/** The pending refunds of these bookings (just cancelled: an event's may be many thousands). */
export function pendingRefundsOf(db: Db, bookingIds: readonly string[]): PendingRefund[] {
  const pending: PendingRefund[] = [];
  for (let at = 0; at < bookingIds.length; at += CHUNK) {
    const chunk = bookingIds.slice(at, at + CHUNK);
    const { statement, values } = preparedIn<string, PendingRefund>(
      db,
      chunk,
      (placeholders) =>
        `select ${pendingColumns}
          where r.booking_id in (${placeholders}) and r.provider_ref is null
            and r.amount_cents > 0`,
    );
    const rows = statement.all(...values);
    pending.push(...rows);
  }
  return pending;
}

/** Pending refunds whose next attempt is due, oldest first. */
export function dueRefunds(db: Db, now: number, limit: number): PendingRefund[] {
  return prepared<[number, number], PendingRefund>(
    db,
    `select ${pendingColumns}
        where r.provider_ref is null and r.amount_cents > 0
          and coalesce(r.next_attempt_at, 0) <= ?
        order by r.next_attempt_at limit ?`,
  ).all(now, limit);
}

/** The provider took the refund: it is settled. */
export function recordRefundSent(db: Db, bookingId: string, providerRef: string): void {
  prepared(
    db,
    `update refunds set provider_ref = ?, attempts = attempts + 1, next_attempt_at = null,
         last_error = null where booking_id = ?`,
  ).run(providerRef, bookingId);
}

type FailedRefundRow = {
  attempts: number;
  amount_cents: number;
  currency: string;
  event_id: string;
  organizer_id: string;
  buyer_name: string;
  buyer_email: string;
};

/**
 * The provider failed: remember why, and when to try again. On the refund's first failure, in
 * the same transaction, the event's organizer gets a `refund_failed` notice (when their
 * settings want it): once per booking, however often the refund fails after.
 */
export function recordRefundFailed(
  db: Db,
  bookingId: string,
  error: string,
  nextAttemptAt: number,
  at: number = Date.now(),
): void {
  const c = db.$client;
  const answer = error.slice(0, 500);
  c.transaction(() => {
    const refund = prepared<[string], FailedRefundRow>(
      db,
      `select r.attempts, r.amount_cents, r.currency, b.event_id, e.organizer_id,
                coalesce(b.buyer_name, u.name, b.buyer_email) as buyer_name,
                coalesce(u.email, b.buyer_email) as buyer_email
           from refunds r join bookings b on b.id = r.booking_id
           join events e on e.id = b.event_id
           left join users u on u.id = b.user_id
          where r.booking_id = ? and r.provider_ref is null`,
    ).get(bookingId);
    if (!refund) return;
    prepared(
      db,
      `update refunds set attempts = attempts + 1, next_attempt_at = ?, last_error = ?
        where booking_id = ? and provider_ref is null`,
    ).run(nextAttemptAt, answer, bookingId);
    if (refund.attempts > 0) return;
    const wanted = mailSettingsOf(db, refund.organizer_id).refundFailed;
    writeNotice(db, {
      eventId: refund.event_id,
      kind: "refund_failed",
      key: bookingId,
      at,
      mailTo: wanted ? refund.organizer_id : null,
      payload: {
        eventId: refund.event_id,
        buyerName: refund.buyer_name,
        buyerEmail: refund.buyer_email,
        amountCents: refund.amount_cents,
        currency: refund.currency,
        error: answer,
      },
    });
  })();
}

export interface RefundRow {
  readonly amountCents: number;
  readonly status: "none" | "pending" | "sent";
}

/** Where a booking's refund stands. */
export function refundOf(db: Db, bookingId: string): RefundRow {
  const row = prepared<[string], { amount_cents: number; provider_ref: string | null }>(
    db,
    "select amount_cents, provider_ref from refunds where booking_id = ?",
  ).get(bookingId);
  if (!row || row.amount_cents <= 0) return { amountCents: row?.amount_cents ?? 0, status: "none" };
  return { amountCents: row.amount_cents, status: row.provider_ref === null ? "pending" : "sent" };
}
