import { DomainError, randomString } from "@boxoffice/core";

export interface PaymentRequest {
  readonly method: "mock";
  readonly token?: string | undefined;
  readonly amountCents: number;
  readonly currency: string;
  /** Lets a real provider deduplicate retries of one charge. */
  readonly reference: string;
}

export interface Charge {
  readonly provider: string;
  readonly ref: string;
  readonly amountCents: number;
}

/** A payment provider. Charges happen outside the event actor; refunds undo them. */
export interface PaymentProvider {
  charge(request: PaymentRequest): Promise<Charge>;
  refund(charge: { ref: string; amountCents: number }): Promise<{ ref: string }>;
}

/**
 * The mock provider: every charge succeeds except with the token "decline". It keeps no state,
 * so it stays cheap under load; refunds are accepted as long as they are positive.
 */
export function createMockPaymentProvider(): PaymentProvider {
  return {
    async charge(request) {
      if (request.token === "decline") {
        throw new DomainError("PAYMENT_DECLINED", "The card was declined");
      }
      return {
        provider: "mock",
        ref: `mock_${randomString(16)}`,
        amountCents: request.amountCents,
      };
    },
    async refund(charge) {
      if (charge.amountCents < 0) throw new Error("A refund cannot be negative");
      return { ref: `mock_refund_${randomString(16)}` };
    },
  };
}
