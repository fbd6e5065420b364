import { describe, expect, it } from "bun:test";
import type { DueMail, OutboxMessage } from "@boxoffice/db";
import { formatInstant, formatMoney, renderMail } from "./templates.ts";

const startsAt = Date.parse("2026-12-31T20:00:00.000Z");
const event: DueMail["event"] = {
  id: "evt_1",
  title: "Rock & Roll",
  startsAt,
  timezone: "Europe/Berlin",
  venueName: "Hall 1",
  cancelReason: null,
};

function due(message: OutboxMessage, overrides: Partial<DueMail> = {}): DueMail {
  return {
    id: 1,
    message,
    attempts: 0,
    createdAt: startsAt - 86_400_000,
    recipient: { email: "ada@example.test", name: "Ada <Lovelace>" },
    event,
    ticketTypes: new Map([["tt_ga", "General"]]),
    waitlistPosition: null,
    ...overrides,
  };
}

const booking = {
  eventId: "evt_1",
  bookingId: "bkg_1",
  tickets: [
    { code: "AAAABBBBCCCCDDDDEEEE", ticketTypeId: "tt_ga", seatId: null },
    { code: "FFFFGGGGHHHHJJJJKKKK", ticketTypeId: "tt_ga", seatId: null },
  ],
  totalCents: 3000,
  currency: "EUR",
};

describe("mail templates", () => {
  it("lists every ticket code of a confirmed booking, in text and HTML", () => {
    const mail = renderMail(due({ kind: "booking_confirmed", payload: booking }));
    expect(mail.to).toBe("ada@example.test");
    expect(mail.subject).toBe("Your tickets for Rock & Roll");
    for (const code of ["AAAABBBBCCCCDDDDEEEE", "FFFFGGGGHHHHJJJJKKKK"]) {
      expect(mail.text).toContain(`General: ${code}`);
      expect(mail.html).toContain(`<li>General: ${code}</li>`);
    }
    expect(mail.text).toContain("€30.00");
    expect(mail.text).toContain("Thu, 31 Dec 2026, 21:00 CET");
  });

  it("escapes names and titles in the HTML body only", () => {
    const mail = renderMail(due({ kind: "booking_confirmed", payload: booking }));
    expect(mail.text).toStartWith("Hello Ada <Lovelace>,");
    expect(mail.html).toContain("Hello Ada &#60;Lovelace&#62;,");
    expect(mail.html).toContain("Rock &#38; Roll");
    expect(mail.html).not.toContain("<Lovelace>");
  });

  it("says the refund and the fee of a cancelled booking", () => {
    const mail = renderMail(
      due({
        kind: "booking_cancelled",
        payload: {
          eventId: "evt_1",
          bookingId: "bkg_1",
          refundCents: 2500,
          feeCents: 500,
          currency: "USD",
          reason: "attendee",
        },
      }),
    );
    expect(mail.subject).toBe("Booking cancelled: Rock & Roll");
    expect(mail.text).toContain("Refund: $25.00 (after a fee of $5.00).");
  });

  it("gives the organizer's reason and the full refund when the event is cancelled", () => {
    const mail = renderMail(
      due(
        {
          kind: "event_cancelled",
          payload: { eventId: "evt_1", bookingId: "bkg_1", refundCents: 3000, currency: "USD" },
        },
        { event: { ...event, cancelReason: "The band split up" } },
      ),
    );
    expect(mail.subject).toBe("Cancelled: Rock & Roll");
    expect(mail.text).toContain("Their reason: The band split up");
    expect(mail.text).toContain("refunded in full: $30.00");
  });

  it("tells the waitlist position when the entry still waits", () => {
    const message: OutboxMessage = {
      kind: "waitlist_joined",
      payload: { eventId: "evt_1", entryId: "wl_1", quantity: 2, ticketTypeId: "tt_ga" },
    };
    expect(renderMail(due(message, { waitlistPosition: 3 })).text).toContain(
      "Your place in the queue: 3.",
    );
    const later = renderMail(due(message));
    expect(later.text).toContain("for 2 tickets (General)");
    expect(later.text).not.toContain("place in the queue");
  });

  it("puts the offer's deadline in the subject and the body", () => {
    const expiresAt = Date.parse("2026-12-01T10:30:00.000Z");
    const mail = renderMail(
      due({
        kind: "waitlist_offered",
        payload: {
          eventId: "evt_1",
          entryId: "wl_1",
          holdId: "hld_1",
          expiresAt,
          items: [{ ticketTypeId: "tt_ga", quantity: 1, unitPriceCents: 1500 }],
          totalCents: 1500,
          currency: "USD",
        },
      }),
    );
    const deadline = formatInstant(expiresAt, "Europe/Berlin");
    expect(deadline).toBe("Tue, 1 Dec 2026, 11:30 CET");
    expect(mail.subject).toContain(deadline);
    expect(mail.text).toContain(`Confirm them before ${deadline}`);
    expect(mail.text).not.toContain("hld_1");
    expect(mail.text).toContain("1 × General");
  });

  it("names seats by label and carries no internal id, in every mail about tickets", () => {
    const seatLabels = new Map([
      ["s1-r3-6", "Stalls row C seat 6"],
      ["s1-r3-7", "Stalls row C seat 7"],
    ]);
    const seated = {
      ...booking,
      bookingId: "bkg_seated",
      tickets: [
        { code: "AAAABBBBCCCCDDDDEEEE", ticketTypeId: "tt_ga", seatId: "s1-r3-6" },
        { code: "FFFFGGGGHHHHJJJJKKKK", ticketTypeId: "tt_ga", seatId: "s1-r3-7" },
      ],
    };
    const cancelled = { eventId: "evt_1", bookingId: "bkg_seated", currency: "USD" };
    const messages: OutboxMessage[] = [
      { kind: "booking_confirmed", payload: seated },
      { kind: "waitlist_auto_booked", payload: seated },
      {
        kind: "booking_cancelled",
        payload: { ...cancelled, refundCents: 100, feeCents: 0, reason: "organizer" },
      },
      { kind: "event_cancelled", payload: { ...cancelled, refundCents: 100 } },
      {
        kind: "waitlist_offered",
        payload: {
          eventId: "evt_1",
          entryId: "wl_abc",
          holdId: "wl_abc-offer",
          expiresAt: startsAt - 3_600_000,
          items: [{ ticketTypeId: "tt_ga", quantity: 2, unitPriceCents: 1500 }],
          seatIds: ["s1-r3-6", "s1-r3-7"],
          totalCents: 3000,
          currency: "USD",
        },
      },
    ];
    for (const message of messages) {
      const mail = renderMail(due(message, { seatLabels }));
      expect(mail.text).not.toMatch(/\b(bkg|hld|wl|evt|tt)_|\bs\d+-r\d+-\d+/);
      expect(mail.html).not.toMatch(/\b(bkg|hld|wl|evt|tt)_|\bs\d+-r\d+-\d+/);
      if (message.kind !== "booking_cancelled" && message.kind !== "event_cancelled") {
        expect(mail.text).toContain("Stalls row C seat 6");
        expect(mail.text).toContain("Stalls row C seat 7");
      }
    }
    const confirmed = renderMail(due(messages[0]!, { seatLabels }));
    expect(confirmed.text).toContain("Stalls row C seat 6: AAAABBBBCCCCDDDDEEEE");
  });

  it("does not quote a refund of nothing for free tickets", () => {
    const free = { eventId: "evt_1", bookingId: "bkg_1", currency: "USD", refundCents: 0 };
    const byAttendee = renderMail(
      due({ kind: "booking_cancelled", payload: { ...free, feeCents: 0, reason: "attendee" } }),
    );
    const byEvent = renderMail(due({ kind: "event_cancelled", payload: free }));
    const booked = renderMail(
      due({ kind: "booking_confirmed", payload: { ...booking, totalCents: 0 } }),
    );
    for (const mail of [byAttendee, byEvent, booked]) expect(mail.text).not.toContain("0.00");
    expect(byAttendee.text).toContain("There is nothing to refund.");
    expect(byEvent.text).toContain("there is nothing to refund");
  });

  it("has a subject and both bodies for every kind", () => {
    const messages: OutboxMessage[] = [
      { kind: "waitlist_auto_booked", payload: booking },
      { kind: "waitlist_offer_expired", payload: { eventId: "evt_1", entryId: "wl_1" } },
    ];
    for (const message of messages) {
      const mail = renderMail(due(message));
      expect(mail.subject).toContain("Rock & Roll");
      expect(mail.text.length).toBeGreaterThan(40);
      expect(mail.html).toStartWith("<!doctype html>");
    }
  });

  it("formats money in any currency and survives an unknown one", () => {
    expect(formatMoney(1999, "USD")).toBe("$19.99");
    expect(formatMoney(0, "EUR")).toBe("€0.00");
    expect(formatMoney(500, "??")).toBe("5.00 ??");
  });
});
