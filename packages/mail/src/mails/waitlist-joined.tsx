/** `waitlist_joined`: on the waitlist, at this place. */
import type { DueMail, OutboxPayloads } from "@boxoffice/db";
import { Action, Facts, Layout, P } from "../components/layout.tsx";
import { plural } from "../format.ts";
import { BuyerFooter, type Draft, type DraftContext, EventFacts } from "./shared.tsx";

export function waitlistJoined(
  mail: DueMail,
  p: OutboxPayloads["waitlist_joined"],
  { links }: DraftContext,
): Draft {
  const { event } = mail;
  const type = p.ticketTypeId ? ` (${mail.ticketTypes.get(p.ticketTypeId) ?? "ticket"})` : "";
  const element = (
    <Layout
      preview="Tickets that free up go to the queue in order. We will write when it is your turn."
      title={`You are on the waitlist for ${event.title}`}
      greeting={`Hello ${mail.recipient.name},`}
      footer={
        <BuyerFooter
          why={`you joined the waitlist for ${event.title}`}
          email={mail.recipient.email}
        />
      }
    >
      <P>
        You are on the waitlist for {event.title} for {plural(p.quantity, "ticket")}
        {type}.
      </P>
      <EventFacts event={event} />
      {mail.waitlistPosition ? (
        <Facts rows={[["Your place", String(mail.waitlistPosition)]]} />
      ) : null}
      <P>Tickets that free up go to the queue in order. We will write when it is your turn.</P>
      <Action href={links.event(event.id)}>See the event</Action>
    </Layout>
  );
  return { subject: `You are on the waitlist for ${event.title}`, element };
}
