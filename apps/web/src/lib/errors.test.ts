import { describe, expect, it } from "bun:test";
import { TRPCClientError } from "@trpc/client";
import { capacitySentence, describeError, type Reason, reasonMessages } from "./errors.ts";

const refusal = (data: Record<string, unknown>, message = "raw server text") =>
  new TRPCClientError(message, { result: { error: { message, code: -32600, data } } } as never);

describe("describeError", () => {
  it("has a sentence for every reason in the API contract", () => {
    const reasons =
      "SOLD_OUT HOLD_EXPIRED HOLD_NOT_FOUND SALES_NOT_OPEN SALES_CLOSED LIMIT_EXCEEDED SEAT_UNAVAILABLE EVENT_NOT_PUBLISHED EVENT_CANCELLED ALREADY_CANCELLED ALREADY_ON_WAITLIST NOT_ON_WAITLIST WAITLIST_DISABLED PAYMENT_DECLINED CAPACITY_BELOW_SOLD EMAIL_TAKEN INVALID_CREDENTIALS RATE_LIMITED".split(
        " ",
      ) as Reason[];
    for (const reason of reasons) expect(reasonMessages[reason]).toBeString();
  });

  it("says what a reason means, never the code", () => {
    const text = describeError(refusal({ code: "CONFLICT", httpStatus: 409, reason: "SOLD_OUT" }));
    expect(text).toStartWith("Sold out");
    expect(text).not.toContain("SOLD_OUT");
  });

  it("falls back to the tRPC code's meaning", () => {
    expect(describeError(refusal({ code: "FORBIDDEN", httpStatus: 403 }))).toBe(
      "You are not allowed to do that.",
    );
  });

  it("says how long a rate limit asks to wait, when the server says", () => {
    const limited = (details: Record<string, unknown> | null) =>
      describeError(refusal({ code: "TOO_MANY_REQUESTS", reason: "RATE_LIMITED", details }));
    expect(limited(null)).toBe(reasonMessages.RATE_LIMITED);
    expect(limited({ retryAfterSeconds: 60 })).toBe(
      "Too many attempts. Please try again in 60 seconds.",
    );
    expect(limited({ retryAfterSeconds: 241 })).toBe(
      "Too many attempts. Please try again in 5 minutes.",
    );
    expect(limited({ limit: 20, retryAfterSeconds: 75_600 })).toBe(
      "You have reached the limit (20) for now. Please try again in 21 hours.",
    );
  });

  it("names the first invalid field of a validation failure", () => {
    const text = describeError(
      refusal({ code: "BAD_REQUEST", issues: [{ path: "title", message: "Required" }] }),
    );
    expect(text).toBe("Please check the form: title: Required.");
  });
});

describe("capacitySentence", () => {
  it("gives the numbers: sold, held, in all, and what was asked for", () => {
    const details = { taken: 4, sold: 3, held: 1, capacity: 2, ticketTypeId: "tt" };
    expect(capacitySentence(details)).toBe(
      "The capacity cannot go below the tickets already taken: 3 sold and 1 held (4 in all), so at least 4; you asked for 2.",
    );
    expect(capacitySentence({ taken: 3, sold: 3, held: 0, capacity: 1 })).toContain(": 3 sold, so");
    expect(
      describeError(
        refusal({ code: "CONFLICT", httpStatus: 409, reason: "CAPACITY_BELOW_SOLD", details }),
      ),
    ).toContain("you asked for 2");
  });
});
