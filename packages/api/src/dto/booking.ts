import type { ConfirmedBooking, Hold } from "@boxoffice/core";
import type { BookingWithLines, HoldRow } from "@boxoffice/db";
import type { Booked } from "@boxoffice/engine";

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export interface LineItemDto {
  ticketTypeId: string;
  quantity: number;
  unitPriceCents: number;
}

export interface HoldDto {
  id: string;
  eventId: string;
  userId: string;
  items: LineItemDto[];
  seatIds: string[];
  totalCents: number;
  currency: string;
  expiresAt: string;
}

export interface TicketDto {
  id: string;
  code: string;
  ticketTypeId: string;
  seatId: string | null;
  /** What people read for the seat: "Stalls row C seat 6"; null for a ticket sold by type. */
  seatLabel: string | null;
  checkedInAt: string | null;
}

export interface BookingDto {
  id: string;
  eventId: string;
  userId: string;
  status: "confirmed" | "cancelled";
  items: LineItemDto[];
  seatIds: string[];
  totalCents: number;
  refundCents: number;
  currency: string;
  createdAt: string;
  cancelledAt: string | null;
  tickets: TicketDto[];
}

export function holdDto(eventId: string, hold: Hold | HoldRow): HoldDto {
  return {
    id: hold.id,
    eventId,
    userId: hold.userId,
    items: hold.items.map((i) => ({ ...i })),
    seatIds: [...hold.seatIds],
    totalCents: hold.totalCents,
    currency: hold.currency,
    expiresAt: iso(hold.expiresAt),
  };
}

/** A booking just confirmed by the actor: answered without reading it back. */
export function confirmedBookingDto(
  b: ConfirmedBooking,
  seatLabels: ReadonlyMap<string, string>,
): BookingDto {
  return {
    id: b.id,
    eventId: b.eventId,
    userId: b.userId,
    status: "confirmed",
    items: b.items.map((i) => ({ ...i })),
    seatIds: [...b.seatIds],
    totalCents: b.totalCents,
    refundCents: 0,
    currency: b.currency,
    createdAt: iso(b.createdAt),
    cancelledAt: null,
    tickets: b.tickets.map((t) => ({
      ...t,
      seatLabel: t.seatId === null ? null : (seatLabels.get(t.seatId) ?? null),
      checkedInAt: null,
    })),
  };
}

export function bookingDto({ booking, items, tickets }: BookingWithLines): BookingDto {
  return {
    id: booking.id,
    eventId: booking.eventId,
    userId: booking.userId,
    status: booking.status,
    items: items.map((i) => ({
      ticketTypeId: i.ticketTypeId,
      quantity: i.quantity,
      unitPriceCents: i.unitPriceCents,
    })),
    seatIds: booking.seatIds,
    totalCents: booking.totalCents,
    refundCents: booking.refundCents,
    currency: booking.currency,
    createdAt: iso(booking.createdAt),
    cancelledAt: isoOrNull(booking.cancelledAt),
    tickets: tickets.map((t) => ({
      id: t.id,
      code: t.code,
      ticketTypeId: t.ticketTypeId,
      seatId: t.seatId,
      seatLabel: t.seatLabel,
      checkedInAt: isoOrNull(t.checkedInAt),
    })),
  };
}

/** What the engine answered for a booking: made now, or made earlier under the same key. */
export const bookedDto = (booked: Booked): BookingDto =>
  booked.status === "created"
    ? confirmedBookingDto(booked.booking, booked.seatLabels)
    : bookingDto(booked.booking);
