/** waitlist.history: the organizer's full history of an event's waitlist, with states. */
import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import { confirmed, createTestWorld, type TestWorld } from "../testing.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;
let world: TestWorld;

afterEach(async () => {
  await world.close();
});

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

/**
 * Three tickets, all sold, then given back: of five people waiting the first three get offers;
 * one confirms, one declines (the fourth gets it), and the offers of an hour run out.
 */
async function everyState() {
  const clock = new ManualClock(Date.parse("2026-06-01T12:00:00.000Z"));
  world = await createTestWorld({ clock });
  const organizer = await world.signUp("organizer");
  const created = await organizer.caller.events.create({
    title: "Tiny room",
    startsAt: new Date(clock.now() + 30 * DAY).toISOString(),
    waitlist: { enabled: true, mode: "offer", offerSeconds: 3600 },
    ticketTypes: [{ name: "GA", priceCents: 1000, capacity: 3 }],
  });
  const event = await organizer.caller.events.publish({ eventId: created.id });
  const ticketTypeId = event.ticketTypes[0]!.id;
  const holder = await world.signUp();
  const held = confirmed(
    await holder.caller.bookings.book({
      eventId: event.id,
      items: [{ ticketTypeId, quantity: 3 }],
    }),
  );
  const people = [];
  for (const name of ["One", "Two", "Three", "Four", "Five"]) {
    const person = await world.signUp("attendee", name);
    await person.caller.waitlist.join({ eventId: event.id });
    people.push(person);
  }
  const [one, two, , , five] = people;
  const offerOf = async (p: typeof one) =>
    (await p!.caller.waitlist.status({ eventId: event.id })).offer?.holdId ?? "";
  await holder.caller.bookings.cancel({ bookingId: held.id });
  await one!.caller.bookings.confirm({ holdId: await offerOf(one) });
  await two!.caller.bookings.releaseHold({ holdId: await offerOf(two) });
  clock.advance(HOUR + 1000);
  await settle();
  const six = await world.signUp("attendee", "Six");
  await six.caller.waitlist.join({ eventId: event.id, quantity: 2 });
  return { clock, organizer, event, people, five: five!, six };
}

describe("waitlist.history", () => {
  it("lists everyone who ever joined with their state, offers and bookings", async () => {
    const { organizer, event } = await everyState();
    const history = await organizer.caller.waitlist.history({ eventId: event.id });
    expect(history.items.map((e) => [e.name, e.state, e.position])).toEqual([
      ["One", "converted", null],
      ["Two", "left", null],
      ["Three", "expired", null],
      ["Four", "expired", null],
      ["Five", "offered", null],
      ["Six", "waiting", 1],
    ]);
    expect(history.counts).toEqual({ waiting: 1, offered: 1, converted: 1, expired: 2, left: 1 });
    expect(history.nextCursor).toBeNull();
    const [one, two, three, , five, six] = history.items;
    expect(one!.bookingId).toEqual(expect.any(String));
    expect(one!.endedAt).toEqual(expect.any(String));
    expect(two!.offerExpiresAt).toEqual(expect.any(String));
    expect(three!.offerExpiresAt! < three!.endedAt!).toBe(true);
    expect(five!.offer?.expiresAt).toBe(five!.offerExpiresAt ?? "none");
    expect(six).toMatchObject({ quantity: 2, endedAt: null, offerExpiresAt: null });
    expect(six!.offer).toBeUndefined();
  });

  it("reads the same from SQLite once the event's actor is asleep", async () => {
    const { clock, organizer, event, five, six } = await everyState();
    // An actor with anyone waiting or offered stays awake: everyone leaves first.
    await five.caller.waitlist.leave({ eventId: event.id });
    await six.caller.waitlist.leave({ eventId: event.id });
    clock.advance(2 * HOUR);
    await settle();
    clock.advance(2 * 60_000);
    const awake = await organizer.caller.waitlist.history({ eventId: event.id });
    world.services.engine.evictIdle();
    expect(world.services.engine.isLoaded(event.id)).toBe(false);
    const asleep = await organizer.caller.waitlist.history({ eventId: event.id });
    expect(asleep).toEqual(awake);
    expect(asleep.items.map((e) => e.state)).toEqual([
      "converted",
      "left",
      "expired",
      "expired",
      "left",
      "left",
    ]);
  });

  it("pages in joining order and filters by state", async () => {
    const { organizer, event } = await everyState();
    const first = await organizer.caller.waitlist.history({ eventId: event.id, limit: 4 });
    expect(first.items.map((e) => e.name)).toEqual(["One", "Two", "Three", "Four"]);
    const rest = await organizer.caller.waitlist.history({
      eventId: event.id,
      limit: 4,
      cursor: first.nextCursor ?? "",
    });
    expect(rest.items.map((e) => e.name)).toEqual(["Five", "Six"]);
    expect(rest.nextCursor).toBeNull();
    const expired = await organizer.caller.waitlist.history({
      eventId: event.id,
      state: "expired",
    });
    expect(expired.items.map((e) => e.name)).toEqual(["Three", "Four"]);
    await expect(
      organizer.caller.waitlist.history({ eventId: event.id, cursor: "nope" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("is for the event's organizer and admins only", async () => {
    const { event, six } = await everyState();
    const stranger = await world.signUp("organizer");
    for (const caller of [six.caller, stranger.caller]) {
      await expect(caller.waitlist.history({ eventId: event.id })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    }
    const admin = await world.signUp("admin");
    expect((await admin.caller.waitlist.history({ eventId: event.id })).items).toHaveLength(6);
  });
});
