/** `waitlist_offered`: tickets held for the reader until a deadline; the offer to accept. */
import type { DueMail, OutboxPayloads } from "@boxoffice/db";
import { Action, Facts, Layout, List, P } from "../components/layout.tsx";
import { formatInstant, formatMoney } from "../format.ts";
import { BuyerFooter, type Draft, type DraftContext, EventFacts } from "./shared.tsx";

export function waitlistOffered(
  mail: DueMail,
  p: OutboxPayloads["waitlist_offered"],
  { links }: DraftContext,
): Draft {
  const { event } = mail;
  const deadline = formatInstant(p.expiresAt, event.timezone);
  const seats = (p.seatIds ?? []).flatMap((id) => mail.seatLabels?.get(id) ?? []);
  const items =
    seats.length > 0
      ? seats
      : p.items.map((i) => `${i.quantity} × ${mail.ticketTypes.get(i.ticketTypeId) ?? "Ticket"}`);
  const total = p.totalCents === 0 ? "Free" : formatMoney(p.totalCents, p.currency);
  const element = (
    <Layout
      preview={`Held for you until ${deadline}. Confirm them before then.`}
      title={`Tickets for ${event.title} are held for you`}
      greeting={`Hello ${mail.recipient.name},`}
      footer={
        <BuyerFooter
          why={`you joined the waitlist for ${event.title}`}
          email={mail.recipient.email}
        />
      }
    >
      <P>Good news: tickets for {event.title} freed up and are held for you.</P>
      <EventFacts event={event} />
      <List items={items} />
      <Facts
        rows={[
          ["Total", total],
          ["Confirm before", deadline],
        ]}
      />
      <Action href={links.offer(p.holdId)}>Confirm your tickets</Action>
      <P>After {deadline} the offer passes to the next person in the queue.</P>
    </Layout>
  );
  return { subject: `Tickets for ${event.title} are held for you until ${deadline}`, element };
}
