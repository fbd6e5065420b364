/**
 * The event form's checkout questions as the builder holds them (rows of strings and ticks), their
 * translation to the API's `questions` (docs/API.md "Guest checkout, attendees and questions"),
 * checked with the server's own `questionsInput`, and the builder's moves: add, change, move up
 * or down, remove. A saved question keeps its `id`, so its answers stay with it when edited.
 */
import {
  MAX_OPTIONS,
  MAX_QUESTIONS,
  type QuestionKind,
  questionsInput,
} from "@boxoffice/api/schemas/checkout";
import type { QuestionView } from "../../lib/checkout-form.ts";
import { type FieldErrors, fieldErrors } from "../../lib/forms.ts";

export interface QuestionRow {
  /** The saved question's id; none for a new one. */
  id?: string;
  /** A stable key for the row while it is edited (the id, or a made-up one). */
  key: string;
  label: string;
  kind: QuestionKind;
  /** One per line in the options editor; used by choice and multichoice only. */
  options: string[];
  required: boolean;
  per: "order" | "ticket";
  /** Empty: asked of every ticket type. */
  ticketTypeIds: string[];
  helpText: string;
}

export const KIND_NAMES: Record<QuestionKind, string> = {
  text: "Short text",
  longtext: "Long text",
  choice: "One choice",
  multichoice: "Several choices",
  checkbox: "Checkbox (yes/no, consent)",
  number: "Number",
  email: "Email",
  phone: "Phone number",
  date: "Date",
};

export const choosing = (kind: QuestionKind) => kind === "choice" || kind === "multichoice";

let made = 0;
const newKey = () => `new-${Date.now().toString(36)}-${++made}`;

export function emptyQuestion(): QuestionRow {
  return {
    key: newKey(),
    label: "",
    kind: "text",
    options: [],
    required: false,
    per: "order",
    ticketTypeIds: [],
    helpText: "",
  };
}

/** The saved questions (the event's `questions`) as builder rows. */
export function rowsFromQuestions(questions: readonly QuestionView[]): QuestionRow[] {
  return questions.map((q) => ({
    id: q.id,
    key: q.id,
    label: q.label,
    kind: q.kind,
    options: [...(q.options ?? [])],
    required: q.required,
    per: q.per,
    ticketTypeIds: [...(q.ticketTypeIds ?? [])],
    helpText: q.helpText ?? "",
  }));
}

/** The API's `questions` the rows describe (before zod's trimming). */
export function questionsShape(rows: readonly QuestionRow[]) {
  return rows.map((q) => ({
    ...(q.id ? { id: q.id } : {}),
    label: q.label,
    kind: q.kind,
    ...(choosing(q.kind) ? { options: q.options.map((o) => o.trim()).filter(Boolean) } : {}),
    required: q.required,
    per: q.per,
    ...(q.ticketTypeIds.length > 0 ? { ticketTypeIds: q.ticketTypeIds } : {}),
    ...(q.helpText.trim() ? { helpText: q.helpText } : {}),
  }));
}

export type QuestionsOut = ReturnType<typeof questionsShape>;

/** The rows checked with the server's schema: the input, or errors at `questions.<i>.<field>`. */
export function readQuestions(
  rows: readonly QuestionRow[],
): { ok: true; questions: QuestionsOut } | { ok: false; errors: FieldErrors } {
  const parsed = questionsInput.safeParse(questionsShape(rows));
  if (parsed.success) return { ok: true, questions: parsed.data as QuestionsOut };
  const errors: FieldErrors = {};
  for (const [path, message] of Object.entries(fieldErrors(parsed.error))) {
    // An option's own problem (listed twice) shows on the options editor.
    errors[`questions.${path.replace(/^(\d+\.options)\.\d+$/, "$1")}`] ??= message;
  }
  return { ok: false, errors };
}

/** The rows as buyers will see them, for the builder's preview. */
export function previewQuestions(rows: readonly QuestionRow[]): QuestionView[] {
  return rows.map((q) => ({
    id: q.key,
    label: q.label.trim() || "(no question yet)",
    kind: q.kind,
    options: choosing(q.kind) ? q.options.map((o) => o.trim()).filter(Boolean) : [],
    required: q.required,
    per: q.per,
    ticketTypeIds: q.ticketTypeIds,
    helpText: q.helpText.trim() || null,
  }));
}

/** "questions.1.options" → "Question 2 options". */
export function questionLabel(path: string): string | null {
  const m = /^questions\.(\d+)(?:\.(\w+))?/.exec(path);
  if (!m) return null;
  const field = m[2] === "label" ? "" : m[2] === "helpText" ? " help text" : m[2] ? ` ${m[2]}` : "";
  return `Question ${Number(m[1]) + 1}${field}`;
}

/** The builder's moves, each a new list. */
export const questionMoves = {
  add: (rows: readonly QuestionRow[]): QuestionRow[] =>
    rows.length >= MAX_QUESTIONS ? [...rows] : [...rows, emptyQuestion()],
  change: (rows: readonly QuestionRow[], i: number, patch: Partial<QuestionRow>): QuestionRow[] =>
    rows.map((q, j) => {
      if (j !== i) return q;
      const next = { ...q, ...patch };
      // A kind that chooses starts with two options to fill in.
      if (patch.kind && choosing(patch.kind) && next.options.length === 0) {
        next.options = ["", ""];
      }
      return next;
    }),
  move: (rows: readonly QuestionRow[], i: number, by: -1 | 1): QuestionRow[] => {
    const j = i + by;
    if (j < 0 || j >= rows.length) return [...rows];
    const next = [...rows];
    [next[i], next[j]] = [next[j] as QuestionRow, next[i] as QuestionRow];
    return next;
  },
  remove: (rows: readonly QuestionRow[], i: number): QuestionRow[] =>
    rows.filter((_, j) => j !== i),
  addOption: (rows: readonly QuestionRow[], i: number): QuestionRow[] =>
    rows.map((q, j) =>
      j === i && q.options.length < MAX_OPTIONS ? { ...q, options: [...q.options, ""] } : q,
    ),
};
