/** `event_cancelled`: one per booking the cancellation of the event cancelled. */
import type { DueMail, OutboxPayloads } from "@boxoffice/db";
import { Action, Layout, P } from "../components/layout.tsx";
import { formatInstant, formatMoney } from "../format.ts";
import { BuyerFooter, type Draft, type DraftContext } from "./shared.tsx";

export function eventCancelled(
  mail: DueMail,
  p: OutboxPayloads["event_cancelled"],
  { links }: DraftContext,
): Draft {
  const { event } = mail;
  const when = formatInstant(event.startsAt, event.timezone);
  // Refunded in full: nothing back means the tickets were free.
  const refund =
    p.refundCents === 0
      ? "Your booking is cancelled. Your tickets were free, so there is nothing to refund."
      : `Your booking is cancelled and refunded in full: ${formatMoney(p.refundCents, p.currency)}.`;
  const element = (
    <Layout
      preview={`${event.title} will not take place. ${refund}`}
      title={`Cancelled: ${event.title}`}
      greeting={`Hello ${mail.recipient.name},`}
      footer={
        <BuyerFooter why={`you had tickets for ${event.title}`} email={mail.recipient.email} />
      }
    >
      <P>
        {event.title}, planned for {when}
        {event.venueName ? ` at ${event.venueName}` : ""}, has been cancelled by its organizer,{" "}
        {event.organizerName}.
      </P>
      {event.cancelReason ? <P>Their reason: {event.cancelReason}</P> : null}
      <P>{refund}</P>
      <Action href={links.event(event.id)}>See the event</Action>
    </Layout>
  );
  return { subject: `Cancelled: ${event.title}`, element };
}
