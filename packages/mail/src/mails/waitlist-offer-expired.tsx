/** `waitlist_offer_expired`: the offer passed to the next person. */
import type { DueMail, OutboxPayloads } from "@boxoffice/db";
import { Action, Layout, P } from "../components/layout.tsx";
import { BuyerFooter, type Draft, type DraftContext, EventFacts } from "./shared.tsx";

export function waitlistOfferExpired(
  mail: DueMail,
  _p: OutboxPayloads["waitlist_offer_expired"],
  { links }: DraftContext,
): Draft {
  const { event } = mail;
  const element = (
    <Layout
      preview="The tickets held for you were not confirmed in time."
      title={`Your offer for ${event.title} has expired`}
      greeting={`Hello ${mail.recipient.name},`}
      footer={
        <BuyerFooter
          why={`you joined the waitlist for ${event.title}`}
          email={mail.recipient.email}
        />
      }
    >
      <P>
        The tickets held for you for {event.title} were not confirmed in time, so they passed to the
        next person on the waitlist.
      </P>
      <EventFacts event={event} />
      <P>If tickets are still on sale, or the waitlist is open, you can try again.</P>
      <Action href={links.event(event.id)}>See the event</Action>
    </Layout>
  );
  return { subject: `Your offer for ${event.title} has expired`, element };
}
