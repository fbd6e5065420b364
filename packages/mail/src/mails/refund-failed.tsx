/** `refund_failed`: a refund's first attempt failed; it is retried, but someone should look. */
import type { DueMail, OutboxPayloads } from "@boxoffice/db";
import { Action, Facts, Layout, P } from "../components/layout.tsx";
import { formatMoney } from "../format.ts";
import { OrganizerFooter } from "./organizer.tsx";
import type { Draft, DraftContext } from "./shared.tsx";

export function refundFailed(
  mail: DueMail,
  p: OutboxPayloads["refund_failed"],
  { links }: DraftContext,
): Draft {
  const { event } = mail;
  const amount = formatMoney(p.amountCents, p.currency);
  const element = (
    <Layout
      preview={`${amount} to ${p.buyerName} could not be refunded yet.`}
      title={`A refund for ${event.title} failed`}
      greeting={`Hello ${mail.recipient.name},`}
      footer={<OrganizerFooter mail={mail} links={links} />}
    >
      <P>
        A refund for a cancelled booking of {event.title} failed at the payment provider. It is
        tried again automatically; if the provider keeps refusing, refund the buyer yourself.
      </P>
      <Facts
        rows={[
          ["Buyer", `${p.buyerName} (${p.buyerEmail})`],
          ["Amount", amount],
          ["Provider's answer", p.error],
        ]}
      />
      <Action href={links.manage(event.id, "attendees")}>See the attendees</Action>
    </Layout>
  );
  return { subject: `Refund failed: ${amount} for ${event.title}`, element };
}
