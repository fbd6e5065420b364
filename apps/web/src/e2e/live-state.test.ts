/**
 * An honest connection state (issue 13, point 9): the event page says "Reconnecting…" while the
 * server is away, and is live again (with fresh figures) once it is back, on a phone.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestServer, type TestServer } from "@boxoffice/server/testing";
import { buildWebOnce, type Harness, publishEvent, screenshot, startHarness } from "./harness.ts";

const dir = mkdtempSync(join(tmpdir(), "boxoffice-live-state-"));
const databasePath = join(dir, "live.db");
let h: Harness;
let restarted: TestServer | null = null;

beforeAll(async () => {
  // A database of the test's own, so that a second server can take over the same data.
  h = await startHarness({ DATABASE_PATH: databasePath });
});
afterAll(async () => {
  await h?.close();
  await restarted?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** What a browser logs while the server is away: failed connections, nothing else. */
const outage =
  /ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE|ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_NETWORK_CHANGED|Failed to fetch/;

describe("live connection state", () => {
  test("the event page says Reconnecting… while the server is down and is live again once it is back", async () => {
    const organizer = await h.server.register("organizer", "Night Owl Promotions");
    const event = await publishEvent(organizer.client, {
      title: "Power cut blues",
      ticketTypes: [{ name: "Standing", priceCents: 1500, capacity: 20 }],
    });
    const tab = await h.open({ width: 390, height: 844 });
    const { page } = tab;
    await page.goto(`/events/${event.id}`);
    const state = page.getByTestId("live-state");
    await page.locator('[data-testid="live-state"][data-state="live"]').waitFor();
    expect(await state.textContent()).toBe("Updates live.");

    const port = h.server.server.port;
    await h.server.server.stop();
    await page.locator('[data-testid="live-state"][data-state="reconnecting"]').waitFor();
    await page.getByText("Reconnecting…").waitFor();
    await screenshot(page, "event-reconnecting");

    restarted = await startTestServer(
      { DATABASE_PATH: databasePath, PORT: String(port) },
      { webDist: buildWebOnce() },
    );
    await page.locator('[data-testid="live-state"][data-state="live"]').waitFor({
      timeout: 30_000,
    });
    expect(await state.textContent()).toBe("Updates live.");
    // Live for real: a sale on the new server shows without a reload.
    const buyer = await restarted.register("attendee", "Back Online");
    await buyer.client.bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 3 }],
    });
    await page.getByTestId("live-available").getByText("17").waitFor();

    // The browser logged failed connections while the server was away, and nothing else.
    expect(tab.errors.filter((text) => !outage.test(text))).toEqual([]);
  }, 90_000);
});
