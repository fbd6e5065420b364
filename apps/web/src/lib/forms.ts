import type { z } from "zod";

export type FieldErrors = Record<string, string>;

type Issue = z.core.$ZodIssue;

/** zod's defaults ("Too small: expected string to have >=8 characters") in plain words. */
export function friendlyMessage(issue: Issue): string {
  const i = issue as Issue & { origin?: string; minimum?: unknown; maximum?: unknown };
  if (issue.code === "too_small" && i.origin === "string") {
    return Number(i.minimum) <= 1 ? "Required" : `Use at least ${i.minimum} characters`;
  }
  if (issue.code === "too_big" && i.origin === "string") {
    return `Use at most ${i.maximum} characters`;
  }
  if (issue.code === "too_small" && i.origin === "number") return `Must be at least ${i.minimum}`;
  if (issue.code === "too_big" && i.origin === "number") return `Must be at most ${i.maximum}`;
  if (issue.code === "too_small" && i.origin === "array") return "Add at least one";
  if (issue.code === "invalid_type" && issue.expected === "number") return "Enter a number";
  if (issue.code === "invalid_type") return "Required";
  if (issue.code === "invalid_format" && issue.format === "email") {
    return "Enter a valid email address";
  }
  if (issue.code === "invalid_format" && issue.format === "datetime")
    return "Enter a date and time";
  return issue.message;
}

/** zod issues keyed by dotted path ("ticketTypes.0.name"), first message per field. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "form";
    out[key] ??= friendlyMessage(issue as Issue);
  }
  return out;
}

/** The same shape from a server refusal's `error.data.issues`. */
export function serverFieldErrors(issues: { path: string; message: string }[] | undefined) {
  const out: FieldErrors = {};
  for (const issue of issues ?? []) out[issue.path || "form"] ??= issue.message;
  return out;
}
