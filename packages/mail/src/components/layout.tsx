/**
 * The frame every mail shares: who it is from, a title, the message, its main action as a
 * button, and a footer saying why the reader gets it. Inline styles and tables only (what mail
 * clients render), one column of at most 560 px that narrows with the screen.
 */
import {
  Body,
  Button,
  Column,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Img,
  Link,
  Preview,
  Row,
  Section,
  Text,
} from "@react-email/components";
import type { CSSProperties, ReactNode } from "react";
import { spacedCode } from "../format.ts";

const ink = "#1f2933";
const muted = "#52606d";
const accent = "#1d4ed8";
const font = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

const s = {
  body: { backgroundColor: "#f4f5f7", margin: 0, padding: "24px 0", fontFamily: font },
  container: { maxWidth: "560px", width: "100%", margin: "0 auto", padding: "0 12px" },
  from: { color: muted, fontSize: "14px", fontWeight: 600, margin: "0 0 12px 4px" },
  card: {
    backgroundColor: "#ffffff",
    borderRadius: "8px",
    border: "1px solid #e4e7eb",
    padding: "24px",
  },
  h1: { color: ink, fontSize: "22px", lineHeight: "30px", margin: "0 0 16px" },
  p: { color: ink, fontSize: "16px", lineHeight: "24px", margin: "0 0 16px" },
  small: { color: muted, fontSize: "13px", lineHeight: "20px", margin: "0 0 8px" },
  button: {
    backgroundColor: accent,
    borderRadius: "6px",
    color: "#ffffff",
    fontSize: "16px",
    fontWeight: 600,
    padding: "12px 20px",
    textDecoration: "none",
  },
  link: { color: accent, textDecoration: "underline" },
  label: { color: muted, fontSize: "14px", lineHeight: "22px", width: "40%", verticalAlign: "top" },
  value: { color: ink, fontSize: "15px", lineHeight: "22px", verticalAlign: "top" },
  code: {
    fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
    fontSize: "15px",
    letterSpacing: "1px",
    // Grouped by four: a narrow screen breaks it between groups, never inside one.
  },
} satisfies Record<string, CSSProperties>;

export interface LayoutProps {
  /** Shown by mail clients beside the subject; never in the body. */
  readonly preview: string;
  readonly title: string;
  /** Who writes: Boxoffice, or the organizer by name for a broadcast. */
  readonly from?: string;
  readonly greeting?: string;
  readonly children: ReactNode;
  /** Why the reader gets this mail, and what they can do about it. */
  readonly footer: ReactNode;
}

export function Layout({ preview, title, from, greeting, children, footer }: LayoutProps) {
  return (
    <Html lang="en">
      <Head>
        <meta name="color-scheme" content="light only" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
      </Head>
      <Preview>{preview}</Preview>
      <Body style={s.body}>
        <Container style={s.container}>
          <Text style={s.from}>{from ?? "Boxoffice"}</Text>
          <Section style={s.card}>
            <Heading as="h1" style={s.h1}>
              {title}
            </Heading>
            {greeting ? <P>{greeting}</P> : null}
            {children}
          </Section>
          <Section style={{ padding: "16px 4px 0" }}>{footer}</Section>
        </Container>
      </Body>
    </Html>
  );
}

export const P = ({ children }: { children: ReactNode }) => <Text style={s.p}>{children}</Text>;

export const Small = ({ children }: { children: ReactNode }) => (
  <Text style={s.small}>{children}</Text>
);

/** The mail's main action. In the text part: `Label: URL`. */
export const Action = ({ href, children }: { href: string; children: string }) => (
  <Section style={{ margin: "8px 0 24px" }}>
    <Button href={href} style={s.button}>
      {children}
    </Button>
  </Section>
);

/** A further link on a line of its own. */
export const LinkLine = ({ href, children }: { href: string; children: string }) => (
  <Text style={s.p}>
    <Link href={href} style={s.link}>
      {children}
    </Link>
  </Text>
);

export const FooterLink = ({ href, children }: { href: string; children: string }) => (
  <Link href={href} style={{ color: muted, textDecoration: "underline" }}>
    {children}
  </Link>
);

/** Label and value pairs (when, where, total). */
export function Facts({ rows }: { rows: readonly (readonly [string, ReactNode] | null)[] }) {
  return (
    <Section style={{ margin: "0 0 16px" }}>
      {rows.map((row) =>
        row ? (
          <Row key={row[0]}>
            <Column style={s.label} data-fact="label">
              {row[0]}:{" "}
            </Column>
            <Column style={s.value} data-fact="value">
              {row[1]}
            </Column>
          </Row>
        ) : null,
      )}
    </Section>
  );
}

/** A list of short lines (held seats, figures). */
export const List = ({ items }: { items: readonly string[] }) => (
  <ul style={{ color: ink, fontSize: "16px", lineHeight: "24px", margin: "0 0 16px" }}>
    {items.map((item) => (
      <li key={item}>{item}</li>
    ))}
  </ul>
);

export interface TicketLine {
  readonly code: string;
  readonly what: string;
  readonly seat: string | null;
  readonly attendee: string | null;
  /** `cid:` of its QR code image, when one is attached. */
  readonly qrSrc: string | null;
}

/** Each ticket: its QR code beside its type, seat, attendee and code. */
export function Tickets({ tickets }: { tickets: readonly TicketLine[] }) {
  return (
    <Section style={{ margin: "0 0 16px" }}>
      {tickets.map((t) => (
        <Row key={t.code} style={{ borderTop: "1px solid #e4e7eb" }}>
          {t.qrSrc ? (
            <Column style={{ width: "132px", padding: "12px 12px 12px 0", verticalAlign: "top" }}>
              <Img
                src={t.qrSrc}
                width="120"
                height="120"
                alt={`QR code of ticket ${spacedCode(t.code)}`}
              />
            </Column>
          ) : null}
          <Column style={{ padding: "12px 0", verticalAlign: "top" }}>
            {/* A seat's label starts with its section, which is its type: said once. */}
            <Text style={{ ...s.p, margin: 0, fontWeight: 600 }} data-ticket-line>
              {t.seat ?? t.what}
            </Text>
            {t.seat && !t.seat.startsWith(t.what) ? (
              <Text style={{ ...s.p, margin: 0 }} data-ticket-line>
                {t.what}
              </Text>
            ) : null}
            {t.attendee ? (
              <Text style={{ ...s.p, margin: 0 }} data-ticket-line>
                For {t.attendee}
              </Text>
            ) : null}
            <Text style={{ ...s.p, margin: "4px 0 0" }} data-ticket-line>
              Code: <span style={s.code}>{spacedCode(t.code)}</span>
            </Text>
          </Column>
        </Row>
      ))}
    </Section>
  );
}

export const Divider = () => <Hr style={{ borderColor: "#e4e7eb", margin: "8px 0 16px" }} />;
