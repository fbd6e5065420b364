/**
 * Issue 13, point 12: the door and ticket codes, and the small things around them that cost a
 * buyer or an admin dearly: codes people can read out, a used booking that cannot be refunded,
 * quantity selects within the event's limits, free tickets that do not quote a refund, role
 * changes confirmed, and a lost session that says so and leads back.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { confirmedBooking } from "@boxoffice/client";
import {
  type Account,
  ADMIN,
  expectNoConsoleErrors,
  type Harness,
  publishEvent,
  signIn,
  startHarness,
} from "./harness.ts";

let h: Harness;
let organizer: Account;

beforeAll(async () => {
  h = await startHarness();
  organizer = await h.server.register("organizer", "Door Keeper Events");
});
afterAll(() => h?.close());

const SLOW = 60_000;
const PHONE = { width: 390, height: 844 };

/** Every character a code may have: no I, L, O, 0 or 1 (spaces group it for reading). */
const LOOK_ALIKE_FREE = /^[A-HJKMNP-Z2-9 ]+$/;

async function bookGeneral(
  buyer: Account,
  event: Awaited<ReturnType<typeof publishEvent>>,
  quantity: number,
) {
  return confirmedBooking(
    await buyer.client.bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: event.ticketTypes[0]?.id ?? "", quantity }],
    }),
  );
}

/**
 * Resolves once no API call (live streams aside) has been in flight for 300 ms: the page's own
 * reads are over, so the next call is the scenario's.
 */
function quietCalls(page: import("playwright-core").Page): () => Promise<void> {
  let inFlight = 0;
  let since = Date.now();
  const isCall = (url: string) => url.includes("/trpc/") && !url.includes("events.availability");
  page.on("request", (r) => {
    if (isCall(r.url())) inFlight += 1;
  });
  const done = (r: import("playwright-core").Request) => {
    if (!isCall(r.url())) return;
    inFlight -= 1;
    since = Date.now();
  };
  page.on("requestfinished", done);
  page.on("requestfailed", done);
  return async () => {
    while (inFlight > 0 || Date.now() - since < 300) await Bun.sleep(50);
  };
}

describe("door and codes", () => {
  test(
    "ticket codes in My bookings have no look-alike characters (I, L, O, 0, 1)",
    async () => {
      const event = await publishEvent(organizer.client, {
        title: "Readable Codes Night",
        maxPerOrder: 10,
      });
      const buyer = await h.server.register("attendee", "Rita Reader");
      // 200 symbols: with the old alphabet an I among them was all but certain.
      await bookGeneral(buyer, event, 10);
      const tab = await h.open({ token: buyer.token, ...PHONE });
      const { page } = tab;
      await page.goto("/bookings");
      await page.getByTestId("ticket-code").first().waitFor();
      const codes = await page.getByTestId("ticket-code").allTextContents();
      expect(codes).toHaveLength(10);
      for (const code of codes) expect(code).toMatch(LOOK_ALIKE_FREE);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "the door admits an older code typed with 1 or l for its I",
    async () => {
      const event = await publishEvent(organizer.client, { title: "Old Codes Ball" });
      const buyer = await h.server.register("attendee", "Otto Oldcode");
      const booking = await bookGeneral(buyer, event, 1);
      // A code as the old alphabet made them (it had I, never 1, L, 0 or O).
      const old = "KIWIPIZZA23456789ABC";
      h.server.server.services.db.$client
        .prepare("update tickets set code = ? where id = ?")
        .run(old, booking.tickets[0]?.id ?? "");

      const tab = await h.open({ token: organizer.token, ...PHONE });
      const { page } = tab;
      await page.goto(`/organizer/events/${event.id}/door`);
      const input = page.getByLabel("Ticket code");
      await input.fill("K1W1-P1ZZ-A234-5678-9ABC");
      await input.press("Enter");
      await page.locator("[data-result=ok]").waitFor();
      expect(await page.locator("[data-result=ok]").textContent()).toContain("Otto Oldcode");
      await input.fill("klwlplzza23456789abc");
      await input.press("Enter");
      await page.locator("[data-result=already]").waitFor();
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "an attendee cannot cancel a checked-in booking for a refund; the organizer still can",
    async () => {
      const event = await publishEvent(organizer.client, { title: "Used Ticket Gig" });
      const buyer = await h.server.register("attendee", "Ursula Used");
      const booking = await bookGeneral(buyer, event, 2);
      const tab = await h.open({ token: buyer.token, ...PHONE });
      const { page } = tab;
      await page.goto("/bookings");
      await page.getByTestId("ticket-code").first().waitFor();
      // Scanned while the page is open: the refusal comes with the quote.
      await organizer.client.checkin.scan.mutate({
        eventId: event.id,
        code: booking.tickets[0]?.code ?? "",
      });
      await page.getByRole("button", { name: "Cancel booking…" }).click();
      await page.getByRole("alert").filter({ hasText: "used at the door" }).waitFor();
      expect(await page.getByRole("button", { name: /Yes, cancel/ }).isDisabled()).toBe(true);
      // Seen as used: no cancel button at all, and why.
      await page.reload();
      await page.getByText("Used at the door: this booking can no longer be cancelled").waitFor();
      expect(await page.getByRole("button", { name: "Cancel booking…" }).count()).toBe(0);
      const refused = await buyer.client.bookings.cancel.mutate({ bookingId: booking.id }).then(
        () => null,
        (error: { data?: { reason?: string } }) => error.data?.reason,
      );
      expect(refused).toBe("ALREADY_CHECKED_IN");
      const byOrganizer = await organizer.client.bookings.cancel.mutate({ bookingId: booking.id });
      expect(byOrganizer.booking.status).toBe("cancelled");
      // The refused quote is the one failed request this scenario provokes.
      expectNoConsoleErrors(tab, [409]);
    },
    SLOW,
  );

  test(
    "quantity selects offer no more than the order, person and stock limits allow",
    async () => {
      const event = await publishEvent(organizer.client, {
        title: "Limited Tickets Fair",
        maxPerOrder: 10,
        maxPerUser: 6,
        ticketTypes: [
          { name: "Adult", priceCents: 2000, capacity: 50 },
          { name: "Child", priceCents: 1000, capacity: 3 },
        ],
      });
      const buyer = await h.server.register("attendee", "Quinn Quantity");
      await bookGeneral(buyer, event, 2);
      const tab = await h.open({ token: buyer.token, ...PHONE });
      const { page } = tab;
      await page.goto(`/events/${event.id}`);
      const options = async (label: string) =>
        (await page.getByLabel(label).locator("option").allTextContents()).map(Number);
      const adult = "Quantity of Adult";
      const child = "Quantity of Child";
      await page.getByLabel(adult).waitFor();
      // Six per person, two already booked: four more at most; three children left in stock.
      expect(Math.max(...(await options(adult)))).toBe(4);
      expect(Math.max(...(await options(child)))).toBe(3);
      // What one select takes, the other no longer offers.
      await page.getByLabel(adult).selectOption("3");
      expect(Math.max(...(await options(child)))).toBe(1);
      await page.getByText(/can have 4 more tickets/).waitFor();
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "cancelling a free ticket says there is nothing to refund, never $0.00",
    async () => {
      const event = await publishEvent(organizer.client, {
        title: "Free Community Picnic",
        ticketTypes: [{ name: "Entry", priceCents: 0, capacity: 30 }],
      });
      const buyer = await h.server.register("attendee", "Fred Free");
      await bookGeneral(buyer, event, 1);
      const tab = await h.open({ token: buyer.token, ...PHONE });
      const { page } = tab;
      await page.goto("/bookings");
      await page.getByRole("button", { name: "Cancel booking…" }).click();
      const quote = page.getByTestId("refund-quote");
      await quote.waitFor();
      expect(await quote.textContent()).toContain("Free ticket: nothing to refund");
      expect(await quote.textContent()).not.toContain("$0.00");
      await page.getByRole("button", { name: "Yes, cancel" }).click();
      await page.getByText("Booking cancelled.").waitFor();
      expect(await page.locator("main").textContent()).not.toContain("$0.00");
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "an admin confirms a role change in a dialog, and focus returns to the button",
    async () => {
      const person = await h.server.register("attendee", "Candidate Carla");
      const tab = await h.open();
      const { page } = tab;
      await signIn(page, ADMIN.email, ADMIN.password);
      await page.goto("/admin/users");
      await page.getByLabel("Search users").fill("Candidate");
      await page.getByRole("button", { name: "Search" }).click();
      const change = page.getByRole("button", { name: "Change role of Candidate Carla" });
      await change.click();
      const dialog = page.getByRole("dialog", { name: "Change the role of Candidate Carla" });
      await dialog.waitFor();
      await dialog.getByLabel(/^Admin/).check();
      await dialog.getByText(/every event, venue and user/).waitFor();
      // Cancelling changes nothing and gives focus back to the button that opened the dialog.
      await dialog.getByRole("button", { name: "Cancel" }).click();
      await dialog.waitFor({ state: "hidden" });
      expect(await change.evaluate((el) => el === document.activeElement)).toBe(true);
      expect((await person.client.auth.me.query())?.role).toBe("attendee");

      await page.keyboard.press("Enter");
      await dialog.waitFor();
      await dialog.getByLabel(/^Admin/).check();
      await dialog.getByRole("button", { name: "Make admin" }).click();
      await page.getByText("Candidate Carla is now admin.").waitFor();
      expect((await person.client.auth.me.query())?.role).toBe("admin");
      expect(await change.evaluate((el) => el === document.activeElement)).toBe(true);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "a lost session shows signed out at once, and 'Please sign in' links to sign-in and back",
    async () => {
      const event = await publishEvent(organizer.client, { title: "Session Expiry Social" });
      const buyer = await h.server.register("attendee", "Sid Session");
      const tab = await h.open({ token: buyer.token, ...PHONE });
      const { page } = tab;
      const quiet = quietCalls(page);
      await page.goto(`/events/${event.id}`);
      await page.getByRole("button", { name: "Hold tickets" }).waitFor();
      // Live, and the page's own reads done: the hold below is what meets the lost session.
      await page.getByText("Updates live.").waitFor();
      await quiet();
      // The session ends elsewhere (signed out on another device, or expired).
      await buyer.client.auth.logout.mutate();
      await page.getByLabel("Quantity of General").selectOption("2");
      await page.getByRole("button", { name: "Hold tickets" }).click();
      const alert = page.getByRole("alert").filter({ hasText: "Please sign in to continue." });
      await alert.waitFor();
      // The header no longer shows the old user.
      await page.getByRole("button", { name: "Menu" }).click();
      const nav = page.getByRole("navigation", { name: "Main" });
      await nav.getByRole("link", { name: "Sign in", exact: true }).waitFor();
      expect(await nav.getByText("Sid Session").count()).toBe(0);
      await page.getByRole("button", { name: "Menu" }).click();

      await alert.getByRole("link", { name: "Sign in" }).click();
      await page.getByLabel("Email").fill(buyer.email);
      await page.getByLabel("Password").fill("correct horse battery");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Session Expiry Social" }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/events/${event.id}`);
      // The refused hold is the one failed request this scenario provokes.
      expectNoConsoleErrors(tab, [401]);
    },
    SLOW,
  );

  test(
    "signing out in one tab shows the other tab signed out at once",
    async () => {
      const buyer = await h.server.register("attendee", "Tina Twotabs");
      const tab = await h.open({ token: buyer.token });
      const first = tab.page;
      const second = await tab.context.newPage();
      await first.goto("/");
      await second.goto("/");
      const nav = (page: typeof first) => page.getByRole("navigation", { name: "Main" });
      await nav(second)
        .getByRole("link", { name: /Tina Twotabs/ })
        .waitFor();
      await first.getByRole("button", { name: "Sign out" }).click();
      await nav(second).getByRole("link", { name: "Sign in", exact: true }).waitFor();
      expect(await nav(second).getByText("Tina Twotabs").count()).toBe(0);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );
});
