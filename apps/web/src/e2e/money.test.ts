/**
 * Money and the figures organizers decide by: totals per currency (never euros added to pounds),
 * and analytics that agree with themselves and with the attendee list.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { confirmedBooking } from "@boxoffice/client";
import {
  type Account,
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
type Person = Account;

/** Books `quantity` of the event's first ticket type for `buyer`. */
async function book(buyer: Person, event: { id: string; ticketTypes: { id: string }[] }, n = 1) {
  return confirmedBooking(
    await buyer.client.bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: event.ticketTypes[0]?.id ?? "", quantity: n }],
    }),
  );
}

describe("money per currency", () => {
  test(
    "the organizer dashboard shows revenue per currency and never adds euros to pounds",
    async () => {
      const organizer = await h.server.register("organizer", "Mona Money");
      const buyer = await h.server.register("attendee", "Bea Buyer");
      const berlin = await publishEvent(organizer.client, {
        title: "Berlin Jazz Night",
        currency: "EUR",
        timezone: "Europe/Berlin",
        ticketTypes: [{ name: "Standing", priceCents: 5500, capacity: 40 }],
      });
      const london = await publishEvent(organizer.client, {
        title: "London Folk Evening",
        currency: "GBP",
        timezone: "Europe/London",
        ticketTypes: [{ name: "Seat", priceCents: 1200, capacity: 40 }],
      });
      await book(buyer, berlin, 2);
      await book(buyer, london, 1);

      for (const width of [390, 1280]) {
        const tab = await h.open({ token: organizer.token, width });
        const { page } = tab;
        await page.goto("/organizer");
        const revenue = page.locator("[data-stat=revenue]");
        await revenue.getByText("€110.00").waitFor();
        await revenue.getByText("£12.00").waitFor();
        const text = (await page.locator("main").textContent()) ?? "";
        expect(text).not.toContain("$");
        expect(text).not.toContain("122");
        await screenshot(page, width === 390 ? "organizer-events-phone" : "organizer-money");
        expect(await axeViolations(page)).toEqual([]);
        expectNoConsoleErrors(tab);
      }
    },
    SLOW,
  );
});

describe("analytics that agree with themselves", () => {
  test(
    "tickets sold by day count only tickets still sold, cancelled ones labelled apart",
    async () => {
      const organizer = await h.server.register("organizer", "Dana Days");
      const event = await publishEvent(organizer.client, { title: "Counting Night" });
      const keeps = await h.server.register("attendee");
      const leaves = await h.server.register("attendee");
      await book(keeps, event, 4);
      const gone = await book(leaves, event, 2);
      await leaves.client.bookings.cancel.mutate({ bookingId: gone.id });

      const figures = await organizer.client.analytics.event.query({ eventId: event.id });
      expect(figures.sold).toBe(4);
      expect(figures.salesByDay.reduce((n, d) => n + d.tickets, 0)).toBe(4);

      const tab = await h.open({ token: organizer.token });
      const { page } = tab;
      await page.goto(`/organizer/events/${event.id}/analytics`);
      await page.locator("[data-stat=sold]").getByText("4 of 50").waitFor();
      const chart = page.locator('figure[data-chart="Tickets sold by day"]');
      await chart.locator(".recharts-bar-rectangle").first().waitFor();
      // The chart's text alternative: a table with both series, named.
      await chart.getByText("Show the figures as a table").click();
      const table = chart.getByRole("table");
      await table.getByRole("columnheader", { name: "Still sold" }).waitFor();
      await table.getByRole("columnheader", { name: "Cancelled since" }).waitFor();
      const row = table.getByRole("row").nth(1);
      expect((await row.getByRole("cell").allTextContents()).slice(1)).toEqual(["4", "2"]);
      expect(await axeViolations(page)).toEqual([]);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "a revenue chart of a single day draws a labelled bar, not a lone dot",
    async () => {
      const organizer = await h.server.register("organizer", "Sol Single");
      const event = await publishEvent(organizer.client, { title: "One Day Sale" });
      await book(await h.server.register("attendee"), event, 3);

      for (const width of [390, 1280]) {
        const tab = await h.open({ token: organizer.token, width });
        const { page } = tab;
        await page.goto(`/organizer/events/${event.id}/analytics`);
        const chart = page.locator('figure[data-chart^="Revenue by day"]');
        await chart.locator(".recharts-bar-rectangle").first().waitFor();
        expect(await chart.locator(".recharts-line").count()).toBe(0);
        // The bar carries its amount, so one day reads without a tooltip.
        await chart.locator(".recharts-label-list").getByText("$75.00").waitFor();
        await screenshot(page, width === 390 ? "analytics-phone" : "analytics-one-day");
        expectNoConsoleErrors(tab);
      }
    },
    SLOW,
  );

  test(
    "after the event is cancelled, analytics count the check-ins the attendee list shows",
    async () => {
      const organizer = await h.server.register("organizer", "Carl Cancel");
      const event = await publishEvent(organizer.client, { title: "Storm Night" });
      const guest = await h.server.register("attendee", "Gus Guest");
      const booking = await book(guest, event, 2);
      for (const t of booking.tickets) {
        await organizer.client.checkin.scan.mutate({ eventId: event.id, code: t.code });
      }
      await organizer.client.events.cancel.mutate({ eventId: event.id, reason: "Storm" });

      const tab = await h.open({ token: organizer.token });
      const { page } = tab;
      await page.goto(`/organizer/events/${event.id}/attendees`);
      await page.getByText("2 of 2 checked in").filter({ visible: true }).waitFor();
      await page.getByRole("link", { name: "Analytics" }).click();
      const checkedIn = page.locator("[data-stat=checked-in]");
      await checkedIn.getByText("2", { exact: true }).waitFor();
      await checkedIn.getByText("2 on bookings cancelled since").waitFor();
      const chart = page.locator('figure[data-chart="Check-in"]');
      await chart.getByText("Show the figures as a table").click();
      const cells = await chart.getByRole("row").allTextContents();
      expect(cells).toContain("Checked in, booking cancelled since2");
      await screenshot(page, "analytics-cancelled");
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );
});
