/** `booking_cancelled`: the booking is off, and what comes back. */
import type { DueMail, OutboxPayloads } from "@boxoffice/db";
import { Action, Layout, LinkLine, P } from "../components/layout.tsx";
import { formatMoney } from "../format.ts";
import { BuyerFooter, type Draft, type DraftContext, EventFacts } from "./shared.tsx";

export function bookingCancelled(
  mail: DueMail,
  p: OutboxPayloads["booking_cancelled"],
  { links }: DraftContext,
): Draft {
  const { event } = mail;
  const fee = p.feeCents > 0 ? ` (after a fee of ${formatMoney(p.feeCents, p.currency)})` : "";
  // Nothing back and no fee: a free ticket (or a non-refundable one): no "Refund: $0.00".
  const refund =
    p.refundCents === 0 && p.feeCents === 0
      ? "There is nothing to refund."
      : `Refund: ${formatMoney(p.refundCents, p.currency)}${fee}. It goes back the way you paid.`;
  const element = (
    <Layout
      preview={refund}
      title={`Booking cancelled: ${event.title}`}
      greeting={`Hello ${mail.recipient.name},`}
      footer={
        <BuyerFooter why={`you had tickets for ${event.title}`} email={mail.recipient.email} />
      }
    >
      <P>
        {p.reason === "organizer"
          ? `The organizer cancelled your booking for ${event.title}. Its tickets no longer let anyone in.`
          : `Your booking for ${event.title} is cancelled. Its tickets no longer let anyone in.`}
      </P>
      <EventFacts event={event} />
      <P>{refund}</P>
      <Action href={links.event(event.id)}>See the event</Action>
      <LinkLine href={links.bookings}>My bookings</LinkLine>
    </Layout>
  );
  return { subject: `Booking cancelled: ${event.title}`, element };
}
