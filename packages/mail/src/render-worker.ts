/**
 * The renderer's thread (see `MailRenderer` in index.ts): renders the mails it is sent, so that
 * React, the PDF and the QR codes never take the server's own thread, at the lowest priority
 * (priority.ts), so that they take a core only when requests and commits leave one. Wallet
 * passes are not made here (they need the database): the caller adds them.
 */
import type { RenderableMail } from "./index.ts";
import { lowerThisThreadsPriority } from "./priority.ts";
import { renderMail } from "./render.ts";

declare const self: Worker;

lowerThisThreadsPriority();

export interface RenderRequest {
  readonly id: number;
  readonly mail: RenderableMail;
  readonly origin: string;
}

self.onmessage = async (event: MessageEvent<RenderRequest>) => {
  const { id, mail, origin } = event.data;
  try {
    const rendered = await renderMail(mail, { origin });
    self.postMessage(
      { id, rendered },
      rendered.attachments.map((a) => a.content.buffer as ArrayBuffer),
    );
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
