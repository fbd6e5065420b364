/**
 * Unsubscribing from an organizer's broadcasts (docs/API.md "mail"). Each broadcast mail carries
 * a link with a token of its own; only the token's SHA-256 is stored (`unsubscribe_tokens`), so
 * neither the database nor a backup gives a usable link away. Tickets are never unsubscribed from.
 */
import type { Db } from "../open.ts";
import { prepared } from "../statements.ts";

export function hashUnsubscribeToken(token: string): string {
  return new Bun.CryptoHasher("sha256").update(token).digest("base64url");
}

/** Whom an unsubscribe link is about: an address, and the organizer it hears from. */
export interface UnsubscribeTarget {
  readonly organizerId: string;
  readonly organizerName: string;
  /** Normalised (trimmed, lower case). */
  readonly email: string;
  /** Whether the address is unsubscribed now (after the change, for the two changes below). */
  readonly unsubscribed: boolean;
}

type TargetRow = {
  organizer_id: string;
  organizer_name: string;
  email: string;
  unsubscribed: 0 | 1;
};

/** The link's address and organizer, or null for a token nobody was given. */
export function unsubscribeTargetOf(db: Db, token: string): UnsubscribeTarget | null {
  const row = prepared<[string], TargetRow>(
    db,
    `select t.organizer_id, u.name as organizer_name, t.email,
              exists (select 1 from mail_unsubscribes m
                       where m.organizer_id = t.organizer_id and m.email = t.email) as unsubscribed
         from unsubscribe_tokens t join users u on u.id = t.organizer_id
        where t.token_hash = ?`,
  ).get(hashUnsubscribeToken(token));
  if (!row) return null;
  return {
    organizerId: row.organizer_id,
    organizerName: row.organizer_name,
    email: row.email,
    unsubscribed: row.unsubscribed === 1,
  };
}

/**
 * No more broadcasts from the organizer to the link's address, from the next send on: the
 * dispatcher checks `mail_unsubscribes` right before each broadcast mail. Idempotent.
 */
export function unsubscribeByToken(db: Db, token: string, at: number): UnsubscribeTarget | null {
  const target = unsubscribeTargetOf(db, token);
  if (!target) return null;
  prepared<[string, string, number]>(
    db,
    `insert into mail_unsubscribes (organizer_id, email, created_at) values (?, ?, ?)
       on conflict do nothing`,
  ).run(target.organizerId, target.email, at);
  return { ...target, unsubscribed: true };
}

/** Undoes `unsubscribeByToken`: broadcasts written from now on reach the address again. */
export function resubscribeByToken(db: Db, token: string): UnsubscribeTarget | null {
  const target = unsubscribeTargetOf(db, token);
  if (!target) return null;
  prepared<[string, string]>(
    db,
    "delete from mail_unsubscribes where organizer_id = ? and email = ?",
  ).run(target.organizerId, target.email);
  return { ...target, unsubscribed: false };
}

/** The addresses (normalised) that unsubscribed from an organizer's broadcasts. */
export function unsubscribedEmailsOf(db: Db, organizerId: string): Set<string> {
  const rows = prepared<[string], { email: string }>(
    db,
    "select email from mail_unsubscribes where organizer_id = ?",
  ).all(organizerId);
  return new Set(rows.map((r) => r.email));
}
