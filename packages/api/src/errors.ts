/**
 * The one mapper from the error vocabulary (`@boxoffice/core`'s errors) to tRPC errors. Procedures,
 * the engine and the core throw those; only this file knows tRPC codes. The original error stays
 * the `cause`, where the error formatter finds its reason, details and field issues.
 */
import {
  CommitFailedError,
  ConflictError,
  DomainError,
  ForbiddenError,
  InputError,
  NotFoundError,
  OverloadedError,
  type Reason,
  UnauthorizedError,
} from "@boxoffice/core";
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";

const codeOfReason: Record<Reason, TRPC_ERROR_CODE_KEY> = {
  SOLD_OUT: "CONFLICT",
  HOLD_EXPIRED: "CONFLICT",
  HOLD_NOT_FOUND: "NOT_FOUND",
  SALES_NOT_OPEN: "PRECONDITION_FAILED",
  SALES_CLOSED: "PRECONDITION_FAILED",
  LIMIT_EXCEEDED: "CONFLICT",
  SEAT_UNAVAILABLE: "CONFLICT",
  EVENT_NOT_PUBLISHED: "PRECONDITION_FAILED",
  EVENT_CANCELLED: "PRECONDITION_FAILED",
  ALREADY_CANCELLED: "CONFLICT",
  ALREADY_CHECKED_IN: "CONFLICT",
  ALREADY_ON_WAITLIST: "CONFLICT",
  NOT_ON_WAITLIST: "NOT_FOUND",
  WAITLIST_DISABLED: "PRECONDITION_FAILED",
  PAYMENT_DECLINED: "PAYMENT_REQUIRED",
  CAPACITY_BELOW_SOLD: "CONFLICT",
  EMAIL_TAKEN: "CONFLICT",
  INVALID_CREDENTIALS: "UNAUTHORIZED",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  LINK_INVALID: "NOT_FOUND",
  NOT_A_DRAFT: "PRECONDITION_FAILED",
  VENUE_IN_USE: "CONFLICT",
  EDIT_CLOSED: "PRECONDITION_FAILED",
  SIGN_IN_REQUIRED: "UNAUTHORIZED",
  CODE_INVALID: "NOT_FOUND",
  CODE_TAKEN: "CONFLICT",
  CODE_EXHAUSTED: "CONFLICT",
  CODE_EXPIRED: "PRECONDITION_FAILED",
  CODE_NOT_APPLICABLE: "PRECONDITION_FAILED",
  NO_RECIPIENTS: "PRECONDITION_FAILED",
  NOT_ADMITTED: "PRECONDITION_FAILED",
};

/**
 * RATE_LIMITED with the whole seconds to wait in `details.retryAfterSeconds` (at least 1), which
 * HTTP clients also get as a Retry-After header.
 */
export function rateLimited(
  message: string,
  retryAfterMs: number,
  details: Readonly<Record<string, unknown>> = {},
): DomainError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new DomainError("RATE_LIMITED", message, { ...details, retryAfterSeconds });
}

/** The tRPC code of a known error, or null for anything unexpected (a logged 500). */
function codeOf(error: unknown): TRPC_ERROR_CODE_KEY | null {
  if (error instanceof DomainError) return codeOfReason[error.reason];
  if (error instanceof InputError) return "BAD_REQUEST";
  if (error instanceof NotFoundError) return "NOT_FOUND";
  if (error instanceof ForbiddenError) return "FORBIDDEN";
  if (error instanceof UnauthorizedError) return "UNAUTHORIZED";
  if (error instanceof ConflictError) return "CONFLICT";
  if (error instanceof OverloadedError) return "TOO_MANY_REQUESTS";
  if (error instanceof CommitFailedError) return "INTERNAL_SERVER_ERROR";
  return null;
}

/**
 * A mapped error. It carries the reason as well as the cause, so that callers without HTTP (tests
 * and scripts through `createCaller`) read a refusal the way clients read `error.data`. Only
 * `toTRPCError` makes these; nothing throws one directly.
 */
class MappedTRPCError extends TRPCError {
  readonly reason: Reason | null;
  readonly details: ErrorExtras["details"];
  constructor(code: TRPC_ERROR_CODE_KEY, cause: Error) {
    super({ code, message: cause.message, cause });
    const extras = errorExtras(this);
    this.reason = extras.reason;
    this.details = extras.details;
  }
}

/** The vocabulary's errors as tRPC errors; anything else is left alone (it becomes a 500). */
export function toTRPCError(error: unknown): TRPCError | null {
  const code = codeOf(error);
  if (code === null || !(error instanceof Error)) return null;
  return new MappedTRPCError(code, error);
}

/** What the error formatter adds to `error.data`: typed, so clients infer it from the router. */
export interface ErrorExtras {
  reason: Reason | null;
  details: Readonly<Record<string, unknown>> | null;
  issues: { path: string; message: string }[] | null;
}

/** Field issues of a zod failure (tRPC wraps it as the cause of BAD_REQUEST). */
function zodIssues(cause: unknown): { path: string; message: string }[] | null {
  if (!cause || typeof cause !== "object" || !("issues" in cause) || !Array.isArray(cause.issues)) {
    return null;
  }
  return (cause.issues as { path?: PropertyKey[]; message: string }[]).map((issue) => ({
    path: (issue.path ?? []).map(String).join("."),
    message: issue.message,
  }));
}

export function errorExtras(error: TRPCError): ErrorExtras {
  const cause = error.cause;
  if (cause instanceof DomainError) {
    return { reason: cause.reason, details: cause.details ?? null, issues: null };
  }
  if (cause instanceof OverloadedError)
    return { reason: "RATE_LIMITED", details: null, issues: null };
  if (cause instanceof InputError)
    return { reason: null, details: null, issues: [...cause.issues] };
  const issues = error.code === "BAD_REQUEST" ? zodIssues(cause) : null;
  return { reason: null, details: null, issues };
}
