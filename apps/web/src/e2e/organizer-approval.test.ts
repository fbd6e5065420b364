import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import {
  ADMIN,
  expectNoConsoleErrors,
  type Harness,
  PASSWORD,
  signIn,
  startHarness,
} from "./harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ ORGANIZER_SIGNUP: "approval" });
});
afterAll(() => h?.close());

const SLOW = 60_000;

/** Signs up through the form as someone who wants to organize events. */
async function applyAsOrganizer(page: Page, name: string, email: string): Promise<void> {
  await page.goto("/register");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel(/Organize events/).check();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByText("An admin will review your request to organize events.").waitFor();
}

describe("organizer sign-up with approval", () => {
  test(
    "an applicant waits as an attendee; the admin approves one request and declines another",
    async () => {
      const applicantTab = await h.open();
      const applicant = applicantTab.page;
      await applyAsOrganizer(applicant, "Patient Promoter", "patient@example.test");
      // Signed in, but not an organizer yet.
      await applicant.getByRole("button", { name: "Sign out" }).waitFor();
      expect(await applicant.getByRole("link", { name: "Organize" }).count()).toBe(0);
      await applicant.getByRole("link", { name: /Patient Promoter/ }).click();
      await applicant.getByText("Your request to organize events waits for an admin.").waitFor();

      const otherTab = await h.open();
      await applyAsOrganizer(otherTab.page, "Hasty Hustler", "hasty@example.test");

      const adminTab = await h.open();
      const admin = adminTab.page;
      await signIn(admin, ADMIN.email, ADMIN.password);
      await admin.getByRole("link", { name: "Users" }).click();
      const requests = admin.getByRole("region", { name: "Organizer requests" });
      await requests.getByText("patient@example.test").waitFor();
      await requests.getByText("hasty@example.test").waitFor();

      await requests.getByRole("button", { name: "Approve Patient Promoter" }).click();
      await admin.getByText("Patient Promoter is now an organizer.").waitFor();
      await requests.getByRole("button", { name: "Decline Hasty Hustler" }).click();
      await admin.getByText("Declined: Hasty Hustler stays an attendee.").waitFor();
      await requests.waitFor({ state: "detached" });
      await admin.getByRole("button", { name: "Change role of Patient Promoter" }).waitFor();
      const roleOf = (email: string) =>
        admin.locator(`li[data-email="${email}"]`).getByTestId("user-role").textContent();
      expect(await roleOf("patient@example.test")).toBe("Organizer");
      expect(await roleOf("hasty@example.test")).toBe("Attendee");

      // The approved applicant organizes from their next page load on.
      await applicant.goto("/account");
      await applicant.getByRole("link", { name: "Organize" }).waitFor();
      expect(await applicant.getByText("waits for an admin").count()).toBe(0);

      const declined = h.server.client();
      const { user } = await declined.auth.login.mutate({
        email: "hasty@example.test",
        password: PASSWORD,
      });
      expect(user).toMatchObject({ role: "attendee", organizerRequest: null });

      for (const tab of [applicantTab, otherTab, adminTab]) expectNoConsoleErrors(tab);
    },
    SLOW,
  );
});
