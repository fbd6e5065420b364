import type { CodeRow } from "@boxoffice/db";

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** `code` in docs/API.md "codes". */
export interface CodeDto {
  id: string;
  eventId: string;
  code: string;
  kind: "discount" | "access";
  discount: { percent: number } | { amountCents: number } | null;
  ticketTypeIds: string[] | null;
  maxUses: number | null;
  maxUsesPerBuyer: number | null;
  validFrom: string | null;
  validUntil: string | null;
  unlocksTicketTypeIds: string[];
  opensSalesAt: string | null;
  disabled: boolean;
  /** Live holds and standing bookings carrying it now. */
  uses: number;
  createdAt: string;
}

export function codeDto(row: CodeRow): CodeDto {
  return {
    id: row.id,
    eventId: row.eventId,
    code: row.code,
    kind: row.kind,
    discount: row.discount === null ? null : { ...row.discount },
    ticketTypeIds: row.ticketTypeIds === null ? null : [...row.ticketTypeIds],
    maxUses: row.maxUses,
    maxUsesPerBuyer: row.maxUsesPerBuyer,
    validFrom: isoOrNull(row.validFrom),
    validUntil: isoOrNull(row.validUntil),
    unlocksTicketTypeIds: [...row.unlocksTicketTypeIds],
    opensSalesAt: isoOrNull(row.opensSalesAt),
    disabled: row.disabled,
    uses: row.uses,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
