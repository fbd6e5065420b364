/**
 * A mail sink for browser tests: a real SMTP server (smtp-server from npm) on a random local port
 * that keeps the plain-text part of what it is given, so a test can read a mailed link and follow
 * it in Chromium. The server under test sends to it with MAIL_TRANSPORT=smtp.
 */
import { createServer } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
}

function decodeQuotedPrintable(body: string): string {
  const soft = body.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === "=" && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...new TextEncoder().encode(soft[i]));
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** The plain-text part of nodemailer's multipart/alternative message, decoded. */
function textOf(raw: string): { subject: string; text: string } {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const subject = /^subject: (.*)$/im.exec(head)?.[1] ?? "";
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(head)?.[1];
  const parts = boundary ? raw.split(`--${boundary}`).slice(1, -1) : [raw];
  for (const part of parts) {
    const at = part.indexOf("\r\n\r\n");
    const headers = part.slice(0, at);
    if (!/content-type:\s*text\/plain/i.test(headers)) continue;
    const body = part.slice(at + 4).replace(/\r\n$/, "");
    const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
    const text =
      encoding === "base64"
        ? Buffer.from(body, "base64").toString("utf8")
        : encoding === "quoted-printable"
          ? decodeQuotedPrintable(body)
          : body;
    return { subject, text: text.replace(/\r\n/g, "\n") };
  }
  return { subject, text: "" };
}

function freePort(): Promise<number> {
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
  private server: SMTPServer | null = null;
  port = 0;

  async start(): Promise<void> {
    this.port = await freePort();
    const server = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      closeTimeout: 1000,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          this.received.push({ to, ...textOf(Buffer.concat(chunks).toString("utf8")) });
          callback();
        });
      },
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

  /** Waits for the `nth` (1-based) mail to `address` whose subject matches, and returns it. */
  async waitFor(address: string, subject: RegExp, nth = 1, ms = 10_000): Promise<ReceivedMail> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.received.filter((m) => m.to.includes(address) && subject.test(m.subject));
      const mail = found[nth - 1];
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
  const match = new RegExp(`https?://\\S+${escaped}[a-z0-9]+`).exec(text);
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  return match[0];
}
