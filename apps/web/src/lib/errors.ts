/**
 * Every refusal the API can give, in words people understand. The one place that maps
 * `error.data.reason` (docs/API.md) and tRPC codes to sentences: pages never show raw codes.
 */
import type { AppRouter } from "@boxoffice/api";
import { TRPCClientError } from "@trpc/client";
import type { inferRouterError } from "@trpc/server";

type RouterErrorData = inferRouterError<AppRouter>["data"];

/**
 * `error.data` as the server's error formatter shapes it (code, httpStatus, reason, details,
 * issues), inferred from the router. Only `issues` differs: undefined rather than null, which is
 * what the form helpers take.
 */
export type ErrorData = Omit<RouterErrorData, "issues"> & {
  issues: NonNullable<RouterErrorData["issues"]> | undefined;
};

/** A refusal the server can give. A reason added there without a sentence here fails to compile. */
export type Reason = NonNullable<RouterErrorData["reason"]>;

export const reasonMessages: Record<Reason, string> = {
  SOLD_OUT: "Sold out: there are not enough tickets left for this request.",
  HOLD_EXPIRED: "Your hold has expired and the tickets went back on sale. Please pick them again.",
  HOLD_NOT_FOUND: "This hold no longer exists. It may have been released or completed already.",
  SALES_NOT_OPEN: "Ticket sales for this event have not opened yet.",
  SALES_CLOSED: "Ticket sales for this event have closed.",
  LIMIT_EXCEEDED: "That is more tickets than one order or one person may have for this event.",
  SEAT_UNAVAILABLE: "One of those seats has just been taken. Please choose another.",
  EVENT_NOT_PUBLISHED: "This event is not on sale yet.",
  EVENT_CANCELLED: "This event has been cancelled.",
  ALREADY_CANCELLED: "This booking is already cancelled.",
  ALREADY_CHECKED_IN:
    "A ticket of this booking was used at the door, so it can no longer be cancelled or refunded. If something went wrong, please contact the organizer.",
  ALREADY_ON_WAITLIST: "You are already on the waitlist for this event.",
  NOT_ON_WAITLIST: "You are not on the waitlist for this event.",
  WAITLIST_DISABLED: "This event has no waitlist.",
  PAYMENT_DECLINED:
    "Your payment was declined. Your tickets are still held: try another card before the timer runs out.",
  CAPACITY_BELOW_SOLD: "Capacity cannot go below the tickets already sold or held.",
  EMAIL_TAKEN: "An account with this email already exists. Try signing in instead.",
  INVALID_CREDENTIALS: "Wrong email or password.",
  RATE_LIMITED: "Too many attempts. Please wait a minute and try again.",
  LINK_INVALID:
    "This link has expired or has already been used. Ask for a new one and use the latest mail.",
  NOT_A_DRAFT:
    "Only a draft that nobody has booked can be deleted. Cancel a published event instead.",
  VENUE_IN_USE:
    "This venue is used by an event, so it cannot be changed or deleted. Make a copy to change it.",
  EDIT_CLOSED:
    "Names and answers of this order can no longer be changed: the organizer's deadline has passed, or the booking or event was cancelled.",
  SIGN_IN_REQUIRED: "This event sells to signed-in buyers only. Please sign in to buy.",
  CODE_INVALID: "We do not know that code for this event. Check its spelling and try again.",
  CODE_TAKEN: "That code is already used for this event. Choose another.",
  CODE_EXHAUSTED: "That code has been used as many times as it may be.",
  CODE_EXPIRED: "That code is not valid now: it has expired or is not valid yet.",
  CODE_NOT_APPLICABLE: "That code does not apply to the tickets you chose.",
  NO_RECIPIENTS:
    "Nobody would get this message: no attendee holds those tickets, or all of them unsubscribed.",
  NOT_ADMITTED:
    "Tickets for this event are sold through its on-sale room right now: join the room and wait for your turn to buy.",
};

const codeMessages: Record<string, string> = {
  UNAUTHORIZED: "Please sign in to continue.",
  FORBIDDEN: "You are not allowed to do that.",
  NOT_FOUND: "We could not find that. It may have been removed.",
  TOO_MANY_REQUESTS: "Too many requests. Please wait a moment and try again.",
  BAD_REQUEST: "Some of the details are not valid. Please check the form.",
  PAYLOAD_TOO_LARGE: "That is too much data to send at once.",
  INTERNAL_SERVER_ERROR: "Something went wrong on our side. Please try again.",
};

export function errorData(error: unknown): ErrorData | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data = (error as TRPCClientError<AppRouter>).data;
  return data ? { ...data, issues: data.issues ?? undefined } : undefined;
}

export function reasonOf(error: unknown): Reason | undefined {
  return errorData(error)?.reason ?? undefined;
}

/** The seats a SEAT_UNAVAILABLE refusal names (empty for any other error). */
export function unavailableSeatIds(error: unknown): string[] {
  const data = errorData(error);
  if (data?.reason !== "SEAT_UNAVAILABLE") return [];
  const ids = data.details?.seatIds;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
}

/** "30 seconds", "2 minutes", "3 hours": a wait in words, rounded up. */
export function duration(seconds: number): string {
  const [n, unit] =
    seconds < 90
      ? [Math.ceil(seconds), "second"]
      : seconds < 5400
        ? [Math.ceil(seconds / 60), "minute"]
        : [Math.ceil(seconds / 3600), "hour"];
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** RATE_LIMITED says how long to wait (details.retryAfterSeconds) when the server knows. */
function rateLimitedSentence(details: ErrorData["details"]): string {
  const seconds = details?.retryAfterSeconds;
  if (typeof seconds !== "number") return reasonMessages.RATE_LIMITED;
  const what =
    typeof details?.limit === "number"
      ? `You have reached the limit (${details.limit}) for now.`
      : "Too many attempts.";
  return `${what} Please try again in ${duration(seconds)}.`;
}

/**
 * CAPACITY_BELOW_SOLD with its numbers (details: taken, sold, held, capacity asked for), e.g.
 * "The capacity cannot go below the tickets already taken: 3 sold and 1 held (4 in all), so at
 * least 4; you asked for 2."
 */
export function capacitySentence(details: ErrorData["details"], what = "The capacity"): string {
  const { taken, sold, held, capacity } = details ?? {};
  if (typeof taken !== "number") return reasonMessages.CAPACITY_BELOW_SOLD;
  const split =
    typeof sold !== "number" || typeof held !== "number"
      ? `${taken} sold or held`
      : held === 0
        ? `${sold} sold`
        : sold === 0
          ? `${held} held by buyers now`
          : `${sold} sold and ${held} held (${taken} in all)`;
  const asked = typeof capacity === "number" ? `; you asked for ${capacity}` : "";
  return `${what} cannot go below the tickets already taken: ${split}, so at least ${taken}${asked}.`;
}

/** One sentence for any error a call can end in. */
export function describeError(error: unknown): string {
  if (!error) return "";
  const data = errorData(error);
  if (data?.reason === "RATE_LIMITED") return rateLimitedSentence(data.details);
  if (data?.reason === "CAPACITY_BELOW_SOLD") return capacitySentence(data.details);
  if (data?.reason === "CODE_EXHAUSTED" && data.details?.limit === "maxUsesPerBuyer") {
    return "You have used that code as many times as one person may.";
  }
  // A newer server may send a reason this build has no sentence for yet: fall through to the code.
  if (data?.reason && reasonMessages[data.reason]) return reasonMessages[data.reason];
  if (data?.code === "BAD_REQUEST" && data.issues?.length) {
    const first = data.issues[0];
    return `Please check the form: ${first?.path ? `${first.path}: ` : ""}${first?.message}.`;
  }
  // CONFLICT and PRECONDITION_FAILED without a reason carry a sentence written for people.
  if (data?.code === "CONFLICT" || data?.code === "PRECONDITION_FAILED") {
    return (error as Error).message;
  }
  if (data?.code && codeMessages[data.code]) return codeMessages[data.code] as string;
  if (error instanceof TRPCClientError && !data) {
    return "We could not reach the server. Check your connection and try again.";
  }
  return "Something went wrong. Please try again.";
}
