/** Every refusal the API can give, as named in shared/API.md. */
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
  "ALREADY_ON_WAITLIST",
  "NOT_ON_WAITLIST",
  "WAITLIST_DISABLED",
  "PAYMENT_DECLINED",
  "CAPACITY_BELOW_SOLD",
  "EMAIL_TAKEN",
  "INVALID_CREDENTIALS",
  "RATE_LIMITED",
  "INVALID_TICKET",
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

/**
 * Input that passed the schema but does not fit the current state of things (an unknown ticket
 * type, say). Answered as BAD_REQUEST with the field's path, like a validation failure.
 */
export class InputError extends Error {
  override readonly name = "InputError";
  constructor(
    readonly path: ReadonlyArray<string | number>,
    message: string,
  ) {
    super(message);
  }
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
