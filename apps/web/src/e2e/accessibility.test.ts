/**
 * Accessibility on every route: a title of its own, focus on the main heading after navigating,
 * axe-core finding nothing serious or critical, and the organizer's pages usable at phone width.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { confirmedBooking } from "@boxoffice/client";
import {
  type Account,
  ADMIN,
  type AxeViolation,
  axeViolations,
  expectNoConsoleErrors,
  type Harness,
  publishEvent,
  signIn,
  startHarness,
  type Tab,
} from "./harness.ts";
import { enterRoom, until } from "./room-helpers.ts";

let h: Harness;
type Registered = Account;
let organizer: Registered;
let buyer: Registered;
let admin: { token: string };
/** Paths with the text each page's main heading shows once it is ready. */
let routes: {
  attendee: [string, string][];
  anonymous: [string, string][];
  organizer: [string, string][];
  admin: [string, string][];
};
let eventId = "";

const SLOW = 120_000;

beforeAll(async () => {
  h = await startHarness();
  organizer = await h.server.register("organizer", "Riverside Hall");
  buyer = await h.server.register("attendee", "Ada Access");
  const event = await publishEvent(organizer.client, {
    title: "Jazz on the River",
    venueName: "Pier 9",
    ticketTypes: [
      { name: "General", priceCents: 2500, capacity: 50 },
      { name: "Front row", priceCents: 6000, capacity: 10 },
    ],
    waitlist: { enabled: true, mode: "offer", offerSeconds: 3600 },
  });
  eventId = event.id;
  const general = event.ticketTypes[0]?.id ?? "";
  const booked = confirmedBooking(
    await buyer.client.bookings.book.mutate({
      eventId,
      items: [{ ticketTypeId: general, quantity: 2 }],
    }),
  );
  const hold = await buyer.client.bookings.hold.mutate({
    eventId,
    items: [{ ticketTypeId: general, quantity: 1 }],
  });
  const { id: venueId } = await organizer.client.venues.create.mutate({
    name: "Little Theatre",
    sections: [{ name: "Stalls", priceCents: 3000, rows: [{ label: "A", seats: 8 }] }],
  });
  const seated = await organizer.client.events.publish.mutate({
    eventId: (
      await organizer.client.events.create.mutate({
        title: "Seated Sonata",
        venueId,
        startsAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
      })
    ).id,
  });
  const login = await h.server.client().auth.login.mutate(ADMIN);
  admin = { token: login.token };
  routes = {
    anonymous: [
      ["/login", "Sign in"],
      ["/register", "Create an account"],
      ["/forgot-password", "Forgot your password?"],
      ["/reset-password/abcdefghijkmnpqrstuvwxyz23456789", "Choose a new password"],
      ["/verify-email/abcdefghijkmnpqrstuvwxyz23456789", "Verify your email"],
      // The order page by its secret link, and a link that matches no order.
      [`/orders/${booked.orderToken}`, "Jazz on the River"],
      ["/orders/abcdefghijkmnpqrstuvwxyz23", "This link doesn't match an order"],
      // A broadcast's unsubscribe link that matches none says so (a real one: mail-links).
      ["/unsubscribe/abcdefghijkmnpqrstuvwxyz23", "This unsubscribe link doesn't work"],
    ],
    attendee: [
      ["/", "Upcoming events"],
      [`/events/${eventId}`, "Jazz on the River"],
      [`/events/${seated.id}`, "Seated Sonata"],
      [`/checkout/${hold.id}`, "Checkout"],
      ["/bookings", "My bookings"],
      ["/account", "Your account"],
      ["/no/such/page", "Page not found"],
    ],
    organizer: [
      ["/organizer", ""],
      ["/organizer/events/new", "New event"],
      ["/organizer/venues", ""],
      ["/organizer/venues/new", "New venue"],
      ["/organizer/settings", "Settings"],
      [`/organizer/events/${eventId}`, "Jazz on the River"],
      [`/organizer/events/${eventId}/edit`, "Jazz on the River"],
      [`/organizer/events/${eventId}/attendees`, "Jazz on the River"],
      [`/organizer/events/${eventId}/waitlist`, "Jazz on the River"],
      [`/organizer/events/${eventId}/codes`, "Jazz on the River"],
      [`/organizer/events/${eventId}/messages`, "Jazz on the River"],
      [`/organizer/events/${eventId}/door`, "Jazz on the River"],
      [`/organizer/events/${eventId}/analytics`, "Jazz on the River"],
    ],
    admin: [["/admin/users", "Users and roles"]],
  };
}, SLOW);
afterAll(() => h?.close());

/** Opens `path` and waits until its main heading is there and the network is quiet. */
async function visit(tab: Tab, path: string, heading: string): Promise<void> {
  await tab.page.goto(path);
  const h1 = tab.page.locator("#main h1");
  if (heading) await h1.filter({ hasText: heading }).first().waitFor();
  else await h1.first().waitFor();
  await tab.page.waitForLoadState("networkidle");
}

const asText = (where: string, violations: AxeViolation[]) =>
  violations.map((v) => `${where} [${v.impact}] ${v.id}: ${v.help}\n    ${v.nodes.join("\n    ")}`);

describe("accessibility", () => {
  test(
    "every route has a document title of its own",
    async () => {
      const expected: [string, string, string | undefined][] = [
        ["/", "Upcoming events — Boxoffice", undefined],
        [`/events/${eventId}`, "Jazz on the River — Boxoffice", undefined],
        ["/login", "Sign in — Boxoffice", undefined],
        ["/forgot-password", "Forgot password — Boxoffice", undefined],
        ["/bookings", "My bookings — Boxoffice", buyer.token],
        ["/account", "Your account — Boxoffice", buyer.token],
        ["/nowhere", "Page not found — Boxoffice", undefined],
        ["/organizer", "My events — Boxoffice", organizer.token],
        [`/organizer/events/${eventId}`, "Jazz on the River — Boxoffice", organizer.token],
        [
          `/organizer/events/${eventId}/door`,
          "Door: Jazz on the River — Boxoffice",
          organizer.token,
        ],
        [
          `/organizer/events/${eventId}/analytics`,
          "Analytics: Jazz on the River — Boxoffice",
          organizer.token,
        ],
        [
          `/organizer/events/${eventId}/messages`,
          "Messages: Jazz on the River — Boxoffice",
          organizer.token,
        ],
        ["/organizer/settings", "Settings — Boxoffice", organizer.token],
        ["/unsubscribe/abcdefghijkmnpqrstuvwxyz23", "Unsubscribe — Boxoffice", undefined],
        ["/admin/users", "Users and roles — Boxoffice", admin.token],
      ];
      const tabs = new Map<string | undefined, Tab>();
      for (const [path, title, token] of expected) {
        let tab = tabs.get(token);
        if (!tab) {
          tab = await h.open(token ? { token } : {});
          tabs.set(token, tab);
        }
        await tab.page.goto(path);
        await tab.page.waitForFunction((t) => document.title === t, title).catch(() => undefined);
        expect(`${path}: ${await tab.page.title()}`).toBe(`${path}: ${title}`);
      }
      for (const tab of tabs.values()) expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "focus moves to the new page's main heading after navigating inside the app",
    async () => {
      const tab = await h.open({ token: buyer.token, width: 390, height: 800 });
      const { page } = tab;
      await visit(tab, "/", "Upcoming events");
      const focusedHeading = () =>
        page.evaluate(() => {
          const el = document.activeElement;
          return el?.tagName === "H1" ? el.textContent : `${el?.tagName}`;
        });
      /** Waits until the page's main heading with this text has focus. */
      const headingFocused = (text: string) =>
        page.waitForFunction(
          (want) =>
            document.activeElement?.tagName === "H1" && document.activeElement.textContent === want,
          text,
        );
      await page
        .getByRole("link", { name: /Jazz on the River/ })
        .first()
        .click();
      await page.getByRole("heading", { level: 1, name: "Jazz on the River" }).waitFor();
      await headingFocused("Jazz on the River");
      expect(await focusedHeading()).toBe("Jazz on the River");
      // The phone menu, then a page whose data loads after the heading's route renders.
      await page.getByRole("button", { name: "Menu" }).click();
      await page.getByRole("link", { name: "My bookings" }).click();
      // The heading, not the menu's link of the same name, which has focus for a moment after
      // the click (until the menu closes).
      await headingFocused("My bookings");
      expect(await focusedHeading()).toBe("My bookings");
      // Back goes back, and focus follows there too (not just any heading: the last page's is
      // focused until the event page renders).
      await page.goBack();
      await headingFocused("Jazz on the River");
      expect(await focusedHeading()).toBe("Jazz on the River");
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "axe-core finds no serious or critical violation on any route, and none is wider than the screen, at phone and desktop width",
    async () => {
      const found: string[] = [];
      const sessions: [string, string | undefined, [string, string][]][] = [
        ["anonymous", undefined, routes.anonymous],
        ["attendee", buyer.token, routes.attendee],
        ["organizer", organizer.token, routes.organizer],
        ["admin", admin.token, routes.admin],
      ];
      for (const width of [390, 1280]) {
        for (const [who, token, paths] of sessions) {
          const tab = await h.open({ ...(token ? { token } : {}), width, height: 860 });
          for (const [path, heading] of paths) {
            await visit(tab, path, heading);
            found.push(...asText(`${who} ${width}px ${path}`, await axeViolations(tab.page)));
            // Nothing wider than a phone: a page that scrolls sideways hides its right edge.
            const overflow = await tab.page.evaluate(
              () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
            );
            if (overflow > 0) found.push(`${who} ${width}px ${path}: ${overflow} px too wide`);
          }
          // The reset and verification pages answer a dead link with a refusal (404).
          expectNoConsoleErrors(tab, [404]);
          await tab.context.close();
        }
      }
      expect(found).toEqual([]);
    },
    SLOW * 3,
  );

  test(
    "axe-core finds no serious or critical violation on the on-sale room's states, at phone and desktop width",
    async () => {
      const room = { enabled: true, difficulty: 1, graceSeconds: 3600, tokenSeconds: 3600 };
      const later = await publishEvent(organizer.client, {
        title: "Room Before Opening",
        onSaleRoom: { ...room, opensAt: new Date(Date.now() + 3_600_000).toISOString() },
      });
      const drawn = await publishEvent(organizer.client, {
        title: "Room After The Draw",
        onSaleRoom: {
          ...room,
          admitPerMinute: 1,
          opensAt: new Date(Date.now() + 4_000).toISOString(),
        },
      });
      const [inRoom, first, second, third] = [0, 1, 2, 3].map(() => h.server.user());
      await enterRoom(inRoom!.client, later.id);
      for (const buyer of [first, second, third]) await enterRoom(buyer!.client, drawn.id);
      // The draw lets one in (one a minute); the others wait with a place.
      const statuses = async () =>
        Promise.all(
          [first, second, third].map((b) => b!.client.room.position.query({ eventId: drawn.id })),
        );
      await until(async () => (await statuses()).some((s) => s.state === "admitted"), 20_000);
      const now = await statuses();
      const admitted = [first, second, third][now.findIndex((s) => s.state === "admitted")]!;
      // The one furthest back waits longest (one is let in a minute), and people arriving after
      // the draw keep the queue from running empty (which would open the doors) meanwhile.
      const back = Math.max(...now.map((s) => s.position ?? 0));
      const queued = [first, second, third][now.findIndex((s) => s.position === back)]!;
      for (const late of [0, 1, 2].map(() => h.server.user()))
        await enterRoom(late.client, drawn.id);
      const states: [string, string | undefined, string, string][] = [
        ["countdown and the way in", undefined, `/events/${later.id}`, "Join the room"],
        ["in the room before the draw", inRoom!.token, `/events/${later.id}`, "You're in the room"],
        ["a place in the queue", queued.token, `/events/${drawn.id}`, "You're in the queue"],
        ["their turn", admitted.token, `/events/${drawn.id}`, "It's your turn"],
        ["after the draw, outside", undefined, `/events/${drawn.id}`, "Join the room"],
        [
          "the organizer's live panel",
          organizer.token,
          `/organizer/events/${drawn.id}`,
          "Let in, in all",
        ],
        [
          "the room's settings",
          organizer.token,
          `/organizer/events/${drawn.id}/edit`,
          "Bot check difficulty",
        ],
      ];
      const found: string[] = [];
      for (const width of [390, 1280]) {
        for (const [what, token, path, ready] of states) {
          const tab = await h.open({ ...(token ? { token } : {}), width, height: 860 });
          await tab.page.goto(path);
          await tab.page.getByText(ready).first().waitFor();
          await tab.page.waitForLoadState("networkidle");
          found.push(...asText(`${what} ${width}px`, await axeViolations(tab.page)));
          const overflow = await tab.page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          );
          if (overflow > 0) found.push(`${what} ${width}px: ${overflow} px too wide`);
          expectNoConsoleErrors(tab);
          await tab.context.close();
        }
      }
      expect(found).toEqual([]);
    },
    SLOW,
  );

  test(
    "at 390 px every manage tab is in sight and the attendee table shows every column",
    async () => {
      const tab = await h.open({ token: organizer.token, width: 390, height: 800 });
      const { page } = tab;
      await visit(tab, `/organizer/events/${eventId}/attendees`, "Jazz on the River");
      const nav = page.getByRole("navigation", { name: "Event management" });
      for (const name of [
        "Overview",
        "Edit",
        "Attendees",
        "Waitlist",
        "Codes",
        "Messages",
        "Door",
        "Analytics",
      ]) {
        const box = await nav.getByRole("link", { name }).boundingBox();
        expect(box, name).not.toBeNull();
        expect(box && box.x >= 0 && box.x + box.width <= 390, `${name} in sight`).toBe(true);
      }
      await page.getByText("Ada Access").first().waitFor();
      // Every column's header and the buyer's row are inside the 390 px viewport.
      const table = page.getByRole("table", { name: /Bookings for Jazz on the River/ });
      for (const header of ["Attendee", "Tickets", "Paid", "Status", "Booked"]) {
        const cell = table.getByText(header, { exact: true }).first();
        const box = await cell.boundingBox();
        const visible = await cell.isVisible();
        expect(
          visible && box !== null && box.x >= 0 && box.x + box.width <= 390,
          `${header} in sight`,
        ).toBe(true);
      }
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await nav.getByRole("link", { name: "Analytics" }).click();
      await page.getByText("Tickets sold by day").first().waitFor();
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "charts have a text alternative and readable legends",
    async () => {
      const tab = await h.open({ token: organizer.token });
      const { page } = tab;
      await visit(tab, `/organizer/events/${eventId}/analytics`, "Jazz on the River");
      const figure = page.getByRole("figure", { name: "Sold by ticket type" });
      await figure.waitFor();
      await figure.getByText(/as a table/).click();
      const table = figure.getByRole("table");
      await table.getByRole("cell", { name: "General" }).waitFor();
      expect(await table.textContent()).toContain("2");
      // Legend text: dark enough to read on white (4.5:1), whatever the series colour.
      const contrasts = await page.evaluate(() => {
        const luminance = (rgb: string) => {
          const [r, g, b] = (rgb.match(/\d+/g) ?? []).slice(0, 3).map((v) => {
            const c = Number(v) / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
        };
        return [...document.querySelectorAll(".recharts-legend-item-text")].map((el) => {
          const inner = el.querySelector("span") ?? el;
          const l = luminance(getComputedStyle(inner).color);
          return { text: el.textContent, ratio: 1.05 / (l + 0.05) };
        });
      });
      expect(contrasts.length).toBeGreaterThan(0);
      for (const c of contrasts) expect(c.ratio, `${c.text}`).toBeGreaterThanOrEqual(4.5);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "a dialog closed with Escape gives focus back to the button that opened it",
    async () => {
      const tab = await h.open({ token: admin.token, width: 390, height: 800 });
      const { page } = tab;
      await visit(tab, "/admin/users", "Users and roles");
      const opener = page.getByRole("button", { name: "Change role of Ada Access" });
      await opener.focus();
      await page.keyboard.press("Enter");
      const dialog = page.getByRole("dialog", { name: "Change the role of Ada Access" });
      await dialog.waitFor();
      // Focus is inside the dialog while it is open.
      expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "hidden" });
      expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "signing in through the form lands with focus on the next page's heading",
    async () => {
      const tab = await h.open();
      await signIn(tab.page, ADMIN.email, ADMIN.password);
      await tab.page.waitForFunction(() => document.activeElement?.tagName === "H1");
      expect(await tab.page.title()).toBe("Upcoming events — Boxoffice");
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );
});
