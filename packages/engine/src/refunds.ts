/**
 * The one place where money goes back after a cancellation. The actor's commit has already
 * recorded each refund (the decision stands whatever the provider says); the provider is told
 * afterwards, and a refund it did not take stays pending on its row, retried with backoff until
 * it is sent. An unused charge (a booking the actor refused) is given back here too.
 */
import {
  type Db,
  dueRefunds,
  type PendingRefund,
  pendingRefundsOf,
  recordRefundFailed,
  recordRefundSent,
} from "@boxoffice/db";
import type { Charge, PaymentProvider } from "./payments.ts";

export interface EngineLogger {
  error(message: string, fields?: Record<string, unknown>): void;
}

const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 3_600_000;

/** 30 s after the first failure, doubling, at most an hour apart. */
export const refundRetryDelay = (attempts: number): number =>
  Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));

export function createRefunds(options: {
  db: Db;
  payments: PaymentProvider;
  now: () => number;
  logger: EngineLogger;
}) {
  const { db, payments, now, logger } = options;

  async function send(refund: PendingRefund): Promise<void> {
    try {
      if (refund.paymentRef === null) throw new Error("No payment to refund was recorded");
      const sent = await payments.refund({
        ref: refund.paymentRef,
        amountCents: refund.amountCents,
      });
      recordRefundSent(db, refund.bookingId, sent.ref);
    } catch (error) {
      const attempts = refund.attempts + 1;
      const message = error instanceof Error ? error.message : String(error);
      recordRefundFailed(db, refund.bookingId, message, now() + refundRetryDelay(attempts));
      logger.error("refund to the payment provider failed; it will be retried", {
        bookingId: refund.bookingId,
        attempts,
        error,
      });
    }
  }

  return {
    /** Tells the provider about the refunds these cancellations just recorded. */
    async afterCancel(bookingIds: readonly string[]): Promise<void> {
      for (const refund of pendingRefundsOf(db, bookingIds)) await send(refund);
    },

    /** Tries again what is due: from housekeeping. */
    async retryDue(limit = 50): Promise<number> {
      const due = dueRefunds(db, now(), limit);
      for (const refund of due) await send(refund);
      return due.length;
    },

    /** Gives back a charge no booking took; the outcome the buyer was told stands either way. */
    async giveBack(charge: Charge): Promise<void> {
      try {
        await payments.refund({ ref: charge.ref, amountCents: charge.amountCents });
      } catch (error) {
        logger.error("refund of an unused charge failed", { ref: charge.ref, error });
      }
    },
  };
}

export type Refunds = ReturnType<typeof createRefunds>;
