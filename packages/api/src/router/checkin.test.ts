import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import { normalizeTicketCode } from "../schemas/checkin.ts";
import { confirmed, createTestWorld, type TestWorld } from "../testing.ts";

const DAY = 86_400_000;
let world: TestWorld;

afterEach(async () => {
  await world.close();
});

async function setUp() {
  const clock = new ManualClock(Date.parse("2026-06-01T12:00:00.000Z"));
  world = await createTestWorld({ clock });
  const organizer = await world.signUp("organizer");
  const publish = async (title: string) => {
    const created = await organizer.caller.events.create({
      title,
      startsAt: new Date(clock.now() + 30 * DAY).toISOString(),
      ticketTypes: [{ name: "Standing", priceCents: 0, capacity: 20 }],
    });
    return organizer.caller.events.publish({ eventId: created.id });
  };
  const event = await publish("Door test");
  const buyer = await world.signUp("attendee", "Ada Lovelace");
  const booking = confirmed(
    await buyer.caller.bookings.book({
      eventId: event.id,
      items: [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 2 }],
    }),
  );
  return { clock, organizer, event, buyer, booking, publish };
}

describe("checkin.scan", () => {
  it("admits a ticket once, names its holder and type, and says `already` with the first time after", async () => {
    const { clock, organizer, event, booking } = await setUp();
    const code = booking.tickets[0]!.code;
    const first = await organizer.caller.checkin.scan({ eventId: event.id, code });
    expect(first).toMatchObject({
      result: "ok",
      ticket: { code, ticketTypeName: "Standing", bookingId: booking.id },
      attendee: { name: "Ada Lovelace" },
      checkedInAt: "2026-06-01T12:00:00.000Z",
    });
    clock.advance(60_000);
    const second = await organizer.caller.checkin.scan({ eventId: event.id, code });
    expect(second).toMatchObject({ result: "already", checkedInAt: "2026-06-01T12:00:00.000Z" });
  });

  it("accepts a code typed in lower case with spaces and dashes", async () => {
    const { organizer, event, booking } = await setUp();
    const code = booking.tickets[0]!.code;
    const typed = ` ${code.slice(0, 5).toLowerCase()}-${code.slice(5, 10)} ${code.slice(10)}  `;
    expect(normalizeTicketCode(typed)).toBe(code);
    const scan = await organizer.caller.checkin.scan({ eventId: event.id, code: typed });
    expect(scan.result).toBe("ok");
  });

  it("answers `invalid` for an unknown code and for a code of another event", async () => {
    const { organizer, event, booking, buyer, publish } = await setUp();
    const other = await publish("Other night");
    const elsewhere = confirmed(
      await buyer.caller.bookings.book({
        eventId: other.id,
        items: [{ ticketTypeId: other.ticketTypes[0]!.id, quantity: 1 }],
      }),
    );
    const unknown = await organizer.caller.checkin.scan({ eventId: event.id, code: "NOPE" });
    expect(unknown).toEqual({ result: "invalid" });
    const foreign = await organizer.caller.checkin.scan({
      eventId: event.id,
      code: elsewhere.tickets[0]!.code,
    });
    expect(foreign).toEqual({ result: "invalid" });
    expect(booking.tickets).toHaveLength(2);
  });

  it("answers `cancelled` for a ticket of a cancelled booking and does not check it in", async () => {
    const { organizer, event, buyer, booking } = await setUp();
    await buyer.caller.bookings.cancel({ bookingId: booking.id });
    const scan = await organizer.caller.checkin.scan({
      eventId: event.id,
      code: booking.tickets[0]!.code,
    });
    expect(scan).toMatchObject({ result: "cancelled", attendee: { name: "Ada Lovelace" } });
    expect(await organizer.caller.checkin.stats({ eventId: event.id })).toEqual({
      checkedIn: 0,
      total: 0,
    });
  });

  it("refuses attendees and other organizers, and lets an admin scan", async () => {
    const { event, booking, buyer } = await setUp();
    const code = booking.tickets[0]!.code;
    const stranger = await world.signUp("organizer");
    const admin = await world.signUp("admin");
    await expect(buyer.caller.checkin.scan({ eventId: event.id, code })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(stranger.caller.checkin.scan({ eventId: event.id, code })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(stranger.caller.checkin.stats({ eventId: event.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      stranger.caller.checkin.scan({ eventId: "evt_missing", code }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await admin.caller.checkin.scan({ eventId: event.id, code })).result).toBe("ok");
  });
});

describe("checkin.undo and checkin.stats", () => {
  it("takes back a mistaken scan so the ticket scans `ok` again", async () => {
    const { organizer, event, booking } = await setUp();
    const code = booking.tickets[1]!.code;
    const input = { eventId: event.id, code };
    expect(await organizer.caller.checkin.undo(input)).toEqual({ result: "not_checked_in" });
    await organizer.caller.checkin.scan(input);
    expect(await organizer.caller.checkin.stats({ eventId: event.id })).toEqual({
      checkedIn: 1,
      total: 2,
    });
    expect(await organizer.caller.checkin.undo(input)).toEqual({ result: "ok" });
    expect(await organizer.caller.checkin.stats({ eventId: event.id })).toEqual({
      checkedIn: 0,
      total: 2,
    });
    expect((await organizer.caller.checkin.scan(input)).result).toBe("ok");
    expect(await organizer.caller.checkin.undo({ eventId: event.id, code: "NOPE" })).toEqual({
      result: "invalid",
    });
  });

  it("refuses an undo by an attendee", async () => {
    const { event, booking, buyer } = await setUp();
    await expect(
      buyer.caller.checkin.undo({ eventId: event.id, code: booking.tickets[0]!.code }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses an empty code as invalid input", async () => {
    const { organizer, event } = await setUp();
    await expect(
      organizer.caller.checkin.scan({ eventId: event.id, code: " - " }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("codes people type, seats people read", () => {
  it("admits a code of the old alphabet typed with 1 or l for its I", async () => {
    const { organizer, event, booking } = await setUp();
    const old = "KIWIPIZZA23456789ABC";
    world.services.db.$client
      .prepare("update tickets set code = ? where id = ?")
      .run(old, booking.tickets[0]!.id);
    const first = await organizer.caller.checkin.scan({
      eventId: event.id,
      code: "k1w1 p1zz-a234 56789abc",
    });
    expect(first).toMatchObject({ result: "ok", ticket: { code: old } });
    const again = await organizer.caller.checkin.scan({
      eventId: event.id,
      code: "KLWLPLZZA23456789ABC",
    });
    expect(again.result).toBe("already");
  });

  it("issues codes without I, L, O, 0 or 1", async () => {
    const { booking } = await setUp();
    for (const t of booking.tickets) expect(t.code).toMatch(/^[A-HJKMNP-Z2-9]{24}$/);
  });

  it("names a scanned seat by its label, and every booking answer labels its seats", async () => {
    const { organizer, buyer } = await setUp();
    const venue = await organizer.caller.venues.create({
      name: "Label Hall",
      sections: [
        {
          name: "Stalls",
          priceCents: 0,
          rows: [
            { label: "A", seats: 4 },
            { label: "B", seats: 4 },
            { label: "C", seats: 8 },
          ],
        },
      ],
    });
    const created = await organizer.caller.events.create({
      title: "Seated door",
      venueId: venue.id,
      startsAt: new Date(Date.parse("2026-06-01T12:00:00.000Z") + 30 * DAY).toISOString(),
    });
    await organizer.caller.events.publish({ eventId: created.id });
    const booked = confirmed(
      await buyer.caller.bookings.book({ eventId: created.id, seatIds: ["s1-r3-6", "s1-r1-2"] }),
    );
    const labels = (b: typeof booked) =>
      Object.fromEntries(b.tickets.map((t) => [t.seatId, t.seatLabel]));
    const expected = { "s1-r3-6": "Stalls row C seat 6", "s1-r1-2": "Stalls row A seat 2" };
    expect(labels(booked)).toEqual(expected);
    expect(labels(await buyer.caller.bookings.get({ bookingId: booked.id }))).toEqual(expected);
    const mine = await buyer.caller.bookings.mine({});
    expect(labels(mine.items.find((b) => b.id === booked.id)!)).toEqual(expected);

    const code = booked.tickets.find((t) => t.seatId === "s1-r3-6")!.code;
    const scan = await organizer.caller.checkin.scan({ eventId: created.id, code });
    expect(scan).toMatchObject({
      result: "ok",
      ticket: { seatId: "s1-r3-6", seatLabel: "Stalls row C seat 6", ticketTypeName: "Stalls" },
    });
  });

  it("gives a ticket sold by type no seat label", async () => {
    const { organizer, event, booking } = await setUp();
    expect(booking.tickets.every((t) => t.seatLabel === null)).toBe(true);
    const scan = await organizer.caller.checkin.scan({
      eventId: event.id,
      code: booking.tickets[0]!.code,
    });
    expect(scan).toMatchObject({ result: "ok", ticket: { seatId: null, seatLabel: null } });
  });
});

describe("a booking used at the door", () => {
  it("cannot be cancelled or quoted for a refund by its attendee once a ticket is checked in", async () => {
    const { organizer, event, buyer, booking } = await setUp();
    await organizer.caller.checkin.scan({ eventId: event.id, code: booking.tickets[1]!.code });
    const refused = { code: "CONFLICT", reason: "ALREADY_CHECKED_IN" };
    await expect(buyer.caller.bookings.cancel({ bookingId: booking.id })).rejects.toMatchObject(
      refused,
    );
    await expect(
      buyer.caller.bookings.refundQuote({ bookingId: booking.id }),
    ).rejects.toMatchObject(refused);
    expect((await buyer.caller.bookings.get({ bookingId: booking.id })).status).toBe("confirmed");
  });

  it("can still be cancelled by its organizer", async () => {
    const { organizer, event, booking } = await setUp();
    await organizer.caller.checkin.scan({ eventId: event.id, code: booking.tickets[0]!.code });
    const cancelled = await organizer.caller.bookings.cancel({ bookingId: booking.id });
    expect(cancelled.booking.status).toBe("cancelled");
  });

  it("can be cancelled by its attendee again once the scan is undone", async () => {
    const { organizer, event, buyer, booking } = await setUp();
    const input = { eventId: event.id, code: booking.tickets[0]!.code };
    await organizer.caller.checkin.scan(input);
    await organizer.caller.checkin.undo(input);
    const cancelled = await buyer.caller.bookings.cancel({ bookingId: booking.id });
    expect(cancelled.booking.status).toBe("cancelled");
  });
});
