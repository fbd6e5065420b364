/**
 * The on-sale room in the browser (issue 17): buyers wait with a countdown, solve the bot check
 * (ALTCHA's widget, at difficulty 1), get a place by lottery at opening, watch it move, and buy
 * when it is their turn; a turn that ran out, and a hold without a token, send the buyer back to
 * the room in plain words; the organizer switches the room on and watches it live. The server's
 * clock is moved forward (an OffsetClock) instead of waiting for openings and admissions.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { OffsetClock } from "@boxoffice/server/testing";
import type { Page } from "playwright-core";
import { reasonMessages } from "../lib/errors.ts";
import { toZonedInput } from "../lib/zoned-time.ts";
import {
  type Account,
  expectNoConsoleErrors,
  type Harness,
  publishEvent,
  screenshot,
  startHarness,
  type Tab,
} from "./harness.ts";
import { enterRoom, until } from "./room-helpers.ts";

const clock = new OffsetClock();
let h: Harness;
let organizer: Account;

beforeAll(async () => {
  h = await startHarness({}, { clock });
  organizer = await h.server.register("organizer", "Fair Start Promotions");
}, 60_000);
afterAll(() => h?.close());

const SLOW = 120_000;
const MINUTE = 60_000;
const PHONE = { width: 390, height: 844 };

/** Screenshots for docs (BOXOFFICE_SCREENSHOTS=1) and, with ROOM_SHOTS=<dir>, for review. */
async function shot(page: Page, name: string, part?: string): Promise<void> {
  await screenshot(page, name);
  const dir = Bun.env.ROOM_SHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const size = page.viewportSize() ?? PHONE;
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 860 });
    await page.screenshot({ path: join(dir, `${name}-${width}.png`), fullPage: true });
    if (part) {
      await page.locator(part).screenshot({ path: join(dir, `${name}-part-${width}.png`) });
    }
  }
  await page.setViewportSize(size);
}

const inServerTime = (ms: number) => new Date(clock.now() + ms).toISOString();

/** A published event sold through a room that opens in `opensIn` ms of server time. */
async function roomEvent(title: string, room: Record<string, unknown>, opensIn = 10 * MINUTE) {
  return publishEvent(organizer.client, {
    title,
    ticketTypes: [{ name: "General", priceCents: 2000, capacity: 20 }],
    onSaleRoom: {
      enabled: true,
      opensAt: inServerTime(opensIn),
      difficulty: 1,
      graceSeconds: 3600,
      ...room,
    },
  });
}

/**
 * Where a tab's buyer stands, as the page shows it: their turn, a place, or neither yet. Read in
 * one step in the page: asked element by element, a place seen visible could be gone by the time
 * its text was asked for (the turn had come), and the text would then wait for it until the
 * locator timed out.
 */
async function shown(page: Page): Promise<"turn" | number | null> {
  return page.evaluate(() => {
    const visible = (testId: string) => {
      const element = document.querySelector(`[data-testid="${testId}"]`);
      return element?.checkVisibility({ visibilityProperty: true }) ? element : null;
    };
    if (visible("your-turn")) return "turn";
    const place = visible("room-place");
    return place ? Number((place.textContent ?? "").replace(/\D/g, "")) : null;
  });
}

/**
 * Joins the room through the page, as a guest with `email`: the button solves the check first,
 * or the buyer ticks the check's own box ("I'm not a robot") and waits for it.
 */
async function joinRoom(page: Page, email?: string, tickFirst = false): Promise<void> {
  if (email) await page.getByLabel("Your email").fill(email);
  if (tickFirst) {
    await page.getByRole("checkbox", { name: "I'm not a robot" }).click();
    await page.getByText("Verified").waitFor();
  }
  await page.getByRole("button", { name: /^Join the room/ }).click();
  await page.getByRole("heading", { name: /You're in the (room|queue)/ }).waitFor();
}

/** Buys one ticket from "It's your turn" through checkout; a guest confirms their details. */
async function buyOne(tab: Tab, guestName?: string): Promise<void> {
  const { page } = tab;
  await page.getByLabel("Quantity of General").selectOption("1");
  if (guestName) {
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByLabel("Your name").fill(guestName);
    await page.getByRole("button", { name: "Continue to checkout" }).click();
  } else {
    await page.getByRole("button", { name: "Hold tickets" }).click();
  }
  await page.getByRole("heading", { name: "Checkout" }).waitFor();
  await page.getByRole("button", { name: /^Pay / }).click();
  await page.waitForURL(/\/(bookings|orders\/)/);
}

describe("the on-sale room", () => {
  test(
    "two buyers wait for the opening, the lottery admits one who buys, and the other sees their place move until their turn",
    async () => {
      const event = await roomEvent("Fair Start Festival", { admitPerMinute: 1 });
      const signedIn = await h.server.register("attendee", "Ada Queue");
      const member = await h.open({ token: signedIn.token, ...PHONE });
      const guest = await h.open(PHONE);
      const guestEmail = "grace.guest@example.test";

      // Before opening: a countdown in the event's zone, and the way in.
      await member.page.goto(`/events/${event.id}`);
      await member.page.getByRole("heading", { name: "On-sale room" }).waitFor();
      await member.page.getByText(/The room opens .*: in/).waitFor();
      expect(await member.page.getByRole("timer").textContent()).toMatch(/^\d+:\d\d$/);
      expect(await member.page.getByRole("button", { name: "Hold tickets" }).count()).toBe(0);
      await shot(member.page, "room-countdown");
      await joinRoom(member.page);
      await member.page.getByRole("heading", { name: "You're in the room" }).waitFor();

      await guest.page.goto(`/events/${event.id}`);
      await joinRoom(guest.page, guestEmail, true);
      // A reload keeps the guest's place (its key is kept in this tab).
      await guest.page.reload();
      await guest.page.getByRole("heading", { name: "You're in the room" }).waitFor();

      // Three more people, by script, before the opening.
      const anyone = h.server.client();
      for (const n of [1, 2, 3]) await enterRoom(anyone, event.id, `early${n}@example.test`);

      // The opening: the draw, and one admission (one a minute).
      clock.advance(10 * MINUTE + 1_000);
      // Someone after the draw joins at the back, so the queue never runs empty under the two.
      const late = await enterRoom(anyone, event.id, "late@example.test");
      const lateKey = late.entryKey ?? "";
      expect(late.state).toBe("waiting");
      const placeOfLate = async () =>
        (await anyone.room.position.query({ eventId: event.id, entryKey: lateKey })).position;
      expect(await placeOfLate()).toBe(5);

      // Where each browser's buyer stands by the server: their turn, or their place.
      const guestKey = async () => {
        const stored = await guest.page.evaluate(
          (id) => sessionStorage.getItem(`boxoffice.room.${id}`),
          event.id,
        );
        return (JSON.parse(stored ?? "{}") as { entryKey?: string }).entryKey ?? "";
      };
      const truth = async (tab: Tab): Promise<"turn" | number | null> => {
        const status =
          tab === member
            ? await signedIn.client.room.position.query({ eventId: event.id })
            : await anyone.room.position.query({ eventId: event.id, entryKey: await guestKey() });
        return status.state === "admitted" && !status.spent ? "turn" : status.position;
      };
      const pending = new Map<Tab, string | undefined>([
        [member, undefined],
        [guest, "Grace Guest"],
      ]);
      const seen = new Map<Tab, ("turn" | number)[]>([
        [member, []],
        [guest, []],
      ]);
      const bought: Tab[] = [];
      for (let round = 0; round < 8 && pending.size > 0; round++) {
        // Each page catches up with the server (live, at most a second behind).
        for (const tab of pending.keys()) {
          const want = await truth(tab);
          await until(async () => (await shown(tab.page)) === want).catch(async () => {
            throw new Error(
              `round ${round}: the page shows ${await shown(tab.page)}, the server said ${want} and now says ${await truth(tab)}; page: ${await tab.page.locator("#main").textContent()}`,
            );
          });
          const list = seen.get(tab) ?? [];
          if (want !== null && list.at(-1) !== want) list.push(want);
          // Screen readers hear the place when the draw gives one (not at every move). The live
          // region is filled by an effect after the place is drawn on screen: wait for it.
          if (round === 0 && typeof want === "number") {
            const spoken = `You are number ${want} in the queue, with ${want - 1 === 1 ? "1 person" : `${want - 1} people`} ahead of you.`;
            const announcement = tab.page.getByTestId("room-announcement");
            await until(async () => (await announcement.textContent()) === spoken, 5_000).catch(
              async () => {
                throw new Error(
                  `round 0: the page announced "${await announcement.textContent()}", not "${spoken}"`,
                );
              },
            );
          }
        }
        for (const [tab, guestName] of [...pending]) {
          if ((await shown(tab.page)) !== "turn") continue;
          // "It's your turn" takes the focus, with the time left.
          await tab.page.waitForFunction(() => document.activeElement?.id === "your-turn");
          if (bought.length === 0) await shot(tab.page, "room-your-turn");
          await buyOne(tab, guestName);
          bought.push(tab);
          pending.delete(tab);
        }
        if (pending.size === 0) break;
        const waiting = [...pending.keys()][0];
        if (round === 1 && waiting) await shot(waiting.page, "room-waiting");
        // A minute later the next one is let in: everyone behind moves up one place.
        const before = (await placeOfLate()) ?? 0;
        clock.advance(MINUTE + 1_000);
        await until(async () => ((await placeOfLate()) ?? 0) < before);
      }
      expect(pending.size).toBe(0);
      // The second buyer saw their place, watched it move toward the front, then got their turn.
      const second = bought[1];
      expect(second).toBeDefined();
      const path = seen.get(second as Tab) ?? [];
      expect(path.at(-1)).toBe("turn");
      const places = path.filter((p): p is number => typeof p === "number");
      expect(places.length).toBeGreaterThan(0);
      expect(places).toEqual([...places].sort((a, b) => b - a));
      expect(new Set(path).size).toBeGreaterThan(1);

      // Back on the event page, a buyer who used their turn is told so.
      await member.page.goto(`/events/${event.id}`);
      await member.page.getByRole("heading", { name: "You've used your turn" }).waitFor();
      await shot(member.page, "room-spent");
      const mine = await signedIn.client.bookings.mine.query({});
      expect(mine.items.filter((b) => b.status === "confirmed")).toHaveLength(1);
      expectNoConsoleErrors(member);
      expectNoConsoleErrors(guest);
    },
    SLOW,
  );

  test(
    "a turn that ran out sends the buyer back to the room in plain words, and joining again puts them at the back",
    async () => {
      const event = await roomEvent("Short Turn Social", { admitPerMinute: 1, tokenSeconds: 60 });
      const buyer = await h.server.register("attendee", "Tess Timeout");
      const tab = await h.open({ token: buyer.token, ...PHONE });
      const { page } = tab;
      await page.goto(`/events/${event.id}`);
      await joinRoom(page);
      const anyone = h.server.client();
      await enterRoom(anyone, event.id, "other@example.test");
      clock.advance(10 * MINUTE + 1_000);
      // Whoever the lottery put first is let in; the other, a minute later. Two more wait behind,
      // so the queue does not run empty (which would open the doors) while the turn runs out.
      await enterRoom(anyone, event.id, "behind1@example.test");
      const last = await enterRoom(anyone, event.id, "behind2@example.test");
      await until(async () => (await shown(page)) !== null);
      if ((await shown(page)) !== "turn") {
        clock.advance(MINUTE + 1_000);
        await page.getByTestId("your-turn").waitFor();
      }
      await page.getByLabel("Quantity of General").selectOption("1");
      // The turn runs out before the buyer holds anything.
      clock.advance(MINUTE + 1_000);
      await page.getByRole("heading", { name: "Your place has ended" }).waitFor();
      await page.getByText("Your turn ran out before you held tickets").waitFor();
      await shot(page, "room-ended");
      expect(await page.getByRole("button", { name: "Hold tickets" }).count()).toBe(0);
      await page.getByRole("button", { name: "Join the room again" }).click();
      await page.getByRole("heading", { name: "You're in the queue" }).waitFor();
      // At the back: behind the last one who arrived after the draw.
      const behind = await anyone.room.position.query({
        eventId: event.id,
        entryKey: last.entryKey ?? "",
      });
      const mine = await buyer.client.room.position.query({ eventId: event.id });
      expect(mine.position).toBe(mine.queueLength);
      expect(mine.position).toBe((behind.position ?? 0) + 1);
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );

  test(
    "without the live stream the page keeps the place current by asking every few seconds",
    async () => {
      const event = await roomEvent("Patchy Signal Party", { admitPerMinute: 1 });
      const buyer = await h.server.register("attendee", "Polly Polling");
      const tab = await h.open({ token: buyer.token, ...PHONE });
      const { page } = tab;
      // A proxy that breaks the room's live stream (and only it).
      await page.route("**/trpc/room.status**", (route) => route.abort());
      await page.goto(`/events/${event.id}`);
      await joinRoom(page);
      // Said honestly: not live.
      await page
        .getByText(/^(Connecting for live updates|Reconnecting)…/)
        .first()
        .waitFor();
      const anyone = h.server.client();
      await enterRoom(anyone, event.id, "first.in@example.test");
      clock.advance(10 * MINUTE + 1_000);
      await enterRoom(anyone, event.id, "after.draw@example.test");
      // The draw gave a place or a turn: the page shows it without the stream.
      const status = await buyer.client.room.position.query({ eventId: event.id });
      const want = status.state === "admitted" ? "turn" : status.position;
      await until(async () => (await shown(page)) === want, 12_000);
      // The buyer was seen all along (each question counts): the place is kept.
      expect(["admitted", "waiting"]).toContain(status.state);
      expect(tab.errors.filter((e) => !e.includes("ERR_FAILED"))).toEqual([]);
    },
    SLOW,
  );

  test(
    "a hold without an admission token is refused in plain words and the buyer is shown the room",
    async () => {
      const event = await publishEvent(organizer.client, {
        title: "Surprise Queue Night",
        ticketTypes: [{ name: "General", priceCents: 1500, capacity: 20 }],
      });
      const buyer = await h.server.register("attendee", "Nora Token");
      const tab = await h.open({ token: buyer.token, ...PHONE });
      const { page } = tab;
      // The live stream would tell the page about the room within a moment, and the race with
      // the click below would decide what the test sees: the page hears of it from the refusal.
      await page.route(/events\.availability/, () => {});
      await page.goto(`/events/${event.id}`);
      await page.getByLabel("Quantity of General").selectOption("2");
      // The organizer switches the room on while the page is open: it has no token to give.
      await organizer.client.events.update.mutate({
        eventId: event.id,
        onSaleRoom: { enabled: true, opensAt: inServerTime(30 * MINUTE), difficulty: 1 },
      });
      await page.getByRole("button", { name: "Hold tickets" }).click();
      const alert = page.getByRole("alert").filter({ hasText: "on-sale room" }).first();
      await alert.waitFor();
      expect(await alert.textContent()).toBe(reasonMessages.NOT_ADMITTED);
      expect(await alert.textContent()).not.toContain("NOT_ADMITTED");
      // Back to the room, with the way in.
      await page.getByRole("heading", { name: "On-sale room" }).waitFor();
      await page.getByRole("button", { name: "Join the room" }).waitFor();
      expect(await page.getByRole("button", { name: "Hold tickets" }).count()).toBe(0);
      await shot(page, "room-not-admitted");
      expectNoConsoleErrors(tab, [412]);
    },
    SLOW,
  );

  test(
    "the organizer switches the room on in the editor and watches the live panel change",
    async () => {
      const event = await publishEvent(organizer.client, {
        title: "Panel Watch Gala",
        timezone: "Europe/Berlin",
        ticketTypes: [{ name: "General", priceCents: 3000, capacity: 20 }],
      });
      const tab = await h.open({ token: organizer.token });
      const { page } = tab;
      await page.goto(`/organizer/events/${event.id}/edit`);
      const section = page.getByRole("group", { name: "On-sale room" });
      await section.getByLabel("Sell through an on-sale room").check();
      // Opening in half an hour of the server's time, typed as Berlin's wall clock.
      const opensAtMs = Math.ceil((clock.now() + 30 * MINUTE) / MINUTE) * MINUTE;
      await section
        .getByLabel("Room opens (optional)")
        .fill(toZonedInput(opensAtMs, "Europe/Berlin"));
      await section.getByText(/Europe\/Berlin time/).waitFor();
      await section.getByLabel("Minutes to buy").fill("0.5");
      await page.getByRole("button", { name: "Save changes" }).click();
      await section.getByText("At least 1 minute").waitFor();
      await section.getByLabel("Minutes to buy").fill("5");
      // The fans below enter half an hour before the opening and never come back meanwhile.
      await section.getByLabel("Minutes a closed page keeps its place").fill("60");
      await section.getByLabel("Bot check difficulty").selectOption("1");
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.getByText("Saved.").waitFor();
      await shot(page, "room-settings", "fieldset:has(legend:text-is('On-sale room'))");
      const saved = await organizer.client.events.get.query({ eventId: event.id });
      expect(saved.onSaleRoom).toMatchObject({
        enabled: true,
        opensAt: new Date(opensAtMs).toISOString(),
        tokenSeconds: 300,
        graceSeconds: 3600,
        difficulty: 1,
        admitPerMinute: null,
      });

      await page
        .getByRole("navigation", { name: "Event management" })
        .getByRole("link", {
          name: "Overview",
        })
        .click();
      const panel = page.getByTestId("room-stats");
      await panel.getByTestId("room-state").getByText("Waiting for opening").waitFor();
      await page.getByTestId("room-entrants").getByText("0").waitFor();
      // People arrive: the panel counts them live.
      const anyone = h.server.client();
      for (const n of [1, 2]) await enterRoom(anyone, event.id, `fan${n}@example.test`);
      await page.getByTestId("room-waiting").getByText("2").waitFor();
      await page.getByTestId("room-entrants").getByText("2").waitFor();
      // The opening: both are let in at once (nothing limits the rate), the queue is empty, the
      // doors open, and the lottery's seed is there for an audit.
      clock.advance(opensAtMs - clock.now() + 1_000);
      await panel.getByTestId("room-state").getByText("Doors open").waitFor();
      await page.getByTestId("room-admitted").getByText("2").waitFor();
      expect(await page.getByTestId("room-lapsed").textContent()).toBe("0");
      expect(await page.getByTestId("room-seed").textContent()).toMatch(/^[0-9a-f]{32}$/);
      await panel.getByText("What an auditor uses to replay the draw").waitFor();
      await shot(page, "room-panel");
      expectNoConsoleErrors(tab);
    },
    SLOW,
  );
});
