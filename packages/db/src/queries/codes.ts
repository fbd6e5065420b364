/** Promo and access codes: what the actor loads, and the organizer's views (never an actor). */
import type { CodeConfig } from "@boxoffice/core";
import type { Db } from "../open.ts";
import type { CodeDiscountRow } from "../schema.ts";
import { prepared } from "../statements.ts";

interface CodeSqlRow {
  id: string;
  event_id: string;
  code: string;
  kind: "discount" | "access";
  discount: string | null;
  ticket_type_ids: string | null;
  max_uses: number | null;
  max_uses_per_buyer: number | null;
  valid_from: number | null;
  valid_until: number | null;
  unlocks_ticket_type_ids: string;
  opens_sales_at: number | null;
  disabled: number;
  created_at: number;
}

const configOf = (r: CodeSqlRow): CodeConfig => ({
  id: r.id,
  code: r.code,
  kind: r.kind,
  discount: r.discount === null ? null : (JSON.parse(r.discount) as CodeDiscountRow),
  ticketTypeIds: r.ticket_type_ids === null ? null : (JSON.parse(r.ticket_type_ids) as string[]),
  maxUses: r.max_uses,
  maxUsesPerBuyer: r.max_uses_per_buyer,
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  unlocksTicketTypeIds: JSON.parse(r.unlocks_ticket_type_ids) as string[],
  opensSalesAt: r.opens_sales_at,
  disabled: r.disabled === 1,
  createdAt: r.created_at,
});

/** Every code of the event, for its actor. */
export function codesOfEvent(db: Db, eventId: string): CodeConfig[] {
  return prepared<[string], CodeSqlRow>(db, "select * from codes where event_id = ?")
    .all(eventId)
    .map(configOf);
}

/** A code with its uses now: live holds and standing bookings carrying it, as the actor counts. */
export interface CodeRow extends CodeConfig {
  readonly eventId: string;
  readonly uses: number;
}

const USES = `(select count(*) from holds h where h.code_id = c.id and h.status = 'active')
  + (select count(*) from bookings b where b.code_id = c.id and b.status = 'confirmed')`;

const withUses = (r: CodeSqlRow & { uses: number }): CodeRow => ({
  ...configOf(r),
  eventId: r.event_id,
  uses: r.uses,
});

/** One code of the event with its uses, or null. */
export function findCode(db: Db, eventId: string, codeId: string): CodeRow | null {
  const row = prepared<[string, string], CodeSqlRow & { uses: number }>(
    db,
    `select c.*, ${USES} as uses from codes c where c.event_id = ? and c.id = ?`,
  ).get(eventId, codeId);
  return row ? withUses(row) : null;
}

/** Codes by id with their uses (for replies after a change), in the order asked. */
export function codesByIds(db: Db, eventId: string, ids: readonly string[]): CodeRow[] {
  if (ids.length === 0) return [];
  const rows = prepared<[string, string], CodeSqlRow & { uses: number }>(
    db,
    `select c.*, ${USES} as uses from codes c
        where c.event_id = ? and c.id in (select value from json_each(?))`,
  ).all(eventId, JSON.stringify(ids));
  const byId = new Map(rows.map((r) => [r.id, withUses(r)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * A page of the event's codes, newest first (codes made together in the order they were made),
 * optionally those starting with `search`; `after` is the last row of the previous page.
 */
export function listCodes(
  db: Db,
  q: {
    eventId: string;
    search?: string | undefined;
    after?: { createdAt: number; seq: number } | null;
    limit: number;
  },
): (CodeRow & { readonly seq: number })[] {
  const like = q.search ? `${q.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : "%";
  const after = q.after ?? null;
  return prepared<
    [string, string, number | null, number | null, number | null, number, number],
    CodeSqlRow & { uses: number; seq: number }
  >(
    db,
    `select c.*, c.rowid as seq, ${USES} as uses from codes c
        where c.event_id = ? and c.code like ? escape '\\'
          and (? is null or c.created_at < ? or (c.created_at = ? and c.rowid < ?))
        order by c.created_at desc, c.rowid desc limit ?`,
  )
    .all(
      q.eventId,
      like,
      after?.createdAt ?? null,
      after?.createdAt ?? null,
      after?.createdAt ?? null,
      after?.seq ?? 0,
      q.limit,
    )
    .map((r) => ({ ...withUses(r), seq: r.seq }));
}

/** Every code of the event with its uses, by code text: the codes CSV. */
export function codesForExport(db: Db, eventId: string): CodeRow[] {
  return prepared<[string], CodeSqlRow & { uses: number }>(
    db,
    `select c.*, ${USES} as uses from codes c where c.event_id = ? order by c.code`,
  )
    .all(eventId)
    .map(withUses);
}

export interface CodeFigures {
  codeId: string;
  code: string;
  kind: "discount" | "access";
  uses: number;
  tickets: number;
  revenueCents: number;
  discountCents: number;
}

/** Standing bookings per code, in the event's currency: the 100 most used. */
export function codeFigures(db: Db, eventId: string, currency: string): CodeFigures[] {
  return prepared<[string, string, string], CodeFigures>(
    db,
    `select c.id as codeId, c.code as code, c.kind as kind,
              count(distinct b.id) as uses,
              coalesce(sum(i.quantity), 0) as tickets,
              coalesce(sum(case when b.currency = ? then i.quantity * i.unit_price_cents end), 0)
                as revenueCents,
              coalesce(sum(case when b.currency = ? then i.quantity *
                (coalesce(i.list_price_cents, i.unit_price_cents) - i.unit_price_cents) end), 0)
                as discountCents
         from codes c
         join bookings b on b.code_id = c.id and b.status = 'confirmed'
         join booking_items i on i.booking_id = b.id
        where c.event_id = ?
        group by c.id order by uses desc, c.code limit 100`,
  ).all(currency, currency, eventId);
}

/** A code as orders name it. */
export interface CodeRef {
  readonly id: string;
  readonly code: string;
}

/** Code texts by id (orders carry the id only). */
export function codeRefs(db: Db, ids: readonly string[]): Map<string, CodeRef> {
  if (ids.length === 0) return new Map();
  const rows = prepared<[string], CodeRef>(
    db,
    "select id, code from codes where id in (select value from json_each(?))",
  ).all(JSON.stringify([...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}

/** One code as orders name it, or null (no id, or no such code). */
export function codeRefOf(db: Db, codeId: string | null | undefined): CodeRef | null {
  return codeId ? (codeRefs(db, [codeId]).get(codeId) ?? null) : null;
}
