/**
 * Realistic sample data for the mail preview (`/dev/mail`) and the tests: a seated concert in
 * Berlin, a guest's order of two named tickets, its organizer and a few people around it.
 */
import type { AccountDueMail, DueMail, OutboxMessage, TicketDocument } from "@boxoffice/db";

// Sat, 20 Mar 2027, 19:30 in Berlin (CET, UTC+1).
const startsAt = Date.UTC(2027, 2, 20, 18, 30);
const endsAt = Date.UTC(2027, 2, 20, 21, 0);
const createdAt = Date.UTC(2027, 1, 2, 9, 14);

export const sampleOrigin = "https://tickets.example.org";

export const sampleEvent: DueMail["event"] = {
  id: "evt_7hq2k9d4m1x8",
  title: "Nils Frahm live at the Philharmonie",
  startsAt,
  endsAt,
  timezone: "Europe/Berlin",
  venueName: "Philharmonie Berlin",
  cancelReason: null,
  organizerName: "Kreuzberg Konzerte",
};

export const sampleDocument: TicketDocument = {
  bookingId: "bkg_4tz9w2qv8c1n",
  status: "confirmed",
  buyerName: "Lena Hoffmann",
  buyerEmail: "lena.hoffmann@example.org",
  totalCents: 11_800,
  currency: "EUR",
  createdAt,
  event: {
    ...sampleEvent,
    description: "An evening of piano and synthesizers.",
    status: "published",
    organizerId: "usr_k3m8p2q7",
  },
  tickets: [
    {
      code: "K7PQM4XD9RWTH3VN8ZBE",
      ticketTypeName: "Stalls",
      seatLabel: "Stalls row C seat 6",
      attendeeName: "Lena Hoffmann",
      checkedInAt: null,
      updatedAt: createdAt,
    },
    {
      code: "H3VN8ZBE2YCAK7PQM4XD",
      ticketTypeName: "Stalls",
      seatLabel: "Stalls row C seat 7",
      attendeeName: "Jonas Becker",
      checkedInAt: null,
      updatedAt: createdAt,
    },
  ],
};

const ticketTypes = new Map([
  ["tt_stalls", "Stalls"],
  ["tt_balcony", "Balcony"],
]);
const seatLabels = new Map([
  ["s1-r3-6", "Stalls row C seat 6"],
  ["s1-r3-7", "Stalls row C seat 7"],
  ["s2-r1-12", "Balcony row A seat 12"],
]);

const booking = {
  eventId: sampleEvent.id,
  bookingId: sampleDocument.bookingId,
  orderToken: "q8vn2mk5pl9rt4wz7yb3cd6xjh",
  tickets: [
    { code: "K7PQM4XD9RWTH3VN8ZBE", ticketTypeId: "tt_stalls", seatId: "s1-r3-6" },
    { code: "H3VN8ZBE2YCAK7PQM4XD", ticketTypeId: "tt_stalls", seatId: "s1-r3-7" },
  ],
  totalCents: 11_800,
  currency: "EUR",
};

const buyer = { email: "lena.hoffmann@example.org", name: "Lena Hoffmann" };
const organizer = { email: "booking@kreuzberg-konzerte.example", name: "Miriam Schulz" };

function due(id: number, message: OutboxMessage, more: Partial<DueMail> = {}): DueMail {
  return {
    id,
    message,
    attempts: 0,
    createdAt: createdAt + id * 60_000,
    recipient: buyer,
    event: sampleEvent,
    ticketTypes,
    waitlistPosition: null,
    seatLabels,
    ...more,
  };
}

/** One sample per kind of mail, in the order the preview lists them. */
export const sampleMails: Record<string, DueMail | AccountDueMail> = {
  booking_confirmed: due(
    1,
    { kind: "booking_confirmed", payload: booking },
    { document: sampleDocument },
  ),
  waitlist_auto_booked: due(
    2,
    { kind: "waitlist_auto_booked", payload: { ...booking, tickets: booking.tickets.slice(0, 1) } },
    { document: { ...sampleDocument, tickets: sampleDocument.tickets.slice(0, 1) } },
  ),
  booking_cancelled: due(3, {
    kind: "booking_cancelled",
    payload: {
      eventId: sampleEvent.id,
      bookingId: sampleDocument.bookingId,
      refundCents: 10_620,
      feeCents: 1_180,
      currency: "EUR",
      reason: "attendee",
    },
  }),
  event_cancelled: due(
    4,
    {
      kind: "event_cancelled",
      payload: {
        eventId: sampleEvent.id,
        bookingId: sampleDocument.bookingId,
        refundCents: 11_800,
        currency: "EUR",
      },
    },
    { event: { ...sampleEvent, cancelReason: "The artist is ill and cannot travel." } },
  ),
  waitlist_joined: due(
    5,
    {
      kind: "waitlist_joined",
      payload: { eventId: sampleEvent.id, entryId: "wl_9c2m4k", quantity: 2, ticketTypeId: null },
    },
    { waitlistPosition: 14 },
  ),
  waitlist_offered: due(6, {
    kind: "waitlist_offered",
    payload: {
      eventId: sampleEvent.id,
      entryId: "wl_9c2m4k",
      holdId: "hld_wl_9c2m4k-offer",
      expiresAt: Date.UTC(2027, 2, 1, 17, 0),
      items: [{ ticketTypeId: "tt_balcony", quantity: 1, unitPriceCents: 4_900 }],
      seatIds: ["s2-r1-12"],
      totalCents: 4_900,
      currency: "EUR",
    },
  }),
  waitlist_offer_expired: due(7, {
    kind: "waitlist_offer_expired",
    payload: { eventId: sampleEvent.id, entryId: "wl_9c2m4k" },
  }),
  sale_digest: due(
    8,
    {
      kind: "sale_digest",
      payload: {
        eventId: sampleEvent.id,
        day: "2027-02-02",
        ticketsSold: 37,
        ticketsCancelled: 2,
        revenue: [{ currency: "EUR", cents: 198_400 }],
        totalSold: 1_412,
        capacity: 2_440,
      },
    },
    { recipient: organizer },
  ),
  sold_out: due(
    9,
    {
      kind: "sold_out",
      payload: { eventId: sampleEvent.id, ticketsSold: 2_440, at: Date.UTC(2027, 1, 20, 11, 3) },
    },
    { recipient: organizer },
  ),
  waitlist_growing: due(
    10,
    {
      kind: "waitlist_growing",
      payload: { eventId: sampleEvent.id, waiting: 104, threshold: 100 },
    },
    { recipient: organizer },
  ),
  refund_failed: due(
    11,
    {
      kind: "refund_failed",
      payload: {
        eventId: sampleEvent.id,
        buyerName: "Jonas Becker",
        buyerEmail: "jonas.becker@example.org",
        amountCents: 5_900,
        currency: "EUR",
        error: "card_expired: The card has expired",
      },
    },
    { recipient: organizer },
  ),
  broadcast: due(
    12,
    {
      kind: "broadcast",
      payload: {
        eventId: sampleEvent.id,
        broadcastId: "bc_5n8q2w",
        unsubscribeToken: "k7mq2xw9pd4rt8vn3bz6hc5yfa",
      },
    },
    {
      broadcast: {
        subject: "Doors open at 18:30, and a note about bags",
        body: "Dear concert-goers,\n\ndoors open at 18:30 and the concert starts at 19:30 sharp.\nLatecomers are let in during the first break only.\n\nPlease bring no bags larger than A4: there is no cloakroom for luggage. Getting there: https://www.berliner-philharmoniker.de/en/visit/\n\nSee you on Saturday!\nMiriam, Kreuzberg Konzerte",
      },
    },
  ),
  password_reset: {
    id: 13,
    account: true,
    message: {
      kind: "password_reset",
      payload: {
        link: `${sampleOrigin}/reset-password/abcdefghijkmnpqrstuvwxyz23456789`,
        expiresAt: createdAt + 3_600_000,
      },
    },
    attempts: 0,
    createdAt,
    recipient: buyer,
  },
  email_verification: {
    id: 14,
    account: true,
    message: {
      kind: "email_verification",
      payload: {
        link: `${sampleOrigin}/verify-email/abcdefghijkmnpqrstuvwxyz23456789`,
        expiresAt: createdAt + 86_400_000,
        email: buyer.email,
      },
    },
    attempts: 0,
    createdAt,
    recipient: buyer,
  },
};
