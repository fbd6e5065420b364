/**
 * Editing what an organizer set up (issue 13, point 11): removing a draft's saved ticket types,
 * deleting drafts, the numbers of a capacity refusal, and the sales window in summaries.
 */
import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import { createTestWorld, type TestWorld } from "../testing.ts";

const DAY = 86_400_000;
const START = Date.parse("2026-06-01T12:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

let world: TestWorld;
type Caller = Awaited<ReturnType<TestWorld["signUp"]>>["caller"];

afterEach(async () => {
  await world.close();
});

async function setUp() {
  world = await createTestWorld({ clock: new ManualClock(START) });
  const organizer = await world.signUp("organizer");
  return { organizer };
}

function draft(caller: Caller, title = "Harbour Jazz Night") {
  return caller.events.create({
    title,
    startsAt: iso(START + 30 * DAY),
    ticketTypes: [
      { name: "General", priceCents: 2500, capacity: 100 },
      { name: "VIP", priceCents: 9000, capacity: 10 },
    ],
  });
}

// biome-ignore lint/suspicious/noExplicitAny: errors are inspected loosely on purpose
async function refusal(call: Promise<unknown>): Promise<any> {
  return call.then(
    () => {
      throw new Error("expected the call to be refused");
    },
    (e) => e,
  );
}

const issuePaths = (error: { cause?: { issues?: { path: string }[] } }) =>
  (error.cause?.issues ?? []).map((i) => i.path);

describe("events.update removeTicketTypeIds", () => {
  it("removes a draft's saved ticket type, for good (also after a restart)", async () => {
    const { organizer } = await setUp();
    const event = await draft(organizer.caller);
    const vip = event.ticketTypes[1]!.id;
    const after = await organizer.caller.events.update({
      eventId: event.id,
      removeTicketTypeIds: [vip],
    });
    expect(after.ticketTypes.map((t) => t.name)).toEqual(["General"]);
    expect(after.availability.capacity).toBe(100);
    await world.restart();
    const reloaded = await organizer.caller.events.get({ eventId: event.id });
    expect(reloaded.ticketTypes.map((t) => t.name)).toEqual(["General"]);
    // The name is free again.
    const readded = await organizer.caller.events.update({
      eventId: event.id,
      ticketTypes: [{ name: "VIP", priceCents: 9500, capacity: 5 }],
    });
    expect(readded.ticketTypes.map((t) => t.name)).toEqual(["General", "VIP"]);
  });

  it("refuses on a published event, naming the field and saying why", async () => {
    const { organizer } = await setUp();
    const event = await draft(organizer.caller);
    await organizer.caller.events.publish({ eventId: event.id });
    const error = await refusal(
      organizer.caller.events.update({
        eventId: event.id,
        removeTicketTypeIds: [event.ticketTypes[1]!.id],
      }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(issuePaths(error)).toEqual(["removeTicketTypeIds.0"]);
    expect(error.message).toContain("only from drafts");
    const kept = await organizer.caller.events.get({ eventId: event.id });
    expect(kept.ticketTypes).toHaveLength(2);
  });

  it("refuses unknown types, the last type, and a seated event's sections", async () => {
    const { organizer } = await setUp();
    const event = await draft(organizer.caller);
    const [general, vip] = event.ticketTypes.map((t) => t.id);
    const update = (removeTicketTypeIds: string[]) =>
      refusal(organizer.caller.events.update({ eventId: event.id, removeTicketTypeIds }));
    expect(issuePaths(await update(["tt_nope"]))).toEqual(["removeTicketTypeIds.0"]);
    expect(issuePaths(await update([general!, vip!]))).toEqual(["ticketTypes"]);

    const venue = await organizer.caller.venues.create({
      name: "Hall",
      sections: [
        { name: "Stalls", priceCents: 100, rows: [{ label: "A", seats: 2 }] },
        { name: "Balcony", priceCents: 100, rows: [{ label: "A", seats: 2 }] },
      ],
    });
    const seated = await organizer.caller.events.create({
      title: "Seated",
      startsAt: iso(START + 30 * DAY),
      venueId: venue.id,
    });
    const error = await refusal(
      organizer.caller.events.update({
        eventId: seated.id,
        removeTicketTypeIds: [seated.ticketTypes[1]!.id],
      }),
    );
    expect(error.message).toContain("sections cannot be removed");
  });
});

describe("events.delete", () => {
  it("deletes a draft: gone for its organizer, from lists, and after a restart", async () => {
    const { organizer } = await setUp();
    const event = await draft(organizer.caller);
    // The draft's actor is in memory after an edit; deleting takes it out too.
    await organizer.caller.events.update({ eventId: event.id, title: "Renamed" });
    expect(await organizer.caller.events.delete({ eventId: event.id })).toEqual({ ok: true });
    expect((await refusal(organizer.caller.events.get({ eventId: event.id }))).code).toBe(
      "NOT_FOUND",
    );
    expect(world.services.engine.isLoaded(event.id)).toBe(false);
    expect((await organizer.caller.events.list({ mine: true })).items).toEqual([]);
    expect(
      (await refusal(organizer.caller.events.update({ eventId: event.id, title: "Back" }))).code,
    ).toBe("NOT_FOUND");
    await world.restart();
    expect((await refusal(organizer.caller.events.get({ eventId: event.id }))).code).toBe(
      "NOT_FOUND",
    );
  });

  it("deletes a seated draft with its seat layout, which frees its venue", async () => {
    const { organizer } = await setUp();
    const venue = await organizer.caller.venues.create({
      name: "Hall",
      sections: [{ name: "Stalls", priceCents: 100, rows: [{ label: "A", seats: 2 }] }],
    });
    const seated = await organizer.caller.events.create({
      title: "Seated",
      startsAt: iso(START + 30 * DAY),
      venueId: venue.id,
    });
    expect((await organizer.caller.venues.get({ venueId: venue.id })).eventCount).toBe(1);
    await organizer.caller.events.delete({ eventId: seated.id });
    expect((await organizer.caller.venues.get({ venueId: venue.id })).eventCount).toBe(0);
    expect(await organizer.caller.venues.delete({ venueId: venue.id })).toEqual({ ok: true });
  });

  it("refuses a published or cancelled event with NOT_A_DRAFT", async () => {
    const { organizer } = await setUp();
    const event = await draft(organizer.caller);
    await organizer.caller.events.publish({ eventId: event.id });
    const error = await refusal(organizer.caller.events.delete({ eventId: event.id }));
    expect(error).toMatchObject({ code: "PRECONDITION_FAILED", reason: "NOT_A_DRAFT" });
    await organizer.caller.events.cancel({ eventId: event.id, reason: "Rain" });
    const again = await refusal(organizer.caller.events.delete({ eventId: event.id }));
    expect(again.reason).toBe("NOT_A_DRAFT");
    expect((await organizer.caller.events.get({ eventId: event.id })).status).toBe("cancelled");
  });

  it("lets only the event's organizer or an admin delete it", async () => {
    const { organizer } = await setUp();
    const other = await world.signUp("organizer");
    const admin = await world.signUp("admin");
    const first = await draft(organizer.caller);
    expect((await refusal(other.caller.events.delete({ eventId: first.id }))).code).toBe(
      "FORBIDDEN",
    );
    expect((await refusal(world.anonymous().events.delete({ eventId: first.id }))).code).toBe(
      "UNAUTHORIZED",
    );
    expect(await admin.caller.events.delete({ eventId: first.id })).toEqual({ ok: true });
  });
});

describe("capacity refusals and summaries", () => {
  it("gives sold, held and the capacity asked for with CAPACITY_BELOW_SOLD", async () => {
    const { organizer } = await setUp();
    const buyer = await world.signUp();
    const event = await draft(organizer.caller);
    await organizer.caller.events.publish({ eventId: event.id });
    const general = event.ticketTypes[0]!.id;
    const items = [{ ticketTypeId: general, quantity: 3 }];
    await buyer.caller.bookings.book({ eventId: event.id, items });
    await buyer.caller.bookings.hold({ eventId: event.id, items: [{ ...items[0]!, quantity: 1 }] });
    const error = await refusal(
      organizer.caller.events.update({
        eventId: event.id,
        ticketTypes: [{ id: general, capacity: 2 }],
      }),
    );
    expect(error.reason).toBe("CAPACITY_BELOW_SOLD");
    expect(error.details).toEqual({
      ticketTypeId: general,
      taken: 4,
      sold: 3,
      held: 1,
      capacity: 2,
    });
  });

  it("lists each event's sales window", async () => {
    const { organizer } = await setUp();
    const created = await organizer.caller.events.create({
      title: "Later",
      startsAt: iso(START + 30 * DAY),
      salesStartAt: iso(START + DAY),
      salesEndAt: iso(START + 29 * DAY),
      ticketTypes: [{ name: "General", priceCents: 0, capacity: 10 }],
    });
    await organizer.caller.events.publish({ eventId: created.id });
    const [summary] = (await world.anonymous().events.list()).items;
    expect(summary).toMatchObject({
      salesStartAt: iso(START + DAY),
      salesEndAt: iso(START + 29 * DAY),
    });
  });
});
