/**
 * Holds a buyer can always get back to, and pages that never show stale state (issue 13, points
 * 2 and 3), on a phone (390 px wide).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  type Account,
  expectNoConsoleErrors,
  type Harness,
  publishEvent,
  screenshot,
  startHarness,
  type Tab,
} from "./harness.ts";

let h: Harness;
let organizer: Account;

beforeAll(async () => {
  h = await startHarness();
  organizer = await h.server.register("organizer", "Harbour Hall");
});
afterAll(() => h?.close());

const SLOW = 60_000;
const PHONE = { width: 390, height: 844 };

/** A buyer signed in on a phone. */
async function buyerOnPhone(name: string) {
  const buyer = await h.server.register("attendee", name);
  return { buyer, tab: await h.open({ token: buyer.token, ...PHONE }) };
}

/** Holds `quantity` of the event's first type through the page, and lands on checkout. */
async function holdThroughPage(tab: Tab, eventId: string, quantity: number) {
  const { page } = tab;
  await page.goto(`/events/${eventId}`);
  await page.getByLabel(/^Quantity of /).selectOption(String(quantity));
  await page.getByRole("button", { name: "Hold tickets" }).click();
  await page.getByRole("heading", { name: "Checkout" }).waitFor();
  await page.getByRole("button", { name: /^Pay / }).waitFor();
}

describe("holds in the browser", () => {
  test(
    "a hold left at checkout is on My bookings and the event page with its countdown, and a buyer holding every ticket is not offered the waitlist",
    async () => {
      const event = await publishEvent(organizer.client, {
        title: "Last three seats jazz",
        ticketTypes: [{ name: "Standing", priceCents: 2000, capacity: 3 }],
        waitlist: { enabled: true, mode: "offer", offerSeconds: 3_600 },
      });
      const { tab } = await buyerOnPhone("Hana Holder");
      const { page } = tab;
      await holdThroughPage(tab, event.id, 3);

      // She leaves checkout for My bookings: the hold is there, not "No bookings yet".
      await page.getByRole("button", { name: "Menu" }).click();
      await page.getByRole("link", { name: "My bookings" }).click();
      await page.getByRole("heading", { name: "My bookings" }).waitFor();
      const held = page.getByTestId("held-list");
      await held.getByText("Last three seats jazz").waitFor();
      await held.getByText("3 tickets · $60.00").waitFor();
      await expect(held.getByRole("timer").textContent()).resolves.toMatch(/^\d+:\d\d$/);
      expect(await page.getByText("No bookings yet.").count()).toBe(0);
      await screenshot(page, "my-bookings-held");

      // The event page counts them as hers, not as anyone's, and sends her to checkout.
      await held.getByRole("link", { name: "Last three seats jazz" }).click();
      const banner = page.getByTestId("held-banner");
      await banner.waitFor();
      expect((await banner.textContent())?.replace(/\s+/g, " ")).toMatch(
        /^You have 3 tickets held — resume checkout \(\d+:\d\d\)$/,
      );
      await page.getByText("3 held by you.").waitFor();
      expect(await page.getByText(/held by .*buyer/).count()).toBe(0);
      // Sold out, but only because she holds them all: no waitlist for her.
      await page.getByTestId("waitlist-held").waitFor();
      expect(await page.getByRole("button", { name: "Join the waitlist" }).count()).toBe(0);
      await screenshot(page, "event-held");

      await banner.getByRole("link", { name: "resume checkout" }).click();
      await page.getByRole("heading", { name: "Checkout" }).waitFor();
      await page.getByRole("button", { name: /^Pay / }).click();
      await page.getByRole("heading", { name: "My bookings" }).waitFor();
      await page.getByTestId("ticket-qr").nth(2).waitFor();
      expect(await page.getByTestId("held-list").count()).toBe(0);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "going Back to a paid checkout says it is paid and links to the booking, with no Pay button",
    async () => {
      const event = await publishEvent(organizer.client, { title: "Back button blues" });
      const { tab } = await buyerOnPhone("Bao Back");
      const { page } = tab;
      await holdThroughPage(tab, event.id, 2);
      await page.getByRole("button", { name: /^Pay / }).click();
      await page.getByRole("heading", { name: "My bookings" }).waitFor();
      await page.getByTestId("ticket-qr").nth(1).waitFor();

      await page.goBack();
      await page.getByText("These tickets are paid for.").waitFor();
      expect(await page.getByRole("button", { name: /^Pay / }).count()).toBe(0);
      await screenshot(page, "checkout-paid");
      await page.getByRole("link", { name: "See your booking" }).click();
      await page.getByRole("heading", { name: "My bookings" }).waitFor();
      await page.getByTestId("ticket-qr").nth(1).waitFor();
      // The server's answer to the stale checkout is a 404 (HOLD_NOT_FOUND naming the booking).
      expectNoConsoleErrors(tab, [404]);
    },
    SLOW,
  );

  test(
    "cancelling a booking shows it cancelled, without QR codes, at once and without a reload",
    async () => {
      const event = await publishEvent(organizer.client, { title: "Change of plans" });
      const { buyer, tab } = await buyerOnPhone("Cato Cancel");
      const { page } = tab;
      await buyer.client.bookings.book.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 2 }],
      });
      await page.goto("/bookings");
      await page.getByTestId("ticket-qr").nth(1).waitFor();
      await page.evaluate(() => {
        (window as { noReload?: boolean }).noReload = true;
      });
      await page.getByRole("button", { name: "Cancel booking…" }).click();
      await page.getByTestId("refund-quote").waitFor();
      await page.getByRole("button", { name: "Yes, cancel and refund" }).click();

      await page.getByText("Booking cancelled.").waitFor();
      await page.getByText("cancelled", { exact: true }).waitFor();
      expect(await page.getByTestId("ticket-qr").count()).toBe(0);
      expect(await page.getByRole("button", { name: "Cancel booking…" }).count()).toBe(0);
      expect(await page.evaluate(() => (window as { noReload?: boolean }).noReload)).toBe(true);
      await screenshot(page, "my-bookings-cancelled");
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "on a seat map one's own held seats look different and are named as theirs, live",
    async () => {
      const { id: venueId } = await organizer.client.venues.create.mutate({
        name: "Pocket Playhouse",
        sections: [{ name: "Stalls", priceCents: 3000, rows: [{ label: "A", seats: 8 }] }],
      });
      const created = await organizer.client.events.create.mutate({
        title: "Seats of my own",
        venueId,
        startsAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
      });
      const event = await organizer.client.events.publish.mutate({ eventId: created.id });
      const { buyer, tab } = await buyerOnPhone("Sol Seatholder");
      const stranger = await h.server.register("attendee", "Stranger Sam");
      await buyer.client.bookings.hold.mutate({ eventId: event.id, seatIds: ["s1-r1-2"] });
      await stranger.client.bookings.hold.mutate({ eventId: event.id, seatIds: ["s1-r1-5"] });

      const { page } = tab;
      await page.goto(`/events/${event.id}`);
      const mine = page.getByRole("button", { name: "Stalls row A seat 2, held by you" });
      await mine.waitFor();
      expect(await mine.getAttribute("data-look")).toBe("heldByYou");
      const theirs = page.getByRole("button", { name: "Stalls row A seat 5, held", exact: true });
      expect(await theirs.getAttribute("data-look")).toBeNull();
      // Different to the eye too, not only to a screen reader.
      const look = (button: typeof mine) =>
        button.evaluate((el) => `${getComputedStyle(el).backgroundColor} ${el.textContent}`);
      expect(await look(mine)).not.toBe(await look(theirs));
      await page.getByRole("list", { name: "Legend" }).getByText("Held by you").waitFor();
      await page.getByText(/^You have 1 seat held — resume checkout/).waitFor();

      // Held from elsewhere (another tab): the map says so live, without a reload.
      await page.getByText("Updates live.").first().waitFor();
      await buyer.client.bookings.hold.mutate({ eventId: event.id, seatIds: ["s1-r1-7"] });
      await page.getByRole("button", { name: "Stalls row A seat 7, held by you" }).waitFor();
      await mine.click({ force: true });
      await page.getByText("Stalls row A seat 2 is held by you: resume checkout").waitFor();
      await screenshot(page, "seat-map-mine");
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );
});
