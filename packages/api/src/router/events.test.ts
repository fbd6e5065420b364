import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import { createTestWorld, type TestWorld } from "../testing.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.parse("2026-06-01T12:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

let world: TestWorld;
let clock: ManualClock;
type Caller = Awaited<ReturnType<TestWorld["signUp"]>>["caller"];
type CreateInput = Parameters<Caller["events"]["create"]>[0];

afterEach(async () => {
  await world.close();
});

async function setUp(options: Parameters<typeof createTestWorld>[0] = {}) {
  clock = new ManualClock(START);
  world = await createTestWorld({ clock, ...options });
  const organizer = await world.signUp("organizer");
  return { organizer };
}

function eventInput(overrides: Partial<CreateInput> = {}): CreateInput {
  return {
    title: "Harbour Jazz Night",
    startsAt: iso(START + 30 * DAY),
    ticketTypes: [
      { name: "General", priceCents: 2500, capacity: 100 },
      { name: "VIP", priceCents: 9000, capacity: 10 },
    ],
    ...overrides,
  };
}

async function published(caller: Caller, overrides: Partial<CreateInput> = {}) {
  const created = await caller.events.create(eventInput(overrides));
  return caller.events.publish({ eventId: created.id });
}

/** The error a call was refused with; fails the test when the call succeeded. */
async function refusal(call: Promise<unknown>) {
  // biome-ignore lint/suspicious/noExplicitAny: errors are inspected loosely on purpose
  const error: any = await call.then(
    () => {
      throw new Error("expected the call to be refused");
    },
    (e) => e,
  );
  return error;
}

/** The fields a BAD_REQUEST names, from zod's issues or from our cross-field ones. */
async function refusedFields(call: Promise<unknown>): Promise<string[]> {
  const error = await refusal(call);
  expect(error.code).toBe("BAD_REQUEST");
  const issues: { path: string | PropertyKey[] }[] = error.issues ?? error.cause?.issues ?? [];
  return issues.map((i) => (Array.isArray(i.path) ? i.path.join(".") : String(i.path)));
}

/** A direct booking through the engine, paid with the mock provider. */
async function sell(eventId: string, userId: string, ticketTypeId: string, quantity: number) {
  return world.services.engine.book({
    eventId,
    buyer: { kind: "user" as const, userId },
    items: [{ ticketTypeId, quantity }],
    seatIds: [],
  });
}

/** A live hold through the engine. */
function hold(eventId: string, userId: string, ticketTypeId: string, quantity: number) {
  return world.services.engine.hold({
    eventId,
    buyer: { kind: "user" as const, userId },
    items: [{ ticketTypeId, quantity }],
    seatIds: [],
  });
}

describe("events.create", () => {
  it("creates a draft with the documented defaults", async () => {
    const { organizer } = await setUp();
    const event = await organizer.caller.events.create(eventInput({ title: "  Padded  " }));
    expect(event).toMatchObject({
      organizerId: organizer.userId,
      title: "Padded",
      description: "",
      venueName: null,
      venueId: null,
      status: "draft",
      startsAt: iso(START + 30 * DAY),
      endsAt: null,
      timezone: "UTC",
      maxPerOrder: 10,
      maxPerUser: null,
      holdSeconds: 600,
      currency: "USD",
      capacity: null,
      waitlist: { enabled: false, mode: "offer", offerSeconds: 86_400 },
      cancellationPolicy: {
        refundable: true,
        feeCents: 0,
        rules: [{ hoursBeforeStart: 0, refundPercent: 100 }],
      },
      availability: { capacity: 110, sold: 0, held: 0, available: 110, waitlistLength: 0 },
    });
    expect(event.id).toStartWith("evt_");
    expect(event.ticketTypes.map((t) => [t.name, t.available])).toEqual([
      ["General", 100],
      ["VIP", 10],
    ]);
    expect(event.ticketTypes[0]!.id).toStartWith("tt_");
  });

  it("canonicalises the time zone and bounds the types by the event capacity", async () => {
    const { organizer } = await setUp();
    const event = await organizer.caller.events.create(
      eventInput({ timezone: "europe/berlin", capacity: 50 }),
    );
    expect(event.timezone).toBe("Europe/Berlin");
    expect(event.availability).toMatchObject({ capacity: 50, available: 50 });
    expect(event.ticketTypes.map((t) => t.available)).toEqual([50, 10]);
  });

  const start = START + 30 * DAY;
  const invalid: [string, Partial<CreateInput> | Record<string, unknown>, string][] = [
    ["an empty title", { title: "   " }, "title"],
    ["a title over 200 characters", { title: "x".repeat(201) }, "title"],
    ["a description over 5000 characters", { description: "x".repeat(5001) }, "description"],
    ["a start that is not an instant", { startsAt: "next friday" }, "startsAt"],
    ["a start without an offset", { startsAt: "2026-07-01T20:00:00" }, "startsAt"],
    ["an impossible date", { startsAt: "2026-02-30T20:00:00Z" }, "startsAt"],
    ["an end before the start", { endsAt: iso(start - HOUR) }, "endsAt"],
    ["sales ending after the event", { salesEndAt: iso(start + HOUR) }, "salesEndAt"],
    [
      "sales starting after they end",
      { salesStartAt: iso(start - HOUR), salesEndAt: iso(start - 2 * HOUR) },
      "salesStartAt",
    ],
    ["a negative capacity", { capacity: -1 }, "capacity"],
    ["a capacity over a million", { capacity: 1_000_001 }, "capacity"],
    ["a fractional capacity", { capacity: 2.5 }, "capacity"],
    ["maxPerOrder of 0", { maxPerOrder: 0 }, "maxPerOrder"],
    ["maxPerOrder over 100", { maxPerOrder: 101 }, "maxPerOrder"],
    ["maxPerUser of 0", { maxPerUser: 0 }, "maxPerUser"],
    ["holdSeconds under 30", { holdSeconds: 10 }, "holdSeconds"],
    ["holdSeconds over an hour", { holdSeconds: 3601 }, "holdSeconds"],
    ["a lower-case currency", { currency: "usd" }, "currency"],
    ["an unknown time zone", { timezone: "Mars/Olympus_Mons" }, "timezone"],
    ["no ticket types", { ticketTypes: [] }, "ticketTypes"],
    [
      "too many ticket types",
      {
        ticketTypes: Array.from({ length: 51 }, (_, i) => ({
          name: `T${i}`,
          priceCents: 0,
          capacity: 1,
        })),
      },
      "ticketTypes",
    ],
    [
      "a negative price",
      { ticketTypes: [{ name: "A", priceCents: -1, capacity: 1 }] },
      "ticketTypes.0.priceCents",
    ],
    [
      "a price over the bound",
      { ticketTypes: [{ name: "A", priceCents: 100_000_001, capacity: 1 }] },
      "ticketTypes.0.priceCents",
    ],
    [
      "an empty ticket type name",
      { ticketTypes: [{ name: "", priceCents: 0, capacity: 1 }] },
      "ticketTypes.0.name",
    ],
    [
      "two ticket types with one name",
      {
        ticketTypes: [
          { name: "Standard", priceCents: 0, capacity: 1 },
          { name: "standard", priceCents: 100, capacity: 1 },
        ],
      },
      "ticketTypes.1.name",
    ],
    ["an unknown waitlist mode", { waitlist: { enabled: true, mode: "lottery" } }, "waitlist.mode"],
    [
      "a waitlist offer under a minute",
      { waitlist: { enabled: true, mode: "offer", offerSeconds: 10 } },
      "waitlist.offerSeconds",
    ],
    [
      "a refund over 100 percent",
      {
        cancellationPolicy: {
          refundable: true,
          rules: [{ hoursBeforeStart: 0, refundPercent: 101 }],
        },
      },
      "cancellationPolicy.rules.0.refundPercent",
    ],
    [
      "a negative cancellation fee",
      { cancellationPolicy: { refundable: true, feeCents: -5, rules: [] } },
      "cancellationPolicy.feeCents",
    ],
    ["a seated venue (not available yet)", { venueId: "ven_1" }, "venueId"],
    ["a start given as a number", { startsAt: start }, "startsAt"],
    ["a capacity given as a string", { capacity: "100" }, "capacity"],
    ["ticket types given as an object", { ticketTypes: { name: "A" } }, "ticketTypes"],
  ];
  for (const [what, overrides, field] of invalid) {
    it(`refuses ${what}, naming ${field}`, async () => {
      const { organizer } = await setUp();
      const input = { ...eventInput(), ...overrides } as CreateInput;
      expect(await refusedFields(organizer.caller.events.create(input))).toContain(field);
    });
  }

  it("answers hostile inputs with BAD_REQUEST, never a crash", async () => {
    const { organizer } = await setUp();
    const hostile: unknown[] = [
      null,
      "a string",
      [],
      { ...eventInput(), title: "x".repeat(1_000_000) },
      { ...eventInput(), ticketTypes: Array.from({ length: 10_000 }, () => ({})) },
      { ...eventInput(), startsAt: "9".repeat(10_000) },
      { ...eventInput(), capacity: Number.MAX_SAFE_INTEGER },
      { ...eventInput(), title: { $gt: "" } },
    ];
    for (const input of hostile) {
      const error = await refusal(organizer.caller.events.create(input as CreateInput));
      expect(error.code).toBe("BAD_REQUEST");
    }
  });

  it("lets organizers and admins create, but not attendees or anonymous callers", async () => {
    const { organizer } = await setUp();
    const admin = await world.signUp("admin");
    const attendee = await world.signUp("attendee");
    await organizer.caller.events.create(eventInput());
    await admin.caller.events.create(eventInput());
    expect((await refusal(attendee.caller.events.create(eventInput()))).code).toBe("FORBIDDEN");
    expect((await refusal(world.anonymous().events.create(eventInput()))).code).toBe(
      "UNAUTHORIZED",
    );
  });
});

describe("events.update", () => {
  it("changes the given fields and keeps the others", async () => {
    const { organizer } = await setUp();
    const created = await organizer.caller.events.create(
      eventInput({ description: "Bring a coat", maxPerUser: 4 }),
    );
    const updated = await organizer.caller.events.update({
      eventId: created.id,
      title: "Harbour Jazz Night II",
      endsAt: iso(START + 30 * DAY + 3 * HOUR),
      maxPerUser: null,
    });
    expect(updated).toMatchObject({
      title: "Harbour Jazz Night II",
      description: "Bring a coat",
      endsAt: iso(START + 30 * DAY + 3 * HOUR),
      maxPerUser: null,
      status: "draft",
    });
    expect(updated.ticketTypes).toEqual(created.ticketTypes);
  });

  it("changes listed ticket types by id, adds those without one and keeps the rest", async () => {
    const { organizer } = await setUp();
    const created = await organizer.caller.events.create(eventInput());
    const [general, vip] = created.ticketTypes;
    const updated = await organizer.caller.events.update({
      eventId: created.id,
      ticketTypes: [
        { id: vip!.id, name: "Backstage", priceCents: 12_000 },
        { name: "Student", priceCents: 1000, capacity: 20 },
      ],
    });
    expect(updated.ticketTypes.map((t) => [t.id, t.name, t.priceCents, t.capacity])).toEqual([
      [general!.id, "General", 2500, 100],
      [vip!.id, "Backstage", 12_000, 10],
      [expect.stringMatching(/^tt_/), "Student", 1000, 20],
    ]);
    expect(updated.availability.capacity).toBe(130);
  });

  it("names the fields an update gets wrong, alone or combined with what is stored", async () => {
    const { organizer } = await setUp();
    const created = await organizer.caller.events.create(
      eventInput({ endsAt: iso(START + 30 * DAY + 2 * HOUR) }),
    );
    const update = (patch: Record<string, unknown>) =>
      refusedFields(organizer.caller.events.update({ eventId: created.id, ...patch }));
    expect(await update({ startsAt: iso(START + 31 * DAY) })).toContain("endsAt");
    expect(await update({ ticketTypes: [{ id: "tt_nope", name: "X" }] })).toContain(
      "ticketTypes.0.id",
    );
    expect(await update({ ticketTypes: [{ name: "New" }] })).toContain("ticketTypes.0.priceCents");
    expect(await update({ ticketTypes: [{ name: "vip", priceCents: 1, capacity: 1 }] })).toContain(
      "ticketTypes",
    );
    expect(await update({ title: "" })).toContain("title");
    expect(await update({ timezone: "Nowhere/Special" })).toContain("timezone");
  });

  it("refuses a capacity below what is sold or held with CAPACITY_BELOW_SOLD", async () => {
    const { organizer } = await setUp();
    const buyer = await world.signUp();
    const event = await published(organizer.caller);
    const general = event.ticketTypes[0]!.id;
    await sell(event.id, buyer.userId, general, 3);
    await hold(event.id, buyer.userId, general, 2);
    const lower = (patch: Record<string, unknown>) =>
      refusal(organizer.caller.events.update({ eventId: event.id, ...patch }));
    for (const patch of [{ ticketTypes: [{ id: general, capacity: 4 }] }, { capacity: 4 }]) {
      expect(await lower(patch)).toMatchObject({ code: "CONFLICT", reason: "CAPACITY_BELOW_SOLD" });
    }
    const resized = await organizer.caller.events.update({
      eventId: event.id,
      ticketTypes: [{ id: general, capacity: 5 }],
    });
    expect(resized.ticketTypes[0]).toMatchObject({ capacity: 5, sold: 3, held: 2, available: 0 });
  });

  it("lets only the event's organizer or an admin update it", async () => {
    const { organizer } = await setUp();
    const other = await world.signUp("organizer");
    const attendee = await world.signUp("attendee");
    const admin = await world.signUp("admin");
    const { id: eventId } = await organizer.caller.events.create(eventInput());
    const patch = { eventId, title: "Taken over" };
    expect((await refusal(other.caller.events.update(patch))).code).toBe("FORBIDDEN");
    expect((await refusal(attendee.caller.events.update(patch))).code).toBe("FORBIDDEN");
    expect((await refusal(world.anonymous().events.update(patch))).code).toBe("UNAUTHORIZED");
    expect((await refusal(admin.caller.events.update({ ...patch, eventId: "evt_x" }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await admin.caller.events.update(patch)).title).toBe("Taken over");
  });
});

describe("events.publish and events.cancel", () => {
  it("publishes a draft so that everyone can see it", async () => {
    const { organizer } = await setUp();
    const created = await organizer.caller.events.create(eventInput());
    expect((await refusal(world.anonymous().events.get({ eventId: created.id }))).code).toBe(
      "NOT_FOUND",
    );
    const event = await organizer.caller.events.publish({ eventId: created.id });
    expect(event.status).toBe("published");
    expect((await world.anonymous().events.get({ eventId: created.id })).status).toBe("published");
  });

  it("lets only the event's organizer or an admin publish and cancel", async () => {
    const { organizer } = await setUp();
    const other = await world.signUp("organizer");
    const admin = await world.signUp("admin");
    const { id: eventId } = await organizer.caller.events.create(eventInput());
    expect((await refusal(other.caller.events.publish({ eventId }))).code).toBe("FORBIDDEN");
    expect((await refusal(other.caller.events.cancel({ eventId, reason: "x" }))).code).toBe(
      "FORBIDDEN",
    );
    expect((await admin.caller.events.publish({ eventId })).status).toBe("published");
    const cancelled = await admin.caller.events.cancel({ eventId, reason: "Venue flooded" });
    expect(cancelled.event.status).toBe("cancelled");
  });

  it("cancels every booking with a full refund and then refuses changes", async () => {
    const { organizer } = await setUp();
    const buyer = await world.signUp();
    const event = await published(organizer.caller);
    await sell(event.id, buyer.userId, event.ticketTypes[0]!.id, 2);
    await sell(event.id, buyer.userId, event.ticketTypes[1]!.id, 1);
    const { event: after, refundedBookings } = await organizer.caller.events.cancel({
      eventId: event.id,
      reason: "The band is ill",
    });
    expect(refundedBookings).toBe(2);
    expect(after.status).toBe("cancelled");
    expect(after.availability).toMatchObject({ sold: 0, held: 0, available: 0 });
    const refunds = world.services.db.$client
      .prepare("select amount_cents, provider_ref from refunds order by amount_cents")
      .all() as { amount_cents: number; provider_ref: string | null }[];
    expect(refunds.map((r) => r.amount_cents)).toEqual([5000, 9000]);
    expect(refunds.every((r) => r.provider_ref !== null)).toBe(true);

    const again = await refusal(organizer.caller.events.cancel({ eventId: event.id, reason: "x" }));
    expect(again).toMatchObject({ code: "CONFLICT", reason: "ALREADY_CANCELLED" });
    for (const call of [
      organizer.caller.events.publish({ eventId: event.id }),
      organizer.caller.events.update({ eventId: event.id, title: "Back on" }),
    ]) {
      expect(await refusal(call)).toMatchObject({
        code: "PRECONDITION_FAILED",
        reason: "EVENT_CANCELLED",
      });
    }
  });

  it("refuses a cancellation without a reason, naming it", async () => {
    const { organizer } = await setUp();
    const { id: eventId } = await organizer.caller.events.create(eventInput());
    expect(await refusedFields(organizer.caller.events.cancel({ eventId, reason: " " }))).toEqual([
      "reason",
    ]);
  });
});

describe("events.get", () => {
  it("shows drafts only to their organizer and admins", async () => {
    const { organizer } = await setUp();
    const other = await world.signUp("organizer");
    const attendee = await world.signUp("attendee");
    const admin = await world.signUp("admin");
    const { id: eventId } = await organizer.caller.events.create(eventInput());
    for (const caller of [other.caller, attendee.caller, world.anonymous()]) {
      expect((await refusal(caller.events.get({ eventId }))).code).toBe("NOT_FOUND");
    }
    expect((await organizer.caller.events.get({ eventId })).id).toBe(eventId);
    expect((await admin.caller.events.get({ eventId })).id).toBe(eventId);
  });

  it("gives the same figures from SQLite as from the awake actor", async () => {
    const { organizer } = await setUp();
    const buyer = await world.signUp();
    const event = await published(organizer.caller, { capacity: 12 });
    const [general, vip] = event.ticketTypes;
    await sell(event.id, buyer.userId, vip!.id, 4);
    await hold(event.id, buyer.userId, general!.id, 5);
    const fromActor = await world.anonymous().events.get({ eventId: event.id });
    expect(fromActor.availability).toMatchObject({ capacity: 12, sold: 4, held: 5, available: 3 });
    expect(fromActor.ticketTypes.map((t) => t.available)).toEqual([3, 3]);

    // With the engine stopped, no actor is in memory: the figures come from SQLite.
    await world.services.engine.stop();
    expect(world.services.engine.isLoaded(event.id)).toBe(false);
    const fromRows = await world.anonymous().events.get({ eventId: event.id });
    expect(fromRows.availability).toEqual(fromActor.availability);
    expect(fromRows.ticketTypes).toEqual(fromActor.ticketTypes);

    // A hold past its expiry takes nothing any more, even before a sweep marks it.
    clock.advance(601_000);
    const later = await world.anonymous().events.get({ eventId: event.id });
    expect(later.availability).toMatchObject({ held: 0, available: 8 });
  });
});

describe("events.list", () => {
  it("walks every published event exactly once, upcoming first", async () => {
    const { organizer } = await setUp({ limits: { eventsPerOrganizerPerDay: 100 } });
    for (let i = 0; i < 25; i++) {
      // Pairs share a start, so the order within a pair rests on the id alone.
      await published(organizer.caller, {
        title: `Concert ${i}`,
        startsAt: iso(START + (10 + Math.floor(i / 2)) * DAY),
      });
    }
    await organizer.caller.events.create(eventInput({ title: "Still a draft" }));
    const seen: { id: string; startsAt: string }[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await world.anonymous().events.list({ limit: 7, cursor });
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(4);
    expect(new Set(seen.map((e) => e.id)).size).toBe(25);
    const sorted = [...seen].sort(
      (a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id),
    );
    expect(seen).toEqual(sorted);
  });

  it("summarises each event with its lowest price and availability", async () => {
    const { organizer } = await setUp();
    const event = await published(organizer.caller, { venueName: "Pier 9" });
    const { items } = await world.anonymous().events.list();
    expect(items).toEqual([
      {
        id: event.id,
        organizerId: organizer.userId,
        title: "Harbour Jazz Night",
        venueName: "Pier 9",
        startsAt: event.startsAt,
        endsAt: null,
        timezone: "UTC",
        salesStartAt: null,
        salesEndAt: null,
        status: "published",
        currency: "USD",
        minPriceCents: 2500,
        availability: {
          eventId: event.id,
          capacity: 110,
          sold: 0,
          held: 0,
          available: 110,
          waitlistLength: 0,
          updatedAt: iso(START),
        },
      },
    ]);
  });

  it("searches title, description and venue case-insensitively, taking % and _ literally", async () => {
    const { organizer } = await setUp();
    await published(organizer.caller, { title: "Jazz on the Pier" });
    await published(organizer.caller, { title: "Rock", description: "Loud JAZZ-free evening" });
    await published(organizer.caller, { title: "Folk", venueName: "The Jazz Cellar" });
    await published(organizer.caller, { title: "100% Techno" });
    await published(organizer.caller, { title: "Classical" });
    const titles = async (search: string) =>
      (await world.anonymous().events.list({ search })).items.map((e) => e.title).sort();
    expect(await titles("jazz")).toEqual(["Folk", "Jazz on the Pier", "Rock"]);
    expect(await titles("100%")).toEqual(["100% Techno"]);
    expect(await titles("%")).toEqual(["100% Techno"]);
    expect(await titles("_")).toEqual([]);
  });

  it("hides past events unless includePast", async () => {
    const { organizer } = await setUp();
    await published(organizer.caller, {
      title: "Soon over",
      startsAt: iso(START + DAY),
      endsAt: iso(START + DAY + 2 * HOUR),
    });
    await published(organizer.caller, { title: "Later" });
    clock.advance(DAY + HOUR);
    const now = await world.anonymous().events.list();
    expect(now.items.map((e) => e.title)).toEqual(["Soon over", "Later"]);
    clock.advance(2 * HOUR);
    const after = await world.anonymous().events.list();
    expect(after.items.map((e) => e.title)).toEqual(["Later"]);
    const all = await world.anonymous().events.list({ includePast: true });
    expect(all.items.map((e) => e.title)).toEqual(["Soon over", "Later"]);
  });

  it("shows an organizer's own drafts and cancelled events with mine, and no one else's", async () => {
    const { organizer } = await setUp();
    const other = await world.signUp("organizer");
    await organizer.caller.events.create(eventInput({ title: "My draft" }));
    const gone = await published(organizer.caller, { title: "My cancelled" });
    await organizer.caller.events.cancel({ eventId: gone.id, reason: "Rain" });
    await published(other.caller, { title: "Theirs" });
    await other.caller.events.create(eventInput({ title: "Their draft" }));
    const publicTitles = (await world.anonymous().events.list()).items.map((e) => e.title);
    expect(publicTitles).toEqual(["Theirs"]);
    const mine = await organizer.caller.events.list({ mine: true });
    expect(mine.items.map((e) => [e.title, e.status]).sort()).toEqual([
      ["My cancelled", "cancelled"],
      ["My draft", "draft"],
    ]);
    expect((await refusal(world.anonymous().events.list({ mine: true }))).code).toBe(
      "UNAUTHORIZED",
    );
  });

  it("filters by organizer and by a window of start times", async () => {
    const { organizer } = await setUp();
    const other = await world.signUp("organizer");
    await published(organizer.caller, { title: "A", startsAt: iso(START + 5 * DAY) });
    await published(organizer.caller, { title: "B", startsAt: iso(START + 10 * DAY) });
    await published(other.caller, { title: "C", startsAt: iso(START + 10 * DAY) });
    const list = async (input: Parameters<Caller["events"]["list"]>[0]) =>
      (await world.anonymous().events.list(input)).items.map((e) => e.title).sort();
    expect(await list({ organizerId: other.userId })).toEqual(["C"]);
    expect(await list({ from: iso(START + 6 * DAY) })).toEqual(["B", "C"]);
    expect(await list({ to: iso(START + 6 * DAY) })).toEqual(["A"]);
  });

  it("refuses a cursor it did not give out, naming cursor", async () => {
    await setUp();
    for (const cursor of ["garbage", "eyJzIjoiYSJ9", Buffer.from("null").toString("base64url")]) {
      expect(await refusedFields(world.anonymous().events.list({ cursor }))).toEqual(["cursor"]);
    }
    expect(await refusedFields(world.anonymous().events.list({ limit: 101 }))).toEqual(["limit"]);
    expect(await refusedFields(world.anonymous().events.list({ from: "yesterday" }))).toEqual([
      "from",
    ]);
  });
});
