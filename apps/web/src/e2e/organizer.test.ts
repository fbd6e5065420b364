import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { confirmedBooking } from "@boxoffice/client";
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

beforeAll(async () => {
  h = await startHarness();
  organizer = await h.server.register("organizer", "Olive Organizer");
});
afterAll(() => h?.close());

const SLOW = 60_000;

describe("organizer in the browser", () => {
  test(
    "creates an event with inline validation, publishes it, then cancels it",
    async () => {
      const tab = await h.open({ token: organizer.token });
      const { page } = tab;
      await page.goto("/organizer");
      await page.getByRole("heading", { name: "My events" }).waitFor();
      await page.getByRole("link", { name: "New event" }).click();
      await page.getByRole("heading", { name: "New event" }).waitFor();
      await page.getByLabel("Type 1 capacity").fill("-3");
      await page.getByRole("button", { name: "Create draft" }).click();
      // The server's schema, run in the browser: every bad field says what is wrong.
      await page.getByText("Some fields need attention").waitFor();
      expect(await page.locator("[aria-invalid=true]").count()).toBe(3);
      await screenshot(page, "event-form-errors");

      await page.getByLabel("Title").fill("Harbour Lights Festival");
      await page.getByLabel("Venue").fill("Old Harbour");
      await page.getByLabel("Starts at").fill("2030-06-01T19:00");
      await page.getByLabel("Type 1 name").fill("Day pass");
      await page.getByLabel("Type 1 price (USD)").fill("35");
      await page.getByLabel("Type 1 capacity").fill("200");
      await page.getByRole("button", { name: "Add ticket type" }).click();
      await page.getByLabel("Type 2 name").fill("VIP");
      await page.getByLabel("Type 2 price (USD)").fill("120");
      await page.getByLabel("Type 2 capacity").fill("20");
      await page.getByLabel("Keep a waitlist when sold out").check();
      await page.getByRole("button", { name: "Add refund rule" }).click();
      await page.getByRole("button", { name: "Create draft" }).click();

      await page.getByRole("button", { name: "Publish event" }).click();
      await page.getByText("On sale to everyone.").waitFor();
      const [listed] = (await h.server.client().events.list.query({ search: "Harbour" })).items;
      expect(listed?.status).toBe("published");
      const event = await organizer.client.events.get.query({ eventId: listed?.id ?? "" });
      expect(event.ticketTypes.map((t) => [t.name, t.priceCents, t.capacity])).toEqual([
        ["Day pass", 3500, 200],
        ["VIP", 12000, 20],
      ]);
      expect(event.waitlist.enabled).toBe(true);
      expect(event.cancellationPolicy.rules).toEqual([{ hoursBeforeStart: 48, refundPercent: 50 }]);
      await screenshot(page, "organizer-event");

      await page.getByRole("link", { name: "Edit" }).click();
      await page.getByLabel("Type 2 capacity").fill("25");
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.getByText("Saved.").waitFor();
      const edited = await organizer.client.events.get.query({ eventId: event.id });
      expect(edited.ticketTypes[1]?.capacity).toBe(25);

      await page.getByRole("link", { name: "Overview" }).click();
      await page.getByRole("button", { name: "Cancel event…" }).click();
      await page.getByLabel("Reason (sent to attendees)").fill("Storm warning");
      await page.getByRole("button", { name: "Cancel the event" }).click();
      await page.getByText("Event cancelled.").waitFor();
      const after = await organizer.client.events.get.query({ eventId: event.id });
      expect(after.status).toBe("cancelled");

      await page.goto("/organizer");
      await page.getByRole("link", { name: /Harbour Lights Festival/ }).waitFor();
      await screenshot(page, "organizer-events");
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "scans tickets at the door: ok, already, invalid, cancelled; then sees the analytics charts",
    async () => {
      const event = await publishEvent(organizer.client, {
        title: "Door Test Dance",
        ticketTypes: [
          { name: "Early", priceCents: 1500, capacity: 10 },
          { name: "Regular", priceCents: 2000, capacity: 10 },
        ],
        waitlist: { enabled: true, mode: "offer", offerSeconds: 3600 },
      });
      const [early, regular] = event.ticketTypes;
      const guest = await h.server.register("attendee", "Gina Guest");
      const booking = confirmedBooking(
        await guest.client.bookings.book.mutate({
          eventId: event.id,
          items: [
            { ticketTypeId: early?.id ?? "", quantity: 2 },
            { ticketTypeId: regular?.id ?? "", quantity: 1 },
          ],
        }),
      );
      const gone = confirmedBooking(
        await guest.client.bookings.book.mutate({
          eventId: event.id,
          items: [{ ticketTypeId: regular?.id ?? "", quantity: 1 }],
        }),
      );
      await guest.client.bookings.cancel.mutate({ bookingId: gone.id });
      const code = booking.tickets[0]?.code ?? "";

      const tab = await h.open({ token: organizer.token });
      const { page } = tab;
      await page.goto(`/organizer/events/${event.id}/door`);
      const input = page.getByLabel("Ticket code");
      const scan = async (text: string, result: string) => {
        await input.fill(text);
        await input.press("Enter");
        await page.locator(`[data-result=${result}]`).waitFor();
      };
      // Typed the way people read codes out: lower case, in groups.
      await scan(code.toLowerCase().replace(/(.{4})/g, "$1-"), "ok");
      expect(await page.locator("[data-result=ok]").textContent()).toContain("Gina Guest");
      await screenshot(page, "door-ok");
      await scan(code, "already");
      await scan("NOT-A-REAL-CODE", "invalid");
      await scan(gone.tickets[0]?.code ?? "", "cancelled");
      await page.getByText("1 of 3 tickets checked in").waitFor();

      await page.getByRole("link", { name: "Attendees" }).click();
      await page
        .getByRole("cell", { name: /Gina Guest/ })
        .first()
        .waitFor();
      const csv = await page.request.get(`/exports/events/${event.id}/attendees.csv`);
      expect(csv.status()).toBe(200);
      expect(await csv.text()).toContain(code);
      await screenshot(page, "attendees");

      await page.getByRole("link", { name: "Analytics" }).click();
      await page.locator("figure[data-chart] .recharts-surface").nth(3).waitFor();
      expect(await page.locator("figure[data-chart]").count()).toBe(4);
      expect(await page.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(0);
      await screenshot(page, "analytics");

      await page.getByRole("link", { name: "Waitlist" }).click();
      await page.getByText("Nobody is waiting.").waitFor();
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );
});
