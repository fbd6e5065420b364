/**
 * What Boxoffice sends and hands out, rendered from the data an outbox row or a booking holds:
 * mails (HTML and plain text, with their attachments), ticket PDFs, calendar files and Wallet
 * passes. No database and no network: callers load the data and deliver the result.
 */
import type { AccountDueMail, DueMail, TicketDocument } from "@boxoffice/db";
import type { PassSigner } from "./pass.ts";

export { formatDay, formatInstant, formatMoney, spacedCode, zoneName } from "./format.ts";

/** A file sent with a mail. With `cid`, it is shown inline (`<img src="cid:...">`). */
export interface MailAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Uint8Array;
  readonly cid?: string;
}

/** A mail ready for a transport. */
export interface RenderedMail {
  /** The recipient's address, and their name for the To header. */
  readonly to: string;
  readonly toName: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly attachments: readonly MailAttachment[];
  /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post for broadcasts). */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The Message-ID, without angle brackets: the same for every attempt at one outbox row, so a
   * copy sent again after a crash is recognised by mail clients as the same message.
   */
  readonly messageId?: string;
}

export interface RenderOptions {
  /** Where links point: PUBLIC_ORIGIN, else the listen address. No trailing slash. */
  readonly origin: string;
  /**
   * Wallet passes for a booking's tickets when its organizer set up Apple Wallet; absent, or
   * an empty list: no passes.
   */
  readonly passesFor?: (mail: DueMail) => Promise<readonly MailAttachment[]>;
}

export type RenderableMail = DueMail | AccountDueMail;

export { DEFAULT_EVENT_MS, eventIcs } from "./ics.ts";
export type { PassSigner } from "./pass.ts";
export { sampleDocument, sampleMails, sampleOrigin } from "./samples.ts";

// React, the PDF and the Wallet libraries take about a second to import: loaded on first use,
// so a server's start (and a restart in an on-sale) never waits for them.

/** The mail for one outbox row, with its attachments and headers (render.ts). */
export async function renderMail(
  mail: RenderableMail,
  options: RenderOptions,
): Promise<RenderedMail> {
  return (await import("./render.ts")).renderMail(mail, options);
}

/** The booking's tickets as a PDF (pdf.ts). */
export async function ticketsPdf(doc: TicketDocument): Promise<Uint8Array> {
  return (await import("./pdf.ts")).ticketsPdf(doc);
}

/** One ticket's signed Wallet pass, a `.pkpass` zip (pass.ts). */
export async function ticketPass(
  doc: TicketDocument,
  ticketIndex: number,
  signer: PassSigner,
  origin: string,
): Promise<Uint8Array> {
  return (await import("./pass.ts")).ticketPass(doc, ticketIndex, signer, origin);
}
