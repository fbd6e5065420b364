/**
 * The mail preview's route (MAIL_PREVIEW=1 only): each kind's HTML under a policy of its own
 * that lets a mail's inline styles through, and nothing of it on a server without the setting.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startTestServer, type TestServer } from "./testing.ts";

let preview: TestServer;
let plain: TestServer;

beforeAll(async () => {
  [preview, plain] = await Promise.all([startTestServer({ MAIL_PREVIEW: "1" }), startTestServer()]);
});

afterAll(async () => {
  await Promise.all([preview.stop(), plain.stop()]);
});

describe("/dev/mail", () => {
  it("does not exist unless MAIL_PREVIEW=1", async () => {
    expect((await fetch(`${plain.url}/dev/mail`)).status).toBe(404);
    expect((await fetch(`${plain.url}/dev/mail/booking_confirmed.html`)).status).toBe(404);
  });

  it("serves each mail's HTML with inline styles allowed, and nothing loaded from elsewhere", async () => {
    const response = await fetch(`${preview.url}/dev/mail/booking_confirmed.html`);
    expect(response.status).toBe(200);
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("style-src 'unsafe-inline'");
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toContain("script-src");
    const html = await response.text();
    // Inline images point at the preview's own attachment downloads, not cid:.
    expect(html).not.toContain("cid:");
    expect(html).toContain(
      'src="/dev/mail/booking_confirmed/files/ticket-K7PQM4XD9RWTH3VN8ZBE.png"',
    );
  });

  it("keeps the app's own policy everywhere else", async () => {
    const response = await fetch(`${preview.url}/healthz`);
    expect(response.headers.get("content-security-policy")).toContain("style-src 'self'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });

  it("answers 404 for an unknown kind or attachment", async () => {
    expect((await fetch(`${preview.url}/dev/mail/nothing.html`)).status).toBe(404);
    const file = await fetch(`${preview.url}/dev/mail/booking_confirmed/files/secrets.txt`);
    expect(file.status).toBe(404);
  });
});
