/**
 * What checkout asks besides the payment (docs/API.md "Guest checkout, attendees and
 * questions"): a name (and email) per ticket and the organizer's questions, per order or per
 * ticket. Values are kept as the inputs hold them and checked with the server's own schemas
 * before anything is sent; errors are keyed by the server's issue paths
 * (`attendees.<i>.name`, `answers.<questionId>` or `answers.<questionId>.<ticketIndex>`), so a
 * refusal from the server lands at the same field as an inline one.
 */

import { emailSchema } from "@boxoffice/api/schemas/auth";
import {
  attendeeInput,
  MAX_ANSWER,
  MAX_LONG_ANSWER,
  type QuestionKind,
} from "@boxoffice/api/schemas/checkout";
import { type FieldErrors, friendlyMessage } from "./forms.ts";

/** A question as buyers see it (the event's `questions` entries). */
export interface QuestionView {
  id: string;
  label: string;
  kind: QuestionKind;
  options?: readonly string[] | null | undefined;
  required: boolean;
  per: "order" | "ticket";
  ticketTypeIds?: readonly string[] | null | undefined;
  helpText?: string | null | undefined;
}

export type Personalization = "off" | "name" | "nameAndEmail";

/** One ticket of the order, in the booking's order: the items each `quantity` times, or seats. */
export interface TicketSlot {
  index: number;
  ticketTypeId: string;
  /** "Ticket 1 · General", "Ticket 2 · Stalls row A seat 5". */
  label: string;
}

/** A value as an input holds it: text (numbers too), picked options, or a tick. */
export type FormValue = string | string[] | boolean;

export interface AttendeeRow {
  name: string;
  email: string;
}

export interface CheckoutFormState {
  attendees: AttendeeRow[];
  /** By `answerKey`. */
  answers: Record<string, FormValue>;
}

export type AnswerOut = {
  questionId: string;
  ticketIndex?: number;
  value: string | number | boolean | string[];
};

export const answerKey = (questionId: string, ticketIndex?: number) =>
  ticketIndex === undefined ? `answers.${questionId}` : `answers.${questionId}.${ticketIndex}`;

/** Names ticket types by id from a hold's or booking's own items (hidden types included). */
export function typeNamesOf(
  items: readonly { ticketTypeId: string; ticketTypeName: string }[],
): (ticketTypeId: string) => string {
  const names = new Map(items.map((i) => [i.ticketTypeId, i.ticketTypeName]));
  return (ticketTypeId) => names.get(ticketTypeId) ?? "Ticket";
}

/**
 * The tickets of a hold in the order the server numbers them: the items in order, each
 * `quantity` times, or the seats in `seatIds` order (`seatType` gives a seat's ticket type).
 */
export function ticketSlots(
  hold: {
    items: readonly { ticketTypeId: string; quantity: number }[];
    seatIds: readonly string[];
  },
  typeName: (ticketTypeId: string) => string,
  seat?: { label: (seatId: string) => string; type: (seatId: string) => string | undefined },
): TicketSlot[] {
  if (hold.seatIds.length > 0) {
    const fallback = hold.items[0]?.ticketTypeId ?? "";
    return hold.seatIds.map((seatId, index) => ({
      index,
      ticketTypeId: seat?.type(seatId) ?? fallback,
      label: `Ticket ${index + 1} · ${seat ? seat.label(seatId) : seatId}`,
    }));
  }
  const slots: TicketSlot[] = [];
  for (const item of hold.items) {
    for (let n = 0; n < item.quantity; n++) {
      const index = slots.length;
      slots.push({
        index,
        ticketTypeId: item.ticketTypeId,
        label: `Ticket ${index + 1} · ${typeName(item.ticketTypeId)}`,
      });
    }
  }
  return slots;
}

const limited = (q: QuestionView) => (q.ticketTypeIds?.length ?? 0) > 0;

/** Per-order questions asked of this order: all, or those for a type the order holds. */
export function orderQuestions(
  questions: readonly QuestionView[],
  slots: readonly TicketSlot[],
): QuestionView[] {
  return questions.filter(
    (q) =>
      q.per === "order" &&
      (!limited(q) || slots.some((s) => q.ticketTypeIds?.includes(s.ticketTypeId))),
  );
}

/** Per-ticket questions asked of one ticket: all, or those limited to its type. */
export function ticketQuestions(
  questions: readonly QuestionView[],
  slot: TicketSlot,
): QuestionView[] {
  return questions.filter(
    (q) => q.per === "ticket" && (!limited(q) || q.ticketTypeIds?.includes(slot.ticketTypeId)),
  );
}

export function emptyValue(kind: QuestionKind): FormValue {
  return kind === "multichoice" ? [] : kind === "checkbox" ? false : "";
}

/** A fresh form: one row per ticket, the first pre-filled from the buyer. */
export function initialCheckoutForm(
  slots: readonly TicketSlot[],
  buyer: { name: string; email: string } | null,
): CheckoutFormState {
  return {
    attendees: slots.map((_, i) =>
      i === 0 && buyer ? { name: buyer.name, email: buyer.email } : { name: "", email: "" },
    ),
    answers: {},
  };
}

/** A saved answer's value in the form's terms (numbers as typed text). */
export function toFormValue(value: string | number | boolean | readonly string[]): FormValue {
  return typeof value === "number"
    ? String(value)
    : Array.isArray(value)
      ? [...value]
      : (value as string | boolean);
}

const isEmpty = (value: FormValue | undefined) =>
  value === undefined ||
  value === false ||
  (typeof value === "string" && value.trim() === "") ||
  (Array.isArray(value) && value.length === 0);

const PHONE = /^[0-9 +()\-.]{7,30}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/**
 * One answer as the API takes it, or the sentence that says what is wrong with it. An empty
 * optional answer is `null`: nothing is sent.
 */
export function readAnswer(
  q: QuestionView,
  value: FormValue | undefined,
): { ok: true; value: AnswerOut["value"] | null } | { ok: false; message: string } {
  // An unticked box is an answer too ("no"), unless it must be ticked (consent).
  if (q.kind === "checkbox" && !(q.required && value !== true)) {
    return { ok: true, value: value === true };
  }
  if (isEmpty(value)) {
    if (!q.required) return { ok: true, value: null };
    return {
      ok: false,
      message: q.kind === "checkbox" ? "Please tick this box to continue" : "Required",
    };
  }
  const text = typeof value === "string" ? value.trim() : "";
  switch (q.kind) {
    case "multichoice": {
      const picked = Array.isArray(value) ? value : [];
      const unknown = picked.find((o) => !q.options?.includes(o));
      return unknown === undefined
        ? { ok: true, value: picked }
        : { ok: false, message: `"${unknown}" is not one of the options` };
    }
    case "choice":
      return q.options?.includes(text)
        ? { ok: true, value: text }
        : { ok: false, message: "Choose one of the options" };
    case "number": {
      const n = Number(text.replace(",", "."));
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: "Enter a number" };
    }
    case "email": {
      const parsed = emailSchema.safeParse(text);
      return parsed.success
        ? { ok: true, value: parsed.data }
        : { ok: false, message: "Enter a valid email address" };
    }
    case "phone":
      return PHONE.test(text)
        ? { ok: true, value: text }
        : { ok: false, message: "Enter a phone number: 7 to 30 digits, spaces or + ( ) - ." };
    case "date":
      return isDate(text)
        ? { ok: true, value: text }
        : { ok: false, message: "Enter a date (year-month-day)" };
    case "longtext":
      return text.length <= MAX_LONG_ANSWER
        ? { ok: true, value: text }
        : { ok: false, message: `Use at most ${MAX_LONG_ANSWER} characters` };
    default:
      return text.length <= MAX_ANSWER && !text.includes("\n")
        ? { ok: true, value: text }
        : { ok: false, message: `Use at most ${MAX_ANSWER} characters, on one line` };
  }
}

/**
 * The checkout input's `attendees` and `answers` from the form, or the errors at their fields.
 * `attendees` is sent only where the event names tickets.
 */
export function readCheckoutForm(
  s: CheckoutFormState,
  questions: readonly QuestionView[],
  slots: readonly TicketSlot[],
  personalized: Personalization,
):
  | { ok: true; attendees: { name: string; email?: string }[] | undefined; answers: AnswerOut[] }
  | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const attendees: { name: string; email?: string }[] = [];
  if (personalized !== "off") {
    for (const slot of slots) {
      const row = s.attendees[slot.index] ?? { name: "", email: "" };
      const parsed = attendeeInput.safeParse(
        personalized === "nameAndEmail" ? row : { name: row.name },
      );
      if (parsed.success) attendees.push(parsed.data);
      for (const issue of parsed.success ? [] : parsed.error.issues) {
        errors[`attendees.${slot.index}.${issue.path.join(".")}`] ??= friendlyMessage(issue);
      }
      if (personalized === "nameAndEmail" && row.email.trim() === "") {
        errors[`attendees.${slot.index}.email`] = "Required";
      }
    }
  }
  const answers: AnswerOut[] = [];
  const take = (q: QuestionView, ticketIndex?: number) => {
    const key = answerKey(q.id, ticketIndex);
    const read = readAnswer(q, s.answers[key]);
    if (!read.ok) errors[key] = read.message;
    else if (read.value !== null) {
      answers.push(
        ticketIndex === undefined
          ? { questionId: q.id, value: read.value }
          : { questionId: q.id, ticketIndex, value: read.value },
      );
    }
  };
  for (const q of orderQuestions(questions, slots)) take(q);
  for (const slot of slots) for (const q of ticketQuestions(questions, slot)) take(q, slot.index);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, attendees: personalized === "off" ? undefined : attendees, answers };
}
