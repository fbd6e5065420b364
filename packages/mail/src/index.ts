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

type RenderReply =
  | { readonly id: number; readonly rendered: RenderedMail }
  | { readonly id: number; readonly error: string };

/**
 * Renders mail on a thread of its own (a Worker, started at the first mail), at the lowest CPU
 * priority on Linux (priority.ts): the server's thread neither loads React and pdf-lib nor spends
 * the milliseconds a confirmation's QR codes and PDF cost, and the cores go to requests and
 * commits first, so requests are never held up behind a mail. Wallet passes (which read the
 * database) are made here, after the rest. Falls back to rendering in this thread if no worker
 * starts.
 */
export class MailRenderer {
  private worker: Worker | null = null;
  private next = 1;
  private readonly pending = new Map<
    number,
    { resolve: (mail: RenderedMail) => void; reject: (error: Error) => void }
  >();

  async render(mail: RenderableMail, options: RenderOptions): Promise<RenderedMail> {
    const { passesFor, ...rest } = options;
    const rendered = await Promise.resolve()
      .then(() => this.inWorker(mail, rest.origin))
      .catch((error: unknown) => {
        if (error instanceof RenderError) throw error;
        // No worker here: render in this thread.
        return renderMail(mail, rest);
      });
    if (!passesFor || "account" in mail) return rendered;
    const passes = await passesFor(mail);
    return passes.length > 0
      ? { ...rendered, attachments: [...rendered.attachments, ...passes] }
      : rendered;
  }

  /** Ends the thread; mails being rendered fail (their rows stay pending). */
  close(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const { reject } of this.pending.values()) reject(new RenderError("renderer closed"));
    this.pending.clear();
  }

  private inWorker(mail: RenderableMail, origin: string): Promise<RenderedMail> {
    const worker = this.started();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, mail, origin });
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL("./render-worker.ts", import.meta.url).href);
    // Bun's workers can be unref'd: an idle renderer never keeps a stopping process alive.
    (worker as Worker & { unref?: () => void }).unref?.();
    worker.onmessage = (event: MessageEvent<RenderReply>) => {
      const reply = event.data;
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!waiting) return;
      if ("error" in reply) waiting.reject(new RenderError(reply.error));
      else waiting.resolve(reply.rendered);
    };
    worker.onerror = (event) => {
      // The thread died: what it was rendering fails (and is retried); the next mail starts anew.
      this.worker = null;
      const error = new RenderError(event.message || "the mail renderer stopped");
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    };
    this.worker = worker;
    return worker;
  }
}

/** A mail that could not be rendered (its template threw): the dispatcher's retry handles it. */
export class RenderError extends Error {
  override readonly name = "RenderError";
}
