/**
 * Mail links land right: the server sends over SMTP to a real SMTP server; the links are taken
 * out of each received mail's HTML (its hrefs) and opened in Chromium at phone width. The order
 * link shows the order, the event link the event, a waitlist offer's link the checkout (after
 * signing in), and a broadcast's unsubscribe link the page that unsubscribes, with Undo.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { confirmedBooking } from "@boxoffice/client";
import { MailSink, type ReceivedMail } from "@boxoffice/server/testing";
import {
  type Account,
  axeViolations,
  expectNoConsoleErrors,
  type Harness,
  PASSWORD,
  publishEvent,
  screenshot,
  startHarness,
  type Tab,
} from "./harness.ts";

let h: Harness;
const sink = new MailSink();
let organizer: Account;
const SLOW = 90_000;
const PHONE = { width: 390, height: 844 };
const GUEST = { email: "guest.gwen@example.test", name: "Gwen Guest" };

beforeAll(async () => {
  await sink.start();
  h = await startHarness(sink.env);
  organizer = await h.server.register("organizer", "Riverside Hall");
}, SLOW);
afterAll(async () => {
  await h?.close();
  await sink.stop();
});

/** The links of a mail's HTML part, as a mail client follows them. */
function hrefs(mail: ReceivedMail): string[] {
  return [...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => (m[1] ?? "").replace(/&amp;/g, "&"));
}

/** The one link of `mail` to a path starting with `path` on the server. */
function linkTo(mail: ReceivedMail, path: string): string {
  const found = hrefs(mail).filter((href) => href.startsWith(`${h.url}${path}`));
  expect(found.length, `a ${path} link in: ${hrefs(mail).join(", ")}`).toBeGreaterThan(0);
  return found[0] ?? "";
}

/** The first mail to `address` whose HTML has a link to `path`. */
async function mailWithLink(address: string, path: string): Promise<ReceivedMail> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const mail = sink
      .to(address)
      .find((m) => hrefs(m).some((l) => l.startsWith(`${h.url}${path}`)));
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no mail to ${address} with a ${path} link`);
    await Bun.sleep(50);
  }
}

async function heading(tab: Tab, name: string | RegExp): Promise<void> {
  await tab.page.getByRole("heading", { level: 1, name }).waitFor();
}

describe("links in mails", () => {
  test(
    "a guest's confirmation links to the order page and the event, and every link in it opens a page",
    async () => {
      const event = await publishEvent(organizer.client, {
        title: "Harbour Lights",
        ticketTypes: [{ name: "General", priceCents: 1500, capacity: 20 }],
      });
      const booked = confirmedBooking(
        await h.server.client().bookings.book.mutate({
          eventId: event.id,
          items: [{ ticketTypeId: event.ticketTypes[0]?.id ?? "", quantity: 2 }],
          buyer: GUEST,
        }),
      );
      const mail = await mailWithLink(GUEST.email, "/orders/");
      const tab = await h.open(PHONE);
      await tab.page.goto(linkTo(mail, "/orders/"));
      await heading(tab, "Harbour Lights");
      await tab.page.getByText("Your order", { exact: true }).waitFor();
      expect(await tab.page.getByTestId("ticket-code").count()).toBe(2);
      await tab.page.getByText(GUEST.email).first().waitFor();
      expect(booked.tickets.length).toBe(2);

      await tab.page.goto(linkTo(mail, `/events/${event.id}`));
      await heading(tab, "Harbour Lights");
      expect(tab.page.url()).toBe(`${h.url}/events/${event.id}`);
      // No link of the mail leads nowhere.
      for (const link of hrefs(mail).filter((l) => l.startsWith(h.url))) {
        await tab.page.goto(link);
        await tab.page.locator("#main h1").first().waitFor();
        expect(
          `${link}: ${await tab.page.locator("#main h1").first().textContent()}`,
        ).not.toContain("Page not found");
      }
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "a waitlist offer's link opens the checkout of the offered tickets once its addressee signs in",
    async () => {
      const event = await publishEvent(organizer.client, {
        title: "Tiny Desk Session",
        ticketTypes: [{ name: "General", priceCents: 1000, capacity: 1 }],
        waitlist: { enabled: true, mode: "offer", offerSeconds: 3600 },
      });
      const typeId = event.ticketTypes[0]?.id ?? "";
      const holder = await h.server.register("attendee", "Hal Holder");
      const waiter = await h.server.register("attendee", "Wanda Waiting");
      const held = confirmedBooking(
        await holder.client.bookings.book.mutate({
          eventId: event.id,
          items: [{ ticketTypeId: typeId, quantity: 1 }],
        }),
      );
      await waiter.client.waitlist.join.mutate({ eventId: event.id, ticketTypeId: typeId });
      await holder.client.bookings.cancel.mutate({ bookingId: held.id });
      const mail = await mailWithLink(waiter.email, "/checkout/");
      const offer = (await waiter.client.waitlist.status.query({ eventId: event.id })).offer;
      const link = linkTo(mail, "/checkout/");
      expect(link).toBe(`${h.url}/checkout/${offer?.holdId}`);

      // Opened where nobody is signed in (a phone's mail app): sign in, and land on the checkout.
      const tab = await h.open(PHONE);
      const { page } = tab;
      await page.goto(link);
      await page.getByRole("link", { name: "Sign in to continue" }).click();
      await page.getByLabel("Email").fill(waiter.email);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await heading(tab, "Checkout");
      await page.getByText("Tiny Desk Session").first().waitFor();
      expect(new URL(page.url()).pathname).toBe(`/checkout/${offer?.holdId}`);
      await page.getByRole("button", { name: /^Pay/ }).waitFor();
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "a broadcast's unsubscribe link opens a page that asks, unsubscribes from that organizer, and undoes",
    async () => {
      const event = await publishEvent(organizer.client, {
        title: "Harbour Lights Encore",
        ticketTypes: [{ name: "General", priceCents: 0, capacity: 20 }],
      });
      await h.server.client().bookings.book.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: event.ticketTypes[0]?.id ?? "", quantity: 1 }],
        buyer: GUEST,
      });
      await organizer.client.mail.broadcast.mutate({
        eventId: event.id,
        subject: "Bring a coat",
        body: "It gets cold on the pier after dark.",
        to: "all",
      });
      const mail = await mailWithLink(GUEST.email, "/unsubscribe/");
      expect(mail.subject).toBe("Bring a coat");
      linkTo(mail, `/events/${event.id}`);

      const tab = await h.open(PHONE);
      const { page } = tab;
      await page.goto(linkTo(mail, "/unsubscribe/"));
      // It names whose messages stop, and for which address, before anything is done.
      await heading(tab, "Stop messages from Riverside Hall?");
      await page.getByText(/g•+@example\.test will stop getting/).waitFor();
      expect(await page.title()).toBe("Unsubscribe — Boxoffice");
      await page.getByText(/Your tickets still come by mail/).waitFor();
      // Opening the link alone unsubscribes nobody (mail scanners open links too).
      const preview = () =>
        organizer.client.mail.broadcastPreview.query({
          eventId: event.id,
          subject: "x",
          body: "y",
          to: "all",
        });
      expect((await preview()).unsubscribed).toBe(0);
      await screenshot(page, "unsubscribe-ask");

      await page.getByRole("button", { name: "Unsubscribe" }).click();
      await heading(tab, "You're unsubscribed");
      await page.getByText("Riverside Hall").waitFor();
      await page.getByText(/g•+@example\.test/).waitFor();
      expect((await preview()).unsubscribed).toBe(1);
      await screenshot(page, "unsubscribe-done");
      expect(await axeViolations(page)).toEqual([]);

      await page.getByRole("button", { name: "Undo" }).click();
      await heading(tab, "You're subscribed again");
      expect((await preview()).unsubscribed).toBe(0);
      await page.getByRole("button", { name: "Unsubscribe after all" }).click();
      await heading(tab, "You're unsubscribed");
      expect((await preview()).unsubscribed).toBe(1);
      expectNoConsoleErrors(tab);

      // A link that is not one says so plainly.
      const stranger = await h.open(PHONE);
      await stranger.page.goto("/unsubscribe/not-a-real-link-0000");
      await heading(stranger, "This unsubscribe link doesn't work");
      expectNoConsoleErrors(stranger, [404]);
    },
    SLOW,
  );
});
