/**
 * Mails name seats the way people read them, from what the outbox stored: the booking mail lists
 * "Stalls row B seat 3: CODE", a waitlist offer lists the seats held, and no mail shows an id.
 */
import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import { createOutboxStore, type DueMail } from "@boxoffice/db";
import { renderMail } from "@boxoffice/mail";
import { confirmed, createTestWorld, type TestWorld } from "../testing.ts";

const DAY = 86_400_000;
const INTERNAL_ID = /\b(bkg|hld|wl|evt|tt|usr)_|\bs\d+-r\d+-\d+/;
let world: TestWorld;

afterEach(async () => {
  await world.close();
});

describe("mail about seats", () => {
  it("labels booked and offered seats, and shows no internal id", async () => {
    const clock = new ManualClock(Date.parse("2026-06-01T12:00:00.000Z"));
    world = await createTestWorld({ clock });
    const organizer = await world.signUp("organizer");
    const venue = await organizer.caller.venues.create({
      name: "Mail Hall",
      sections: [
        {
          name: "Stalls",
          priceCents: 1000,
          rows: [
            { label: "A", seats: 1 },
            { label: "B", seats: 3 },
          ],
        },
      ],
    });
    const created = await organizer.caller.events.create({
      title: "Seats by mail",
      venueId: venue.id,
      startsAt: new Date(clock.now() + 30 * DAY).toISOString(),
      waitlist: { enabled: true, mode: "offer", offerSeconds: 3600 },
    });
    await organizer.caller.events.publish({ eventId: created.id });
    const buyer = await world.signUp("attendee", "Bea Booker");
    const all = ["s1-r1-1", "s1-r2-1", "s1-r2-2", "s1-r2-3"];
    const booking = confirmed(
      await buyer.caller.bookings.book({ eventId: created.id, seatIds: all }),
    );
    const waiter = await world.signUp("attendee", "Will Waiter");
    await waiter.caller.waitlist.join({
      eventId: created.id,
      ticketTypeId: created.ticketTypes[0]!.id,
      quantity: 2,
    });
    await buyer.caller.bookings.cancel({ bookingId: booking.id });

    const due = createOutboxStore(world.services.db)
      .due(clock.now() + DAY, 100, new Set())
      .filter((row): row is DueMail => "message" in row && !("account" in row));
    const mails = await Promise.all(
      due.map(async (row) => ({
        kind: row.message.kind,
        mail: await renderMail(row, { origin: "https://tickets.example.org" }),
      })),
    );
    expect(mails.map((m) => m.kind).sort()).toEqual([
      "booking_cancelled",
      "booking_confirmed",
      "waitlist_joined",
      "waitlist_offered",
    ]);
    const text = (kind: string) => mails.find((m) => m.kind === kind)!.mail.text;
    const code = booking.tickets.find((t) => t.seatId === "s1-r2-3")!.code;
    const confirmation = due.find((row) => row.message.kind === "booking_confirmed")!;
    expect(confirmation.document?.tickets.map((t) => [t.seatLabel, t.code])).toContainEqual([
      "Stalls row B seat 3",
      code,
    ]);
    expect(text("booking_confirmed")).toContain("Stalls row B seat 3");
    expect(text("booking_confirmed")).toContain("Stalls row A seat 1");
    // The best seats together: two adjacent in the frontmost row with room.
    expect(text("waitlist_offered")).toMatch(/Stalls row B seat \d/);
    for (const { mail } of mails) {
      // Links carry ids in their paths; what people read does not.
      const readable = (s: string) => s.replace(/https?:\/\/\S+/g, "");
      expect(readable(mail.text)).not.toMatch(INTERNAL_ID);
      expect(readable(mail.html.replace(/<[^>]*>/g, " "))).not.toMatch(INTERNAL_ID);
    }
  });
});
