import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  ADMIN,
  expectNoConsoleErrors,
  type Harness,
  PASSWORD,
  screenshot,
  signIn,
  startHarness,
} from "./harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const SLOW = 60_000;

describe("accounts in the browser", () => {
  test(
    "admin signs in and makes an attendee an organizer",
    async () => {
      const person = await h.server.register("attendee", "Promoted Person");
      const tab = await h.open();
      const { page } = tab;
      await signIn(page, ADMIN.email, ADMIN.password);
      await page.getByRole("link", { name: "Users" }).click();
      await page.getByRole("heading", { name: "Users and roles" }).waitFor();
      await page.getByLabel("Search users").fill("Promoted");
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByRole("button", { name: "Change role of Promoted Person" }).click();
      const dialog = page.getByRole("dialog", { name: "Change the role of Promoted Person" });
      await dialog.getByLabel(/^Organizer/).check();
      await dialog.getByRole("button", { name: "Make organizer" }).click();
      await page.getByText("Promoted Person is now organizer.").waitFor();
      expect((await person.client.auth.me.query())?.role).toBe("organizer");
      await page.getByLabel("Search users").fill("");
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByRole("button", { name: "Change role of Promoted Person" }).waitFor();
      await screenshot(page, "admin-users");
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "a wrong password is explained; changing the password works; signing out signs out",
    async () => {
      const person = await h.server.register("attendee", "Careful Cat");
      const tab = await h.open();
      const { page } = tab;
      await page.goto("/login");
      await page.getByLabel("Email").fill(person.email);
      await page.getByLabel("Password").fill("not my password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("alert").filter({ hasText: "Wrong email or password." }).waitFor();

      await signIn(page, person.email);
      await page.getByRole("link", { name: /Careful Cat/ }).click();
      await page.getByLabel("Current password").fill(PASSWORD);
      await page.getByLabel("New password").fill("an even better passphrase");
      await page.getByRole("button", { name: "Change password" }).click();
      await page.getByText("Password changed.").waitFor();
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("heading", { name: "Upcoming events" }).waitFor();
      await page
        .getByRole("navigation", { name: "Main" })
        .getByRole("link", { name: "Sign in" })
        .waitFor();
      expect((await page.context().cookies()).find((c) => c.name === "session")?.value ?? "").toBe(
        "",
      );
      await signIn(page, person.email, "an even better passphrase");
      await page.goto("/bookings");
      await page.getByText("No bookings yet.").waitFor();
      // The 401 of the wrong password is the one failed request this scenario provokes.
      expectNoConsoleErrors(tab, [401]);
    },
    SLOW,
  );
});
