import type { Map as IMap } from "immutable";

// ---------------------------------------------------------------------------------------------
// Configuration: what the organizer decided. Instants are epoch milliseconds, money is cents.

export type EventStatus = "draft" | "published" | "cancelled";

export interface TicketTypeConfig {
  readonly id: string;
  readonly name: string;
  readonly priceCents: number;
  readonly capacity: number;
}

export interface RefundRule {
  readonly hoursBeforeStart: number;
  readonly refundPercent: number;
}

export interface CancellationPolicy {
  readonly refundable: boolean;
  readonly feeCents: number;
  readonly rules: readonly RefundRule[];
}

export interface WaitlistConfig {
  readonly enabled: boolean;
  readonly mode: "auto" | "offer";
  readonly offerSeconds: number;
}

/** What the event actor needs to decide: inventory, limits, sales window, policies. */
export interface EventConfig {
  readonly id: string;
  readonly organizerId: string;
  readonly status: EventStatus;
  readonly startsAt: number;
  readonly endsAt: number | null;
  readonly salesStartAt: number | null;
  readonly salesEndAt: number | null;
  /** Total cap across ticket types (a shared quota), or null for the sum of the types. */
  readonly capacity: number | null;
  readonly maxPerOrder: number;
  readonly maxPerUser: number | null;
  readonly holdSeconds: number;
  readonly currency: string;
  readonly ticketTypes: readonly TicketTypeConfig[];
  readonly cancellationPolicy: CancellationPolicy;
  readonly waitlist: WaitlistConfig;
}

/** Descriptive fields the actor does not decide on but persists with a reconfiguration. */
export interface EventDetails {
  readonly title: string;
  readonly description: string;
  readonly venueName: string | null;
  readonly timezone: string;
}

// ---------------------------------------------------------------------------------------------
// State: what the actor knows, loaded from SQLite and then kept by evolve().

export interface LineItem {
  readonly ticketTypeId: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

export interface Hold {
  readonly id: string;
  readonly userId: string;
  readonly items: readonly LineItem[];
  readonly seatIds: readonly string[];
  readonly totalCents: number;
  readonly currency: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** A confirmed booking as the actor keeps it: enough to cancel and refund it, no more. */
export interface BookingRecord {
  readonly id: string;
  readonly userId: string;
  readonly items: readonly LineItem[];
  readonly seatIds: readonly string[];
  readonly totalCents: number;
  readonly paidCents: number;
  readonly createdAt: number;
}

export interface Payment {
  readonly provider: string;
  readonly ref: string;
  readonly amountCents: number;
}

export interface NewTicket {
  readonly id: string;
  readonly code: string;
  readonly ticketTypeId: string;
  readonly seatId: string | null;
}

/** A booking as it is written when confirmed, with its tickets and payment. */
export interface ConfirmedBooking extends BookingRecord {
  readonly eventId: string;
  readonly holdId: string | null;
  readonly currency: string;
  readonly tickets: readonly NewTicket[];
  readonly payment: Payment | null;
  readonly idempotencyKey: string | null;
  readonly requestHash: string | null;
}

export interface TypeCount {
  readonly sold: number;
  readonly held: number;
}

export interface EventState {
  readonly config: EventConfig;
  /** Per ticket type id. */
  readonly counts: Readonly<Record<string, TypeCount>>;
  readonly sold: number;
  readonly held: number;
  readonly holds: IMap<string, Hold>;
  readonly bookings: IMap<string, BookingRecord>;
  /** Tickets held or bought per user, for `maxPerUser`. */
  readonly perUser: IMap<string, number>;
  /** `idempotencyScope(userId, key)` → booking id. */
  readonly idempotency: IMap<string, { bookingId: string; requestHash: string | null }>;
  /** Increases with every applied event: a cheap change marker for subscribers. */
  readonly version: number;
}

// ---------------------------------------------------------------------------------------------
// Commands (imperative) and their replies.

export interface ItemRequest {
  readonly ticketTypeId: string;
  readonly quantity: number;
}

export interface PlaceHold {
  readonly type: "PlaceHold";
  readonly holdId: string;
  readonly userId: string;
  readonly items: readonly ItemRequest[];
  readonly seatIds: readonly string[];
}

export interface ReleaseHold {
  readonly type: "ReleaseHold";
  readonly holdId: string;
  readonly userId: string;
}

/** Ticket codes are random, so the caller draws them; the decider takes as many as it needs. */
interface BookingIntent {
  readonly bookingId: string;
  readonly userId: string;
  readonly codes: readonly string[];
  readonly payment: Payment | null;
  readonly idempotencyKey: string | null;
  readonly requestHash: string | null;
}

export interface ConfirmHold extends BookingIntent {
  readonly type: "ConfirmHold";
  readonly holdId: string;
}

export interface BookTickets extends BookingIntent {
  readonly type: "BookTickets";
  readonly items: readonly ItemRequest[];
  readonly seatIds: readonly string[];
}

export interface CancelBooking {
  readonly type: "CancelBooking";
  readonly bookingId: string;
  readonly byUserId: string;
  /** Organizer (or admin) cancellations refund in full. */
  readonly byOrganizer: boolean;
}

export interface ExpireHolds {
  readonly type: "ExpireHolds";
}

export interface Reconfigure {
  readonly type: "Reconfigure";
  readonly config: EventConfig;
  readonly details: EventDetails | null;
}

/** Puts a draft on sale; the only way the status becomes "published". */
export interface PublishEvent {
  readonly type: "PublishEvent";
}

export interface CancelEvent {
  readonly type: "CancelEvent";
  readonly reason: string;
  readonly byUserId: string;
}

export type EventCommand =
  | PlaceHold
  | ReleaseHold
  | ConfirmHold
  | BookTickets
  | CancelBooking
  | ExpireHolds
  | Reconfigure
  | PublishEvent
  | CancelEvent;

export type BookingReply =
  | { readonly created: true; readonly booking: ConfirmedBooking }
  | { readonly created: false; readonly bookingId: string };

export interface EventReplies {
  PlaceHold: { readonly hold: Hold };
  ReleaseHold: { readonly ok: true };
  ConfirmHold: BookingReply;
  BookTickets: BookingReply;
  CancelBooking: {
    readonly bookingId: string;
    readonly refundCents: number;
    readonly feeCents: number;
  };
  ExpireHolds: { readonly expired: number };
  Reconfigure: { readonly config: EventConfig };
  PublishEvent: { readonly config: EventConfig };
  CancelEvent: {
    readonly refunds: readonly { bookingId: string; userId: string; refundCents: number }[];
  };
}

// ---------------------------------------------------------------------------------------------
// Domain events (past tense): the only way state changes, and what gets persisted.

export type CancellationReason = "attendee" | "organizer" | "event_cancelled";

export type EventEvent =
  | { readonly type: "HoldPlaced"; readonly hold: Hold }
  | { readonly type: "HoldReleased"; readonly holdId: string; readonly at: number }
  | { readonly type: "HoldExpired"; readonly holdId: string; readonly at: number }
  | { readonly type: "BookingConfirmed"; readonly booking: ConfirmedBooking }
  | {
      readonly type: "BookingCancelled";
      readonly bookingId: string;
      readonly refundCents: number;
      readonly feeCents: number;
      readonly reason: CancellationReason;
      readonly byUserId: string;
      readonly at: number;
    }
  | {
      readonly type: "EventReconfigured";
      readonly config: EventConfig;
      readonly details: EventDetails | null;
      readonly at: number;
    }
  | { readonly type: "EventCancelled"; readonly reason: string; readonly at: number };

export const idempotencyScope = (userId: string, key: string): string => `${userId}\u0000${key}`;
