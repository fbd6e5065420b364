/** `waitlist_growing`: the people waiting crossed a threshold. */
import type { DueMail, OutboxPayloads } from "@boxoffice/db";
import { Action, Layout, P } from "../components/layout.tsx";
import { plural } from "../format.ts";
import { OrganizerFooter } from "./organizer.tsx";
import type { Draft, DraftContext } from "./shared.tsx";

export function waitlistGrowing(
  mail: DueMail,
  p: OutboxPayloads["waitlist_growing"],
  { links }: DraftContext,
): Draft {
  const { event } = mail;
  const people = plural(p.waiting, "person").replace("persons", "people");
  const element = (
    <Layout
      preview={`${people} are waiting for tickets.`}
      title={`The waitlist for ${event.title} is growing`}
      greeting={`Hello ${mail.recipient.name},`}
      footer={<OrganizerFooter mail={mail} links={links} />}
    >
      <P>
        {people} {p.waiting === 1 ? "is" : "are"} now on the waitlist for {event.title} (more than{" "}
        {p.threshold.toLocaleString("en")}). If you can add capacity, tickets you add go to them in
        order.
      </P>
      <Action href={links.manage(event.id, "waitlist")}>See the waitlist</Action>
    </Layout>
  );
  return {
    subject: `${event.title}: ${p.waiting.toLocaleString("en")} waiting for tickets`,
    element,
  };
}
