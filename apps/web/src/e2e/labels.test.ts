/**
 * Issue 13, point 8: people see seat labels ("Stalls row B seat 3"), never internal ids
 * ("s1-r2-3", "bkg_…"): at the door, in the attendee list and its CSV, and in My bookings.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { confirmedBooking } from "@boxoffice/client";
import { type Account, expectNoConsoleErrors, type Harness, startHarness } from "./harness.ts";

let h: Harness;
let organizer: Account;

beforeAll(async () => {
  h = await startHarness();
  organizer = await h.server.register("organizer", "Label Theatre Company");
});
afterAll(() => h?.close());

const SLOW = 60_000;
const PHONE = { width: 390, height: 844 };
/** Anything that looks like an internal id: a seat id, a booking, hold or waitlist id. */
const INTERNAL_ID = /\bs\d+-r\d+-\d+\b|\b(bkg|hld|wl|evt|tt)_[a-z0-9]/;

/** A published seated event (Stalls rows A–C, Balcony row A) with two seats booked. */
async function seatedBooking(title: string) {
  const { id: venueId } = await organizer.client.venues.create.mutate({
    name: `${title} Hall`,
    sections: [
      {
        name: "Stalls",
        priceCents: 3000,
        rows: [
          { label: "A", seats: 6 },
          { label: "B", seats: 6 },
          { label: "C", seats: 6 },
        ],
      },
      { name: "Balcony", priceCents: 1500, rows: [{ label: "A", seats: 4 }] },
    ],
  });
  const created = await organizer.client.events.create.mutate({
    title,
    venueId,
    startsAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
  });
  const event = await organizer.client.events.publish.mutate({ eventId: created.id });
  const buyer = await h.server.register("attendee", "Sally Seated");
  const booking = confirmedBooking(
    await buyer.client.bookings.book.mutate({ eventId: event.id, seatIds: ["s1-r2-3", "s2-r1-4"] }),
  );
  return { event, buyer, booking };
}

describe("seat labels, never ids", () => {
  test(
    "the door names the seat by section, row and number",
    async () => {
      const { event, booking } = await seatedBooking("Door Seats Premiere");
      const code = booking.tickets.find((t) => t.seatId === "s1-r2-3")?.code ?? "";
      const tab = await h.open({ token: organizer.token, ...PHONE });
      const { page } = tab;
      await page.goto(`/organizer/events/${event.id}/door`);
      const input = page.getByLabel("Ticket code");
      await input.fill(code);
      await input.press("Enter");
      const result = page.locator("[data-result=ok]");
      await result.waitFor();
      const text = (await result.textContent()) ?? "";
      expect(text).toContain("Stalls row B seat 3");
      expect(text).not.toMatch(INTERNAL_ID);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "the attendee list and its CSV name seats by label",
    async () => {
      const { event } = await seatedBooking("Attendee Seats Matinee");
      const tab = await h.open({ token: organizer.token });
      const { page } = tab;
      await page.goto(`/organizer/events/${event.id}/attendees`);
      const row = page.getByRole("row", { name: /Sally Seated/ });
      await row.waitFor();
      const text = (await row.textContent()) ?? "";
      expect(text).toContain("Stalls row B seat 3");
      expect(text).toContain("Balcony row A seat 4");
      expect(text).not.toMatch(INTERNAL_ID);

      const csv = await (
        await page.request.get(`/exports/events/${event.id}/attendees.csv`)
      ).text();
      const [header, ...lines] = csv
        .replace(/^\uFEFF/, "")
        .trim()
        .split("\r\n");
      expect(header?.split(",")).toContain("Seat");
      expect(lines.some((l) => l.includes(",Stalls,Stalls row B seat 3,"))).toBe(true);
      expect(csv).not.toMatch(/\bs\d+-r\d+-\d+\b/);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "My bookings names each ticket's seat by label, on a phone",
    async () => {
      const { buyer } = await seatedBooking("My Seats Gala");
      const tab = await h.open({ token: buyer.token, ...PHONE });
      const { page } = tab;
      await page.goto("/bookings");
      await page.getByTestId("ticket-seat").first().waitFor();
      const seats = await page.getByTestId("ticket-seat").allTextContents();
      expect(seats.sort()).toEqual(["Balcony row A seat 4", "Stalls row B seat 3"]);
      expect((await page.locator("main").textContent()) ?? "").not.toMatch(INTERNAL_ID);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );
});
