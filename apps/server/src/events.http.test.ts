import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { refusal, startTestServer, type TestServer } from "./testing.ts";

let ts: TestServer;

beforeAll(async () => {
  ts = await startTestServer();
});

afterAll(async () => {
  await ts.stop();
});

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

const concert = (title: string) => ({
  title,
  venueName: "Pier 9",
  startsAt: inDays(30),
  endsAt: new Date(Date.parse(inDays(30)) + 3 * 3_600_000).toISOString(),
  ticketTypes: [
    { name: "General", priceCents: 2500, capacity: 100 },
    { name: "Balcony", priceCents: 4000, capacity: 20 },
  ],
});

// biome-ignore lint/suspicious/noExplicitAny: raw responses are inspected loosely on purpose
type Json = any;

async function rawGet(path: string, input: unknown) {
  const url = `${ts.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Json };
}

async function rawPost(path: string, body: string, token?: string) {
  const res = await fetch(`${ts.url}/trpc/${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body,
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
}

describe("events over HTTP", () => {
  it("lists published events as plain JSON with ISO instants", async () => {
    const organizer = await ts.register("organizer");
    const created = await organizer.client.events.create.mutate(concert("Wire format night"));
    await organizer.client.events.publish.mutate({ eventId: created.id });

    const { status, body } = await rawGet("events.list", { search: "wire format" });
    expect(status).toBe(200);
    const [item] = body.result.data.items;
    expect(body.result.data.nextCursor).toBeNull();
    expect(item).toMatchObject({
      id: created.id,
      title: "Wire format night",
      status: "published",
      minPriceCents: 2500,
      availability: { eventId: created.id, capacity: 120, available: 120, waitlistLength: 0 },
    });
    for (const instant of [item.startsAt, item.endsAt, item.availability.updatedAt]) {
      expect(instant).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    const detail = await rawGet("events.get", { eventId: created.id });
    expect(detail.body.result.data.ticketTypes).toHaveLength(2);
    expect(detail.body.result.data.startsAt).toBe(item.startsAt);
  });

  it("answers invalid input with 400 and the fields named, never a 500", async () => {
    const organizer = await ts.register("organizer");
    const bad = await rawPost(
      "events.create",
      JSON.stringify({ ...concert("x"), title: "", currency: "usd", startsAt: "soon" }),
      organizer.token,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.data.code).toBe("BAD_REQUEST");
    const paths = bad.body.error.data.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["title", "currency", "startsAt"]));

    const crossField = await rawPost(
      "events.create",
      JSON.stringify({ ...concert("x"), endsAt: inDays(29) }),
      organizer.token,
    );
    expect(crossField.status).toBe(400);
    expect(crossField.body.error.data.issues).toEqual([
      { path: "endsAt", message: "Must be after startsAt" },
    ]);

    for (const body of ["{not json", "null", "[]", JSON.stringify({ title: 5 })]) {
      expect((await rawPost("events.create", body, organizer.token)).status).toBe(400);
    }
    const cursor = await rawGet("events.list", { cursor: "%%%" });
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.data.issues).toEqual([
      { path: "cursor", message: "Not a cursor this API gave out" },
    ]);
  });

  it("refuses a body over 1 MB with 413, not a 500", async () => {
    const organizer = await ts.register("organizer");
    const huge = await rawPost(
      "events.create",
      JSON.stringify({ ...concert("x"), description: "x".repeat(2_000_000) }),
      organizer.token,
    );
    expect(huge.status).toBe(413);
  });

  it("keeps organizers to their own events and drafts private", async () => {
    const organizer = await ts.register("organizer");
    const other = await ts.register("organizer");
    const attendee = await ts.register("attendee");
    const draft = await organizer.client.events.create.mutate(concert("Private draft"));

    expect(await refusal(attendee.client.events.create.mutate(concert("No")))).toMatchObject({
      code: "FORBIDDEN",
      httpStatus: 403,
    });
    expect(
      await refusal(other.client.events.update.mutate({ eventId: draft.id, title: "Mine now" })),
    ).toMatchObject({ code: "FORBIDDEN", httpStatus: 403 });
    expect(await refusal(ts.client().events.get.query({ eventId: draft.id }))).toMatchObject({
      code: "NOT_FOUND",
      httpStatus: 404,
    });
    expect(await refusal(ts.client().events.publish.mutate({ eventId: draft.id }))).toMatchObject({
      code: "UNAUTHORIZED",
      httpStatus: 401,
    });
    const mine = await organizer.client.events.list.query({ mine: true });
    expect(mine.items.map((e) => e.id)).toContain(draft.id);
  });

  it("refuses to shrink below sales, then cancels and refunds every booking", async () => {
    const organizer = await ts.register("organizer");
    const buyer = await ts.register("attendee");
    const created = await organizer.client.events.create.mutate(concert("Sold some"));
    const event = await organizer.client.events.publish.mutate({ eventId: created.id });
    const general = event.ticketTypes[0]!.id;
    await buyer.client.bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: general, quantity: 3 }],
    });

    const shrink = organizer.client.events.update.mutate({
      eventId: event.id,
      ticketTypes: [{ id: general, capacity: 2 }],
    });
    expect(await refusal(shrink)).toMatchObject({
      code: "CONFLICT",
      reason: "CAPACITY_BELOW_SOLD",
      httpStatus: 409,
    });

    const cancelled = await organizer.client.events.cancel.mutate({
      eventId: event.id,
      reason: "Storm warning",
    });
    expect(cancelled.refundedBookings).toBe(1);
    expect(cancelled.event.status).toBe("cancelled");
    const refunded = ts.server.services.db.$client
      .prepare(
        "select amount_cents from refunds r join bookings b on b.id = r.booking_id where b.event_id = ?",
      )
      .all(event.id) as { amount_cents: number }[];
    expect(refunded).toEqual([{ amount_cents: 7500 }]);
    const publicList = await ts.client().events.list.query({ search: "Sold some" });
    expect(publicList.items).toEqual([]);
  });
});
