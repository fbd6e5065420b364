/**
 * The one error vocabulary. Everything below the router throws one of these; the API's
 * `toTRPCError` is the only place that turns them into tRPC errors (house style 2).
 */

/** Every refusal the API can give, as named in docs/API.md. */
export const reasons = [
  "SOLD_OUT",
  "HOLD_EXPIRED",
  "HOLD_NOT_FOUND",
  "SALES_NOT_OPEN",
  "SALES_CLOSED",
  "LIMIT_EXCEEDED",
  "SEAT_UNAVAILABLE",
  "EVENT_NOT_PUBLISHED",
  "EVENT_CANCELLED",
  "ALREADY_CANCELLED",
  "ALREADY_CHECKED_IN",
  "ALREADY_ON_WAITLIST",
  "NOT_ON_WAITLIST",
  "WAITLIST_DISABLED",
  "PAYMENT_DECLINED",
  "CAPACITY_BELOW_SOLD",
  "EMAIL_TAKEN",
  "INVALID_CREDENTIALS",
  "RATE_LIMITED",
  "LINK_INVALID",
  "NOT_A_DRAFT",
  "VENUE_IN_USE",
  "EDIT_CLOSED",
  "SIGN_IN_REQUIRED",
  "CODE_INVALID",
  "CODE_TAKEN",
  "CODE_EXHAUSTED",
  "CODE_EXPIRED",
  "CODE_NOT_APPLICABLE",
  "NO_RECIPIENTS",
  "NOT_ADMITTED",
] as const;

export type Reason = (typeof reasons)[number];

/**
 * A refusal that is part of the domain: data, not a crash. The API maps `reason` to a tRPC code
 * and puts it into `error.data.reason`; `details` carries what a client needs to act on it
 * (for instance the seats that were taken).
 */
export class DomainError extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly reason: Reason,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export interface FieldIssue {
  /** Dotted path of the field, e.g. `items.0.ticketTypeId`. */
  readonly path: string;
  readonly message: string;
}

/**
 * Input that passed the schema but does not fit the current state of things (an unknown ticket
 * type, say), or fields that contradict each other. Answered as BAD_REQUEST with each field
 * named, exactly like a schema failure.
 */
export class InputError extends Error {
  override readonly name = "InputError";
  readonly issues: readonly FieldIssue[];
  constructor(path: ReadonlyArray<string | number>, message: string);
  constructor(issues: readonly FieldIssue[]);
  constructor(pathOrIssues: ReadonlyArray<string | number> | readonly FieldIssue[], message = "") {
    const issues: FieldIssue[] =
      message === "" && pathOrIssues.every((p) => typeof p === "object")
        ? [...(pathOrIssues as readonly FieldIssue[])]
        : [{ path: (pathOrIssues as ReadonlyArray<string | number>).join("."), message }];
    super(issues.map((i) => `${i.path || "(input)"}: ${i.message}`).join("; "));
    this.issues = issues;
  }
}

/** No such thing, or none the caller may see: the two look alike, so ids leak nothing. */
export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
}

/** The caller is known but may not do this. */
export class ForbiddenError extends Error {
  override readonly name = "ForbiddenError";
}

/** The caller must sign in first. */
export class UnauthorizedError extends Error {
  override readonly name = "UnauthorizedError";
}

/** A command the actor could not take: its mailbox is full. Answered as TOO_MANY_REQUESTS. */
export class OverloadedError extends Error {
  override readonly name = "OverloadedError";
}

/** A request that contradicts an earlier one (an idempotency key reused with another payload). */
export class ConflictError extends Error {
  override readonly name = "ConflictError";
}

/** The batch a command was part of could not be made durable; nothing of it took effect. */
export class CommitFailedError extends Error {
  override readonly name = "CommitFailedError";
}
