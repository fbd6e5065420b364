/**
 * Renders one outbox row: picks the mail's component by kind, renders its HTML and its plain
 * text with React Email, and attaches what it carries (QR codes, PDF, calendar file, passes).
 */
import { createHash } from "node:crypto";
import type { AccountDueMail, BookingMail, DueMail, TicketDocument } from "@boxoffice/db";
import { render, toPlainText } from "@react-email/render";
import { eventIcs } from "./ics.ts";
import type { MailAttachment, RenderableMail, RenderedMail, RenderOptions } from "./index.ts";
import { type Links, linksOf } from "./links.ts";
import { bookingCancelled } from "./mails/booking-cancelled.tsx";
import { bookingConfirmed } from "./mails/booking-confirmed.tsx";
import { broadcast } from "./mails/broadcast.tsx";
import { emailVerification } from "./mails/email-verification.tsx";
import { eventCancelled } from "./mails/event-cancelled.tsx";
import { passwordReset } from "./mails/password-reset.tsx";
import { refundFailed } from "./mails/refund-failed.tsx";
import { saleDigest } from "./mails/sale-digest.tsx";
import type { Draft, DraftContext } from "./mails/shared.tsx";
import { soldOut } from "./mails/sold-out.tsx";
import { waitlistGrowing } from "./mails/waitlist-growing.tsx";
import { waitlistJoined } from "./mails/waitlist-joined.tsx";
import { waitlistOfferExpired } from "./mails/waitlist-offer-expired.tsx";
import { waitlistOffered } from "./mails/waitlist-offered.tsx";
import { ticketsPdf } from "./pdf.ts";
import { qrPng } from "./qr.ts";

function eventDraft(mail: DueMail, ctx: DraftContext): Draft {
  const m = mail.message;
  switch (m.kind) {
    case "booking_confirmed":
      return bookingConfirmed(mail, m.payload, false, ctx);
    case "waitlist_auto_booked":
      return bookingConfirmed(mail, m.payload, true, ctx);
    case "booking_cancelled":
      return bookingCancelled(mail, m.payload, ctx);
    case "event_cancelled":
      return eventCancelled(mail, m.payload, ctx);
    case "waitlist_joined":
      return waitlistJoined(mail, m.payload, ctx);
    case "waitlist_offered":
      return waitlistOffered(mail, m.payload, ctx);
    case "waitlist_offer_expired":
      return waitlistOfferExpired(mail, m.payload, ctx);
    case "sale_digest":
      return saleDigest(mail, m.payload, ctx);
    case "sold_out":
      return soldOut(mail, m.payload, ctx);
    case "waitlist_growing":
      return waitlistGrowing(mail, m.payload, ctx);
    case "refund_failed":
      return refundFailed(mail, m.payload, ctx);
    case "broadcast":
      return broadcast(mail, m.payload, ctx);
  }
}

function accountDraft(mail: AccountDueMail, ctx: DraftContext): Draft {
  const m = mail.message;
  return m.kind === "password_reset"
    ? passwordReset(mail, m.payload, ctx)
    : emailVerification(mail, m.payload, ctx);
}

/** The booking a mail carries tickets of, or null. */
function bookingOf(mail: RenderableMail): BookingMail | null {
  if ("account" in mail) return null;
  const m = mail.message;
  return m.kind === "booking_confirmed" || m.kind === "waitlist_auto_booked" ? m.payload : null;
}

/**
 * The tickets as people read them. The dispatcher loads the booking's document; a row without
 * one (written before documents were loaded) is described from its own payload.
 */
function documentOf(mail: DueMail, booking: BookingMail): TicketDocument {
  if (mail.document) return mail.document;
  return {
    bookingId: booking.bookingId,
    status: "confirmed",
    buyerName: mail.recipient.name,
    buyerEmail: mail.recipient.email,
    totalCents: booking.totalCents,
    currency: booking.currency,
    createdAt: mail.createdAt,
    event: {
      ...mail.event,
      description: "",
      status: "published",
      organizerId: "",
    },
    tickets: booking.tickets.map((t) => ({
      code: t.code,
      ticketTypeName: mail.ticketTypes.get(t.ticketTypeId) ?? "Ticket",
      seatLabel: t.seatId === null ? null : (mail.seatLabels?.get(t.seatId) ?? null),
      attendeeName: null,
      checkedInAt: null,
      updatedAt: mail.createdAt,
    })),
  };
}

/** Content ids are ticket codes (capitals and digits): safe in a cid as they are. */
const qrCid = (code: string) => `qr-${code}@boxoffice`;

async function ticketAttachments(
  mail: DueMail,
  doc: TicketDocument,
  options: RenderOptions,
): Promise<MailAttachment[]> {
  const qr = await Promise.all(
    doc.tickets.map(async (t) => ({
      filename: `ticket-${t.code}.png`,
      contentType: "image/png",
      content: await qrPng(t.code),
      cid: qrCid(t.code),
    })),
  );
  const encoder = new TextEncoder();
  return [
    ...qr,
    { filename: "tickets.pdf", contentType: "application/pdf", content: await ticketsPdf(doc) },
    {
      filename: "event.ics",
      contentType: "text/calendar; charset=utf-8; method=PUBLISH",
      content: encoder.encode(eventIcs(doc, options.origin)),
    },
    ...((await options.passesFor?.(mail)) ?? []),
  ];
}

// Links read as `Label: URL` in the text part (just the URL when that is its label), headings
// keep their case, and images (QR codes) are left out.
interface TextElem {
  readonly attribs?: Record<string, string>;
  readonly children?: readonly { type?: string; data?: string }[];
}
interface TextBuilder {
  addInline(text: string, options?: { noWordTransform?: boolean }): void;
}
function labelledLink(
  elem: TextElem,
  walk: (nodes: unknown, builder: TextBuilder) => void,
  builder: TextBuilder,
): void {
  const href = elem.attribs?.href ?? "";
  const only = elem.children?.length === 1 ? elem.children[0] : undefined;
  if (only?.type === "text" && only.data?.trim() === href) {
    builder.addInline(href, { noWordTransform: true });
    return;
  }
  walk(elem.children, builder);
  if (href) builder.addInline(`: ${href}`, { noWordTransform: true });
}

const textOptions = {
  formatters: { labelledLink },
  selectors: [
    { selector: "a", format: "labelledLink" },
    // A fact reads "When: Sat, 20 Mar 2027, 19:30 CET" on one line.
    { selector: 'td[data-fact="label"]', format: "inline" },
    { selector: 'td[data-fact="value"]', format: "inline" },
    // A ticket's lines stay together, tickets apart.
    {
      selector: "p[data-ticket-line]",
      format: "block",
      options: { leadingLineBreaks: 1, trailingLineBreaks: 1 },
    },
    ...["h1", "h2", "h3"].map((selector) => ({
      selector,
      options: { uppercase: false, leadingLineBreaks: 1, trailingLineBreaks: 2 },
    })),
  ],
};

/**
 * The same for every attempt at one outbox row and different for any other row, on this
 * database or another (the row's creation time and recipient go into the hash with its id).
 */
export function messageIdOf(mail: RenderableMail, origin: string): string {
  let host = "localhost";
  try {
    host = new URL(origin).hostname || host;
  } catch {}
  const hash = createHash("sha256")
    .update(`${mail.id}\n${mail.createdAt}\n${mail.recipient.email}`)
    .digest("hex")
    .slice(0, 16);
  return `outbox-${mail.id}.${hash}@${host}`;
}

function unsubscribeHeaders(mail: RenderableMail, links: Links): Record<string, string> {
  if ("account" in mail || mail.message.kind !== "broadcast") return {};
  const token = mail.message.payload.unsubscribeToken;
  if (!token) return {};
  return {
    "List-Unsubscribe": `<${links.unsubscribe(token)}>, <${links.oneClickUnsubscribe(token)}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}

/** The mail for one outbox row, with its attachments and headers. */
export async function renderMail(
  mail: RenderableMail,
  options: RenderOptions,
): Promise<RenderedMail> {
  const links = linksOf(options.origin);
  const booking = bookingOf(mail);
  const doc = booking && !("account" in mail) ? documentOf(mail, booking) : null;
  const qr = new Map(doc?.tickets.map((t) => [t.code, `cid:${qrCid(t.code)}`]) ?? []);
  const ctx: DraftContext = { links, qr };
  const draft = "account" in mail ? accountDraft(mail, ctx) : eventDraft(mail, ctx);
  // Rendered once: the text part is made from the HTML (React Email's own conversion).
  const [html, attachments] = await Promise.all([
    render(draft.element),
    doc && !("account" in mail) ? ticketAttachments(mail, doc, options) : [],
  ]);
  const text = toPlainText(html, textOptions);
  return {
    to: mail.recipient.email,
    toName: mail.recipient.name,
    subject: draft.subject,
    html,
    text: `${text.trim()}\n`,
    attachments,
    headers: unsubscribeHeaders(mail, links),
    messageId: messageIdOf(mail, options.origin),
  };
}
