/**
 * An organizer's settings page, reached from My events: which mails Boxoffice sends them (saved
 * with a visible "Saved."), and Apple Wallet set up from pasted PEM text and chosen files,
 * refused at the field that is wrong, shown with its certificate, and removed after a question.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestWalletMaterial, testWalletMaterial } from "@boxoffice/mail/testing";
import {
  type Account,
  axeViolations,
  expectNoConsoleErrors,
  type Harness,
  screenshot,
  startHarness,
} from "./harness.ts";

const PASS_TYPE_ID = "pass.test.boxoffice.tickets";
const TEAM_ID = "ABCDE12345";

let h: Harness;
let organizer: Account;
let certs: TestWalletMaterial;
const SLOW = 90_000;

beforeAll(async () => {
  h = await startHarness();
  organizer = await h.server.register("organizer", "Riverside Hall");
  certs = testWalletMaterial(PASS_TYPE_ID);
}, SLOW);
afterAll(() => h?.close());

describe("organizer settings", () => {
  test(
    "mail settings are reached from My events, saved with a visible confirmation, and kept",
    async () => {
      const tab = await h.open({ token: organizer.token, width: 390, height: 844 });
      const { page } = tab;
      await page.goto("/organizer");
      await page.getByRole("link", { name: "Settings" }).click();
      await page.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
      expect(await page.title()).toBe("Settings — Boxoffice");
      const digest = page.getByRole("checkbox", { name: /Daily sale digest/ });
      const soldOut = page.getByRole("checkbox", { name: /Sold out/ });
      // Everything is on until the organizer says otherwise.
      await page.getByRole("button", { name: "Save mail settings" }).waitFor();
      expect(await digest.isChecked()).toBe(true);
      expect(await soldOut.isChecked()).toBe(true);
      await digest.uncheck();
      await page.getByRole("button", { name: "Save mail settings" }).click();
      await page.getByText("Saved.", { exact: true }).waitFor();
      expect(await organizer.client.mail.settings.query()).toEqual({
        saleDigest: "off",
        soldOut: true,
        waitlistGrowing: true,
        refundFailed: true,
      });
      // A change un-says "Saved." until it is saved too.
      await soldOut.uncheck();
      expect(await page.getByText("Saved.", { exact: true }).count()).toBe(0);
      await page.reload();
      await page.getByRole("button", { name: "Save mail settings" }).waitFor();
      expect(await digest.isChecked()).toBe(false);
      expect(await soldOut.isChecked()).toBe(true);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "Apple Wallet is set up from pasted PEM and a chosen .cer file, refused at the wrong field, shown with its certificate, and removed after confirming",
    async () => {
      const tab = await h.open({ token: organizer.token, width: 390, height: 844 });
      const { page } = tab;
      await page.goto("/organizer/settings");
      await page.getByRole("heading", { name: "Apple Wallet" }).waitFor();
      await page.getByText(/without it, no Wallet passes are offered/).waitFor();

      // Checked in the browser first: the field says what is wrong.
      await page.getByLabel("Pass Type ID").fill("tickets.example");
      await page.getByLabel("Team ID").fill("abcdefghij");
      await page.getByRole("button", { name: "Check and save" }).click();
      await page.getByText("A Pass Type ID starts with pass.").waitFor();
      await page.getByText("10 capital letters and digits").first().waitFor();

      await page.getByLabel("Pass Type ID").fill(PASS_TYPE_ID);
      await page.getByLabel("Team ID").fill(TEAM_ID);
      await page.getByLabel("Pass certificate", { exact: true }).fill(certs.signerCert);
      // A key that is not the certificate's: the server's refusal lands at the key.
      await page.getByLabel("Private key", { exact: true }).fill(certs.strangerKey);
      await page.getByLabel("Choose a file for Apple WWDR certificate").setInputFiles({
        name: "AppleWWDRCAG4.cer",
        mimeType: "application/pkix-cert",
        buffer: Buffer.from(certs.wwdrDer),
      });
      const wwdr = page.getByLabel("Apple WWDR certificate", { exact: true });
      await page.waitForFunction(() =>
        [...document.querySelectorAll("textarea")].some((t) =>
          t.value.startsWith("-----BEGIN CERTIFICATE-----"),
        ),
      );
      expect(await wwdr.inputValue()).toContain("-----BEGIN CERTIFICATE-----");
      await page.getByRole("button", { name: "Check and save" }).click();
      const keyField = page.getByLabel("Private key", { exact: true });
      await page.waitForFunction(
        () => document.querySelector("textarea[aria-invalid='true']") !== null,
      );
      expect(await keyField.getAttribute("aria-invalid")).toBe("true");
      await screenshot(page, "wallet-settings-refused");

      // The right key, chosen as a file.
      await page.getByLabel("Choose a file for Private key").setInputFiles({
        name: "pass.key.pem",
        mimeType: "application/x-pem-file",
        buffer: Buffer.from(certs.signerKey),
      });
      await page.waitForFunction(() =>
        [...document.querySelectorAll("textarea")].some((t) =>
          t.value.includes("-----BEGIN PRIVATE KEY-----"),
        ),
      );
      await page.getByRole("button", { name: "Check and save" }).click();
      await page.getByText("Saved: your tickets now come with Apple Wallet passes.").waitFor();
      const subject = page.getByTestId("wallet-subject");
      expect(await subject.textContent()).toContain(PASS_TYPE_ID);
      const expiry = await page.getByTestId("wallet-expiry").textContent();
      expect(expiry).toContain(String(new Date(Date.now() + 365 * 86_400_000).getFullYear()));
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, "wallet-settings");
      expect(await axeViolations(page)).toEqual([]);

      // Removing asks first; keeping it changes nothing.
      await page.getByRole("button", { name: "Remove Apple Wallet…" }).click();
      const dialog = page.getByRole("dialog", { name: "Remove Apple Wallet?" });
      await dialog.getByRole("button", { name: "Keep it" }).click();
      await dialog.waitFor({ state: "hidden" });
      expect((await organizer.client.wallet.get.query()).configured).toBe(true);
      await page.getByRole("button", { name: "Remove Apple Wallet…" }).click();
      await dialog.getByRole("button", { name: "Remove" }).click();
      await page.getByLabel("Pass Type ID").waitFor();
      expect(await organizer.client.wallet.get.query()).toEqual({ configured: false });
      // The refused key's 400 is on purpose.
      expectNoConsoleErrors(tab, [400]);
    },
    SLOW,
  );
});
