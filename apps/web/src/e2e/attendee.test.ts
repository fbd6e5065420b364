import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { confirmedBooking } from "@boxoffice/client";
import {
  type Account,
  expectNoConsoleErrors,
  type Harness,
  PASSWORD,
  publishEvent,
  screenshot,
  startHarness,
} from "./harness.ts";

let h: Harness;
let organizer: Account;

beforeAll(async () => {
  h = await startHarness();
  organizer = await h.server.register("organizer", "Riverside Hall");
});
afterAll(() => h?.close());

const SLOW = 60_000;

describe("attendee in the browser", () => {
  test(
    "registers, books a ticket and sees it with a QR code",
    async () => {
      await publishEvent(organizer.client, {
        title: "Jazz on the River",
        venueName: "Riverside Hall",
        description: "An evening of modern jazz by the water.",
        ticketTypes: [
          { name: "Standing", priceCents: 2500, capacity: 40 },
          { name: "Balcony", priceCents: 4000, capacity: 4 },
        ],
      });
      await publishEvent(organizer.client, { title: "Morning Yoga in the Park" }, 3);
      const tab = await h.open();
      const { page } = tab;
      await page.goto("/");
      await page.getByRole("heading", { name: "Upcoming events" }).waitFor();
      // Upcoming first: the event in 3 days comes before the one in 30 (read once both are
      // listed: the heading shows before the list has loaded).
      await page.locator("ul[aria-label=Events] h2", { hasText: "Jazz on the River" }).waitFor();
      await page.locator("ul[aria-label=Events] h2", { hasText: "Morning Yoga" }).waitFor();
      const titles = await page.locator("ul[aria-label=Events] h2").allTextContents();
      expect(titles.indexOf("Morning Yoga in the Park")).toBeLessThan(
        titles.indexOf("Jazz on the River"),
      );
      await expect(page.locator("[data-badge=on-sale]").first().isVisible()).resolves.toBe(true);
      await screenshot(page, "events");

      await page.getByRole("link", { name: "Register" }).click();
      await page.getByLabel("Name").fill("Ada Attendee");
      await page.getByLabel("Email").fill("ada@example.test");
      await page.getByLabel("Password").fill("short");
      await page.getByRole("button", { name: "Create account" }).click();
      // Inline validation with the server's own schema, before any request.
      await page.getByText("Use at least 8 characters").waitFor();
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByRole("button", { name: "Sign out" }).waitFor();

      await page.getByRole("link", { name: /Jazz on the River/ }).click();
      await page.getByRole("heading", { name: "Jazz on the River" }).waitFor();
      await page.getByText("Updates live.").waitFor();
      await screenshot(page, "event");
      await page.getByLabel("Quantity of Standing").selectOption("2");
      await page.getByText("2 tickets").waitFor();
      await page.getByRole("button", { name: "Hold tickets" }).click();

      await page.getByRole("heading", { name: "Checkout" }).waitFor();
      await expect(page.getByRole("timer").textContent()).resolves.toMatch(/^\d+:\d\d$/);
      await expect(page.getByTestId("checkout-total").textContent()).resolves.toContain("50.00");
      await screenshot(page, "checkout");
      await page.getByRole("button", { name: /^Pay / }).click();

      await page.getByRole("heading", { name: "My bookings" }).waitFor();
      const qr = page.getByTestId("ticket-qr");
      await qr.first().waitFor();
      expect(await qr.count()).toBe(2);
      expect(await qr.first().getAttribute("src")).toStartWith("data:image/png;base64,");
      await screenshot(page, "my-bookings");
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "a declined payment keeps the hold; another card books",
    async () => {
      const event = await publishEvent(organizer.client, { title: "Declined Card Night" });
      const buyer = await h.server.register("attendee", "Dee Clined");
      const tab = await h.open({ token: buyer.token });
      const { page } = tab;
      await page.goto(`/events/${event.id}`);
      await page.getByLabel("Quantity of General").selectOption("1");
      await page.getByRole("button", { name: "Hold tickets" }).click();
      await page.getByLabel("Test card that is declined").check();
      await page.getByRole("button", { name: /^Pay / }).click();
      const alert = page.getByRole("alert").filter({ hasText: "declined" });
      await alert.waitFor();
      expect(await alert.textContent()).toContain("Your tickets are still held");
      expect(await alert.textContent()).not.toContain("PAYMENT_DECLINED");
      await screenshot(page, "checkout-declined");
      await page.getByLabel("Test card that pays").check();
      await page.getByRole("button", { name: /^Pay / }).click();
      await page.getByTestId("ticket-qr").first().waitFor();
      const mine = await buyer.client.bookings.mine.query({});
      expect(mine.items.map((b) => b.status)).toEqual(["confirmed"]);
      // The 402 of the declined charge is the one failed request this scenario provokes.
      expectNoConsoleErrors(tab, [402]);
    },
    SLOW,
  );

  test(
    "cancels a booking after seeing the quoted refund, and gets exactly that",
    async () => {
      const event = await publishEvent(organizer.client, {
        title: "Refund Policy Gala",
        ticketTypes: [{ name: "Seat", priceCents: 2500, capacity: 10 }],
        cancellationPolicy: {
          refundable: true,
          feeCents: 100,
          rules: [{ hoursBeforeStart: 24, refundPercent: 80 }],
        },
      });
      const buyer = await h.server.register("attendee", "Ray Fund");
      const ticketTypeId = event.ticketTypes[0]?.id ?? "";
      confirmedBooking(
        await buyer.client.bookings.book.mutate({
          eventId: event.id,
          items: [{ ticketTypeId, quantity: 1 }],
        }),
      );
      const tab = await h.open({ token: buyer.token });
      const { page } = tab;
      await page.goto("/bookings");
      await page.getByRole("button", { name: "Cancel booking…" }).click();
      // 80 % of $25.00 is $20.00, less the $1.00 fee.
      const quote = page.getByTestId("refund-quote");
      await quote.waitFor();
      expect(await quote.textContent()).toContain("$19.00");
      await screenshot(page, "cancel-quote");
      await page.getByRole("button", { name: "Yes, cancel and refund" }).click();
      await page.getByText("Booking cancelled. Refund: $19.00.").waitFor();
      const [booking] = (await buyer.client.bookings.mine.query({})).items;
      expect(booking?.status).toBe("cancelled");
      expect(booking?.refundCents).toBe(1900);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "joins the waitlist of a sold-out event and accepts the offer when a ticket frees",
    async () => {
      const event = await publishEvent(organizer.client, {
        title: "Tiny Club Show",
        ticketTypes: [{ name: "Entry", priceCents: 1000, capacity: 1 }],
        waitlist: { enabled: true, mode: "offer", offerSeconds: 3600 },
      });
      const ticketTypeId = event.ticketTypes[0]?.id ?? "";
      const first = await h.server.register("attendee", "Early Bird");
      const booking = confirmedBooking(
        await first.client.bookings.book.mutate({
          eventId: event.id,
          items: [{ ticketTypeId, quantity: 1 }],
        }),
      );
      const waiter = await h.server.register("attendee", "Patient Pat");
      const tab = await h.open({ token: waiter.token });
      const { page } = tab;
      await page.goto(`/events/${event.id}`);
      // Sold out, with a waitlist open.
      await page.locator("[data-badge=waitlist]").waitFor();
      await page.getByRole("button", { name: "Join the waitlist" }).click();
      await page.getByTestId("waitlist-position").waitFor();
      expect(await page.getByTestId("waitlist-position").textContent()).toContain("number 1");
      await screenshot(page, "waitlist");

      await first.client.bookings.cancel.mutate({ bookingId: booking.id });
      // The live availability (or the status poll) brings the offer without a reload.
      await page.getByText("Tickets are waiting for you!").waitFor({ timeout: 15_000 });
      await page.getByRole("button", { name: "Accept offer" }).click();
      await page.getByRole("heading", { name: "Checkout" }).waitFor();
      await page.getByRole("button", { name: /^Pay / }).click();
      await page.getByTestId("ticket-qr").first().waitFor();
      const status = await waiter.client.waitlist.status.query({ eventId: event.id });
      expect(status.state).toBe("converted");
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "works at phone width: no sideways scrolling, menu behind a button",
    async () => {
      const event = await publishEvent(organizer.client, { title: "Phone Friendly Fest" });
      const tab = await h.open({ width: 390, height: 844 });
      const { page } = tab;
      await page.goto(`/events/${event.id}`);
      await page.getByRole("heading", { name: "Phone Friendly Fest" }).waitFor();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await page.getByRole("button", { name: "Menu" }).click();
      await page.getByRole("link", { name: "Sign in", exact: true }).waitFor();
      await screenshot(page, "phone-event");
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );
});
