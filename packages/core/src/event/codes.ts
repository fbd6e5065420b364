/**
 * Promo and access codes (docs/API.md "codes"): which code a request names, whether it may be
 * used now and by whom, what it unlocks and what it takes off. Pure functions of the state; the
 * same rules answer `events.applyCode`, quotes and holds.
 */
import { DomainError } from "../errors.ts";
import {
  type CodeConfig,
  type CodeDiscount,
  codeUseScope,
  type EventState,
  type LineItem,
  type TicketTypeConfig,
} from "./types.ts";

/** What a buyer typed, as codes are stored: trimmed and upper-cased. */
export const normaliseCode = (text: string): string => text.trim().toUpperCase();

/** Codes are letters, digits, `-` and `_`, 3..40 of them. */
export const CODE_PATTERN = /^[A-Z0-9_-]{3,40}$/;

/**
 * The code named `text` if it exists, is enabled and valid now, and has a use left (overall
 * and for `person`, when given); otherwise the refusal. Unknown and disabled are one answer.
 */
export function usableCode(
  state: EventState,
  text: string,
  person: string | null,
  now: number,
): CodeConfig | DomainError {
  const code = state.codes.get(normaliseCode(text));
  if (!code || code.disabled) return new DomainError("CODE_INVALID", "This code is not valid");
  if (
    (code.validFrom !== null && now < code.validFrom) ||
    (code.validUntil !== null && now >= code.validUntil)
  ) {
    return new DomainError("CODE_EXPIRED", "This code is not valid at this time", {
      validFrom: code.validFrom === null ? null : new Date(code.validFrom).toISOString(),
      validUntil: code.validUntil === null ? null : new Date(code.validUntil).toISOString(),
    });
  }
  const left = usesLeft(state, code, person);
  if (left === 0) {
    const overall = code.maxUses !== null && (state.codeUses.get(code.id) ?? 0) >= code.maxUses;
    return new DomainError("CODE_EXHAUSTED", "This code has been used up", {
      limit: overall ? "maxUses" : "maxUsesPerBuyer",
      max: overall ? code.maxUses : code.maxUsesPerBuyer,
    });
  }
  return code;
}

/** Uses left of `code`: overall, and for `person` when given; null for unlimited. */
export function usesLeft(
  state: EventState,
  code: CodeConfig,
  person: string | null,
): number | null {
  let left: number | null = null;
  if (code.maxUses !== null) {
    left = Math.max(0, code.maxUses - (state.codeUses.get(code.id) ?? 0));
  }
  if (person !== null && code.maxUsesPerBuyer !== null) {
    const mine = state.codeUsesByPerson.get(codeUseScope(code.id, person)) ?? 0;
    const own = Math.max(0, code.maxUsesPerBuyer - mine);
    left = left === null ? own : Math.min(left, own);
  }
  return left;
}

/** Whether the code's rules cover tickets of this type (discounts, what an access code sells). */
export const appliesTo = (code: CodeConfig, ticketTypeId: string): boolean =>
  code.ticketTypeIds === null || code.ticketTypeIds.includes(ticketTypeId);

/** A hidden type may be held only with a code that unlocks it. */
export const typeVisible = (type: TicketTypeConfig, code: CodeConfig | null): boolean =>
  !type.hidden || (code?.unlocksTicketTypeIds.includes(type.id) ?? false);

/**
 * One ticket's price after the discount: a percentage rounded so that the buyer never pays more
 * than the exact discounted price (floor), an amount never below 0, never above the list price.
 */
export function discountedPrice(priceCents: number, discount: CodeDiscount | null): number {
  if (discount === null) return priceCents;
  const price =
    "percent" in discount
      ? Math.floor((priceCents * (100 - discount.percent)) / 100)
      : priceCents - discount.amountCents;
  return Math.min(priceCents, Math.max(0, price));
}

/** Priced lines with the code's discount taken off the types it applies to. */
export function applyDiscount(code: CodeConfig | null, lines: LineItem[]): LineItem[] {
  // Without a code, the lines stay as priced (the hot path pays nothing for codes).
  if (code === null) return lines;
  return lines.map((line) => {
    const list = line.listPriceCents ?? line.unitPriceCents;
    const unit =
      code !== null && appliesTo(code, line.ticketTypeId)
        ? discountedPrice(list, code.discount)
        : list;
    return { ...line, unitPriceCents: unit, listPriceCents: list };
  });
}

/**
 * CODE_NOT_APPLICABLE when the code does nothing for this request: none of its tickets is of a
 * type the code applies to, it unlocks none of them, and it opens no sale the request needs.
 */
export function notApplicable(
  code: CodeConfig,
  lines: readonly LineItem[],
  presaleNeeded: boolean,
): DomainError | null {
  if (presaleNeeded) return null;
  const useful = lines.some(
    (l) => appliesTo(code, l.ticketTypeId) || code.unlocksTicketTypeIds.includes(l.ticketTypeId),
  );
  return useful
    ? null
    : new DomainError("CODE_NOT_APPLICABLE", "This code does not apply to these tickets");
}

/** Whether the code's presale lets a request through before the public sales window opens. */
export const presaleOpen = (code: CodeConfig | null, now: number): boolean =>
  code?.opensSalesAt != null && code.opensSalesAt <= now;
