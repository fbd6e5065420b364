import {
  type AnswerValue,
  type ConfirmedBooking,
  type Hold,
  isGuestPrincipal,
  type QuestionKind,
} from "@boxoffice/core";
import type { BookingWithLines, HoldRow } from "@boxoffice/db";
import type { Booked } from "@boxoffice/engine";

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export interface LineItemDto {
  ticketTypeId: string;
  /** The type's current name, hidden types too (`events.get` leaves those out for buyers). */
  ticketTypeName: string;
  quantity: number;
  /** What one ticket costs, the code's discount taken off. */
  unitPriceCents: number;
  /** The price before the discount. */
  listPriceCents: number;
}

/** The promo or access code an order used. */
export interface CodeRefDto {
  id: string;
  code: string;
}

/** Names of ticket types by id (the engine's `ticketTypeNames`). */
export type TypeNames = ReadonlyMap<string, string>;

interface Line {
  ticketTypeId: string;
  quantity: number;
  unitPriceCents: number;
  listPriceCents?: number | null | undefined;
}

const lineDto = (i: Line, ticketTypeName: string): LineItemDto => ({
  ticketTypeId: i.ticketTypeId,
  ticketTypeName,
  quantity: i.quantity,
  unitPriceCents: i.unitPriceCents,
  listPriceCents: i.listPriceCents ?? i.unitPriceCents,
});

export interface HoldDto {
  id: string;
  eventId: string;
  /** The account's id; null for a guest's hold. */
  userId: string | null;
  items: LineItemDto[];
  seatIds: string[];
  totalCents: number;
  currency: string;
  expiresAt: string;
  code: CodeRefDto | null;
}

export interface TicketDto {
  id: string;
  code: string;
  ticketTypeId: string;
  seatId: string | null;
  /** What people read for the seat: "Stalls row C seat 6"; null for a ticket sold by type. */
  seatLabel: string | null;
  checkedInAt: string | null;
  /** Who the ticket is for, when named. */
  attendee: { name: string; email: string | null } | null;
}

export interface AnswerDto {
  questionId: string;
  /** 0-based ticket for per-ticket questions; null for per-order ones. */
  ticketIndex: number | null;
  /** The question's label (and kind) when the answer was given. */
  label: string;
  kind: QuestionKind;
  value: AnswerValueDto;
}

export type AnswerValueDto = string | number | boolean | string[];

const answerValueDto = (value: AnswerValue): AnswerValueDto =>
  Array.isArray(value) ? [...value] : (value as string | number | boolean);

export interface BuyerDto {
  name: string;
  email: string;
}

export interface BookingDto {
  id: string;
  eventId: string;
  /** The account that bought it; null for a guest's booking (see `buyer`). */
  userId: string | null;
  buyer: BuyerDto;
  /** The order page's secret, only in the reply that created the booking; else null. */
  orderToken: string | null;
  answers: AnswerDto[];
  status: "confirmed" | "cancelled";
  items: LineItemDto[];
  seatIds: string[];
  totalCents: number;
  refundCents: number;
  currency: string;
  createdAt: string;
  cancelledAt: string | null;
  tickets: TicketDto[];
  code: CodeRefDto | null;
}

// A line's type always exists (items reference it); "Ticket" only guards a broken lookup.
const namedLine = (names: TypeNames) => (i: Line) =>
  lineDto(i, names.get(i.ticketTypeId) ?? "Ticket");

/** `code`: the code the hold carries (its text is known to the caller), or null. */
export function holdDto(
  eventId: string,
  hold: Hold | HoldRow,
  typeNames: TypeNames,
  code: CodeRefDto | null = null,
): HoldDto {
  return {
    id: hold.id,
    eventId,
    userId: hold.userId === null || isGuestPrincipal(hold.userId) ? null : hold.userId,
    items: hold.items.map(namedLine(typeNames)),
    seatIds: [...hold.seatIds],
    totalCents: hold.totalCents,
    currency: hold.currency,
    expiresAt: iso(hold.expiresAt),
    code: hold.codeId ? code : null,
  };
}

/** A booking just confirmed by the actor: answered without reading it back. */
export function confirmedBookingDto(
  b: ConfirmedBooking,
  seatLabels: ReadonlyMap<string, string>,
  buyer: BuyerDto,
  typeNames: TypeNames,
  code: CodeRefDto | null = null,
): BookingDto {
  return {
    id: b.id,
    eventId: b.eventId,
    userId: isGuestPrincipal(b.userId) ? null : b.userId,
    buyer,
    orderToken: b.orderToken ?? null,
    answers: (b.answers ?? []).map((a) => ({
      questionId: a.questionId,
      ticketIndex: a.ticketIndex,
      label: a.label,
      kind: a.kind,
      value: answerValueDto(a.value),
    })),
    status: "confirmed",
    items: b.items.map(namedLine(typeNames)),
    code: b.codeId ? code : null,
    seatIds: [...b.seatIds],
    totalCents: b.totalCents,
    refundCents: 0,
    currency: b.currency,
    createdAt: iso(b.createdAt),
    cancelledAt: null,
    tickets: b.tickets.map((t) => ({
      id: t.id,
      code: t.code,
      ticketTypeId: t.ticketTypeId,
      seatId: t.seatId,
      seatLabel: t.seatId === null ? null : (seatLabels.get(t.seatId) ?? null),
      checkedInAt: null,
      attendee: t.attendee ? { name: t.attendee.name, email: t.attendee.email } : null,
    })),
  };
}

export function bookingDto({
  booking,
  items,
  tickets,
  answers,
  buyer,
  code,
}: BookingWithLines): BookingDto {
  return {
    id: booking.id,
    eventId: booking.eventId,
    userId: booking.userId,
    buyer: { name: buyer.name, email: buyer.email },
    orderToken: null,
    answers: answers.map((a) => ({
      questionId: a.questionId,
      ticketIndex: a.ticketIndex,
      label: a.label,
      kind: a.kind,
      value: answerValueDto(a.value),
    })),
    status: booking.status,
    items: items.map((i) => lineDto(i, i.ticketTypeName)),
    code: code ? { id: code.id, code: code.code } : null,
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
      attendee: t.attendeeName === null ? null : { name: t.attendeeName, email: t.attendeeEmail },
    })),
  };
}

/**
 * What the engine answered for a booking: made now (named as its actor names the types), or
 * made earlier under the same key (read back with its names).
 */
export const bookedDto = (booked: Booked, buyer: BuyerDto): BookingDto =>
  booked.status === "created"
    ? confirmedBookingDto(booked.booking, booked.seatLabels, buyer, booked.typeNames, booked.code)
    : bookingDto(booked.booking);
