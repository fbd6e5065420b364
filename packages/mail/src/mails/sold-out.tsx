/** `sold_out`: confirmed tickets reached what can be sold. */
import type { DueMail, OutboxPayloads } from "@boxoffice/db";
import { Action, Facts, Layout, P } from "../components/layout.tsx";
import { formatInstant } from "../format.ts";
import { OrganizerFooter } from "./organizer.tsx";
import type { Draft, DraftContext } from "./shared.tsx";

export function soldOut(
  mail: DueMail,
  p: OutboxPayloads["sold_out"],
  { links }: DraftContext,
): Draft {
  const { event } = mail;
  const element = (
    <Layout
      preview={`All ${p.ticketsSold.toLocaleString("en")} tickets are sold.`}
      title={`${event.title} is sold out`}
      greeting={`Hello ${mail.recipient.name},`}
      footer={<OrganizerFooter mail={mail} links={links} />}
    >
      <P>Congratulations: every ticket for {event.title} is sold.</P>
      <Facts
        rows={[
          ["Tickets sold", p.ticketsSold.toLocaleString("en")],
          ["Sold out at", formatInstant(p.at, event.timezone)],
          ["Event", formatInstant(event.startsAt, event.timezone)],
        ]}
      />
      <P>Tickets that are cancelled go back on sale (or to the waitlist, if it is on).</P>
      <Action href={links.manage(event.id)}>Open the event</Action>
    </Layout>
  );
  return { subject: `Sold out: ${event.title}`, element };
}
