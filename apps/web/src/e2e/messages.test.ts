/**
 * An organizer writes to an event's attendees from its Messages tab: errors at their fields, a
 * preview that follows the typing (who gets it, who unsubscribed, the text as attendees read it),
 * sending only after a confirmation, and the log of what was sent following it out. Mail goes to
 * a real SMTP server, where the attendees' copies are read back.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MailSink } from "@boxoffice/server/testing";
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
const sink = new MailSink();
let organizer: Account;
let buyers: Account[] = [];
let eventId = "";
let vip = "";
const SLOW = 90_000;

beforeAll(async () => {
  await sink.start();
  // Slow enough that the log sees a message still going out.
  h = await startHarness({ ...sink.env, BROADCAST_MAILS_PER_MINUTE: "20" });
  organizer = await h.server.register("organizer", "Riverside Hall");
  const event = await publishEvent(organizer.client, {
    title: "Jazz on the River",
    ticketTypes: [
      { name: "General", priceCents: 0, capacity: 50 },
      { name: "VIP", priceCents: 0, capacity: 10 },
    ],
  });
  eventId = event.id;
  const [general, vipType] = event.ticketTypes;
  vip = vipType?.id ?? "";
  buyers = [
    await h.server.register("attendee", "Amy Attendee"),
    await h.server.register("attendee", "Ben Attendee"),
    await h.server.register("attendee", "Cleo Vip"),
  ];
  for (const [i, b] of buyers.entries()) {
    await b.client.bookings.book.mutate({
      eventId,
      items: [{ ticketTypeId: (i === 2 ? vip : general?.id) ?? "", quantity: 1 }],
    });
  }
}, SLOW);
afterAll(async () => {
  await h?.close();
  await sink.stop();
});

describe("messages to attendees", () => {
  test(
    "the Messages tab shows errors at their fields, previews who gets what as it is typed, sends after a confirmation, and logs it until every mail is out",
    async () => {
      const tab = await h.open({ token: organizer.token });
      const { page } = tab;
      await page.goto(`/organizer/events/${eventId}`);
      await page
        .getByRole("navigation", { name: "Event management" })
        .getByRole("link", { name: "Messages" })
        .click();
      await page.getByRole("heading", { name: "Write to attendees" }).waitFor();
      expect(await page.title()).toBe("Messages: Jazz on the River — Boxoffice");
      await page.getByText("No messages sent for this event yet.").waitFor();

      // Nothing written: each field says so, and nothing is asked.
      await page.getByRole("button", { name: /^Send/ }).click();
      expect(await page.getByLabel("Subject").getAttribute("aria-invalid")).toBe("true");
      expect(await page.getByLabel("Message", { exact: true }).getAttribute("aria-invalid")).toBe(
        "true",
      );
      expect(await page.getByRole("dialog").count()).toBe(0);

      await page.getByLabel("Subject").fill("Doors open at 19:00");
      await page
        .getByLabel("Message", { exact: true })
        .fill("Dear all,\n\nDoors open an hour early. See https://example.org/map for the way in.");
      await page.getByTestId("preview-count").filter({ hasText: "Goes to 3 people" }).waitFor();
      expect(await page.getByTestId("preview-subject").textContent()).toBe("Doors open at 19:00");
      expect(await page.getByTestId("preview-text").textContent()).toContain(
        "Doors open an hour early.",
      );
      // The preview follows the typing.
      await page.getByLabel("Subject").fill("Doors open at 18:30");
      await page.getByTestId("preview-subject").filter({ hasText: "18:30" }).waitFor();

      // Chosen ticket types: none chosen is an error at "To"; VIP alone reaches one person.
      await page.getByLabel("Holders of chosen ticket types").check();
      await page.getByRole("button", { name: /^Send/ }).click();
      await page.getByText("Choose at least one ticket type").waitFor();
      await page.getByRole("checkbox", { name: "VIP" }).check();
      await page.getByTestId("preview-count").filter({ hasText: "Goes to 1 person" }).waitFor();
      await page.getByRole("button", { name: "Send to 1 person" }).waitFor();
      await page.getByLabel("All attendees").check();
      const send = page.getByRole("button", { name: "Send to 3 people" });
      await send.click();
      const dialog = page.getByRole("dialog", { name: "Send this message to 3 people?" });
      await dialog.getByText("Doors open at 18:30").waitFor();
      await screenshot(page, "broadcast-confirm");
      await dialog.getByRole("button", { name: "Keep editing" }).click();
      await dialog.waitFor({ state: "hidden" });
      expect((await organizer.client.mail.broadcasts.query({ eventId })).length).toBe(0);

      await send.click();
      await dialog.getByRole("button", { name: "Send to 3 people" }).click();
      await page.getByText("Sending “Doors open at 18:30” to 3 people.").waitFor();
      // The log shows it going out, and catches up by itself until all three are sent.
      const entry = page.getByRole("list", { name: "Sent messages" }).getByRole("listitem").first();
      await entry.getByText("Doors open at 18:30").waitFor();
      await entry.getByText(/by Riverside Hall/).waitFor();
      await entry.locator("[data-progress='Sent']").waitFor({ timeout: 30_000 });
      expect(await entry.locator("[data-count='sent']").textContent()).toBe("3");
      expect(await entry.locator("[data-count='waiting']").textContent()).toBe("0");
      for (const b of buyers) {
        const mail = await sink.waitFor(b.email, /Doors open at 18:30/);
        expect(mail.text).toContain("Doors open an hour early.");
      }
      await screenshot(page, "broadcast-log");
      // The log and the preview filled in: still nothing serious for axe.
      expect(await axeViolations(page)).toEqual([]);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "the preview counts an attendee who unsubscribed as left out",
    async () => {
      const mail = await sink.waitFor(buyers[0]?.email ?? "", /Doors open at 18:30/);
      const token = /\/unsubscribe\/([A-Za-z0-9_-]+)/.exec(mail.html)?.[1] ?? "";
      expect(token).not.toBe("");
      await h.server.client().mail.unsubscribe.mutate({ token });
      const tab = await h.open({ token: organizer.token, width: 390, height: 844 });
      const { page } = tab;
      await page.goto(`/organizer/events/${eventId}/messages`);
      await page.getByLabel("Subject").fill("Parking");
      await page.getByLabel("Message", { exact: true }).fill("Use the north car park.");
      await page
        .getByTestId("preview-count")
        .filter({ hasText: "Goes to 2 people · 1 unsubscribed left out" })
        .waitFor();
      await page.getByRole("button", { name: "Send to 2 people" }).waitFor();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, "broadcast-compose-phone");
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );
});
