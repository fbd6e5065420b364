import {
  CommitFailedError,
  ConflictError,
  DomainError,
  InputError,
  OverloadedError,
  type Reason,
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
  ALREADY_ON_WAITLIST: "CONFLICT",
  NOT_ON_WAITLIST: "NOT_FOUND",
  WAITLIST_DISABLED: "PRECONDITION_FAILED",
  PAYMENT_DECLINED: "PAYMENT_REQUIRED",
  CAPACITY_BELOW_SOLD: "CONFLICT",
  EMAIL_TAKEN: "CONFLICT",
  INVALID_CREDENTIALS: "UNAUTHORIZED",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  INVALID_TICKET: "NOT_FOUND",
};

/** A TRPCError that carries a domain reason; the error formatter copies it into `error.data`. */
export class ReasonedTRPCError extends TRPCError {
  constructor(
    readonly reason: Reason | null,
    code: TRPC_ERROR_CODE_KEY,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
    readonly issues?: readonly { path: string; message: string }[],
  ) {
    super({ code, message });
  }
}

/** Domain refusals as tRPC errors; anything unexpected is left alone (it becomes a logged 500). */
export function toTRPCError(error: unknown): TRPCError | null {
  if (error instanceof DomainError) {
    return new ReasonedTRPCError(
      error.reason,
      codeOfReason[error.reason],
      error.message,
      error.details,
    );
  }
  if (error instanceof InputError) {
    const path = error.path.join(".");
    return new ReasonedTRPCError(null, "BAD_REQUEST", `${path}: ${error.message}`, undefined, [
      { path, message: error.message },
    ]);
  }
  if (error instanceof ConflictError) return new ReasonedTRPCError(null, "CONFLICT", error.message);
  if (error instanceof OverloadedError) {
    return new ReasonedTRPCError("RATE_LIMITED", "TOO_MANY_REQUESTS", error.message);
  }
  if (error instanceof CommitFailedError) {
    return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: error.message, cause: error });
  }
  return null;
}

/** Shorthand for refusals decided in a procedure rather than in an actor. */
export function refuse(reason: Reason, message: string, details?: Record<string, unknown>): never {
  throw new DomainError(reason, message, details);
}
