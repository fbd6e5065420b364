/**
 * Checkout for everyone: who buys (an account or a guest, one person either way), the name on
 * each ticket, and the organizer's questions. Pure rules: `checkCheckout` is asked by `quote` for
 * every booking (so nothing is charged for a checkout that would be refused) and by the order
 * page's edits, against the event's current questions.
 */
import type { FieldIssue } from "../errors.ts";

export const QUESTION_KINDS = [
  "text",
  "longtext",
  "choice",
  "multichoice",
  "checkbox",
  "number",
  "email",
  "phone",
  "date",
] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export interface Question {
  readonly id: string;
  readonly label: string;
  readonly kind: QuestionKind;
  /** What may be picked (choice, multichoice); empty for other kinds. */
  readonly options: readonly string[];
  readonly required: boolean;
  readonly per: "order" | "ticket";
  /** Asked only of tickets of these types (per order: of orders holding one); null: all. */
  readonly ticketTypeIds: readonly string[] | null;
  readonly helpText: string | null;
}

export type Personalization = "off" | "name" | "nameAndEmail";

/** The organizer's checkout settings of an event. */
export interface CheckoutConfig {
  readonly guestCheckout: boolean;
  readonly personalizedTickets: Personalization;
  /** Names and answers may change until this many hours before the start. */
  readonly editCutoffHours: number;
  readonly questions: readonly Question[];
}

export const DEFAULT_CHECKOUT: CheckoutConfig = {
  guestCheckout: true,
  personalizedTickets: "off",
  editCutoffHours: 0,
  questions: [],
};

export const checkoutOf = (config: { readonly checkout?: CheckoutConfig }): CheckoutConfig =>
  config.checkout ?? DEFAULT_CHECKOUT;

export interface Attendee {
  readonly name: string;
  readonly email: string | null;
}

export interface AttendeeInput {
  readonly name: string;
  readonly email?: string | null | undefined;
}

export type AnswerValue = string | number | boolean | readonly string[];

export interface AnswerInput {
  readonly questionId: string;
  readonly ticketIndex?: number | null | undefined;
  readonly value: AnswerValue;
}

/** An answer as stored: with the question as it read when answered. */
export interface Answer {
  readonly questionId: string;
  /** 0-based, for per-ticket questions; null for per-order ones. */
  readonly ticketIndex: number | null;
  readonly label: string;
  readonly kind: QuestionKind;
  readonly options: readonly string[];
  readonly value: AnswerValue;
}

// ---------------------------------------------------------------------------------------------
// People. A principal owns holds, bookings and idempotency keys: an account id, or for a guest
// `guest:<email>`. A person (`personKey`) is a normalised email: an account counts as its
// email, so guest and account purchases under one address share the per-person limits.

export const GUEST_PREFIX = "guest:";

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export const guestPrincipal = (email: string): string => `${GUEST_PREFIX}${normalizeEmail(email)}`;

export const isGuestPrincipal = (userId: string): boolean => userId.startsWith(GUEST_PREFIX);

/** Whose limits something counts against: its person, or (without one) its principal. */
export const personOf = (owner: { readonly userId: string; readonly personKey?: string }) =>
  owner.personKey ?? owner.userId;

// ---------------------------------------------------------------------------------------------
// Checking names and answers.

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[0-9 +().-]{7,30}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_TEXT = 500;
const MAX_LONG_TEXT = 4000;

const isDate = (value: string): boolean => {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
};

const asked = (q: Question, ticketTypeId: string): boolean =>
  q.ticketTypeIds === null || q.ticketTypeIds.includes(ticketTypeId);

/** Whether a value counts as no answer at all (an optional question left blank). */
const blank = (value: AnswerValue): boolean =>
  (typeof value === "string" && value.trim() === "") ||
  (Array.isArray(value) && value.length === 0);

/** What is wrong with `value` as an answer to `q`, or null. */
function valueProblem(q: Question, value: AnswerValue): string | null {
  switch (q.kind) {
    case "text":
      if (typeof value !== "string") return "must be text";
      if (value.length > MAX_TEXT) return `must be at most ${MAX_TEXT} characters`;
      // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
      return /[\u0000-\u001f\u007f-\u009f]/.test(value) ? "must be one line of text" : null;
    case "longtext":
      if (typeof value !== "string") return "must be text";
      if (value.length > MAX_LONG_TEXT) return `must be at most ${MAX_LONG_TEXT} characters`;
      // biome-ignore lint/suspicious/noControlCharactersInRegex: line breaks and tabs only
      return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(value)
        ? "must not contain control characters"
        : null;
    case "email":
      return typeof value === "string" && value.length <= 254 && EMAIL.test(value.trim())
        ? null
        : "must be an email address";
    case "phone":
      return typeof value === "string" && PHONE.test(value.trim()) && /\d{3}/.test(value)
        ? null
        : "must be a phone number (digits, spaces and + ( ) - .)";
    case "date":
      return typeof value === "string" && isDate(value) ? null : "must be a date (YYYY-MM-DD)";
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? null : "must be a number";
    case "checkbox":
      return typeof value === "boolean" ? null : "must be ticked or not (true or false)";
    case "choice":
      if (typeof value !== "string") return "must be one of its options";
      return q.options.includes(value) ? null : "must be one of its options";
    case "multichoice": {
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
        return "must be a list of its options";
      }
      if (!value.every((v) => q.options.includes(v))) return "must be a list of its options";
      return new Set(value).size === value.length ? null : "lists an option twice";
    }
  }
}

/** The answer as stored: trimmed one-line strings; everything else as given. */
function stored(q: Question, value: AnswerValue): AnswerValue {
  if (typeof value === "string" && q.kind !== "longtext") return value.trim();
  return value;
}

/** "Diet", or "Diet" for ticket 2 (people count from 1). */
const named = (q: Question, index: number | null) =>
  index === null ? `"${q.label}"` : `"${q.label}" for ticket ${index + 1}`;

function attendeeIssues(
  checkout: CheckoutConfig,
  tickets: number,
  attendees: readonly AttendeeInput[] | null | undefined,
): FieldIssue[] {
  const needed = checkout.personalizedTickets !== "off";
  if (!attendees || attendees.length === 0) {
    return needed
      ? [
          {
            path: "attendees",
            message: `Name each ticket: ${tickets} ${tickets === 1 ? "name" : "names"} needed`,
          },
        ]
      : [];
  }
  if (attendees.length !== tickets) {
    return [
      {
        path: "attendees",
        message: `One attendee per ticket: ${tickets} expected, ${attendees.length} given`,
      },
    ];
  }
  const issues: FieldIssue[] = [];
  for (const [i, a] of attendees.entries()) {
    if (a.name.trim() === "") {
      issues.push({ path: `attendees.${i}.name`, message: `A name is needed for ticket ${i + 1}` });
    }
    const email = a.email?.trim() ?? "";
    if (checkout.personalizedTickets === "nameAndEmail" && email === "") {
      issues.push({
        path: `attendees.${i}.email`,
        message: `An email is needed for ticket ${i + 1}`,
      });
    }
  }
  return issues;
}

/** Each answer in its slot (`<questionId>` or `<questionId>.<ticketIndex>`), or an issue. */
function placeAnswers(
  questions: ReadonlyMap<string, Question>,
  ticketTypeIds: readonly string[],
  answers: readonly AnswerInput[],
): { slots: Map<string, AnswerValue>; issues: FieldIssue[] } {
  const slots = new Map<string, AnswerValue>();
  const issues: FieldIssue[] = [];
  for (const answer of answers) {
    const q = questions.get(answer.questionId);
    const index = answer.ticketIndex ?? null;
    const path = `answers.${answer.questionId}${index === null ? "" : `.${index}`}`;
    if (!q) {
      issues.push({ path, message: "No such question for this event" });
      continue;
    }
    if (q.per === "ticket" && index === null) {
      issues.push({ path, message: `${named(q, null)} is asked per ticket: say which ticket` });
      continue;
    }
    if (q.per === "order" && index !== null) {
      issues.push({ path, message: `${named(q, null)} is asked once per order, not per ticket` });
      continue;
    }
    const type = index === null ? null : ticketTypeIds[index];
    if (index !== null && (type === undefined || type === null || !asked(q, type))) {
      issues.push({ path, message: `${named(q, null)} is not asked for ticket ${index + 1}` });
      continue;
    }
    if (index === null && !ticketTypeIds.some((t) => asked(q, t))) {
      issues.push({ path, message: `${named(q, null)} is not asked for this order` });
      continue;
    }
    const key = path.slice("answers.".length);
    if (slots.has(key)) {
      issues.push({ path, message: `${named(q, index)} is answered twice` });
      continue;
    }
    slots.set(key, answer.value);
  }
  return { slots, issues };
}

/**
 * Checks attendees and answers for a booking whose tickets have these types (in ticket order,
 * see `ticketSlots`) against the event's checkout settings. Returns every issue (paths
 * `attendees.<i>.name`, `answers.<questionId>` or `answers.<questionId>.<ticketIndex>`, messages
 * naming the question and the ticket), and the answers to store, each with its question's label,
 * kind and options as they read now. Blank optional answers are dropped.
 */
export function checkCheckout(
  checkout: CheckoutConfig,
  ticketTypeIds: readonly string[],
  attendees: readonly AttendeeInput[] | null | undefined,
  answers: readonly AnswerInput[] | null | undefined,
): { issues: FieldIssue[]; answers: Answer[]; attendees: (Attendee | null)[] } {
  const issues = attendeeIssues(checkout, ticketTypeIds.length, attendees);
  const questions = new Map(checkout.questions.map((q) => [q.id, q] as const));
  const placed = placeAnswers(questions, ticketTypeIds, answers ?? []);
  issues.push(...placed.issues);
  const out: Answer[] = [];
  for (const q of checkout.questions) {
    const indexes: (number | null)[] =
      q.per === "order"
        ? ticketTypeIds.some((t) => asked(q, t))
          ? [null]
          : []
        : ticketTypeIds.flatMap((t, i) => (asked(q, t) ? [i] : []));
    for (const index of indexes) {
      const key = index === null ? q.id : `${q.id}.${index}`;
      const path = `answers.${key}`;
      const value = placed.slots.get(key);
      const given = value !== undefined && !blank(value);
      // A required checkbox is consent: only ticked counts.
      if (q.required && (!given || (q.kind === "checkbox" && value === false))) {
        const what = index === null ? "" : ` for ticket ${index + 1}`;
        const verb = given ? "must be ticked" : "is required";
        issues.push({ path, message: `"${q.label}" ${verb}${what}` });
        continue;
      }
      if (value === undefined || !given) continue;
      const problem = valueProblem(q, value);
      if (problem) {
        issues.push({ path, message: `${named(q, index)} ${problem}` });
        continue;
      }
      out.push({
        questionId: q.id,
        ticketIndex: index,
        label: q.label,
        kind: q.kind,
        options: q.options,
        value: stored(q, value),
      });
    }
  }
  const named_ = (attendees ?? []).map((a) => ({
    name: a.name.trim(),
    email: a.email?.trim() ? normalizeEmail(a.email) : null,
  }));
  return {
    issues,
    answers: out,
    attendees: ticketTypeIds.map((_, i) => named_[i] ?? null),
  };
}

/** Just the issues of `checkCheckout`. */
export const checkoutIssues = (
  checkout: CheckoutConfig,
  ticketTypeIds: readonly string[],
  attendees: readonly AttendeeInput[] | null | undefined,
  answers: readonly AnswerInput[] | null | undefined,
): FieldIssue[] => checkCheckout(checkout, ticketTypeIds, attendees, answers).issues;

/** Until when an order's names and answers may change: the start less the edit cutoff. */
export const orderEditableUntil = (startsAt: number, editCutoffHours: number): number =>
  startsAt - editCutoffHours * 3_600_000;
