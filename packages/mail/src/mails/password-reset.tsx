/** `password_reset`: the single-use link, how long it works, and what to do if it was not you. */
import type { AccountDueMail, AccountMailPayloads } from "@boxoffice/db";
import { Action, Layout, LinkLine, P, Small } from "../components/layout.tsx";
import { formatInstant } from "../format.ts";
import type { Draft, DraftContext } from "./shared.tsx";

export function passwordReset(
  mail: AccountDueMail,
  p: AccountMailPayloads["password_reset"],
  { links }: DraftContext,
): Draft {
  const until = formatInstant(p.expiresAt, "UTC");
  const element = (
    <Layout
      preview="Choose a new password. The link works once, for an hour."
      title="Reset your password"
      greeting={`Hello ${mail.recipient.name},`}
      footer={
        <Small>
          You get this mail because someone asked to reset the password of the Boxoffice account of{" "}
          {mail.recipient.email}.
        </Small>
      }
    >
      <P>
        Someone (we hope you) asked to reset the password of your Boxoffice account. Choose a new
        one here:
      </P>
      <Action href={p.link}>Choose a new password</Action>
      <P>
        The link works once, for an hour (until {until}). Resetting signs you out everywhere else.
      </P>
      <P>If you did not ask for this, ignore this mail: your password stays as it is.</P>
      <LinkLine href={links.account}>Your account</LinkLine>
    </Layout>
  );
  return { subject: "Reset your Boxoffice password", element };
}
