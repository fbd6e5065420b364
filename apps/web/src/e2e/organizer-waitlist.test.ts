/**
 * The organizer's waitlist page: everyone who ever joined with their state, organizer wording,
 * and an "Offer next" button only where it can do something.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { confirmedBooking } from "@boxoffice/client";
import { OffsetClock } from "@boxoffice/server/testing";
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
const clock = new OffsetClock();

beforeAll(async () => {
  h = await startHarness({}, { clock });
}, 60_000);
afterAll(() => h?.close());

const SLOW = 60_000;
type Person = Account;

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (await check()) return;
    await Bun.sleep(20);
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** A sold-out paid event of three tickets, all booked by one holder. */
async function soldOut(organizer: Person, mode: "offer" | "auto", priceCents = 1000) {
  const event = await publishEvent(organizer.client, {
    title: `Tiny Room (${mode})`,
    ticketTypes: [{ name: "GA", priceCents, capacity: 3 }],
    waitlist: { enabled: true, mode, offerSeconds: 3600 },
  });
  const holder = await h.server.register("attendee", "Hal Holder");
  const booking = confirmedBooking(
    await holder.client.bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: event.ticketTypes[0]?.id ?? "", quantity: 3 }],
    }),
  );
  return { event, holder, booking };
}

/** The row of the history that names this person. */
const rowOf = (page: import("playwright-core").Page, name: string) =>
  page.getByRole("listitem").filter({ hasText: name });

describe("organizer's waitlist", () => {
  test(
    "with nobody waiting, the page says so and offers no Offer next button",
    async () => {
      const organizer = await h.server.register("organizer", "Nora Nobody");
      const { event, holder, booking } = await soldOut(organizer, "offer");
      // Tickets free, nobody waiting: there is nobody to offer them to.
      await holder.client.bookings.cancel.mutate({ bookingId: booking.id });
      const tab = await h.open({ token: organizer.token });
      const { page } = tab;
      await page.goto(`/organizer/events/${event.id}/waitlist`);
      await page.getByText("Nobody is waiting.").waitFor();
      await page.getByText("Nobody has joined the waitlist yet.").waitFor();
      expect(await page.getByRole("button", { name: "Offer next" }).count()).toBe(0);
      expect(await page.getByText("not on the waitlist").count()).toBe(0);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "shows everyone who joined with their state, and Offer next answers in organizer words",
    async () => {
      const organizer = await h.server.register("organizer", "Wendy Waitlist");
      const { event, holder, booking } = await soldOut(organizer, "offer");
      const names = ["Wai One", "Wai Two", "Wai Three", "Wai Four", "Wai Five"];
      const people: Person[] = [];
      for (const name of names) {
        const person = await h.server.register("attendee", name);
        await person.client.waitlist.join.mutate({ eventId: event.id });
        people.push(person);
      }
      const [one, two, three, four, five] = people as [Person, Person, Person, Person, Person];
      const status = (p: Person) => p.client.waitlist.status.query({ eventId: event.id });
      // Three tickets come back: the first three get offers.
      await holder.client.bookings.cancel.mutate({ bookingId: booking.id });
      const offer = (await status(one)).offer;
      await one.client.bookings.confirm.mutate({ holdId: offer?.holdId ?? "" });
      await two.client.bookings.releaseHold.mutate({
        holdId: (await status(two)).offer?.holdId ?? "",
      });
      // Declined: the fourth gets the offer; then offers run out their hour.
      await until(async () => (await status(four)).state === "offered", "the fourth offer");
      clock.advance(3601_000);
      await until(async () => (await status(three)).state === "expired", "expiry");
      await until(async () => (await status(five)).state === "offered", "the fifth offer");
      // One ticket is free; a request for two cannot take it.
      const six = await h.server.register("attendee", "Wai Six");
      await six.client.waitlist.join.mutate({ eventId: event.id, quantity: 2 });

      const tab = await h.open({ token: organizer.token });
      const { page } = tab;
      await page.goto(`/organizer/events/${event.id}/waitlist`);
      await rowOf(page, "Wai Six").waitFor();
      const stateOf = async (name: string) =>
        (await rowOf(page, name).locator("[data-state]").getAttribute("data-state")) ?? "";
      expect(await Promise.all([...names, "Wai Six"].map(stateOf))).toEqual([
        "converted",
        "left",
        "expired",
        "expired",
        "offered",
        "waiting",
      ]);
      await rowOf(page, "Wai Five")
        .getByText(/Offer open until/)
        .waitFor();
      await rowOf(page, "Wai Six").getByText("#1 in line").waitFor();
      await page.getByText("1 waiting").first().waitFor();
      await screenshot(page, "organizer-waitlist");
      expect(await axeViolations(page)).toEqual([]);

      const offerNext = page.getByRole("button", { name: "Offer next" });
      await offerNext.click();
      await page
        .getByRole("alert")
        .filter({ hasText: "No one waiting asks for what is free" })
        .waitFor();

      // Someone leaves just before the organizer clicks: the answer is about the queue.
      await six.client.waitlist.leave.mutate({ eventId: event.id });
      await offerNext.click();
      await page.getByRole("alert").filter({ hasText: "Nobody is waiting any more" }).waitFor();
      expect(await page.getByText("not on the waitlist").count()).toBe(0);
      // The page catches up at once: Wai Six has left, and there is nobody to offer to.
      await until(async () => (await stateOf("Wai Six")) === "left", "the list to update");
      await offerNext.waitFor({ state: "detached" });
      await page.getByText("Nobody is waiting.").waitFor();

      // Someone whose request fits joins: Offer next offers them the free ticket.
      const seven = await h.server.register("attendee", "Wai Seven");
      await seven.client.waitlist.join.mutate({ eventId: event.id });
      await page.reload();
      await page.getByRole("button", { name: "Offer next" }).click();
      await page.getByText(/Offered 1 ticket to Wai Seven until/).waitFor();
      expect((await status(seven)).state).toBe("offered");
      await until(async () => (await stateOf("Wai Seven")) === "offered", "the list to update");
      // Nothing is free any more: no button.
      await page.getByRole("button", { name: "Offer next" }).waitFor({ state: "detached" });
      expectNoConsoleErrors(tab, [404, 409]);
    },
    SLOW,
  );

  test(
    "in auto mode there is no Offer next button, and the page says why",
    async () => {
      const organizer = await h.server.register("organizer", "Otto Auto");
      const { event, holder, booking } = await soldOut(organizer, "auto", 0);
      const greedy = await h.server.register("attendee", "Gia Greedy");
      await greedy.client.waitlist.join.mutate({ eventId: event.id, quantity: 4 });
      await holder.client.bookings.cancel.mutate({ bookingId: booking.id });
      const tab = await h.open({ token: organizer.token, width: 390 });
      const { page } = tab;
      await page.goto(`/organizer/events/${event.id}/waitlist`);
      await rowOf(page, "Gia Greedy").waitFor();
      await page.getByText(/Auto mode: freed tickets go to the next in line/).waitFor();
      expect(await page.getByRole("button", { name: "Offer next" }).count()).toBe(0);
      await screenshot(page, "organizer-waitlist-phone");
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );
});
