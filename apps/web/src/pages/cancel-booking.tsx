/**
 * Asking before a booking is cancelled, in the words My bookings and the order page both use:
 * what comes back, then a choice. Each page keeps its own frame (a dialog, an inline section)
 * and its own queries.
 */
import type { UseQueryResult } from "@tanstack/react-query";
import { Button, ErrorBox, Loading } from "../components/ui.tsx";
import { amount } from "../lib/format.ts";

type QuotedBooking = { totalCents: number; currency: string; tickets: readonly unknown[] };
type RefundQuote = { refundCents: number; feeCents: number };

/** What cancelling gives back. */
export function RefundSentence({ booking, quote }: { booking: QuotedBooking; quote: RefundQuote }) {
  return (
    <p className="mb-3" data-testid="refund-quote">
      {booking.totalCents === 0 ? (
        `Free ${booking.tickets.length === 1 ? "ticket" : "tickets"}: nothing to refund.`
      ) : (
        <>
          If you cancel now you get <strong>{amount(quote.refundCents, booking.currency)}</strong>{" "}
          back
          {quote.feeCents > 0 && ` (after a ${amount(quote.feeCents, booking.currency)} fee)`}.
        </>
      )}{" "}
      This cannot be undone.
    </p>
  );
}

/** The refund quote (or why there is none), the cancel's error, and the two answers. */
export function CancelConfirmation({
  booking,
  quote,
  cancel,
  onConfirm,
  onKeep,
  buttonsClassName = "flex flex-wrap gap-2",
}: {
  booking: QuotedBooking;
  quote: UseQueryResult<RefundQuote, unknown>;
  cancel: { error: unknown; isPending: boolean };
  onConfirm: () => void;
  onKeep: () => void;
  buttonsClassName?: string;
}) {
  return (
    <>
      {quote.isPending ? (
        <Loading what="Working out your refund" />
      ) : quote.isError ? (
        <ErrorBox error={quote.error} />
      ) : (
        <RefundSentence booking={booking} quote={quote.data} />
      )}
      <ErrorBox error={cancel.error} />
      <div className={buttonsClassName}>
        <Button
          variant="danger"
          disabled={!quote.isSuccess}
          busy={cancel.isPending}
          onClick={onConfirm}
        >
          {booking.totalCents === 0 ? "Yes, cancel" : "Yes, cancel and refund"}
        </Button>
        <Button variant="secondary" onClick={onKeep}>
          Keep my booking
        </Button>
      </div>
    </>
  );
}
