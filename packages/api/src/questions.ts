/**
 * An event's questions as the organizer sends them (the whole list, in order) laid over the saved
 * ones: an entry with a saved `id` edits that question, one without is new and gets an id, saved
 * questions not listed are gone (answers keep the labels they were given under).
 */
import { type FieldIssue, newId, type Question } from "@boxoffice/core";
import type { z } from "zod";
import type { questionInput } from "./schemas/checkout.ts";

type QuestionEntry = z.infer<typeof questionInput>;

export function mergeQuestions(
  entries: readonly QuestionEntry[],
  saved: readonly Question[],
  ticketTypeIds: readonly string[],
): { questions: Question[]; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const savedIds = new Set(saved.map((q) => q.id));
  const seen = new Set<string>();
  const questions = entries.map((entry, i): Question => {
    if (entry.id !== undefined && !savedIds.has(entry.id)) {
      issues.push({ path: `questions.${i}.id`, message: "No such question for this event" });
    } else if (entry.id !== undefined && seen.has(entry.id)) {
      issues.push({ path: `questions.${i}.id`, message: "This question is listed twice" });
    }
    if (entry.id !== undefined) seen.add(entry.id);
    for (const [j, typeId] of (entry.ticketTypeIds ?? []).entries()) {
      if (!ticketTypeIds.includes(typeId)) {
        issues.push({
          path: `questions.${i}.ticketTypeIds.${j}`,
          message: "No such ticket type for this event",
        });
      }
    }
    const choosing = entry.kind === "choice" || entry.kind === "multichoice";
    const types = entry.ticketTypeIds ?? [];
    return {
      id: entry.id ?? newId("question"),
      label: entry.label,
      kind: entry.kind,
      options: choosing ? [...(entry.options ?? [])] : [],
      required: entry.required,
      per: entry.per,
      ticketTypeIds: types.length === 0 ? null : [...new Set(types)],
      helpText: entry.helpText ? entry.helpText : null,
    };
  });
  return { questions, issues };
}
