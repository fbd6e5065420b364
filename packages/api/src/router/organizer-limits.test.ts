/**
 * What a self-service organizer may take of a shared server (docs/API.md "venues", "events",
 * "users"; README "Security"): venue size, events created per day, and sign-up as an organizer
 * only with an admin's approval when the operator asks for it.
 */
import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import { callerFor, refusalOf } from "../auth/testing.ts";
import { createTestWorld, type TestWorld } from "../testing.ts";
import type { Limits } from "../trpc.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.parse("2026-06-01T12:00:00.000Z");
const password = "correct horse battery";

let world: TestWorld;
let clock: ManualClock;

afterEach(async () => {
  await world.close();
});

async function withLimits(limits: Partial<Limits> = {}) {
  clock = new ManualClock(START);
  world = await createTestWorld({ clock, limits });
  return world;
}

/** A venue of `rows` rows of `seats` seats in one section. */
function venue(rows: number, seats: number) {
  return {
    name: "Hall",
    sections: [
      {
        name: "Stalls",
        priceCents: 1000,
        rows: Array.from({ length: rows }, (_, i) => ({ label: `R${i + 1}`, seats })),
      },
    ],
  };
}

function event(title = "Gig") {
  return {
    title,
    startsAt: new Date(START + 30 * DAY).toISOString(),
    ticketTypes: [{ name: "General", priceCents: 0, capacity: 10 }],
  };
}

describe("venue size", () => {
  it("refuses a venue above VENUE_MAX_SEATS naming sections and the limit", async () => {
    await withLimits({ venueMaxSeats: 10 });
    const { caller } = await world.signUp("organizer");
    expect((await caller.venues.create(venue(2, 5))).seatCount).toBe(10);
    const refusal = await refusalOf(caller.venues.create(venue(1, 11)));
    expect(refusal).toMatchObject({ code: "BAD_REQUEST", fields: ["sections"] });
    expect(refusal.message).toContain("10 seats");
  });

  it("limits venues to 20,000 seats by default", async () => {
    await withLimits();
    const { caller } = await world.signUp("organizer");
    const refusal = await refusalOf(caller.venues.create(venue(41, 500)));
    expect(refusal).toMatchObject({ code: "BAD_REQUEST", fields: ["sections"] });
    expect(refusal.message).toContain("20000 seats");
    expect((await caller.venues.create(venue(40, 500))).seatCount).toBe(20_000);
  });
});

describe("events per organizer per day", () => {
  it("refuses an organizer's event beyond the limit in 24 hours, until the oldest leaves", async () => {
    await withLimits({ eventsPerOrganizerPerDay: 3 });
    const { caller } = await world.signUp("organizer");
    for (let i = 0; i < 3; i++) {
      await caller.events.create(event(`Gig ${i}`));
      clock.advance(HOUR);
    }
    expect(await refusalOf(caller.events.create(event()))).toMatchObject({
      code: "TOO_MANY_REQUESTS",
      reason: "RATE_LIMITED",
      details: { limit: 3, retryAfterSeconds: 21 * 3600 },
    });
    clock.advance(21 * HOUR);
    await caller.events.create(event("The first one's place"));
    expect((await refusalOf(caller.events.create(event()))).details).toEqual({
      limit: 3,
      retryAfterSeconds: 3600,
    });
  });

  it("counts each organizer on their own and never limits admins", async () => {
    await withLimits({ eventsPerOrganizerPerDay: 1 });
    const first = await world.signUp("organizer");
    const second = await world.signUp("organizer");
    const admin = await world.signUp("admin");
    await first.caller.events.create(event());
    expect((await refusalOf(first.caller.events.create(event()))).reason).toBe("RATE_LIMITED");
    await second.caller.events.create(event());
    for (let i = 0; i < 3; i++) await admin.caller.events.create(event());
  });
});

describe("organizer sign-up with ORGANIZER_SIGNUP=approval", () => {
  async function apply(email = "org@example.test") {
    const { user, token } = await callerFor(world).auth.register({
      email,
      password,
      name: "Olive Organizer",
      role: "organizer",
    });
    // A caller per request, as HTTP builds one: role changes show on the next call.
    return { user, applicant: () => callerFor(world, { token }) };
  }

  it("makes an organizer applicant an attendee with a pending request", async () => {
    await withLimits({ organizerSignup: "approval" });
    const { user, applicant } = await apply();
    expect(user).toMatchObject({ role: "attendee", organizerRequest: "pending" });
    expect(await applicant().auth.me()).toMatchObject({ organizerRequest: "pending" });
    expect((await refusalOf(applicant().events.create(event()))).code).toBe("FORBIDDEN");
    const attendee = await callerFor(world).auth.register({
      email: "att@example.test",
      password,
      name: "Art Attendee",
    });
    expect(attendee.user).toMatchObject({ role: "attendee", organizerRequest: null });
  });

  it("lists pending requests to admins; setRole approves and the applicant can organize", async () => {
    await withLimits({ organizerSignup: "approval" });
    const admin = await world.signUp("admin");
    await world.signUp("attendee");
    const { user, applicant } = await apply();
    expect(await applicant().auth.me()).toMatchObject({ role: "attendee" });
    const pending = await admin.caller.users.list({ pendingOrganizer: true });
    expect(pending.items.map((u) => [u.id, u.organizerRequest])).toEqual([[user.id, "pending"]]);
    expect((await admin.caller.users.list({ pendingOrganizer: false })).items).toHaveLength(2);

    const approved = await admin.caller.users.setRole({ userId: user.id, role: "organizer" });
    expect(approved).toMatchObject({ role: "organizer", organizerRequest: null });
    expect((await admin.caller.users.list({ pendingOrganizer: true })).items).toEqual([]);
    expect(await applicant().auth.me()).toMatchObject({
      role: "organizer",
      organizerRequest: null,
    });
    await applicant().events.create(event());
  });

  it("declines a request with users.declineOrganizer: an attendee, no longer pending", async () => {
    await withLimits({ organizerSignup: "approval" });
    const admin = await world.signUp("admin");
    const { user, applicant } = await apply();
    const declined = await admin.caller.users.declineOrganizer({ userId: user.id });
    expect(declined).toMatchObject({ id: user.id, role: "attendee", organizerRequest: null });
    expect(await applicant().auth.me()).toMatchObject({ role: "attendee", organizerRequest: null });
    expect((await admin.caller.users.list({ pendingOrganizer: true })).items).toEqual([]);
    expect((await refusalOf(admin.caller.users.declineOrganizer({ userId: user.id }))).code).toBe(
      "CONFLICT",
    );
    const unknown = admin.caller.users.declineOrganizer({ userId: "usr_nobody" });
    expect((await refusalOf(unknown)).code).toBe("NOT_FOUND");
  });

  it("keeps declineOrganizer to admins", async () => {
    await withLimits({ organizerSignup: "approval" });
    const { user } = await apply();
    const organizer = await world.signUp("organizer");
    const refusal = await refusalOf(organizer.caller.users.declineOrganizer({ userId: user.id }));
    expect(refusal.code).toBe("FORBIDDEN");
  });

  it("changes nothing in open mode: organizers are organizers at once", async () => {
    await withLimits({ organizerSignup: "open" });
    const { user, applicant } = await apply();
    expect(user).toMatchObject({ role: "organizer", organizerRequest: null });
    await applicant().events.create(event());
  });
});
