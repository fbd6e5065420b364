/**
 * Accounts in the browser at phone width: a forgotten password reset through a mailed link, and
 * an email address verified through one. Mail goes over SMTP to a real SMTP server started here;
 * the test reads the link from the parsed mail and follows it in Chromium.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { linkIn, MailSink } from "@boxoffice/server/testing";
import {
  expectNoConsoleErrors,
  type Harness,
  PASSWORD,
  screenshot,
  startHarness,
} from "./harness.ts";

let h: Harness;
const sink = new MailSink();
const SLOW = 60_000;
const PHONE = { width: 390, height: 844 };

beforeAll(async () => {
  await sink.start();
  h = await startHarness(sink.env);
});
afterAll(async () => {
  await h?.close();
  await sink.stop();
});

describe("accounts in the browser", () => {
  test(
    "a forgotten password is reset through a mailed single-use link, which signs out everywhere else",
    async () => {
      const person = await h.server.register("attendee", "Forgetful Fran");
      const tab = await h.open(PHONE);
      const { page } = tab;
      await page.goto("/login");
      await page.getByRole("link", { name: "Forgot your password?" }).click();
      await page.getByRole("heading", { name: "Forgot your password?" }).waitFor();
      expect(await page.title()).toBe("Forgot password — Boxoffice");
      await page.getByLabel("Email").fill(person.email.toUpperCase());
      await page.getByRole("button", { name: "Mail me a link" }).click();
      await page.getByText(`If an account uses ${person.email}`).waitFor();
      await screenshot(page, "forgot-password");

      const mail = await sink.waitFor(person.email, /Reset your Boxoffice password/);
      const link = linkIn(mail.text, "/reset-password/");
      expect(link.startsWith(`${h.url}/reset-password/`)).toBe(true);
      expect(mail.text).toContain("for an hour");

      await page.goto(link);
      await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
      await page.getByLabel("New password").fill("short");
      await page.getByRole("button", { name: "Set new password" }).click();
      await page
        .getByText(/at least 8/i)
        .first()
        .waitFor();
      await page.getByLabel("New password").fill("a much better secret");
      await page.getByRole("button", { name: "Set new password" }).click();
      await page.getByRole("heading", { name: "Password changed" }).waitFor();
      await page.getByText(`signed in as ${person.email}`).waitFor();
      await screenshot(page, "reset-password-done");
      // Signed in here (the header says who), and the session from before is worthless.
      await page.getByRole("button", { name: "Menu" }).click();
      await page.getByRole("link", { name: "Account of Forgetful Fran" }).waitFor();
      expect(await h.server.client(person.token).auth.me.query()).toBeNull();

      // The link works once.
      const again = await h.open(PHONE);
      await again.page.goto(link);
      await again.page.getByLabel("New password").fill("yet another secret");
      await again.page.getByRole("button", { name: "Set new password" }).click();
      await again.page.getByText(/expired or has already been used/).waitFor();
      await again.page.getByRole("link", { name: "Ask for a new link" }).waitFor();

      // The new password signs in; the old one does not.
      const fresh = await h.open(PHONE);
      await fresh.page.goto("/login");
      await fresh.page.getByLabel("Email").fill(person.email);
      await fresh.page.getByLabel("Password").fill(PASSWORD);
      await fresh.page.getByRole("button", { name: "Sign in" }).click();
      await fresh.page.getByText("Wrong email or password.").waitFor();
      await fresh.page.getByLabel("Password").fill("a much better secret");
      await fresh.page.getByRole("button", { name: "Sign in" }).click();
      await fresh.page.getByRole("heading", { name: "Upcoming events" }).waitFor();
      await fresh.page.getByRole("button", { name: "Menu" }).click();
      await fresh.page.getByRole("button", { name: "Sign out" }).waitFor();

      expectNoConsoleErrors(tab);
      // The spent link's refusal (404) and the wrong password's (401) are on purpose.
      expectNoConsoleErrors(again, [404]);
      expectNoConsoleErrors(fresh, [401]);
    },
    SLOW,
  );

  test(
    "an unknown email gets the same answer and no mail",
    async () => {
      const tab = await h.open(PHONE);
      await tab.page.goto("/forgot-password");
      await tab.page.getByLabel("Email").fill("nobody-here@example.test");
      await tab.page.getByRole("button", { name: "Mail me a link" }).click();
      await tab.page.getByText("If an account uses nobody-here@example.test").waitFor();
      await Bun.sleep(700);
      expect(sink.received.filter((m) => m.to.includes("nobody-here@example.test"))).toEqual([]);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "an email address is verified through a mailed link, opened where nobody is signed in",
    async () => {
      const person = await h.server.register("attendee", "Verifying Vic");
      const tab = await h.open({ ...PHONE, token: person.token });
      const { page } = tab;
      await page.goto("/account");
      await page.getByText("Not verified yet.").waitFor();
      await page.getByRole("button", { name: "Send verification link" }).click();
      await page.getByText(`We sent a link to ${person.email}`).waitFor();
      await screenshot(page, "account-verify");

      const mail = await sink.waitFor(person.email, /Confirm your email address/);
      expect(mail.text).toContain(person.email);
      const link = linkIn(mail.text, "/verify-email/");
      const elsewhere = await h.open(PHONE);
      await elsewhere.page.goto(link);
      await elsewhere.page.getByText(`Thank you: ${person.email} is verified.`).waitFor();
      expect(await elsewhere.page.title()).toBe("Verify your email — Boxoffice");
      await screenshot(elsewhere.page, "email-verified");
      expect((await person.client.auth.me.query())?.emailVerified).toBe(true);

      await page.reload();
      await page.getByText("Verified", { exact: true }).waitFor();
      expect(await page.getByRole("button", { name: "Send verification link" }).count()).toBe(0);
      expectNoConsoleErrors(tab);
      expectNoConsoleErrors(elsewhere);
    },
    SLOW,
  );
});
