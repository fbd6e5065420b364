/** Inputs of the codes router and `events.applyCode` (plain zod, shared with the web app). */
import { z } from "zod";
import { instant, MAX_PRICE_CENTS, MAX_TICKET_TYPES } from "./events.ts";
import {
  CONTROL_CHARACTERS,
  cursorSchema,
  idSchema as id,
  isSingleLine,
  singleLine,
} from "./text.ts";

export const MAX_GENERATED_CODES = 10_000;

/** Text without control characters (refused first and alone), trimmed and upper-cased. */
const upperLine = () =>
  z
    .string()
    .refine(isSingleLine, { message: CONTROL_CHARACTERS, abort: true })
    .trim()
    .toUpperCase();

/** A code as the organizer names it: 3..40 of A–Z, 0–9, `-`, `_` (case-insensitive). */
export const codeText = upperLine().regex(
  /^[A-Z0-9_-]{3,40}$/,
  "Use 3 to 40 letters, digits, - or _",
);

export const codePrefix = upperLine().regex(
  /^[A-Z0-9_-]{0,10}$/,
  "Use up to 10 letters, digits, - or _",
);

export const discountInput = z.union([
  z.object({ percent: z.number().int().min(1).max(100) }).strict(),
  z.object({ amountCents: z.number().int().min(1).max(MAX_PRICE_CENTS) }).strict(),
]);

export type DiscountInput = z.infer<typeof discountInput>;

const typeIds = z.array(id).max(MAX_TICKET_TYPES);

/** The fields a code's rules are made of (create, generate; update makes them nullable). */
const ruleFields = {
  discount: discountInput.nullish(),
  ticketTypeIds: typeIds.nullish(),
  maxUses: z.number().int().min(1).max(1_000_000).nullish(),
  maxUsesPerBuyer: z.number().int().min(1).max(10_000).nullish(),
  validFrom: instant.nullish(),
  validUntil: instant.nullish(),
  unlocksTicketTypeIds: typeIds.optional(),
  opensSalesAt: instant.nullish(),
};

export const codeKind = z.enum(["discount", "access"]);

type RuleShape = {
  kind?: "discount" | "access";
  discount?: DiscountInput | null;
  validFrom?: string | null;
  validUntil?: string | null;
  unlocksTicketTypeIds?: string[];
  opensSalesAt?: string | null;
};

/** Field rules that need more than one field: discount per kind, validity order, access use. */
function ruleIssues(v: RuleShape, ctx: z.RefinementCtx): void {
  if (v.kind === "discount" && !v.discount) {
    ctx.addIssue({
      code: "custom",
      path: ["discount"],
      message: "A discount code needs a discount",
    });
  }
  if (v.kind === "access" && v.discount) {
    ctx.addIssue({ code: "custom", path: ["discount"], message: "An access code has no discount" });
  }
  if (v.kind === "access" && !(v.unlocksTicketTypeIds?.length ?? 0) && !v.opensSalesAt) {
    ctx.addIssue({
      code: "custom",
      path: ["kind"],
      message: "An access code must unlock a hidden ticket type or open sales early",
    });
  }
  if (v.validFrom && v.validUntil && Date.parse(v.validUntil) <= Date.parse(v.validFrom)) {
    ctx.addIssue({ code: "custom", path: ["validUntil"], message: "Must be after validFrom" });
  }
}

export const createCodeInput = z
  .object({ eventId: id, code: codeText.optional(), kind: codeKind, ...ruleFields })
  .superRefine(ruleIssues);

export const generateCodesInput = z
  .object({
    eventId: id,
    count: z.number().int().min(1).max(MAX_GENERATED_CODES),
    prefix: codePrefix.optional(),
    kind: codeKind,
    ...ruleFields,
  })
  .superRefine(ruleIssues);

/** Omitted fields stay; `null` clears a nullable one. The kind is checked against the saved one. */
export const updateCodeInput = z
  .object({ eventId: id, codeId: id, ...ruleFields })
  .superRefine(ruleIssues);

export const listCodesInput = z.object({
  eventId: id,
  search: singleLine(0, 40).toUpperCase().optional(),
  cursor: cursorSchema().optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

export const disableCodeInput = z.object({
  eventId: id,
  codeId: id,
  disabled: z.boolean().default(true),
});

/** A code typed at a hold or booking: matched after trimming and upper-casing. */
export const buyerCodeInput = singleLine(1, 40).toUpperCase();

export const applyCodeInput = z.object({ eventId: id, code: buyerCodeInput });

export type CreateCodeInput = z.infer<typeof createCodeInput>;
export type GenerateCodesInput = z.infer<typeof generateCodesInput>;
export type UpdateCodeInput = z.infer<typeof updateCodeInput>;
