/**
 * Promo and access codes in the browser: a buyer applies a code on a phone, sees the hidden type
 * it unlocks and the discounted total, and pays; a wrong code is explained at its field; a link
 * with `?code=` applies itself; a 100 % code makes a free order; a presale code lets its holder
 * hold before sales open while the page tells everyone else when they open; an organizer creates
 * a code, generates five, and disables one.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
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
let organizer: Account;
let buyer: Account;
const SLOW = 90_000;
const PHONE = { width: 390, height: 844 };

beforeAll(async () => {
  h = await startHarness();
  organizer = await h.server.register("organizer", "Festival Co");
  buyer = await h.server.register("attendee", "Bea Buyer");
}, SLOW);
afterAll(() => h?.close());

/** A published event with a public General type and a hidden Crew type. */
async function festival(title: string, extra: Record<string, unknown> = {}) {
  const event = await publishEvent(organizer.client, {
    title,
    ticketTypes: [
      { name: "General", priceCents: 2500, capacity: 50 },
      { name: "Crew", priceCents: 1000, capacity: 10, hidden: true },
    ],
    ...extra,
  });
  const all = await organizer.client.events.get.query({ eventId: event.id });
  const crew = all.ticketTypes.find((t) => t.name === "Crew");
  if (!crew) throw new Error("no Crew type");
  return { event, crewId: crew.id };
}

/** At phone width: the page has no horizontal scrolling. */
async function overflow(page: import("playwright-core").Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

describe("codes in the browser", () => {
  test(
    "a buyer applies a code, sees the hidden type and the discounted total, and pays",
    async () => {
      const { event, crewId } = await festival("Summer Fest");
      await organizer.client.codes.create.mutate({
        eventId: event.id,
        code: "CREW20",
        kind: "discount",
        discount: { percent: 20 },
        unlocksTicketTypeIds: [crewId],
      });
      const tab = await h.open({ token: buyer.token, ...PHONE });
      const { page } = tab;
      await page.goto(`/events/${event.id}`);
      await page.getByRole("heading", { level: 1, name: "Summer Fest" }).waitFor();
      expect(await page.getByLabel("Quantity of Crew").count()).toBe(0);

      await page.getByRole("button", { name: "Have a code?" }).click();
      await page.getByLabel("Promo or access code").fill("crew20");
      await page.getByRole("button", { name: "Apply" }).click();
      const applied = page.getByTestId("applied-code");
      await applied.waitFor();
      expect(await applied.textContent()).toContain("20 % off every ticket. Unlocks Crew.");
      await page.getByText("with your code", { exact: true }).waitFor();
      // The list price struck through, and the same said in words.
      await page.getByText("$8.00 with your code instead of $10.00").waitFor();

      await page.getByLabel("Quantity of Crew").selectOption("2");
      await page.getByText("$16.00 with your code instead of $20.00").waitFor();
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await screenshot(page, "codes-event-page-phone");
      await page.getByRole("button", { name: "Hold tickets" }).click();

      await page.getByRole("heading", { level: 1, name: "Checkout" }).waitFor();
      expect(await page.getByTestId("checkout-code").textContent()).toBe(
        "Code CREW20: you save $4.00.",
      );
      expect(await page.getByTestId("checkout-total").textContent()).toBe("$16.00");
      await page.getByText("2 × Crew").waitFor();
      await screenshot(page, "codes-checkout-phone");
      await page.getByRole("button", { name: "Pay $16.00" }).click();
      await page.waitForURL(/\/bookings\?booked=/);
      await page.getByText(/with code CREW20/).waitFor();
      expectNoConsoleErrors(tab);

      const bookings = await buyer.client.bookings.mine.query({ limit: 10 });
      const booking = bookings.items.find((b) => b.eventId === event.id);
      expect(booking?.totalCents).toBe(1600);
      expect(booking?.code?.code).toBe("CREW20");
    },
    SLOW,
  );

  test(
    "an unknown code is explained at the field, and a code in the link applies itself",
    async () => {
      const { event } = await festival("Autumn Fest");
      await organizer.client.codes.create.mutate({
        eventId: event.id,
        code: "PRESS",
        kind: "discount",
        discount: { amountCents: 500 },
      });
      const tab = await h.open(PHONE);
      const { page } = tab;
      await page.goto(`/events/${event.id}`);
      await page.getByRole("button", { name: "Have a code?" }).click();
      const field = page.getByLabel("Promo or access code");
      await field.fill("NOPE-NOPE");
      await page.getByRole("button", { name: "Apply" }).click();
      await page
        .getByText("We do not know that code for this event. Check its spelling and try again.")
        .waitFor();
      expect(await field.getAttribute("aria-invalid")).toBe("true");
      expectNoConsoleErrors(tab, [404]);

      await page.goto(`/events/${event.id}?code=press`);
      await page.getByTestId("applied-code").waitFor();
      expect(await page.getByTestId("applied-code").textContent()).toContain(
        "$5.00 off each ticket.",
      );
      await page.getByText("$20.00 with your code instead of $25.00").waitFor();
      // Signing in keeps the code, like the quantities.
      await page.getByLabel("Quantity of General").selectOption("1");
      await page.getByRole("button", { name: "Continue", exact: true }).click();
      const signIn = page.getByRole("link", { name: "Or sign in" });
      expect(await signIn.getAttribute("href")).toContain("code%3Dpress");
    },
    SLOW,
  );

  test(
    "a code used up between applying it and holding says so at the code",
    async () => {
      const { event } = await festival("Last Seat Fest");
      await organizer.client.codes.create.mutate({
        eventId: event.id,
        code: "ONCE",
        kind: "discount",
        discount: { percent: 50 },
        maxUses: 1,
      });
      const tab = await h.open({ token: buyer.token, ...PHONE });
      const { page } = tab;
      await page.goto(`/events/${event.id}?code=once`);
      await page.getByTestId("applied-code").waitFor();
      // Someone else takes the only use meanwhile.
      const other = await h.server.register("attendee");
      await other.client.bookings.hold.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: event.ticketTypes[0]?.id ?? "", quantity: 1 }],
        code: "ONCE",
      });
      await page.getByLabel("Quantity of General").selectOption("1");
      await page.getByRole("button", { name: "Hold tickets" }).click();
      const refusal = page.getByTestId("applied-code").getByRole("alert");
      expect(await refusal.textContent()).toBe(
        "That code has been used as many times as it may be.",
      );
      expectNoConsoleErrors(tab, [409]);
    },
    SLOW,
  );

  test(
    "a 100 % code makes a free order that needs no payment",
    async () => {
      const { event } = await festival("Free Fest");
      await organizer.client.codes.create.mutate({
        eventId: event.id,
        code: "SPEAKER",
        kind: "discount",
        discount: { percent: 100 },
        maxUses: 1,
      });
      const tab = await h.open({ token: buyer.token, ...PHONE });
      const { page } = tab;
      await page.goto(`/events/${event.id}?code=SPEAKER`);
      await page.getByTestId("applied-code").waitFor();
      expect(await page.getByTestId("applied-code").textContent()).toContain(
        "Every ticket is free.",
      );
      await page.getByLabel("Quantity of General").selectOption("1");
      await page.getByRole("button", { name: "Hold tickets" }).click();
      await page.getByText("Free with your code: no payment needed.").waitFor();
      await page.getByRole("button", { name: "Confirm booking" }).click();
      await page.waitForURL(/\/bookings\?booked=/);
      await page.getByText(/Free with code SPEAKER/).waitFor();
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "a presale code lets a buyer hold before sales open while the page says sales open later for others",
    async () => {
      const inHours = (n: number) => new Date(Date.now() + n * 3_600_000).toISOString();
      const { event } = await festival("Members Night", { salesStartAt: inHours(48) });
      await organizer.client.codes.create.mutate({
        eventId: event.id,
        code: "MEMBERS",
        kind: "access",
        opensSalesAt: inHours(-1),
      });
      const tab = await h.open({ token: buyer.token, ...PHONE });
      const { page } = tab;
      await page.goto(`/events/${event.id}`);
      await page
        .getByText(/^Sales open /)
        .first()
        .waitFor();
      expect(await page.getByLabel("Quantity of General").isDisabled()).toBe(true);

      await page.getByRole("button", { name: "Have a code?" }).click();
      await page.getByLabel("Promo or access code").fill("members");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.getByText("Presale: you can buy now.").waitFor();
      await page.getByText("Presale: your code lets you buy now.").waitFor();
      await page.getByText(/^Sales open to everyone else /).waitFor();
      await page.getByLabel("Quantity of General").selectOption("1");
      await screenshot(page, "codes-presale-phone");
      await page.getByRole("button", { name: "Hold tickets" }).click();
      await page.getByRole("heading", { level: 1, name: "Checkout" }).waitFor();
      expectNoConsoleErrors(tab);

      // Without the code, everyone else still waits.
      const other = await h.server.register("attendee");
      await expect(
        other.client.bookings.hold.mutate({
          eventId: event.id,
          items: [{ ticketTypeId: event.ticketTypes[0]?.id ?? "", quantity: 1 }],
        }),
      ).rejects.toThrow();
    },
    SLOW,
  );

  test(
    "an organizer creates a code, generates five, sees them listed and disables one",
    async () => {
      const { event } = await festival("Winter Fest");
      const tab = await h.open({ token: organizer.token, ...PHONE });
      const { page } = tab;
      await page.goto(`/organizer/events/${event.id}/codes`);
      await page.getByRole("heading", { name: "Codes" }).waitFor();
      // The tabs stay in sight at phone width.
      await page.getByRole("link", { name: "Codes" }).waitFor();
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await page.getByText("No codes yet.").waitFor();

      await page.getByRole("button", { name: "New codes" }).click();
      await page.getByLabel("Code", { exact: true }).fill("early-bird");
      await page.getByLabel("Percent off (100 makes it free)").fill("15");
      await page.getByLabel("Max uses (empty: unlimited)").fill("100");
      await page.getByRole("button", { name: "Create code" }).click();
      await page.getByText("Created EARLY-BIRD.").waitFor();
      const list = page.getByRole("list", { name: "Codes" });
      const codeTexts = () => list.getByTestId("code-text").allTextContents();
      expect(await codeTexts()).toEqual(["EARLY-BIRD"]);
      expect(await list.getByText("0 / 100 used").count()).toBe(1);

      await page.getByRole("button", { name: "New codes" }).click();
      await page.getByRole("radio", { name: "Many single-use codes" }).check();
      await page.getByLabel("How many").fill("5");
      await page.getByLabel("Prefix (optional)").fill("SPK-");
      await page.getByLabel("Percent off (100 makes it free)").fill("100");
      await page.getByRole("button", { name: "Generate codes" }).click();
      await page.getByText("Generated 5 codes.").waitFor();
      expect((await codeTexts()).filter((c) => /^SPK-[A-Z2-9]{10}$/.test(c))).toHaveLength(5);
      expect(await list.getByText("0 / 1 used").count()).toBe(5);
      await screenshot(page, "codes-organizer-phone");

      // Search by prefix.
      await page.getByLabel("Search codes").fill("early");
      await page.getByRole("button", { name: "Search" }).click();
      await page.waitForFunction(
        () => document.querySelectorAll("[aria-label=Codes] > li").length === 1,
      );

      await page.getByRole("button", { name: "Disable EARLY-BIRD" }).click();
      const dialog = page.getByRole("dialog", { name: "Disable EARLY-BIRD?" });
      await dialog.getByRole("button", { name: "Disable code" }).click();
      await page.getByText("EARLY-BIRD is disabled.").waitFor();
      await list.getByText("Disabled", { exact: true }).waitFor();
      expect(await page.getByRole("link", { name: "Download CSV" }).getAttribute("href")).toBe(
        `/exports/events/${event.id}/codes.csv`,
      );
      expect(await axeViolations(page)).toEqual([]);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "an organizer marks a ticket type hidden in the event form",
    async () => {
      const tab = await h.open({ token: organizer.token });
      const { page } = tab;
      const { event } = await festival("Spring Fest");
      await page.goto(`/organizer/events/${event.id}/edit`);
      const crew = page.getByRole("checkbox", {
        name: "Hidden (only with an access code) for type 2",
      });
      expect(await crew.isChecked()).toBe(true);
      const general = page.getByRole("checkbox", {
        name: "Hidden (only with an access code) for type 1",
      });
      expect(await general.isChecked()).toBe(false);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );
});
