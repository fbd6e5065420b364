/** `email_verification`: the link that proves the address is the reader's. */
import type { AccountDueMail, AccountMailPayloads } from "@boxoffice/db";
import { Action, Layout, LinkLine, P, Small } from "../components/layout.tsx";
import { formatInstant } from "../format.ts";
import type { Draft, DraftContext } from "./shared.tsx";

export function emailVerification(
  mail: AccountDueMail,
  p: AccountMailPayloads["email_verification"],
  { links }: DraftContext,
): Draft {
  const until = formatInstant(p.expiresAt, "UTC");
  const element = (
    <Layout
      preview={`Confirm that ${p.email} is your address.`}
      title="Confirm your email address"
      greeting={`Hello ${mail.recipient.name},`}
      footer={
        <Small>
          You get this mail because someone asked to verify {p.email} for a Boxoffice account.
        </Small>
      }
    >
      <P>Please confirm that {p.email} is your address by opening this link:</P>
      <Action href={p.link}>Confirm my address</Action>
      <P>
        The link works for a day (until {until}). Once confirmed, orders you made as a guest with
        this address appear in My bookings. If you did not ask for this, ignore this mail.
      </P>
      <LinkLine href={links.account}>Your account</LinkLine>
    </Layout>
  );
  return { subject: "Confirm your email address for Boxoffice", element };
}
