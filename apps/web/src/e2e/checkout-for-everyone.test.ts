/**
 * Checkout for everyone in the browser: a buyer without an account buys two named tickets with
 * answers at phone width and manages the order from the mailed link; a link that matches no
 * order; inline validation of the organizer's questions before any request; an organizer
 * building questions with the preview and reading the answers; and an event that sells to
 * signed-in buyers only. Mail goes over SMTP to a real SMTP server started here.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { linkIn, MailSink } from "@boxoffice/server/testing";
import {
  type Account,
  axeViolations,
  expectNoConsoleErrors,
  type Harness,
  PASSWORD,
  publishEvent,
  requestsTo,
  screenshot,
  startHarness,
} from "./harness.ts";

let h: Harness;
let organizer: Account;
const sink = new MailSink();
const SLOW = 90_000;
const PHONE = { width: 390, height: 844 };

beforeAll(async () => {
  await sink.start();
  h = await startHarness(sink.env);
  organizer = await h.server.register("organizer", "Workshop Co");
});
afterAll(async () => {
  await h?.close();
  await sink.stop();
});

/** A workshop naming every ticket, asking a diet per ticket and consent once per order. */
function workshop(title: string) {
  return publishEvent(organizer.client, {
    title,
    venueName: "Hall B",
    ticketTypes: [{ name: "General", priceCents: 4000, capacity: 30 }],
    personalizedTickets: "name",
    editCutoffHours: 24,
    questions: [
      {
        label: "Diet",
        kind: "choice",
        options: ["Vegan", "Vegetarian", "Anything"],
        required: true,
        per: "ticket",
      },
      { label: "Company", kind: "text", required: false, per: "order", helpText: "For badges" },
      { label: "I agree to be photographed", kind: "checkbox", required: true, per: "order" },
    ],
  });
}

/** A new workshop's page on a phone, noting every request to confirm a hold from the start. */
async function onWorkshopPage(title: string) {
  const event = await workshop(title);
  const tab = await h.open(PHONE);
  const confirms = requestsTo(tab.page, "bookings.confirm");
  await tab.page.goto(`/events/${event.id}`);
  return { tab, page: tab.page, confirms };
}

describe("checkout for everyone in the browser", () => {
  test(
    "a buyer without an account buys two named tickets with answers on a phone, then changes a name from the mailed link",
    async () => {
      const { tab, page, confirms } = await onWorkshopPage("Clay Workshop");
      await page.getByRole("heading", { level: 1, name: "Clay Workshop" }).waitFor();
      await page.getByLabel("Quantity of General").selectOption("2");
      await page.getByRole("button", { name: "Continue", exact: true }).click();
      await page.getByRole("heading", { name: "Your details" }).waitFor();
      await page.getByRole("link", { name: "Or sign in" }).waitFor();
      await page.getByLabel("Email").fill("guest.grace@example.test");
      await page.getByLabel("Your name").fill("Grace Guest");
      await page.getByRole("button", { name: "Continue to checkout" }).click();

      await page.getByRole("heading", { level: 1, name: "Checkout" }).waitFor();
      const first = page.getByRole("group", { name: "Ticket 1 · General" });
      const second = page.getByRole("group", { name: "Ticket 2 · General" });
      // The first ticket's name comes from the buyer.
      expect(await first.getByLabel("Name on ticket 1").inputValue()).toBe("Grace Guest");
      await second.getByLabel("Name on ticket 2").fill("Alan Turing");
      await first.getByRole("radio", { name: "Vegan" }).check();
      await second.getByRole("radio", { name: "Anything" }).check();
      await page.getByLabel("Company").fill("Bletchley Ltd");
      await screenshot(page, "guest-checkout");

      // Consent not given: the message is at its field, and nothing was sent.
      await page.getByRole("button", { name: /^Pay / }).click();
      const consent = page.getByRole("checkbox", { name: /I agree to be photographed/ });
      await page.getByText("Please tick this box to continue").waitFor();
      expect(await consent.getAttribute("aria-invalid")).toBe("true");
      expect(confirms).toEqual([]);

      await consent.check();
      await page.getByRole("button", { name: /^Pay / }).click();
      await page.waitForURL(/\/orders\/bkg_[a-z0-9]+\.[a-z0-9]{26}/);
      await page.getByText("You are booked!").waitFor();
      await page.getByText("Alan Turing").waitFor();
      expect(await page.locator("[data-testid=ticket-attendee]").allTextContents()).toEqual([
        "Grace Guest",
        "Alan Turing",
      ]);
      expectNoConsoleErrors(tab);

      // The confirmation mail's link opens the order, in a browser that never saw it.
      const mail = await sink.waitFor("guest.grace@example.test", /Your tickets for Clay Workshop/);
      const link = linkIn(mail.text, "/orders/");
      const later = await h.open(PHONE);
      await later.page.goto(link);
      await later.page.getByRole("heading", { level: 1, name: "Clay Workshop" }).waitFor();
      await later.page.getByText(/You can change names and answers until/).waitFor();
      expect(await later.page.locator("[data-testid=ticket-code]").count()).toBe(2);
      await screenshot(later.page, "order-page");
      const overflow = await later.page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);

      await later.page.getByRole("button", { name: "Change names or answers" }).click();
      const second2 = later.page.getByRole("group", { name: "Ticket 2 · General" });
      expect(await second2.getByLabel("Name on ticket 2").inputValue()).toBe("Alan Turing");
      expect(await second2.getByRole("radio", { name: "Anything" }).isChecked()).toBe(true);
      await second2.getByLabel("Name on ticket 2").fill("Ada Lovelace");
      await later.page.getByRole("button", { name: "Save changes" }).click();
      await later.page.getByText("Saved.").waitFor();
      await later.page.getByText("Ada Lovelace").first().waitFor();
      await later.page.reload();
      await later.page.getByRole("heading", { level: 1, name: "Clay Workshop" }).waitFor();
      expect(await later.page.locator("[data-testid=ticket-attendee]").allTextContents()).toEqual([
        "Grace Guest",
        "Ada Lovelace",
      ]);
      expect(await axeViolations(later.page)).toEqual([]);
      expectNoConsoleErrors(later);
    },
    SLOW,
  );

  test(
    "a link that matches no order says so, on a page of its own",
    async () => {
      const tab = await h.open(PHONE);
      await tab.page.goto("/orders/abcdefghijkmnpqrstuvwxyz23");
      await tab.page
        .getByRole("heading", { level: 1, name: "This link doesn't match an order" })
        .waitFor();
      expect(await tab.page.title()).toContain("This link doesn't match an order");
      expect(await axeViolations(tab.page)).toEqual([]);
      // The refusal itself is a 404.
      expectNoConsoleErrors(tab, [404]);
    },
    SLOW,
  );

  test(
    "a missing required answer shows at its ticket's field, without a request",
    async () => {
      const { tab, page, confirms } = await onWorkshopPage("Glaze Workshop");
      await page.getByLabel("Quantity of General").selectOption("2");
      await page.getByRole("button", { name: "Continue", exact: true }).click();
      // A bad email is named at its field by the server's own schema, before any hold.
      await page.getByLabel("Email").fill("not an email");
      await page.getByLabel("Your name").fill("Hedy Guest");
      await page.getByRole("button", { name: "Continue to checkout" }).click();
      await page.getByText("Enter a valid email address").waitFor();
      await page.getByLabel("Email").fill("hedy@example.test");
      await page.getByRole("button", { name: "Continue to checkout" }).click();
      await page.getByRole("heading", { level: 1, name: "Checkout" }).waitFor();

      const second = page.getByRole("group", { name: "Ticket 2 · General" });
      await second.getByLabel("Name on ticket 2").fill("Frances Allen");
      await page
        .getByRole("group", { name: "Ticket 1 · General" })
        .getByRole("radio", {
          name: "Vegan",
        })
        .check();
      await page.getByRole("checkbox", { name: /I agree/ }).check();
      await page.getByRole("button", { name: /^Pay / }).click();
      // Ticket 2's diet, and only that, is named; the focus goes there.
      const diet = second.getByRole("group", { name: /Diet/ });
      await diet.getByText("Required", { exact: true }).waitFor();
      const vegan2 = diet.getByRole("radio", { name: "Vegan" });
      expect(await vegan2.getAttribute("aria-invalid")).toBe("true");
      await page.waitForFunction(() => document.activeElement?.getAttribute("type") === "radio");
      expect(await vegan2.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await page.getByText("Required", { exact: true }).count()).toBe(1);
      expect(confirms).toEqual([]);
      await diet.getByRole("radio", { name: "Vegetarian" }).check();
      await page.getByText("Required", { exact: true }).waitFor({ state: "detached" });
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "an organizer builds questions with a preview, then reads the answers in the attendee list and analytics",
    async () => {
      const event = await publishEvent(organizer.client, {
        title: "Print Workshop",
        ticketTypes: [{ name: "Seat", priceCents: 1500, capacity: 20 }],
      });
      const tab = await h.open({ token: organizer.token });
      const { page } = tab;
      await page.goto(`/organizer/events/${event.id}/edit`);
      await page.getByRole("group", { name: "Questions at checkout" }).waitFor();
      await page.getByLabel("Names on tickets").selectOption("name");

      await page.getByRole("button", { name: "Add question" }).click();
      await page.getByLabel("Question 1", { exact: true }).fill("Company");
      await page.getByRole("button", { name: "Add question" }).click();
      await page.getByLabel("Question 2", { exact: true }).fill("T-shirt size");
      await page.getByLabel("Question 2 kind").selectOption("choice");
      await page.getByLabel("Question 2 option 1").fill("S");
      await page.getByLabel("Question 2 option 2").fill("M");
      await page.getByRole("button", { name: "Add option to question 2" }).click();
      await page.getByLabel("Question 2 option 3").fill("L");
      await page.getByLabel("Question 2 asked").selectOption("ticket");
      await page.getByRole("checkbox", { name: "Required (question 2)" }).check();
      // Reordered with the keyboard: the shirt size comes first.
      await page.getByRole("button", { name: "Move up question 2" }).focus();
      await page.keyboard.press("Enter");
      expect(await page.getByLabel("Question 1", { exact: true }).inputValue()).toBe(
        "T-shirt size",
      );

      // The preview draws the questions as checkout does.
      const preview = page.getByRole("region", { name: "Preview of checkout" });
      const shirt = preview.getByRole("group", { name: /T-shirt size/ });
      await shirt.getByRole("radio", { name: "M" }).waitFor();
      await preview.getByLabel("Name on ticket 1").waitFor();
      await preview.getByLabel("Company").waitFor();
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.getByText("Saved.").waitFor();

      // A guest buys with answers (through the API), then the organizer reads them.
      const saved = await organizer.client.events.get.query({ eventId: event.id });
      const [sizeQ, companyQ] = saved.questions;
      expect([sizeQ?.label, companyQ?.label]).toEqual(["T-shirt size", "Company"]);
      const guest = h.server.client();
      const hold = await guest.bookings.hold.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: saved.ticketTypes[0]?.id ?? "", quantity: 1 }],
        buyer: { email: "linus@example.test", name: "Linus Guest" },
      });
      await guest.bookings.confirm.mutate({
        holdId: hold.id,
        idempotencyKey: "print-1",
        buyer: { email: "linus@example.test", name: "Linus Guest" },
        payment: { method: "mock" },
        attendees: [{ name: "Linus Guest" }],
        answers: [
          { questionId: sizeQ?.id ?? "", ticketIndex: 0, value: "M" },
          { questionId: companyQ?.id ?? "", value: "Kernel Inc" },
        ],
      });

      await page.getByRole("link", { name: "Attendees" }).click();
      await page.getByText("Guest (no account)").waitFor();
      await page.getByText("linus@example.test").first().waitFor();
      await page.getByText("Answers (2)").click();
      await page.getByText("Ticket 1 · T-shirt size").waitFor();
      await page.getByText("Kernel Inc").waitFor();

      await page.getByRole("link", { name: "Analytics" }).click();
      const figure = page.getByRole("figure", { name: "Answers: T-shirt size" });
      await figure.waitFor();
      await figure.getByText(/as a table/).click();
      const row = figure.getByRole("row", { name: /^M 1$/ });
      await row.waitFor();
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "an event selling to signed-in buyers only asks to sign in, and keeps the quantity picked",
    async () => {
      const event = await publishEvent(organizer.client, {
        title: "Members Evening",
        guestCheckout: false,
        ticketTypes: [{ name: "Member", priceCents: 0, capacity: 20 }],
      });
      const member = await h.server.register("attendee", "Mary Member");
      const tab = await h.open(PHONE);
      const { page } = tab;
      await page.goto(`/events/${event.id}`);
      await page.getByLabel("Quantity of Member").selectOption("2");
      expect(await page.getByRole("button", { name: "Continue", exact: true }).count()).toBe(0);
      await page.getByRole("link", { name: "Sign in to buy" }).click();
      await page.getByLabel("Email").fill(member.email);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { level: 1, name: "Members Evening" }).waitFor();
      expect(await page.getByLabel("Quantity of Member").inputValue()).toBe("2");
      await page.getByRole("button", { name: "Hold tickets" }).click();
      await page.getByRole("heading", { level: 1, name: "Checkout" }).waitFor();
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );
});
