/**
 * What an organizer wants to hear about (docs/API.md "mail.settings"). No row means the
 * defaults: everything on, the sale digest daily.
 */
import type { Db } from "../open.ts";
import { prepared } from "../statements.ts";

export interface MailSettings {
  readonly saleDigest: "daily" | "off";
  readonly soldOut: boolean;
  readonly waitlistGrowing: boolean;
  readonly refundFailed: boolean;
}

export const DEFAULT_MAIL_SETTINGS: MailSettings = {
  saleDigest: "daily",
  soldOut: true,
  waitlistGrowing: true,
  refundFailed: true,
};

type SettingsRow = {
  sale_digest: "daily" | "off";
  sold_out: 0 | 1;
  waitlist_growing: 0 | 1;
  refund_failed: 0 | 1;
};

export function mailSettingsOf(db: Db, userId: string): MailSettings {
  const row = prepared<[string], SettingsRow>(
    db,
    `select sale_digest, sold_out, waitlist_growing, refund_failed
         from organizer_mail_settings where user_id = ?`,
  ).get(userId);
  if (!row) return DEFAULT_MAIL_SETTINGS;
  return {
    saleDigest: row.sale_digest,
    soldOut: row.sold_out === 1,
    waitlistGrowing: row.waitlist_growing === 1,
    refundFailed: row.refund_failed === 1,
  };
}

/** Sets the settings given, keeps the others; returns them all. */
export function updateMailSettings(
  db: Db,
  userId: string,
  change: Partial<MailSettings>,
  at: number,
): MailSettings {
  const c = db.$client;
  const update = c.transaction(() => {
    const next = { ...mailSettingsOf(db, userId), ...definedOnly(change) };
    prepared(
      db,
      `insert into organizer_mail_settings
         (user_id, sale_digest, sold_out, waitlist_growing, refund_failed, updated_at)
       values (@userId, @saleDigest, @soldOut, @waitlistGrowing, @refundFailed, @at)
       on conflict (user_id) do update set sale_digest = excluded.sale_digest,
         sold_out = excluded.sold_out, waitlist_growing = excluded.waitlist_growing,
         refund_failed = excluded.refund_failed, updated_at = excluded.updated_at`,
    ).run({
      userId,
      saleDigest: next.saleDigest,
      soldOut: next.soldOut ? 1 : 0,
      waitlistGrowing: next.waitlistGrowing ? 1 : 0,
      refundFailed: next.refundFailed ? 1 : 0,
      at,
    });
    return next;
  });
  return update();
}

function definedOnly(change: Partial<MailSettings>): Partial<MailSettings> {
  return Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
}
