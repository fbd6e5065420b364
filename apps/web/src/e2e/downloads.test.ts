/**
 * Ticket downloads where buyers look for them, at phone width: the order page (by its secret
 * link) and My bookings offer the tickets as a PDF and the event as a calendar file, and each
 * ticket as an Apple Wallet pass once the organizer has set Wallet up (never before).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { confirmedBooking } from "@boxoffice/client";
import { testWalletMaterial } from "@boxoffice/mail/testing";
import type { Locator, Page } from "playwright-core";
import {
  type Account,
  expectNoConsoleErrors,
  type Harness,
  publishEvent,
  screenshot,
  startHarness,
} from "./harness.ts";

const PASS_TYPE_ID = "pass.test.boxoffice.tickets";
const TEAM_ID = "ABCDE12345";

let h: Harness;
let organizer: Account;
let buyer: Account;
let eventId = "";
let general = "";
const SLOW = 90_000;
const PHONE = { width: 390, height: 844 };

beforeAll(async () => {
  h = await startHarness();
  organizer = await h.server.register("organizer", "Riverside Hall");
  buyer = await h.server.register("attendee", "Dora Download");
  const event = await publishEvent(organizer.client, {
    title: "Harbour Lights",
    venueName: "Pier 9",
    timezone: "Europe/Berlin",
    ticketTypes: [{ name: "General", priceCents: 2500, capacity: 50 }],
  });
  eventId = event.id;
  general = event.ticketTypes[0]?.id ?? "";
}, SLOW);
afterAll(() => h?.close());

/** The organizer's Wallet set-up, with made-up certificates. */
async function setUpWallet(): Promise<void> {
  const certs = testWalletMaterial(PASS_TYPE_ID);
  await organizer.client.wallet.set.mutate({
    passTypeIdentifier: PASS_TYPE_ID,
    teamIdentifier: TEAM_ID,
    signerCert: certs.signerCert,
    signerKey: certs.signerKey,
    wwdr: certs.wwdr,
  });
}

/** Clicks a download link and returns what was saved. */
async function download(page: Page, link: Locator): Promise<{ name: string; body: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), body: readFileSync(path) };
}

/** The link is on screen, whole, at phone width. */
async function expectInSight(link: Locator, width = PHONE.width): Promise<void> {
  await link.scrollIntoViewIfNeeded();
  const box = await link.boundingBox();
  expect(box !== null && box.x >= 0 && box.x + box.width <= width).toBe(true);
}

async function expectFiles(page: Page, base: string): Promise<void> {
  const pdfLink = page.getByRole("link", { name: "Download tickets (PDF)" });
  const icsLink = page.getByRole("link", { name: "Add to calendar" });
  expect(await pdfLink.getAttribute("href")).toBe(`${base}/tickets.pdf`);
  expect(await icsLink.getAttribute("href")).toBe(`${base}/event.ics`);
  expect(await pdfLink.getAttribute("download")).not.toBeNull();
  await expectInSight(pdfLink);
  await expectInSight(icsLink);
  const pdf = await download(page, pdfLink);
  expect(pdf.body.subarray(0, 5).toString()).toBe("%PDF-");
  const ics = await download(page, icsLink);
  expect(ics.body.toString()).toContain("BEGIN:VCALENDAR");
  expect(ics.body.toString()).toContain("Harbour Lights");
}

describe("ticket downloads", () => {
  test(
    "the order page offers the PDF and the calendar file, and Wallet passes only once the organizer set Wallet up",
    async () => {
      const booked = confirmedBooking(
        await h.server.client().bookings.book.mutate({
          eventId,
          items: [{ ticketTypeId: general, quantity: 2 }],
          buyer: { email: "guest.gus@example.test", name: "Gus Guest" },
        }),
      );
      const token = booked.orderToken ?? "";
      const tab = await h.open(PHONE);
      const { page } = tab;
      await page.goto(`/orders/${token}`);
      await page.getByRole("heading", { level: 1, name: "Harbour Lights" }).waitFor();
      await expectFiles(page, `/files/orders/${token}`);
      // No Wallet set up: no pass offered.
      expect(await page.getByRole("link", { name: /Apple Wallet/ }).count()).toBe(0);

      await setUpWallet();
      await page.reload();
      const passes = page.getByRole("link", { name: /^Add to Apple Wallet, ticket \d$/ });
      await passes.first().waitFor();
      expect(await passes.count()).toBe(2);
      const second = page.getByRole("link", { name: "Add to Apple Wallet, ticket 2" });
      const code = booked.tickets[1]?.code ?? "";
      expect(await second.getAttribute("href")).toBe(`/files/orders/${token}/${code}.pkpass`);
      await expectInSight(second);
      const pass = await page.request.get(`/files/orders/${token}/${code}.pkpass`);
      expect(pass.status()).toBe(200);
      expect(pass.headers()["content-type"]).toContain("application/vnd.apple.pkpass");
      await screenshot(page, "order-downloads");
      expectNoConsoleErrors(tab);
      await organizer.client.wallet.remove.mutate();
    },
    SLOW,
  );

  test(
    "My bookings offers the same downloads for each booking, by the signed-in buyer's booking",
    async () => {
      const booked = confirmedBooking(
        await buyer.client.bookings.book.mutate({
          eventId,
          items: [{ ticketTypeId: general, quantity: 1 }],
        }),
      );
      const tab = await h.open({ ...PHONE, token: buyer.token });
      const { page } = tab;
      await page.goto("/bookings");
      await page.getByRole("heading", { name: "Harbour Lights" }).waitFor();
      await expectFiles(page, `/files/bookings/${booked.id}`);
      expect(await page.getByRole("link", { name: /Apple Wallet/ }).count()).toBe(0);
      await setUpWallet();
      await page.reload();
      const pass = page.getByRole("link", { name: "Add to Apple Wallet, ticket 1" });
      const code = booked.tickets[0]?.code ?? "";
      expect(await pass.getAttribute("href")).toBe(`/files/bookings/${booked.id}/${code}.pkpass`);
      await expectInSight(pass);
      expect((await page.request.get(`/files/bookings/${booked.id}/${code}.pkpass`)).status()).toBe(
        200,
      );
      await screenshot(page, "my-bookings-downloads");
      await organizer.client.wallet.remove.mutate();
      // Cancelled, a booking offers nothing to download.
      await buyer.client.bookings.cancel.mutate({ bookingId: booked.id });
      await page.reload();
      await page.getByText("cancelled", { exact: true }).waitFor();
      expect(await page.getByRole("link", { name: "Download tickets (PDF)" }).count()).toBe(0);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );
});
