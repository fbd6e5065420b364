/** events.list with `mine`: the events the caller manages, every organizer's for an admin. */
import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import { createTestWorld, type TestWorld } from "../testing.ts";

const DAY = 86_400_000;
const START = Date.parse("2026-06-01T12:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

let world: TestWorld;

afterEach(async () => {
  await world.close();
});

type Caller = Awaited<ReturnType<TestWorld["signUp"]>>["caller"];

async function create(caller: Caller, title: string, days: number, publish = true) {
  const created = await caller.events.create({
    title,
    startsAt: iso(START + days * DAY),
    ticketTypes: [{ name: "GA", priceCents: 0, capacity: 5 }],
  });
  if (publish) await caller.events.publish({ eventId: created.id });
  return created;
}

async function threeOrganizers() {
  world = await createTestWorld({ clock: new ManualClock(START) });
  const ada = await world.signUp("organizer", "Ada");
  const bo = await world.signUp("organizer", "Bo");
  const admin = await world.signUp("admin");
  await create(ada.caller, "Ada live", 2);
  await create(ada.caller, "Ada draft", 3, false);
  const gone = await create(bo.caller, "Bo cancelled", 4);
  await bo.caller.events.cancel({ eventId: gone.id, reason: "Rain" });
  await create(bo.caller, "Bo live", 5);
  await create(admin.caller, "Admin's own", 6);
  return { ada, bo, admin };
}

const titles = async (caller: Caller, input: Parameters<Caller["events"]["list"]>[0]) =>
  (await caller.events.list(input)).items.map((e) => e.title);

describe("events.list with mine", () => {
  it("lists every organizer's events, in every status, to an admin", async () => {
    const { admin } = await threeOrganizers();
    expect(await titles(admin.caller, { mine: true })).toEqual([
      "Ada live",
      "Ada draft",
      "Bo cancelled",
      "Bo live",
      "Admin's own",
    ]);
  });

  it("narrows an admin's list to one organizer with organizerId, pages included", async () => {
    const { admin, bo } = await threeOrganizers();
    const first = await admin.caller.events.list({ mine: true, organizerId: bo.userId, limit: 1 });
    expect(first.items.map((e) => e.title)).toEqual(["Bo cancelled"]);
    const next = await admin.caller.events.list({
      mine: true,
      organizerId: bo.userId,
      limit: 1,
      cursor: first.nextCursor ?? "",
    });
    expect(next.items.map((e) => e.title)).toEqual(["Bo live"]);
    expect(next.nextCursor).toBeNull();
  });

  it("shows an organizer only their own, and nothing for someone else's id", async () => {
    const { ada, bo } = await threeOrganizers();
    expect(await titles(ada.caller, { mine: true })).toEqual(["Ada live", "Ada draft"]);
    expect(await titles(ada.caller, { mine: true, organizerId: ada.userId })).toEqual([
      "Ada live",
      "Ada draft",
    ]);
    expect(await ada.caller.events.list({ mine: true, organizerId: bo.userId })).toEqual({
      items: [],
      nextCursor: null,
    });
    // Without mine, organizerId stays the public filter: published events only.
    expect(await titles(ada.caller, { organizerId: bo.userId })).toEqual(["Bo live"]);
  });
});
