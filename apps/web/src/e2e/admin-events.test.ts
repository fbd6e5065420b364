/**
 * Admins run every organizer's events: their events page lists them all, filterable by
 * organizer, with totals over the same events.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  ADMIN,
  axeViolations,
  expectNoConsoleErrors,
  type Harness,
  publishEvent,
  screenshot,
  startHarness,
} from "./harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(() => h?.close());

const SLOW = 60_000;

describe("admin's events", () => {
  test(
    "an admin sees every organizer's events and filters them by organizer",
    async () => {
      const ada = await h.server.register("organizer", "Ada Arranger");
      const bo = await h.server.register("organizer", "Bo Booker");
      const adaTitles = ["Ada One", "Ada Two", "Ada Three", "Ada Four", "Ada Five"];
      const boTitles = ["Bo One", "Bo Two"];
      for (const [i, title] of adaTitles.entries())
        await publishEvent(ada.client, { title }, i + 2);
      for (const [i, title] of boTitles.entries()) await publishEvent(bo.client, { title }, i + 2);
      // A draft is the organizer's business, yet an admin manages it too.
      await bo.client.events.create.mutate({
        title: "Bo Draft",
        startsAt: new Date(Date.now() + 9 * 86_400_000).toISOString(),
        ticketTypes: [{ name: "GA", priceCents: 0, capacity: 5 }],
      });
      const { token } = await h.server.client().auth.login.mutate(ADMIN);

      const tab = await h.open({ token });
      const { page } = tab;
      await page.goto("/organizer");
      await page.getByRole("heading", { name: "All events" }).waitFor();
      const list = page.getByRole("list", { name: "Events" });
      await list.getByRole("link", { name: /Bo Draft/ }).waitFor();
      expect(await list.getByRole("listitem").count()).toBe(8);
      await page.locator("[data-stat=events]").getByText("8", { exact: true }).waitFor();
      expect(await page.getByText("You have no events yet").count()).toBe(0);
      // Each event names its organizer, so an admin knows whose it is.
      await list.getByRole("link", { name: /Ada One.*Ada Arranger/ }).waitFor();
      await screenshot(page, "admin-events");
      expect(await axeViolations(page)).toEqual([]);

      await page.getByLabel("Organizer").selectOption({ label: "Bo Booker (3 events)" });
      await list.getByRole("link", { name: /Bo Draft/ }).waitFor();
      await page.locator("[data-stat=events]").getByText("3", { exact: true }).waitFor();
      expect(await list.getByRole("listitem").count()).toBe(3);
      expect(await list.getByText(/Ada/).count()).toBe(0);
      expect(new URL(page.url()).searchParams.get("organizer")).toBe(bo.userId);

      await page.getByLabel("Organizer").selectOption({ label: "All organizers" });
      await list.getByRole("link", { name: /Ada Five/ }).waitFor();
      expect(await list.getByRole("listitem").count()).toBe(8);

      // Someone else's draft opens for the admin, naming whose it is.
      await list.getByRole("link", { name: /Bo Draft/ }).click();
      await page.getByRole("heading", { name: "Bo Draft" }).waitFor();
      await page
        .getByText("Organizer")
        .locator("xpath=following-sibling::dd[1]")
        .getByText("Bo Booker")
        .waitFor();
      await screenshot(page, "admin-event-overview");
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );
});
