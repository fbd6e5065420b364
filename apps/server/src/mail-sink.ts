/**
 * A mail sink for tests: a real SMTP server (smtp-server from npm) on a local port, without TLS,
 * keeping each message as mailparser reads it. The server under test sends to it with
 * MAIL_TRANSPORT=smtp. Tests only (through the `./testing` export), never the app.
 */
import { createServer } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** An attachment as mailparser read it. */
export interface ReceivedAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Buffer;
  /** The Content-ID, without angle brackets, of an inline part (a QR code). */
  readonly cid: string | null;
}

export interface ReceivedMail {
  /** The envelope's recipients. */
  readonly to: string[];
  readonly subject: string;
  /** The plain-text part, with `\n` line ends. */
  readonly text: string;
  readonly html: string;
  /** The Message-ID header as sent, angle brackets included. */
  readonly messageId: string;
  readonly attachments: readonly ReceivedAttachment[];
  /** Every header, by lower-case name, as text. */
  readonly headers: ReadonlyMap<string, string>;
  /** When the sink accepted it (ms). */
  readonly receivedAt: number;
}

/** A header's value as text: mailparser parses some (addresses, List-*) into objects. */
function headerText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === "object" && "text" in value) return String(value.text);
  return JSON.stringify(value);
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export class MailSink {
  readonly received: ReceivedMail[] = [];
  /** RCPT TO answers `451` this many more times: a server that is up but not accepting. */
  rejectNext = 0;
  private server: SMTPServer | null = null;

  /** `port`: where to listen; by default a free port picked by `start()`. */
  constructor(public port = 0) {}

  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    const server = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      closeTimeout: 1000,
      onRcptTo: (_address, _session, callback) => {
        if (this.rejectNext <= 0) return callback();
        this.rejectNext -= 1;
        callback(Object.assign(new Error("Try again later"), { responseCode: 451 }));
      },
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            const headers = new Map<string, string>();
            for (const line of mail.headerLines) {
              // Unfolded: long headers (List-Unsubscribe) come over several lines.
              const value = line.line.slice(line.line.indexOf(":") + 1);
              headers.set(line.key, value.replace(/\r?\n[ \t]+/g, " ").trim());
            }
            for (const [key, value] of mail.headers) {
              if (!headers.has(key)) headers.set(key, headerText(value));
            }
            this.received.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: mail.subject ?? "",
              text: (mail.text ?? "").replace(/\r\n/g, "\n"),
              html: mail.html || "",
              messageId: mail.messageId ?? "",
              attachments: mail.attachments.map((a) => ({
                filename: a.filename ?? "",
                contentType: a.contentType,
                content: a.content,
                cid: a.cid ?? null,
              })),
              headers,
              receivedAt: Date.now(),
            });
            callback();
          })
          .catch(callback);
      },
    });
    // A sender killed mid-message (the kill -9 tests) resets its connection: smtp-server reports
    // that as an 'error' event, which with no listener would throw out of the test process. The
    // message it was sending is simply not received, which is what those tests look at.
    server.on("error", (error: Error & { code?: string }) => {
      if (error.code !== "ECONNRESET" && error.code !== "EPIPE") throw error;
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", () => resolve()));
  }

  /** The server settings that send mail here. */
  get env(): Record<string, string> {
    return {
      MAIL_TRANSPORT: "smtp",
      SMTP_URL: `smtp://127.0.0.1:${this.port}`,
      MAIL_FROM: "Boxoffice <tickets@example.test>",
    };
  }

  /** The mails to `address`, in the order they came. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.to.includes(address));
  }

  /** Waits for the `nth` (1-based) mail to `address` whose subject matches, and returns it. */
  async waitFor(address: string, subject: RegExp, nth = 1, ms = 10_000): Promise<ReceivedMail> {
    const deadline = Date.now() + ms;
    for (;;) {
      const mail = this.to(address).filter((m) => subject.test(m.subject))[nth - 1];
      if (mail) return mail;
      if (Date.now() > deadline) throw new Error(`no mail ${subject} to ${address} in time`);
      await Bun.sleep(25);
    }
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

/** The first link in `text` to `path` ("/reset-password/"), with its token. */
export function linkIn(text: string, path: string): string {
  const escaped = path.replace(/[/]/g, "\\/");
  // A token, or a split one (an order's: its booking's id, a dot, the secret).
  const match = new RegExp(`https?://\\S+${escaped}[a-z0-9_]+(?:\\.[a-z0-9]+)?`).exec(text);
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  return match[0];
}
