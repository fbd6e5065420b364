/** `sale_digest`: one event's sales on one day of its zone. */
import type { DueMail, OutboxPayloads } from "@boxoffice/db";
import { Action, Facts, Layout, P } from "../components/layout.tsx";
import { formatDay, formatMoney, plural } from "../format.ts";
import { OrganizerFooter } from "./organizer.tsx";
import type { Draft, DraftContext } from "./shared.tsx";

export function saleDigest(
  mail: DueMail,
  p: OutboxPayloads["sale_digest"],
  { links }: DraftContext,
): Draft {
  const { event } = mail;
  const day = formatDay(p.day);
  // Never added across currencies: one line each.
  const revenue =
    p.revenue.length === 0
      ? "None"
      : p.revenue.map((r) => formatMoney(r.cents, r.currency)).join(", ");
  const soFar =
    p.capacity === null
      ? p.totalSold.toLocaleString("en")
      : `${p.totalSold.toLocaleString("en")} of ${p.capacity.toLocaleString("en")}`;
  const element = (
    <Layout
      preview={`${plural(p.ticketsSold, "ticket")} sold, ${p.ticketsCancelled} cancelled on ${day}.`}
      title={`${event.title}: sales on ${day}`}
      greeting={`Hello ${mail.recipient.name},`}
      footer={<OrganizerFooter mail={mail} links={links} />}
    >
      <P>
        Here is how {event.title} sold on {day} ({event.timezone} time).
      </P>
      <Facts
        rows={[
          ["Tickets sold", String(p.ticketsSold)],
          ["Tickets cancelled", String(p.ticketsCancelled)],
          ["Revenue", revenue],
          ["Sold so far", soFar],
        ]}
      />
      <Action href={links.manage(event.id, "analytics")}>See the analytics</Action>
    </Layout>
  );
  return { subject: `${event.title}: ${plural(p.ticketsSold, "ticket")} sold on ${day}`, element };
}
