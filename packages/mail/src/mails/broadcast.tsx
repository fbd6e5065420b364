/** `broadcast`: an organizer's message to an attendee, with a way to stop them. */
import type { DueMail, OutboxPayloads } from "@boxoffice/db";
import { Link, Text } from "@react-email/components";
import { FooterLink, Layout, Small } from "../components/layout.tsx";
import type { Draft, DraftContext } from "./shared.tsx";

const URL_PATTERN = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'])/g;

/** A paragraph of the organizer's text: line breaks kept, URLs as links. */
function Paragraph({ text }: { text: string }) {
  const lines = text.split("\n");
  return (
    <Text style={{ color: "#1f2933", fontSize: "16px", lineHeight: "24px", margin: "0 0 16px" }}>
      {lines.map((line, i) => (
        <span key={i}>
          {i > 0 ? <br /> : null}
          {line.split(URL_PATTERN).map((part, j) =>
            j % 2 === 1 ? (
              <Link key={j} href={part} style={{ color: "#1d4ed8" }}>
                {part}
              </Link>
            ) : (
              part
            ),
          )}
        </span>
      ))}
    </Text>
  );
}

/** Paragraphs: split at blank lines. */
export const paragraphsOf = (body: string): string[] =>
  body
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n+/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);

export function broadcast(
  mail: DueMail,
  p: OutboxPayloads["broadcast"],
  { links }: DraftContext,
): Draft {
  const { event } = mail;
  const message = mail.broadcast ?? { subject: `News about ${event.title}`, body: "" };
  const organizer = event.organizerName;
  const element = (
    <Layout
      preview={paragraphsOf(message.body)[0]?.slice(0, 140) ?? message.subject}
      title={message.subject}
      from={`${organizer}, about ${event.title}`}
      footer={
        <>
          <Small>
            {organizer} sent you this message through Boxoffice because you have tickets for{" "}
            {event.title}.
          </Small>
          {p.unsubscribeToken ? (
            <Small>
              No more messages like this from {organizer}?{" "}
              <FooterLink href={links.unsubscribe(p.unsubscribeToken)}>Unsubscribe</FooterLink>.
              Mails about your tickets still come.
            </Small>
          ) : null}
        </>
      }
    >
      {paragraphsOf(message.body).map((text, i) => (
        <Paragraph key={i} text={text} />
      ))}
      <Small>
        <FooterLink href={links.event(event.id)}>{event.title}</FooterLink>
      </Small>
    </Layout>
  );
  return { subject: message.subject, element };
}
