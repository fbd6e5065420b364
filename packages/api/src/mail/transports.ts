/**
 * Where mail goes: `log` prints it (the default, for development), `smtp` hands it to an SMTP
 * server through nodemailer. A transport either resolves (the server accepted the message) or
 * throws, and the dispatcher retries.
 */
import type { RenderedMail as Mail, MailAttachment } from "@boxoffice/mail";
import { createTransport, type SendMailOptions } from "nodemailer";
import type { Logger } from "../logger.ts";

export interface MailConfig {
  readonly transport: "log" | "smtp";
  /** `smtp://user:pass@host:587` or `smtps://...`; required for `smtp`. */
  readonly smtpUrl: string | null;
  /** The From header, e.g. `Boxoffice <no-reply@example.org>`. */
  readonly from: string;
  /** Broadcast mails sent per minute at most (transactional mail is never held back). */
  readonly broadcastsPerMinute?: number;
}

export interface MailTransport {
  send(mail: Mail): Promise<void>;
  close(): void;
}

/** "tickets.pdf (12.3 kB)": what a log line says of an attachment, never its bytes. */
export function describeAttachment(a: MailAttachment): string {
  const size = a.content.byteLength;
  const amount = size < 1000 ? `${size} B` : `${(size / 1000).toFixed(1)} kB`;
  return `${a.filename} (${amount}${a.cid ? ", inline" : ""})`;
}

/** Prints each mail as one log line with its plain-text body; sends nothing. */
export function createLogTransport(logger: Logger, from: string): MailTransport {
  return {
    async send(mail) {
      logger.info("mail", {
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.attachments.length > 0
          ? { attachments: mail.attachments.map(describeAttachment) }
          : {}),
      });
    },
    close() {},
  };
}

/** What nodemailer is given for one mail: both bodies, every attachment, headers, Message-ID. */
export function nodemailerMessage(mail: Mail, from: string): SendMailOptions {
  return {
    from,
    to: { name: mail.toName, address: mail.to },
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    attachments: mail.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength),
      ...(a.cid ? { cid: a.cid, contentDisposition: "inline" as const } : {}),
    })),
    headers: { ...mail.headers },
    ...(mail.messageId ? { messageId: `<${mail.messageId}>` } : {}),
  };
}

export interface SmtpOptions {
  /** Connections kept open to the server; messages beyond them queue in nodemailer. */
  readonly maxConnections?: number;
  /** Bounds every phase of a send, so a dead server costs a retry, never a stuck dispatcher. */
  readonly timeoutMs?: number;
}

export function createSmtpTransport(
  url: string,
  from: string,
  options: SmtpOptions = {},
): MailTransport {
  const timeout = options.timeoutMs ?? 30_000;
  const transporter = createTransport({
    url,
    pool: true,
    maxConnections: options.maxConnections ?? 4,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    async send(mail) {
      await transporter.sendMail(nodemailerMessage(mail, from));
    },
    close() {
      transporter.close();
    },
  };
}

export function createMailTransport(config: MailConfig, logger: Logger): MailTransport {
  if (config.transport === "log") return createLogTransport(logger, config.from);
  if (!config.smtpUrl) throw new Error("MAIL_TRANSPORT=smtp needs SMTP_URL");
  return createSmtpTransport(config.smtpUrl, config.from);
}
