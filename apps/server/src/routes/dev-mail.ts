/**
 * The mail preview (development only, `bun run dev`): every kind of mail rendered from sample
 * data, as HTML and as plain text, with its attachments listed.
 */
import {
  type MailAttachment,
  type RenderedMail,
  renderMail,
  sampleMails,
  sampleOrigin,
} from "@boxoffice/mail";
import { Hono } from "hono";
import type { AppEnv } from "../app.ts";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * A mail's HTML shown as its reader's client would: its inline styles allowed (the app's own
 * policy forbids them), nothing else loaded but its own attachments.
 */
const MAIL_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";
const PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const preview = (kind: string) => `/dev/mail/${encodeURIComponent(kind)}`;

/** A kind's sample, rendered as the dispatcher renders it (no Wallet set-up: no passes). */
async function rendered(kind: string): Promise<RenderedMail | null> {
  const mail = sampleMails[kind];
  if (!mail) return null;
  return renderMail(mail, { origin: sampleOrigin });
}

function indexPage(rows: { kind: string; mail: RenderedMail }[]): string {
  const items = rows
    .map(({ kind, mail }) => {
      const files = mail.attachments
        .map(
          (a) =>
            `<a href="${preview(kind)}/files/${encodeURIComponent(a.filename)}">${escapeHtml(a.filename)}</a>`,
        )
        .join(", ");
      return `<li><strong>${escapeHtml(kind)}</strong>: ${escapeHtml(mail.subject)}<br>
        <a href="${preview(kind)}.html">HTML</a> · <a href="${preview(kind)}.txt">Text</a>
        ${files ? `<br>Attachments: ${files}` : ""}</li>`;
    })
    .join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mail preview — Boxoffice</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:760px;margin:2rem auto;padding:0 1rem;color:#1f2933}
li{margin:0 0 1rem}a{color:#1d4ed8}</style></head><body>
<h1>Mail preview</h1>
<p>Every kind of mail Boxoffice sends, rendered from sample data (a seated concert in Berlin,
a guest's order of two named tickets) as its reader gets it. Links point to ${escapeHtml(sampleOrigin)}.</p>
<ul>${items}</ul></body></html>`;
}

/** Inline images (`cid:`) point at the attachment's download instead. */
const withFiles = (kind: string, mail: RenderedMail) =>
  mail.attachments.reduce(
    (html, a) =>
      a.cid
        ? html.replaceAll(
            `cid:${a.cid}`,
            `${preview(kind)}/files/${encodeURIComponent(a.filename)}`,
          )
        : html,
    mail.html,
  );

const download = (a: MailAttachment) => ({
  "Content-Type": a.contentType,
  "Content-Disposition": `inline; filename="${a.filename.replace(/[^\w.-]/g, "_")}"`,
  "Cache-Control": "no-store",
});

export function devMailRoute() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const rows = await Promise.all(
      Object.keys(sampleMails).map(async (kind) => ({
        kind,
        mail: (await rendered(kind)) as RenderedMail,
      })),
    );
    c.header("Content-Security-Policy", PAGE_POLICY);
    return c.html(indexPage(rows));
  });

  app.get("/:file{[a-z_]+\\.(html|txt)}", async (c) => {
    const file = c.req.param("file");
    const kind = file.replace(/\.(html|txt)$/, "");
    const mail = await rendered(kind);
    if (!mail) return c.json({ error: "No such kind of mail" }, 404);
    if (file.endsWith(".txt")) {
      return c.text(`Subject: ${mail.subject}\n\n${mail.text}`, 200, {
        "Cache-Control": "no-store",
      });
    }
    c.header("Content-Security-Policy", MAIL_POLICY);
    c.header("X-Frame-Options", "SAMEORIGIN");
    return c.html(withFiles(kind, mail));
  });

  app.get("/:kind/files/:filename", async (c) => {
    const mail = await rendered(c.req.param("kind"));
    const file = mail?.attachments.find((a) => a.filename === c.req.param("filename"));
    if (!file) return c.json({ error: "No such attachment" }, 404);
    return c.body(new Uint8Array(file.content), 200, download(file));
  });

  return app;
}
