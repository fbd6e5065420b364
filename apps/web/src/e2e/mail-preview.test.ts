/**
 * The mail preview (`bun run dev`, MAIL_PREVIEW=1) in real Chromium: every kind of mail listed,
 * each one's HTML shown with its styles and inline QR codes (its own Content-Security-Policy
 * lets the mail's inline styles through, and nothing else), its text part and its attachments.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { expectNoConsoleErrors, type Harness, startHarness } from "./harness.ts";

const KINDS = [
  "booking_confirmed",
  "waitlist_auto_booked",
  "booking_cancelled",
  "event_cancelled",
  "waitlist_joined",
  "waitlist_offered",
  "waitlist_offer_expired",
  "sale_digest",
  "sold_out",
  "waitlist_growing",
  "refund_failed",
  "broadcast",
  "password_reset",
  "email_verification",
];

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ MAIL_PREVIEW: "1" });
});

afterAll(async () => {
  await h?.close();
});

describe("the mail preview", () => {
  it("lists every kind of mail with its HTML, its text and its attachments", async () => {
    const tab = await h.open({ width: 390, height: 844 });
    await tab.page.goto("/dev/mail");
    await tab.page.getByRole("heading", { name: "Mail preview" }).waitFor();
    for (const kind of KINDS) {
      await tab.page.getByText(kind, { exact: true }).waitFor();
    }
    expect(await tab.page.getByRole("link", { name: "HTML" }).count()).toBe(KINDS.length);
    expect(await tab.page.getByRole("link", { name: "tickets.pdf" }).count()).toBe(2);
    expectNoConsoleErrors(tab);
  });

  it("shows a confirmation as a reader sees it at phone width: styled, QR codes loaded, a button", async () => {
    const tab = await h.open({ width: 390, height: 844 });
    await tab.page.goto("/dev/mail");
    await tab.page.getByRole("link", { name: "HTML" }).first().click();
    await tab.page.waitForURL("**/dev/mail/booking_confirmed.html");
    const heading = tab.page.getByRole("heading", { level: 1 });
    await expect(heading.textContent()).resolves.toContain("Your 2 tickets for Nils Frahm");
    // The inline styles apply (the app's own policy would have dropped them).
    const button = tab.page.getByRole("link", { name: "View your order" });
    const background = await button.evaluate((a) => getComputedStyle(a).backgroundColor);
    expect(background).toBe("rgb(29, 78, 216)");
    // Each QR code is an image that loaded, named for its ticket.
    const qr = tab.page.getByRole("img", { name: /QR code of ticket/ });
    expect(await qr.count()).toBe(2);
    for (const img of await qr.all()) {
      expect(await img.evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBeGreaterThan(100);
    }
    // Nothing wider than the phone: no sideways scrolling.
    const overflow = await tab.page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expectNoConsoleErrors(tab);
  });

  it("shows the text part with links as `Label: URL`", async () => {
    const tab = await h.open();
    const response = await tab.page.goto("/dev/mail/waitlist_offered.txt");
    expect(response?.headers()["content-type"]).toStartWith("text/plain");
    const text = (await tab.page.textContent("body")) ?? "";
    expect(text).toContain("Confirm your tickets: https://tickets.example.org/checkout/");
    expect(text).toContain("Balcony row A seat 12");
    expectNoConsoleErrors(tab);
  });

  it("downloads a confirmation's attachments", async () => {
    const tab = await h.open();
    const pdf = await tab.page.request.get("/dev/mail/booking_confirmed/files/tickets.pdf");
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    const ics = await tab.page.request.get("/dev/mail/booking_confirmed/files/event.ics");
    expect(await ics.text()).toContain("DTSTART:20270320T183000Z");
  });
});
