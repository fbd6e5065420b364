/**
 * Editing events and venues (issue 13, point 11): "Saved." where the user is, unsold ticket types
 * removable from drafts, errors in the form's own words, numbers in the capacity refusal, inline
 * errors for a past start and a too-short hold, drafts previewed and deleted, venues edited and
 * deleted while unused, one venue field on a seated event.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  type Account,
  expectNoConsoleErrors,
  type Harness,
  publishEvent,
  screenshot,
  startHarness,
} from "./harness.ts";

let h: Harness;
let organizer: Account;

beforeAll(async () => {
  h = await startHarness();
  organizer = await h.server.register("organizer", "Edda Editor");
});
afterAll(() => h?.close());

const SLOW = 60_000;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

async function draft(title: string) {
  return organizer.client.events.create.mutate({
    title,
    startsAt: inDays(40),
    timezone: "Europe/Berlin",
    ticketTypes: [
      { name: "Standing", priceCents: 2000, capacity: 100 },
      { name: "Balcony", priceCents: 3500, capacity: 40 },
    ],
  });
}

describe("editing an event", () => {
  test(
    "says Saved. next to the button, in view and announced; removes an unsold type from a draft",
    async () => {
      const event = await draft("Spring Draft Show");
      const tab = await h.open({ token: organizer.token });
      const { page } = tab;
      await page.goto(`/organizer/events/${event.id}/edit`);
      await page.getByLabel("Type 2 name").waitFor();
      await page.getByRole("button", { name: "Remove type 2" }).click();
      await page.getByRole("button", { name: "Save changes" }).click();
      const saved = page.getByRole("status").filter({ hasText: "Saved." });
      await saved.waitFor();
      // Where the user is: in the viewport, focused, next to the button.
      await page.waitForFunction(
        () => document.activeElement?.getAttribute("role") === "status",
        undefined,
        { timeout: 2_000 },
      );
      expect(await saved.evaluate((el) => el === document.activeElement)).toBe(true);
      const box = await saved.boundingBox();
      const viewport = page.viewportSize();
      expect(box && viewport && box.y >= 0 && box.y + box.height <= viewport.height).toBe(true);
      const after = await organizer.client.events.get.query({ eventId: event.id });
      expect(after.ticketTypes.map((t) => t.name)).toEqual(["Standing"]);
      await screenshot(page, "event-form-saved");
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "names fields by their labels, gives the capacity refusal's numbers, and keeps sold types",
    async () => {
      const event = await publishEvent(organizer.client, {
        title: "Sold Some Soirée",
        ticketTypes: [
          { name: "Standing", priceCents: 0, capacity: 10 },
          { name: "Seated", priceCents: 0, capacity: 10 },
        ],
      });
      const guest = await h.server.register("attendee", "Gus Guest");
      const standing = event.ticketTypes[0]?.id ?? "";
      await guest.client.bookings.book.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: standing, quantity: 3 }],
      });
      await guest.client.bookings.hold.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: standing, quantity: 1 }],
      });

      const tab = await h.open({ token: organizer.token });
      const { page } = tab;
      await page.goto(`/organizer/events/${event.id}/edit`);
      await page.getByLabel("Type 1 capacity").waitFor();
      // A published event's saved types stay: the button says why it is off.
      expect(await page.getByRole("button", { name: "Remove type 2" }).isDisabled()).toBe(true);
      await page.getByText("Published ticket types stay").waitFor();

      // Ends before it starts: the message names "Starts at", never `startsAt`.
      const starts = await page.getByLabel("Starts at").inputValue();
      // A day before the start (not a fixed time of day, which a start just after midnight beats).
      const dayBefore = new Date(Date.parse(`${starts}Z`) - 86_400_000).toISOString().slice(0, 16);
      await page.getByLabel("Ends at (optional)").fill(dayBefore);
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.getByText("Must be after Starts at").waitFor();
      expect(await page.locator("main").textContent()).not.toContain("startsAt");
      await page.getByLabel("Ends at (optional)").fill("");

      await page.getByLabel("Type 1 capacity").fill("2");
      await page.getByRole("button", { name: "Save changes" }).click();
      // The numbers: 3 sold and 1 held, 4 in all, against the 2 asked for.
      await page
        .getByText(/3 sold and 1 held/)
        .first()
        .waitFor();
      expect(await page.locator("main").textContent()).toContain("you asked for 2");
      await screenshot(page, "event-form-capacity-error");
      expectNoConsoleErrors(tab, [409]);
    },
    SLOW,
  );

  test(
    "a start in the past and a hold time under 30 seconds get inline errors",
    async () => {
      const tab = await h.open({ token: organizer.token });
      const { page } = tab;
      await page.goto("/organizer/events/new");
      await page.getByLabel("Title").fill("Yesterday Once More");
      await page.getByLabel("Starts at").fill("2020-01-01T19:00");
      await page.getByLabel("Hold time (minutes)").fill("0");
      await page.getByRole("button", { name: "Create draft" }).click();
      await page.getByText("Some fields need attention").waitFor();
      const starts = page.getByLabel("Starts at");
      const hold = page.getByLabel("Hold time (minutes)");
      expect(await starts.getAttribute("aria-invalid")).toBe("true");
      expect(await hold.getAttribute("aria-invalid")).toBe("true");
      await page.getByText("Must be in the future").waitFor();
      await page.getByText("At least 30 seconds (0.5 minutes)").waitFor();
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "a draft can be previewed (by its organizer only) and deleted",
    async () => {
      const event = await draft("Secret Preview Party");
      const tab = await h.open({ token: organizer.token });
      const { page } = tab;
      await page.goto(`/organizer/events/${event.id}/edit`);
      await page.getByRole("link", { name: "Preview the public page" }).click();
      await page.getByRole("heading", { name: "Secret Preview Party" }).waitFor();
      await page.getByText("Preview: this draft is visible only to you").waitFor();
      expect(await page.getByRole("button", { name: "Hold tickets" }).isDisabled()).toBe(true);
      await screenshot(page, "draft-preview");

      // Anyone else: no such event.
      const stranger = await h.open();
      await stranger.page.goto(`/events/${event.id}`);
      await stranger.page.getByText("Could not load this event").waitFor();

      await page.goBack();
      await page.getByRole("button", { name: "Delete draft…" }).click();
      await page.getByRole("button", { name: "Delete this draft" }).click();
      await page.getByRole("heading", { name: "My events" }).waitFor();
      await page.getByRole("link", { name: /Secret Preview Party/ }).waitFor({ state: "detached" });
      const gone = await organizer.client.events.get.query({ eventId: event.id }).then(
        () => "found",
        (e: { data?: { code?: string } }) => e.data?.code,
      );
      expect(gone).toBe("NOT_FOUND");
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );
});

describe("venues", () => {
  test(
    "a venue is edited and deleted while unused; a seated event's form has one venue field",
    async () => {
      const venue = await organizer.client.venues.create.mutate({
        name: "Old Mill",
        sections: [{ name: "Floor", priceCents: 1500, rows: [{ label: "A", seats: 6 }] }],
      });
      const tab = await h.open({ token: organizer.token });
      const { page } = tab;
      await page.goto("/organizer/venues");
      await page.getByRole("link", { name: "Edit Old Mill" }).click();
      await page.getByLabel("Venue name").fill("Old Mill Stage");
      await page.getByLabel("Section 1 price").fill("18");
      await page.getByRole("button", { name: "Save venue" }).click();
      await page.getByText("Venue saved.").waitFor();
      const edited = await organizer.client.venues.get.query({ venueId: venue.id });
      expect(edited.name).toBe("Old Mill Stage");
      expect(edited.sections[0]?.priceCents).toBe(1800);

      // The seated form: pick the seat map, no free-text venue; the event takes the map's name.
      await page.getByRole("link", { name: "New seated event in Old Mill Stage" }).click();
      await page.getByRole("heading", { name: "New event" }).waitFor();
      expect(await page.getByLabel("Venue", { exact: true }).count()).toBe(0);
      await page.getByText("Venue: Old Mill Stage").waitFor();
      await page.getByLabel("Title").fill("Mill Sessions");
      await page.getByLabel("Starts at").fill("2030-09-01T20:00");
      await page.getByRole("button", { name: "Create draft" }).click();
      await page.getByRole("button", { name: "Publish event" }).waitFor();
      const [created] = (await organizer.client.events.list.query({ mine: true, search: "Mill" }))
        .items;
      expect(created?.venueName).toBe("Old Mill Stage");

      // In use: neither edited nor deleted, and the page says why.
      await page.goto("/organizer/venues");
      await page.getByText("Used by 1 event").waitFor();
      expect(await page.getByRole("button", { name: "Delete Old Mill Stage" }).isDisabled()).toBe(
        true,
      );

      // Deleting the draft frees the venue, which can then go.
      await organizer.client.events.delete.mutate({ eventId: created?.id ?? "" });
      await page.reload();
      await page.getByRole("button", { name: "Delete Old Mill Stage" }).click();
      await page.getByRole("button", { name: "Delete this venue" }).click();
      await page.getByText("Venue deleted.").waitFor();
      expect((await organizer.client.venues.list.query()).items).toEqual([]);
      await screenshot(page, "venues-deleted");
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );
});
