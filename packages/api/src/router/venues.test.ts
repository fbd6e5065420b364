import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import { createTestWorld, type TestWorld } from "../testing.ts";

const DAY = 86_400_000;
const START = Date.parse("2026-06-01T12:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

let world: TestWorld;
let clock: ManualClock;
type Caller = Awaited<ReturnType<TestWorld["signUp"]>>["caller"];
type VenueInput = Parameters<Caller["venues"]["create"]>[0];

afterEach(async () => {
  await world.close();
});

async function setUp() {
  clock = new ManualClock(START);
  world = await createTestWorld({ clock });
  const organizer = await world.signUp("organizer");
  const buyer = await world.signUp("attendee");
  return { organizer, buyer };
}

const hall: VenueInput = {
  name: "Small Hall",
  sections: [
    {
      name: "Stalls",
      priceCents: 3000,
      rows: [
        { label: "A", seats: 4 },
        { label: "B", seats: 4 },
      ],
    },
    { name: "Balcony", priceCents: 1000, rows: [{ label: "A", seats: 2 }] },
  ],
};

// biome-ignore lint/suspicious/noExplicitAny: errors are inspected loosely on purpose
async function refusal(call: Promise<unknown>): Promise<any> {
  return call.then(
    () => {
      throw new Error("expected the call to be refused");
    },
    (e) => e,
  );
}

async function seatedEvent(caller: Caller, venueId: string, extra: Record<string, unknown> = {}) {
  const created = await caller.events.create({
    title: "Seated night",
    startsAt: iso(START + 30 * DAY),
    venueId,
    ...extra,
  });
  return caller.events.publish({ eventId: created.id });
}

describe("venues", () => {
  it("creates a venue and lists and gets it for its organizer only (admins see all)", async () => {
    const { organizer } = await setUp();
    const venue = await organizer.caller.venues.create(hall);
    expect(venue).toMatchObject({ name: "Small Hall", seatCount: 10 });
    expect(venue.id).toStartWith("ven_");
    expect((await organizer.caller.venues.list()).items.map((v) => v.id)).toEqual([venue.id]);
    expect(await organizer.caller.venues.get({ venueId: venue.id })).toEqual(venue);
    const other = await world.signUp("organizer");
    expect((await other.caller.venues.list()).items).toEqual([]);
    expect((await refusal(other.caller.venues.get({ venueId: venue.id }))).code).toBe("NOT_FOUND");
    const admin = await world.signUp("admin");
    expect((await admin.caller.venues.list()).items.map((v) => v.id)).toEqual([venue.id]);
  });

  const invalid: [string, VenueInput][] = [
    ["no sections", { name: "X", sections: [] }],
    ["an empty name", { ...hall, name: " " }],
    ["a section without rows", { name: "X", sections: [{ name: "S", priceCents: 0, rows: [] }] }],
    [
      "a row of 501 seats",
      { name: "X", sections: [{ name: "S", priceCents: 0, rows: [{ label: "A", seats: 501 }] }] },
    ],
    [
      "a row of no seats",
      { name: "X", sections: [{ name: "S", priceCents: 0, rows: [{ label: "A", seats: 0 }] }] },
    ],
    [
      "two rows labelled alike in a section",
      {
        name: "X",
        sections: [
          {
            name: "S",
            priceCents: 0,
            rows: [
              { label: "A", seats: 1 },
              { label: "a", seats: 1 },
            ],
          },
        ],
      },
    ],
    [
      "201 sections",
      {
        name: "X",
        sections: Array.from({ length: 201 }, (_, i) => ({
          name: `S${i}`,
          priceCents: 0,
          rows: [{ label: "A", seats: 1 }],
        })),
      },
    ],
    [
      "501 rows in a section",
      {
        name: "X",
        sections: [
          {
            name: "S",
            priceCents: 0,
            rows: Array.from({ length: 501 }, (_, i) => ({ label: `R${i}`, seats: 1 })),
          },
        ],
      },
    ],
    [
      "two sections named alike",
      {
        name: "X",
        sections: [
          { name: "S", priceCents: 0, rows: [{ label: "A", seats: 1 }] },
          { name: "s", priceCents: 0, rows: [{ label: "A", seats: 1 }] },
        ],
      },
    ],
  ];
  for (const [what, input] of invalid) {
    it(`refuses ${what} with BAD_REQUEST`, async () => {
      const { organizer } = await setUp();
      expect((await refusal(organizer.caller.venues.create(input))).code).toBe("BAD_REQUEST");
    });
  }

  it("lets only organizers create venues", async () => {
    const { buyer } = await setUp();
    expect((await refusal(buyer.caller.venues.create(hall))).code).toBe("FORBIDDEN");
  });

  it("edits and deletes a venue while no event uses it", async () => {
    const { organizer } = await setUp();
    const venue = await organizer.caller.venues.create(hall);
    const edited = await organizer.caller.venues.update({
      venueId: venue.id,
      name: "Smaller Hall",
      sections: [{ name: "Stalls", priceCents: 2000, rows: [{ label: "A", seats: 3 }] }],
    });
    expect(edited).toMatchObject({ id: venue.id, name: "Smaller Hall", seatCount: 3 });
    expect(await organizer.caller.venues.get({ venueId: venue.id })).toEqual(edited);
    expect(await organizer.caller.venues.delete({ venueId: venue.id })).toEqual({ ok: true });
    expect((await refusal(organizer.caller.venues.get({ venueId: venue.id }))).code).toBe(
      "NOT_FOUND",
    );
  });

  it("refuses to edit or delete a venue an event uses, with VENUE_IN_USE and the count", async () => {
    const { organizer } = await setUp();
    const venue = await organizer.caller.venues.create(hall);
    await seatedEvent(organizer.caller, venue.id);
    expect((await organizer.caller.venues.list()).items[0]?.eventCount).toBe(1);
    const update = refusal(organizer.caller.venues.update({ venueId: venue.id, ...hall }));
    const remove = refusal(organizer.caller.venues.delete({ venueId: venue.id }));
    for (const error of [await update, await remove]) {
      expect(error).toMatchObject({
        code: "CONFLICT",
        reason: "VENUE_IN_USE",
        details: { events: 1 },
      });
    }
    expect((await organizer.caller.venues.get({ venueId: venue.id })).name).toBe("Small Hall");
  });

  it("lets only the venue's organizer (or an admin) edit or delete it", async () => {
    const { organizer } = await setUp();
    const venue = await organizer.caller.venues.create(hall);
    const other = await world.signUp("organizer");
    const admin = await world.signUp("admin");
    const update = { venueId: venue.id, ...hall, name: "Mine now" };
    expect((await refusal(other.caller.venues.update(update))).code).toBe("NOT_FOUND");
    expect((await refusal(other.caller.venues.delete({ venueId: venue.id }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await admin.caller.venues.update(update)).name).toBe("Mine now");
    expect(await admin.caller.venues.delete({ venueId: venue.id })).toEqual({ ok: true });
  });

  it("checks an edited layout as strictly as a new one", async () => {
    const { organizer } = await setUp();
    const venue = await organizer.caller.venues.create(hall);
    const error = await refusal(
      organizer.caller.venues.update({ venueId: venue.id, name: "X", sections: [] }),
    );
    expect(error.code).toBe("BAD_REQUEST");
  });
});

describe("seated events", () => {
  it("gets one ticket type per section and a seat map of free seats", async () => {
    const { organizer } = await setUp();
    const venue = await organizer.caller.venues.create(hall);
    const event = await seatedEvent(organizer.caller, venue.id);
    expect(event.venueId).toBe(venue.id);
    expect(event.venueName).toBe("Small Hall");
    expect(event.ticketTypes.map((t) => [t.name, t.priceCents, t.capacity])).toEqual([
      ["Stalls", 3000, 8],
      ["Balcony", 1000, 2],
    ]);
    const map = await world.anonymous().events.seatMap({ eventId: event.id });
    expect(map.sections.map((s) => s.id)).toEqual(event.ticketTypes.map((t) => t.id));
    expect(map.sections[0]?.rows[1]).toEqual({
      label: "B",
      seats: [1, 2, 3, 4].map((n) => ({ id: `s1-r2-${n}`, label: String(n), status: "free" })),
    });
    const compact = await world.anonymous().events.seatMapCompact({ eventId: event.id });
    expect(compact.sections[1]?.rows).toEqual([
      { label: "A", seatIdPrefix: "s2-r1-", statuses: "ff" },
    ]);
  });

  it("refuses a venue of someone else, and ticket types beside a venue", async () => {
    const { organizer } = await setUp();
    const venue = await organizer.caller.venues.create(hall);
    const other = await world.signUp("organizer");
    const input = { title: "X", startsAt: iso(START + DAY), venueId: venue.id };
    expect((await refusal(other.caller.events.create(input))).code).toBe("BAD_REQUEST");
    const withTypes = { ...input, ticketTypes: [{ name: "GA", priceCents: 0, capacity: 1 }] };
    expect((await refusal(organizer.caller.events.create(withTypes))).code).toBe("BAD_REQUEST");
  });

  it("holds, books and cancels seats, and the seat map follows", async () => {
    const { organizer, buyer } = await setUp();
    const venue = await organizer.caller.venues.create(hall);
    const event = await seatedEvent(organizer.caller, venue.id);
    const hold = await buyer.caller.bookings.hold({
      eventId: event.id,
      seatIds: ["s1-r1-1", "s2-r1-2"],
    });
    expect(hold.seatIds).toEqual(["s1-r1-1", "s2-r1-2"]);
    expect(hold.totalCents).toBe(4000);
    const booked = await buyer.caller.bookings.book({ eventId: event.id, seatIds: ["s1-r2-4"] });
    expect(booked.status).toBe("confirmed");
    const booking = booked.status === "confirmed" ? booked.booking : null;
    expect(booking?.seatIds).toEqual(["s1-r2-4"]);
    expect(booking?.tickets.map((t) => t.seatId)).toEqual(["s1-r2-4"]);
    let compact = await world.anonymous().events.seatMapCompact({ eventId: event.id });
    expect(compact.sections.map((s) => s.rows.map((r) => r.statuses))).toEqual([
      ["hfff", "fffb"],
      ["fh"],
    ]);
    const taken = await refusal(
      world
        .signUp("attendee")
        .then((u) =>
          u.caller.bookings.hold({ eventId: event.id, seatIds: ["s1-r1-2", "s1-r1-1"] }),
        ),
    );
    expect(taken.reason).toBe("SEAT_UNAVAILABLE");
    expect(taken.details).toEqual({ seatIds: ["s1-r1-1"] });
    await buyer.caller.bookings.cancel({ bookingId: booking?.id ?? "" });
    await buyer.caller.bookings.releaseHold({ holdId: hold.id });
    compact = await world.anonymous().events.seatMapCompact({ eventId: event.id });
    expect(compact.sections.map((s) => s.rows.map((r) => r.statuses))).toEqual([
      ["ffff", "ffff"],
      ["ff"],
    ]);
  });

  it("keeps a seated event's sections from being resized", async () => {
    const { organizer } = await setUp();
    const venue = await organizer.caller.venues.create(hall);
    const event = await seatedEvent(organizer.caller, venue.id);
    const [stalls] = event.ticketTypes;
    const resized = organizer.caller.events.update({
      eventId: event.id,
      ticketTypes: [{ id: stalls?.id, capacity: 20 }],
    });
    expect((await refusal(resized)).code).toBe("BAD_REQUEST");
    const repriced = await organizer.caller.events.update({
      eventId: event.id,
      ticketTypes: [{ id: stalls?.id, priceCents: 3500 }],
    });
    expect(repriced.ticketTypes[0]?.priceCents).toBe(3500);
    const map = await world.anonymous().events.seatMapCompact({ eventId: event.id });
    expect(map.sections[0]?.priceCents).toBe(3500);
  });

  it("puts a buyer of a sold-out section on the waitlist and offers adjacent seats when freed", async () => {
    const { organizer, buyer } = await setUp();
    const venue = await organizer.caller.venues.create(hall);
    const event = await seatedEvent(organizer.caller, venue.id, {
      waitlist: { enabled: true, mode: "offer", offerSeconds: 3600 },
    });
    const first = await buyer.caller.bookings.book({
      eventId: event.id,
      seatIds: ["s2-r1-1", "s2-r1-2"],
    });
    const late = await world.signUp("attendee");
    const queued = await late.caller.bookings.book({
      eventId: event.id,
      seatIds: ["s2-r1-1", "s2-r1-2"],
      joinWaitlist: true,
    });
    expect(queued).toEqual({ status: "waitlisted", position: 1, offer: null });
    if (first.status !== "confirmed") throw new Error("not booked");
    await buyer.caller.bookings.cancel({ bookingId: first.booking.id });
    const status = await late.caller.waitlist.status({ eventId: event.id });
    expect(status.state).toBe("offered");
    const offer = await late.caller.bookings.getHold({ holdId: status.offer?.holdId ?? "" });
    expect(offer.seatIds).toEqual(["s2-r1-1", "s2-r1-2"]);
  });
});
