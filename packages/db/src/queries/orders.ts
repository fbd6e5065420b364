/**
 * Orders by their secret link (docs/API.md "orders"): the booking a token opens, and the edits
 * its holder may make to names and answers. Only a token's SHA-256 is stored, so neither the
 * database nor a backup gives a usable link away.
 */
import {
  type Answer,
  type AnswerValue,
  type Attendee,
  sameSecret,
  splitOrderToken,
} from "@boxoffice/core";
import { eq } from "drizzle-orm";
import type { Db } from "../open.ts";
import { bookings } from "../schema.ts";
import { prepared } from "../statements.ts";
import { ticketNumber } from "./bookings.ts";

export function hashOrderToken(token: string): string {
  return new Bun.CryptoHasher("sha256").update(token).digest("base64url");
}

/**
 * What a booking row keeps of its order token: for a split token (`<bookingId>.<secret>`, the
 * booking's own id) the secret's hash, found through the row's primary key; for a bare token (as
 * issued before split tokens) the whole token's hash, found through its unique index.
 */
export function storedOrderToken(
  bookingId: string,
  token: string | null,
): { tokenHash: string | null; secretHash: string | null } {
  if (token === null) return { tokenHash: null, secretHash: null };
  const split = splitOrderToken(token);
  if (split?.bookingId === bookingId)
    return { tokenHash: null, secretHash: hashOrderToken(split.secret) };
  return { tokenHash: hashOrderToken(token), secretHash: null };
}

/** Stores one answer of a booking, with the question as it read when answered. */
export const INSERT_ANSWER = `insert into booking_answers
  (booking_id, question_id, ticket_index, label, kind, options, value) values (?, ?, ?, ?, ?, ?, ?)`;

/** The parameters of INSERT_ANSWER for `answer` of booking `bookingId`. */
export const answerRow = (bookingId: string, a: Answer) =>
  [
    bookingId,
    a.questionId,
    a.ticketIndex,
    a.label,
    a.kind,
    JSON.stringify(a.options),
    JSON.stringify(a.value),
  ] as const;

/** The id of the booking this token opens, or null (unknown, altered, or before tokens). */
export function bookingIdOfOrderToken(db: Db, token: string): string | null {
  const split = splitOrderToken(token);
  if (split) {
    const row = db
      .select({ secretHash: bookings.orderSecretHash })
      .from(bookings)
      .where(eq(bookings.id, split.bookingId))
      .get();
    const stored = row?.secretHash;
    return stored && sameSecret(hashOrderToken(split.secret), stored) ? split.bookingId : null;
  }
  const row = db
    .select({ id: bookings.id })
    .from(bookings)
    // `=` on the column is what lets SQLite use its partial index (`is not null`).
    .where(eq(bookings.orderTokenHash, hashOrderToken(token)))
    .get();
  return row?.id ?? null;
}

/**
 * Replaces a booking's attendees (one per ticket, in ticket order) and/or its answers, in one
 * transaction. `null` leaves that part as it is.
 */
export function updateOrderDetails(
  db: Db,
  bookingId: string,
  attendees: readonly (Attendee | null)[] | null,
  answers: readonly Answer[] | null,
  at: number = Date.now(),
): void {
  const c = db.$client;
  const ticketIds = prepared<[string], { id: string }>(
    db,
    "select id from tickets where booking_id = ?",
  )
    .all(bookingId)
    .map((t) => t.id)
    .sort((a, b) => ticketNumber(bookingId, a) - ticketNumber(bookingId, b));
  // A changed name moves the ticket's updated_at (Wallet passes' Last-Modified).
  type Who = string | null;
  const setAttendee = prepared<[Who, Who, number, Who, Who, string]>(
    db,
    `update tickets set
       updated_at = case when attendee_name is ? and attendee_email is ? then updated_at else ? end,
       attendee_name = ?, attendee_email = ?
     where id = ?`,
  );
  const dropAnswers = prepared<[string]>(db, "delete from booking_answers where booking_id = ?");
  const insertAnswer = prepared(db, INSERT_ANSWER);
  c.transaction(() => {
    if (attendees) {
      for (const [i, id] of ticketIds.entries()) {
        const who = attendees[i] ?? null;
        const name = who?.name ?? null;
        const email = who?.email ?? null;
        setAttendee.run(name, email, at, name, email, id);
      }
    }
    if (answers) {
      dropAnswers.run(bookingId);
      for (const a of answers) {
        insertAnswer.run(...answerRow(bookingId, a));
      }
    }
  }).immediate();
}

/** The answers of these bookings, by booking id, in one query (for pages of the export). */
export function answersOfBookings(
  db: Db,
  bookingIds: readonly string[],
): Map<string, { questionId: string; ticketIndex: number | null; value: AnswerValue }[]> {
  const out = new Map<
    string,
    { questionId: string; ticketIndex: number | null; value: AnswerValue }[]
  >();
  if (bookingIds.length === 0) return out;
  const rows = prepared<
    [string],
    { booking_id: string; question_id: string; ticket_index: number | null; value: string }
  >(
    db,
    `select booking_id, question_id, ticket_index, value from booking_answers
        where booking_id in (select value from json_each(?)) order by id`,
  ).all(JSON.stringify([...new Set(bookingIds)]));
  for (const r of rows) {
    const list = out.get(r.booking_id) ?? [];
    list.push({
      questionId: r.question_id,
      ticketIndex: r.ticket_index,
      value: JSON.parse(r.value) as AnswerValue,
    });
    out.set(r.booking_id, list);
  }
  return out;
}
