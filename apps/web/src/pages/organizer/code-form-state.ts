/**
 * The code form's state (strings, as inputs hold them) and its translation to `codes.create`,
 * `codes.generate` and `codes.update`, validated with the server's own zod schemas. Times are
 * wall-clock times in the event's zone, as on the event form.
 */
import {
  type CreateCodeInput,
  createCodeInput,
  type GenerateCodesInput,
  generateCodesInput,
  type UpdateCodeInput,
  updateCodeInput,
} from "@boxoffice/api/schemas/codes";
import { type FieldErrors, fieldErrors } from "../../lib/forms.ts";
import type { RouterOutputs } from "../../lib/trpc.ts";
import { fromZonedInput, toZonedInput } from "../../lib/zoned-time.ts";

export interface CodeFormState {
  /** One code (typed, or generated when blank) or N single-use codes with a prefix. */
  mode: "one" | "many";
  kind: "discount" | "access";
  code: string;
  count: string;
  prefix: string;
  discountType: "percent" | "amount";
  percent: string;
  amount: string;
  /** Every type, or only `ticketTypeIds`. */
  allTypes: boolean;
  ticketTypeIds: string[];
  maxUses: string;
  maxUsesPerBuyer: string;
  validFrom: string;
  validUntil: string;
  unlocksTicketTypeIds: string[];
  opensSalesAt: string;
}

/** A saved code, as `codes.list` gives it (the fields the form edits). */
/** A saved code as the API lists it. */
export type SavedCode = RouterOutputs["codes"]["list"]["items"][number];

export function initialCodeForm(): CodeFormState {
  return {
    mode: "one",
    kind: "discount",
    code: "",
    count: "10",
    prefix: "",
    discountType: "percent",
    percent: "10",
    amount: "",
    allTypes: true,
    ticketTypeIds: [],
    maxUses: "",
    maxUsesPerBuyer: "",
    validFrom: "",
    validUntil: "",
    unlocksTicketTypeIds: [],
    opensSalesAt: "",
  };
}

export function codeFormFromCode(c: SavedCode, zone: string): CodeFormState {
  const d = c.discount;
  return {
    ...initialCodeForm(),
    kind: c.kind,
    code: c.code,
    discountType: d && "amountCents" in d ? "amount" : "percent",
    percent: d && "percent" in d ? String(d.percent) : "10",
    amount: d && "amountCents" in d ? (d.amountCents / 100).toFixed(2) : "",
    allTypes: c.ticketTypeIds === null,
    ticketTypeIds: c.ticketTypeIds ?? [],
    maxUses: c.maxUses === null ? "" : String(c.maxUses),
    maxUsesPerBuyer: c.maxUsesPerBuyer === null ? "" : String(c.maxUsesPerBuyer),
    validFrom: toZonedInput(c.validFrom, zone),
    validUntil: toZonedInput(c.validUntil, zone),
    unlocksTicketTypeIds: c.unlocksTicketTypeIds,
    opensSalesAt: toZonedInput(c.opensSalesAt, zone),
  };
}

/** "" → null; anything else → a number (NaN stays NaN so zod names the field). */
const num = (text: string) => (text.trim() === "" ? null : Number(text));
const instant = (text: string, zone: string) => {
  const at = fromZonedInput(text, zone);
  return at ? new Date(at.ms).toISOString() : null;
};

/** The rule fields the form describes, `null` where blank (update clears those). */
function ruleFields(s: CodeFormState, zone: string) {
  const amount = num(s.amount);
  const discount =
    s.kind === "access"
      ? null
      : s.discountType === "percent"
        ? { percent: num(s.percent) ?? Number.NaN }
        : { amountCents: amount === null ? Number.NaN : Math.round(amount * 100) };
  return {
    kind: s.kind,
    discount,
    ticketTypeIds: s.allTypes ? null : s.ticketTypeIds,
    maxUses: num(s.maxUses),
    maxUsesPerBuyer: num(s.maxUsesPerBuyer),
    validFrom: instant(s.validFrom, zone),
    validUntil: instant(s.validUntil, zone),
    unlocksTicketTypeIds: s.unlocksTicketTypeIds,
    opensSalesAt: instant(s.opensSalesAt, zone),
  };
}

/** Field errors keyed by the form's names ("discount.percent" → "percent"). */
function formErrors(errors: FieldErrors, s: CodeFormState): FieldErrors {
  const out: FieldErrors = {};
  for (const [key, message] of Object.entries(errors)) {
    const field = key.startsWith("discount") ? s.discountType : key.split(".")[0] || "form";
    out[field] ??= message;
  }
  return out;
}

/** A times typed that is not a time: the schema would only see null. */
function timeErrors(s: CodeFormState, zone: string): FieldErrors {
  const out: FieldErrors = {};
  for (const field of ["validFrom", "validUntil", "opensSalesAt"] as const) {
    if (s[field].trim() !== "" && instant(s[field], zone) === null) {
      out[field] = "Enter a date and time";
    }
  }
  return out;
}

export type ReadCodeForm =
  | { ok: true; mode: "one"; input: CreateCodeInput }
  | { ok: true; mode: "many"; input: GenerateCodesInput }
  | { ok: false; errors: FieldErrors };

/** The create (or generate) input, or the form's errors. */
export function readCodeForm(s: CodeFormState, eventId: string, zone: string): ReadCodeForm {
  const fields = ruleFields(s, zone);
  const bad = timeErrors(s, zone);
  const shape =
    s.mode === "one"
      ? { eventId, ...(s.code.trim() ? { code: s.code } : {}), ...fields }
      : {
          eventId,
          count: num(s.count) ?? Number.NaN,
          ...(s.prefix.trim() ? { prefix: s.prefix } : {}),
          ...fields,
        };
  const parsed =
    s.mode === "one" ? createCodeInput.safeParse(shape) : generateCodesInput.safeParse(shape);
  const errors = { ...(parsed.success ? {} : formErrors(fieldErrors(parsed.error), s)), ...bad };
  if (!s.allTypes && s.ticketTypeIds.length === 0) {
    errors.ticketTypeIds ??= "Choose at least one type";
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return s.mode === "one"
    ? { ok: true, mode: "one", input: parsed.data as CreateCodeInput }
    : { ok: true, mode: "many", input: parsed.data as GenerateCodesInput };
}

export type ReadCodeUpdate =
  | { ok: true; input: UpdateCodeInput }
  | { ok: false; errors: FieldErrors };

/** The update input for a saved code: blank fields clear (null), the kind stays. */
export function readCodeUpdate(
  s: CodeFormState,
  eventId: string,
  codeId: string,
  zone: string,
): ReadCodeUpdate {
  const { kind, ...fields } = ruleFields(s, zone);
  const bad = timeErrors(s, zone);
  // An access code's discount stays null; a discount code's is required here as on create.
  const parsed = updateCodeInput.safeParse({ eventId, codeId, ...fields });
  if (kind === "discount" && fields.discount === null) bad.discount = "Required";
  const errors = { ...(parsed.success ? {} : formErrors(fieldErrors(parsed.error), s)), ...bad };
  if (!s.allTypes && s.ticketTypeIds.length === 0) {
    errors.ticketTypeIds ??= "Choose at least one type";
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: parsed.data };
}
