/**
 * Promo and access codes on the buyer's side (docs/API.md, "codes"): what an applied code does,
 * in a sentence, and the prices it makes. The server decides; these only say it before holding.
 */
import { money } from "./format.ts";

export type Discount = { percent: number } | { amountCents: number } | null;

/** What `events.applyCode` answers, as far as the page needs it. */
export interface CodeEffect {
  code: string;
  kind: "discount" | "access";
  discount: Discount;
  /** The types a discount applies to (null: every type). */
  ticketTypeIds: string[] | null;
  unlocks: readonly { id: string; name: string }[];
  opensSalesAt: string | null;
}

/** A code as buyers type it, as the server matches it: trimmed and upper-cased. */
export function normaliseCode(text: string): string {
  return text.trim().toUpperCase();
}

/** What a ticket of `listCents` costs with `discount` (percent rounds the price down; never < 0). */
export function discountedCents(listCents: number, discount: Discount): number {
  if (!discount) return listCents;
  if ("percent" in discount) return Math.floor((listCents * (100 - discount.percent)) / 100);
  return Math.max(0, listCents - discount.amountCents);
}

/** A ticket type's price with the applied code: discounted only if the code applies to it. */
export function priceWithCode(
  type: { id: string; priceCents: number },
  code: Pick<CodeEffect, "discount" | "ticketTypeIds"> | null,
): number {
  if (!code?.discount) return type.priceCents;
  if (code.ticketTypeIds !== null && !code.ticketTypeIds.includes(type.id)) return type.priceCents;
  return discountedCents(type.priceCents, code.discount);
}

/** "20 % off" or "€5.00 off". */
export function discountText(discount: Discount, currency: string): string {
  if (!discount) return "";
  if ("percent" in discount) return `${discount.percent} % off`;
  return `${money(discount.amountCents, currency)} off`;
}

/** "A", "A and B", "A, B and C". */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? "";
  return `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

function discountSentence(
  code: CodeEffect,
  context: { currency: string; typeName: (id: string) => string | undefined },
): string {
  const names = (code.ticketTypeIds ?? [])
    .map(context.typeName)
    .filter((n): n is string => n !== undefined);
  const all = code.ticketTypeIds === null || names.length === 0;
  const which = listWords(names);
  const d = code.discount;
  if (d && "percent" in d && d.percent === 100) {
    return all ? "Every ticket is free." : `${which} tickets are free.`;
  }
  if (d && "percent" in d) return `${d.percent} % off ${all ? "every ticket" : which}.`;
  return `${discountText(d, context.currency)} each ${all ? "ticket" : `${which} ticket`}.`;
}

/**
 * What an applied code does, in a sentence: "20 % off General.", "Unlocks Crew.",
 * "Presale: you can buy now." `salesNotOpen` says whether the public sale has yet to open.
 */
export function describeCode(
  code: CodeEffect,
  context: {
    currency: string;
    typeName: (id: string) => string | undefined;
    salesNotOpen: boolean;
    now: number;
    formatInstant: (iso: string) => string;
  },
): string {
  const parts: string[] = [];
  if (code.discount) parts.push(discountSentence(code, context));
  if (code.unlocks.length > 0) parts.push(`Unlocks ${listWords(code.unlocks.map((t) => t.name))}.`);
  if (code.opensSalesAt && context.salesNotOpen) {
    parts.push(
      Date.parse(code.opensSalesAt) <= context.now
        ? "Presale: you can buy now."
        : `Presale: you can buy from ${context.formatInstant(code.opensSalesAt)}.`,
    );
  }
  return parts.join(" ") || "Code applied.";
}

/** Whether the applied code lets its holder buy now although the public sale has not opened. */
export function presaleOpen(code: Pick<CodeEffect, "opensSalesAt"> | null, now: number): boolean {
  return code?.opensSalesAt != null && Date.parse(code.opensSalesAt) <= now;
}
