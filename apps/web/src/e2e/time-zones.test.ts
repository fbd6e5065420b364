/**
 * Times in the event's zone (issue 13, point 1) and the sales window (point 5), in Chromium with
 * the browser in Los Angeles: an organizer there sets up a Berlin concert, buyers see when sales
 * open and close.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  type Account,
  expectNoConsoleErrors,
  type Harness,
  publishEvent,
  screenshot,
  startHarness,
} from "./harness.ts";

let h: Harness;
let organizer: Account;
let buyer: Account;

beforeAll(async () => {
  h = await startHarness();
  organizer = await h.server.register("organizer", "Lena Los Angeles");
  buyer = await h.server.register("attendee", "Bo Buyer");
});
afterAll(() => h?.close());

const SLOW = 60_000;
const LA = "America/Los_Angeles";
const PHONE = { width: 390, height: 844 };

describe("times in the event's zone", () => {
  test(
    "a 19:00 Berlin event typed in a Los Angeles browser is 19:00 Berlin time everywhere",
    async () => {
      const tab = await h.open({ token: organizer.token, timezoneId: LA });
      const { page } = tab;
      await page.goto("/organizer/events/new");
      await page.getByRole("heading", { name: "New event" }).waitFor();
      // The zone picker starts at the browser's zone.
      expect(await page.getByLabel("Time zone").inputValue()).toBe(LA);
      await page.getByLabel("Title").fill("Berlin Philharmonic Night");
      await page.getByLabel("Starts at").fill("2030-06-01T19:00");
      await page.getByLabel("Time zone").fill("Europe/Berlin");
      // The form says what that is where the organizer sits.
      await page.getByText("10:00 AM PDT where you are").waitFor();
      await screenshot(page, "event-form-time-zone");
      await page.getByRole("button", { name: "Create draft" }).click();

      await page.getByRole("button", { name: "Publish event" }).waitFor();
      const [mine] = (await organizer.client.events.list.query({ mine: true })).items;
      expect(mine?.startsAt).toBe("2030-06-01T17:00:00.000Z");
      expect(mine?.timezone).toBe("Europe/Berlin");
      const eventId = mine?.id ?? "";

      // The overview: 7:00 PM, labelled with Berlin's zone.
      await page.getByText(/Jun 1, 2030, 7:00\sPM CEST/).waitFor();

      // The edit form agrees with the overview, and saving it unchanged moves nothing.
      await page.getByRole("link", { name: "Edit" }).click();
      await page.getByRole("button", { name: "Save changes" }).waitFor();
      expect(await page.getByLabel("Starts at").inputValue()).toBe("2030-06-01T19:00");
      expect(await page.getByLabel("Time zone").inputValue()).toBe("Europe/Berlin");
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.getByRole("status").getByText("Saved.").waitFor();
      const saved = await organizer.client.events.get.query({ eventId });
      expect(saved.startsAt).toBe("2030-06-01T17:00:00.000Z");
      await organizer.client.events.publish.mutate({ eventId });
      expectNoConsoleErrors(tab);

      // A buyer in Los Angeles, on a phone: the list and the event page say 7:00 PM CEST, and
      // the event page adds what that is for them.
      const phone = await h.open({ token: buyer.token, timezoneId: LA, ...PHONE });
      await phone.page.goto("/");
      const card = phone.page.getByRole("link", { name: /Berlin Philharmonic Night/ });
      await card.getByText(/Jun 1, 2030, 7:00\sPM CEST/).waitFor();
      await card.click();
      await phone.page.getByRole("heading", { name: "Berlin Philharmonic Night" }).waitFor();
      await phone.page
        .getByText(/Sat, Jun 1, 2030, 7:00\sPM CEST/)
        .first()
        .waitFor();
      await phone.page.getByText(/10:00\sAM PDT your time/).waitFor();
      await screenshot(phone.page, "event-time-zone-phone");
      expectNoConsoleErrors(phone);
    },
    SLOW,
  );
});

describe("the sales window", () => {
  test(
    "before sales open: 'Sales open …' with a live countdown and no active Hold button, then on sale",
    async () => {
      const opensAt = new Date(Date.now() + 6_000).toISOString();
      const event = await publishEvent(organizer.client, {
        title: "Early Bird Gala",
        timezone: "Europe/Berlin",
        salesStartAt: opensAt,
      });
      const tab = await h.open({ token: buyer.token, timezoneId: LA, ...PHONE });
      const { page } = tab;
      await page.goto("/");
      const card = page.getByRole("link", { name: /Early Bird Gala/ });
      await card.getByText(/^Sales open /).waitFor();
      expect(await card.locator("[data-badge=on-sale]").count()).toBe(0);

      await card.click();
      await page.getByRole("heading", { name: "Early Bird Gala" }).waitFor();
      await page
        .getByText(/^Sales open /)
        .first()
        .waitFor();
      const timer = page.getByRole("timer");
      const first = await timer.textContent();
      await page.waitForTimeout(1_200);
      expect(await timer.textContent()).not.toBe(first);
      const hold = page.getByRole("button", { name: "Hold tickets" });
      expect(await hold.isDisabled()).toBe(true);
      expect(await page.getByLabel("Quantity of General").isDisabled()).toBe(true);
      await screenshot(page, "sales-not-open-phone");

      // The countdown reaches zero: the page goes on sale by itself.
      await page.getByLabel("Quantity of General").selectOption("2", { timeout: 15_000 });
      await hold.click();
      await page.getByRole("heading", { name: "Checkout" }).waitFor();
      expect(event.salesStartAt).toBe(opensAt);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "after sales end: 'Sales closed' on the page and in the list, and no active Hold button",
    async () => {
      await publishEvent(organizer.client, {
        title: "Closed Door Recital",
        salesEndAt: new Date(Date.now() - 3_600_000).toISOString(),
      });
      const tab = await h.open({ token: buyer.token, timezoneId: LA, ...PHONE });
      const { page } = tab;
      await page.goto("/");
      const card = page.getByRole("link", { name: /Closed Door Recital/ });
      await card.getByText("Sales closed").waitFor();
      await card.click();
      await page.getByRole("heading", { name: "Closed Door Recital" }).waitFor();
      await page.getByText("Sales closed").first().waitFor();
      expect(await page.getByRole("button", { name: "Hold tickets" }).isDisabled()).toBe(true);
      await screenshot(page, "sales-closed-phone");
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );
});
