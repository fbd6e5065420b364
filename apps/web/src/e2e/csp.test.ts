import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { confirmedBooking } from "@boxoffice/client";
import { expectNoConsoleErrors, type Harness, publishEvent, startHarness } from "./harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const SLOW = 60_000;

/** Records every CSP violation the page reports, from before its first script runs. */
const RECORD_VIOLATIONS = () => {
  const seen: string[] = [];
  (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
  document.addEventListener("securitypolicyviolation", (e) => {
    seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile})`);
  });
};

const violationsOf = (page: import("playwright-core").Page) =>
  page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);

describe("Content-Security-Policy in the browser", () => {
  test(
    "is sent with the app and on client routes, and no page of the app breaks it",
    async () => {
      const organizer = await h.server.register("organizer", "Policy Hall");
      const event = await publishEvent(organizer.client, { title: "Strict Policy Night" });
      const buyer = await h.server.register("attendee", "Cee Espy");
      confirmedBooking(
        await buyer.client.bookings.book.mutate({
          eventId: event.id,
          items: [{ ticketTypeId: event.ticketTypes[0]?.id ?? "", quantity: 1 }],
        }),
      );

      const tab = await h.open({ token: buyer.token });
      await tab.context.addInitScript(RECORD_VIOLATIONS);
      const { page } = tab;
      for (const [path, ready] of [
        ["/", "Upcoming events"],
        [`/events/${event.id}`, "Strict Policy Night"],
        ["/bookings", "My bookings"],
      ] as const) {
        const res = await page.goto(path);
        expect(res?.headers()["content-security-policy"]).toContain("script-src 'self'");
        expect(res?.headers()["content-security-policy"]).toContain("img-src 'self' data:");
        await page.getByRole("heading", { name: ready }).waitFor();
        expect(await violationsOf(page)).toEqual([]);
      }
      // The QR codes are data: images, which the policy allows by name.
      await page.getByTestId("ticket-qr").first().waitFor();
      expect(await page.getByTestId("ticket-qr").first().getAttribute("src")).toStartWith("data:");

      // The organizer's pages: forms, the door, and the charts (recharts sets inline styles).
      const staff = await h.open({ token: organizer.token });
      await staff.context.addInitScript(RECORD_VIOLATIONS);
      for (const path of [
        "/organizer",
        "/organizer/events/new",
        `/organizer/events/${event.id}/door`,
        `/organizer/events/${event.id}/analytics`,
      ]) {
        await staff.page.goto(path);
        await staff.page.getByRole("heading").first().waitFor();
        await staff.page.waitForLoadState("networkidle");
        expect(await violationsOf(staff.page)).toEqual([]);
      }
      expectNoConsoleErrors(tab);
      expectNoConsoleErrors(staff);
    },
    SLOW,
  );

  test(
    "the on-sale room's bot check (ALTCHA's widget, its stylesheet and its workers) runs under the policy",
    async () => {
      const organizer = await h.server.register("organizer", "Queue Policy");
      const event = await publishEvent(organizer.client, {
        title: "Strict Queue Night",
        onSaleRoom: {
          enabled: true,
          opensAt: new Date(Date.now() + 3_600_000).toISOString(),
          difficulty: 1,
        },
      });
      const tab = await h.open();
      await tab.context.addInitScript(RECORD_VIOLATIONS);
      const { page } = tab;
      await page.goto(`/events/${event.id}`);
      await page.getByRole("heading", { name: "On-sale room" }).waitFor();
      await page.locator("altcha-widget input[type=checkbox]").waitFor();
      await page.getByLabel("Your email").fill("policy.guest@example.test");
      await page.getByRole("button", { name: "Join the room" }).click();
      // Solved in a worker (a file of the app's own origin) and entered.
      await page.getByRole("heading", { name: "You're in the room" }).waitFor();
      expect(await violationsOf(page)).toEqual([]);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "blocks an injected inline script and <style>, and reports it",
    async () => {
      const tab = await h.open();
      await tab.context.addInitScript(RECORD_VIOLATIONS);
      const { page } = tab;
      await page.goto("/");
      await page.getByRole("heading", { name: "Upcoming events" }).waitFor();
      const ran = await page.evaluate(() => {
        const script = document.createElement("script");
        script.textContent = "window.__injected = true";
        document.head.append(script);
        const style = document.createElement("style");
        style.textContent = "body { display: none }";
        document.head.append(style);
        return (window as unknown as { __injected?: boolean }).__injected === true;
      });
      expect(ran).toBe(false);
      expect(await page.locator("body").isVisible()).toBe(true);
      await page.waitForFunction(
        () => (window as unknown as { __cspViolations: string[] }).__cspViolations.length >= 2,
      );
      const directives = (await violationsOf(page)).map((v) => v.split(" ")[0]);
      expect(directives).toContain("script-src-elem");
      expect(directives).toContain("style-src-elem");
      // And Chromium logs each as a console error, which every browser test fails on.
      expect(tab.errors.some((e) => e.includes("Content Security Policy"))).toBe(true);
    },
    SLOW,
  );
});
