import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { schema } from "@boxoffice/db";
import { parse } from "csv-parse/sync";
import { eq } from "drizzle-orm";
import { publishedEvent, startTestServer, type TestServer } from "./testing.ts";

let ts: TestServer;

/** The booking of a `bookings.book` answer (these tests never sell out, so nobody is waitlisted). */
function confirmed<B>(answer: { status: string; booking?: B }): B {
  if (answer.status !== "confirmed" || answer.booking === undefined) {
    throw new Error(`Expected a confirmed booking, got ${answer.status}`);
  }
  return answer.booking;
}

beforeAll(async () => {
  ts = await startTestServer();
});

afterAll(async () => {
  await ts.stop();
});

const exportUrl = (eventId: string) => `${ts.url}/exports/events/${eventId}/attendees.csv`;

const download = (eventId: string, headers: Record<string, string> = {}) =>
  fetch(exportUrl(eventId), { headers });

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A buyer whose display name is set in the database, so names the sign-up form refuses fit. */
async function buyerNamed(name: string) {
  const buyer = ts.user();
  ts.server.services.db
    .update(schema.users)
    .set({ name })
    .where(eq(schema.users.id, buyer.userId))
    .run();
  return buyer;
}

const awkwardNames = [
  "Doe, Jane",
  'Dwayne "The Rock" Johnson',
  "Line one\r\nLine two",
  '=HYPERLINK("http://evil.example","click")',
  "+1 555 0100",
  "-2+3",
  "@SUM(A1)",
  "\tTabbed",
  "Zoë Ünicode",
];

describe("attendee CSV export", () => {
  it("round-trips awkward names through a real CSV parser, with formulas neutralised", async () => {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client, {
      ticketTypes: [{ name: 'Early, "bird"', priceCents: 0, capacity: 50 }],
    });
    const typeId = event.ticketTypes[0]!.id;
    const bookings = [];
    for (const name of awkwardNames) {
      const buyer = await buyerNamed(name);
      const booking = confirmed(
        await buyer.client.bookings.book.mutate({
          eventId: event.id,
          items: [{ ticketTypeId: typeId, quantity: 1 }],
        }),
      );
      bookings.push(booking);
    }
    await organizer.client.checkin.scan.mutate({
      eventId: event.id,
      code: bookings[0]!.tickets[0]!.code,
    });
    await organizer.client.bookings.cancel.mutate({ bookingId: bookings[1]!.id });

    const response = await download(event.id, bearer(organizer.token));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="attendees-${event.id}.csv"`,
    );
    const text = await response.text();
    expect(text.endsWith("\r\n")).toBe(true);
    const records: string[][] = parse(text, { bom: true, relax_column_count: false });
    expect(records[0]).toEqual([
      "Booking ID",
      "Ticket code",
      "Ticket type",
      "Seat",
      "Attendee name",
      "Attendee email",
      "Status",
      "Checked in at",
      "Buyer name",
      "Buyer email",
      "Code",
    ]);
    const rows = records.slice(1);
    expect(rows).toHaveLength(awkwardNames.length);
    const byBooking = new Map(rows.map((r) => [r[0], r]));
    const neutralised = (name: string) => (/^[=+\-@\t\r]/.test(name) ? `'${name}` : name);
    for (const [i, booking] of bookings.entries()) {
      const row = byBooking.get(booking.id)!;
      expect(row[1]).toBe(booking.tickets[0]!.code);
      expect(row[2]).toBe('Early, "bird"');
      expect(row[3]).toBe("");
      expect(row[4]).toBe(neutralised(awkwardNames[i]!));
      expect(row[6]).toBe(i === 1 ? "cancelled" : "confirmed");
      if (i === 0) expect(row[7]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      else expect(row[7]).toBe("");
    }
    expect(byBooking.get(bookings[3]!.id)![4]!.startsWith("'=HYPERLINK")).toBe(true);
  });

  it("names each seat by its label in a column of its own, never by its id", async () => {
    const organizer = await ts.register("organizer");
    const { id: venueId } = await organizer.client.venues.create.mutate({
      name: "Export Hall",
      sections: [
        {
          name: "Stalls",
          priceCents: 0,
          rows: [
            { label: "A", seats: 4 },
            { label: "B", seats: 4 },
          ],
        },
        { name: "Balcony", priceCents: 0, rows: [{ label: "AA", seats: 2 }] },
      ],
    });
    const created = await organizer.client.events.create.mutate({
      title: "Seated export",
      venueId,
      startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    await organizer.client.events.publish.mutate({ eventId: created.id });
    // Renamed after the layout was copied: labels follow the section's current name.
    await organizer.client.events.update.mutate({
      eventId: created.id,
      ticketTypes: [{ id: created.ticketTypes[0]!.id, name: "Orchestra" }],
    });
    const buyer = ts.user();
    await buyer.client.bookings.book.mutate({
      eventId: created.id,
      seatIds: ["s1-r2-3", "s2-r1-2"],
    });
    const response = await download(created.id, bearer(organizer.token));
    const text = await response.text();
    const rows: string[][] = parse(text, { bom: true, from_line: 2 });
    expect(rows.map((r) => [r[2], r[3]]).sort()).toEqual([
      ["Balcony", "Balcony row AA seat 2"],
      ["Orchestra", "Orchestra row B seat 3"],
    ]);
    expect(text).not.toMatch(/s\d+-r\d+-\d+/);
  });

  it("streams every ticket of a large event in pages, each exactly once", async () => {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client, {
      maxPerOrder: 100,
      ticketTypes: [{ name: "GA", priceCents: 0, capacity: 1200 }],
    });
    const buyer = ts.user();
    for (let i = 0; i < 12; i++) {
      await buyer.client.bookings.book.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 100 }],
      });
    }
    // The session cookie works as well as a bearer token.
    const response = await download(event.id, { cookie: `session=${organizer.token}` });
    expect(response.status).toBe(200);
    const rows: string[][] = parse(await response.text(), { bom: true, from_line: 2 });
    expect(rows).toHaveLength(1200);
    expect(new Set(rows.map((r) => r[1])).size).toBe(1200);
  });

  it("answers 401 without a session, 403 to attendees and other organizers, 404 for unknown events, and serves admins", async () => {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client);
    const attendee = ts.user();
    const rival = await ts.register("organizer");
    expect((await download(event.id)).status).toBe(401);
    expect((await download(event.id, bearer("not.a-token"))).status).toBe(401);
    expect((await download(event.id, bearer(attendee.token))).status).toBe(403);
    expect((await download(event.id, bearer(rival.token))).status).toBe(403);
    expect((await download("evt_nope", bearer(organizer.token))).status).toBe(404);
    const admin = ts.user();
    ts.server.services.db
      .update(schema.users)
      .set({ role: "admin" })
      .where(eq(schema.users.id, admin.userId))
      .run();
    expect((await download(event.id, bearer(admin.token))).status).toBe(200);
  });
});
