import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import {
  eventually,
  OffsetClock,
  publishedEvent,
  refusal,
  startTestServer,
  type TestServer,
} from "./testing.ts";

let ts: TestServer;
const clock = new OffsetClock();

beforeAll(async () => {
  ts = await startTestServer({}, { clock });
});

afterAll(async () => {
  await ts.stop();
});

async function soldOutEvent(waitlist: {
  enabled: boolean;
  mode: "auto" | "offer";
  offerSeconds?: number;
}) {
  const organizer = await ts.register("organizer");
  const event = await publishedEvent(organizer.client, {
    ticketTypes: [{ name: "Last seat", priceCents: 0, capacity: 1 }],
    waitlist,
  });
  const typeId = event.ticketTypes[0]!.id;
  const holder = ts.user();
  const first = await holder.client.bookings.book.mutate({
    eventId: event.id,
    items: [{ ticketTypeId: typeId, quantity: 1 }],
  });
  if (first.status !== "confirmed") throw new Error("expected a booking");
  return { organizer, event, typeId, holder, bookingId: first.booking.id };
}

describe("waitlist over HTTP", () => {
  it("auto mode hands a cancelled ticket to the first waiter and moves the second up", async () => {
    const { event, typeId, holder, bookingId } = await soldOutEvent({
      enabled: true,
      mode: "auto",
    });
    const a = ts.user();
    const b = ts.user();
    const joined = await a.client.bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 1 }],
      joinWaitlist: true,
    });
    expect(joined).toEqual({ status: "waitlisted", position: 1, offer: null });
    expect(await b.client.waitlist.join.mutate({ eventId: event.id })).toEqual({ position: 2 });
    const live = await ts.client().events.get.query({ eventId: event.id });
    expect(live.availability.waitlistLength).toBe(2);
    // Lists read SQLite, not the actor: the same count must show there.
    const listed = await ts.client().events.list.query({ organizerId: event.organizerId });
    expect(listed.items.find((e) => e.id === event.id)?.availability.waitlistLength).toBe(2);

    await holder.client.bookings.cancel.mutate({ bookingId });
    expect(await a.client.waitlist.status.query({ eventId: event.id })).toMatchObject({
      state: "converted",
    });
    const mine = await a.client.bookings.mine.query({});
    expect(mine.items[0]).toMatchObject({ status: "confirmed", eventId: event.id });
    expect(mine.items[0]!.tickets).toHaveLength(1);
    expect(await b.client.waitlist.status.query({ eventId: event.id })).toMatchObject({
      state: "waiting",
      position: 1,
    });
  });

  it("offer mode offers, expires after offerSeconds, passes to the next, who confirms", async () => {
    const { event, holder, bookingId } = await soldOutEvent({
      enabled: true,
      mode: "offer",
      offerSeconds: 120,
    });
    const a = ts.user();
    const b = ts.user();
    await a.client.waitlist.join.mutate({ eventId: event.id });
    await b.client.waitlist.join.mutate({ eventId: event.id });
    await holder.client.bookings.cancel.mutate({ bookingId });

    const offered = await a.client.waitlist.status.query({ eventId: event.id });
    expect(offered.state).toBe("offered");
    const offeredHoldId = offered.offer!.holdId;

    clock.advance(121_000);
    await eventually(
      async () => (await a.client.waitlist.status.query({ eventId: event.id })).state === "expired",
    );
    const next = await b.client.waitlist.status.query({ eventId: event.id });
    expect(next.state).toBe("offered");
    const booking = await b.client.bookings.confirm.mutate({ holdId: next.offer!.holdId });
    expect(booking.status).toBe("confirmed");
    expect((await b.client.waitlist.status.query({ eventId: event.id })).state).toBe("converted");
    const late = await refusal(a.client.bookings.confirm.mutate({ holdId: offeredHoldId }));
    expect(late).toMatchObject({ reason: "HOLD_EXPIRED" });
  });

  it("refuses a second join with ALREADY_ON_WAITLIST, lets a user leave, and says WAITLIST_DISABLED", async () => {
    const { event } = await soldOutEvent({ enabled: true, mode: "offer" });
    const a = ts.user();
    await a.client.waitlist.join.mutate({ eventId: event.id });
    expect((await refusal(a.client.waitlist.join.mutate({ eventId: event.id }))).reason).toBe(
      "ALREADY_ON_WAITLIST",
    );
    expect(await a.client.waitlist.leave.mutate({ eventId: event.id })).toEqual({ ok: true });
    expect((await a.client.waitlist.status.query({ eventId: event.id })).state).toBe("left");
    expect((await refusal(a.client.waitlist.leave.mutate({ eventId: event.id }))).reason).toBe(
      "NOT_ON_WAITLIST",
    );

    const closed = await soldOutEvent({ enabled: false, mode: "offer" });
    const c = ts.user();
    expect(
      (await refusal(c.client.waitlist.join.mutate({ eventId: closed.event.id }))).reason,
    ).toBe("WAITLIST_DISABLED");
    const booked = refusal(
      c.client.bookings.book.mutate({
        eventId: closed.event.id,
        items: [{ ticketTypeId: closed.typeId, quantity: 1 }],
        joinWaitlist: true,
      }),
    );
    expect((await booked).reason).toBe("SOLD_OUT");
  });

  it("shows the organizer the queue and lets them offer the next; attendees cannot read it", async () => {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client, {
      ticketTypes: [{ name: "Paid", priceCents: 1500, capacity: 2 }],
      waitlist: { enabled: true, mode: "offer" },
    });
    const a = ts.user();
    const b = ts.user();
    await a.client.waitlist.join.mutate({ eventId: event.id, quantity: 3 });
    await b.client.waitlist.join.mutate({ eventId: event.id, quantity: 2 });
    const entries = await organizer.client.waitlist.entries.query({ eventId: event.id });
    expect(entries.map((e) => [e.userId, e.position, e.quantity])).toEqual([
      [a.userId, 1, 3],
      [b.userId, 2, 2],
    ]);
    expect(entries[0]!.email).toContain("@example.test");
    expect((await refusal(a.client.waitlist.entries.query({ eventId: event.id }))).code).toBe(
      "FORBIDDEN",
    );

    const offered = await organizer.client.waitlist.offerNext.mutate({ eventId: event.id });
    expect(offered).toMatchObject({ userId: b.userId, state: "offered" });
    const status = await b.client.waitlist.status.query({ eventId: event.id });
    const booking = await b.client.bookings.confirm.mutate({ holdId: status.offer!.holdId });
    expect(booking.totalCents).toBe(3000);
    expect(
      (await refusal(organizer.client.waitlist.offerNext.mutate({ eventId: event.id }))).reason,
    ).toBe("SOLD_OUT");
  });

  it("refuses auto mode for an event with priced tickets, naming waitlist.mode", async () => {
    const organizer = await ts.register("organizer");
    const refused = await refusal(
      publishedEvent(organizer.client, {
        ticketTypes: [{ name: "Paid", priceCents: 1500, capacity: 2 }],
        waitlist: { enabled: true, mode: "auto" },
      }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toContain("waitlist.mode");
  });
});
