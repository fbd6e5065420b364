import type { Map as IMap, OrderedMap } from "immutable";
import type { Answer, AnswerInput, Attendee, AttendeeInput, CheckoutConfig } from "./checkout.ts";
import type { RerootMap } from "./reroot-map.ts";
import type { EnterRoom, RoomConfig, RoomEvent, RoomReply, RoomState, Tick } from "./room-types.ts";
import type { Seating } from "./seats.ts";

// ---------------------------------------------------------------------------------------------
// Configuration: what the organizer decided. Instants are epoch milliseconds, money is cents.

export type EventStatus = "draft" | "published" | "cancelled";

export interface TicketTypeConfig {
  readonly id: string;
  readonly name: string;
  readonly priceCents: number;
  readonly capacity: number;
  /** Left out of public views; only a code that unlocks it lets a buyer hold it. */
  readonly hidden?: boolean;
}

export type CodeDiscount = { readonly percent: number } | { readonly amountCents: number };

/** A promo or access code, as the actor decides on it (docs/API.md "codes"). */
export interface CodeConfig {
  readonly id: string;
  /** Normalised: upper-case, unique in the event. */
  readonly code: string;
  readonly kind: "discount" | "access";
  readonly discount: CodeDiscount | null;
  /** The types a discount applies to, or an access code lets buy; null: every type. */
  readonly ticketTypeIds: readonly string[] | null;
  readonly maxUses: number | null;
  readonly maxUsesPerBuyer: number | null;
  readonly validFrom: number | null;
  readonly validUntil: number | null;
  readonly unlocksTicketTypeIds: readonly string[];
  /** A presale: holders of the code may buy from then on, before `salesStartAt`. */
  readonly opensSalesAt: number | null;
  readonly disabled: boolean;
  readonly createdAt: number;
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
  /** Guest checkout, names per ticket, questions; none: DEFAULT_CHECKOUT (`checkoutOf`). */
  readonly checkout?: CheckoutConfig;
  /** The on-sale room; none: DEFAULT_ROOM, disabled (`roomOf`). */
  readonly room?: RoomConfig;
}

/**
 * A seated event's seats, copied from its venue at creation: each section is one ticket type;
 * rows are listed front to back, and a row's seats are numbered 1..seats.
 */
export interface SeatLayout {
  readonly sections: readonly {
    readonly ticketTypeId: string;
    readonly rows: readonly { readonly label: string; readonly seats: number }[];
  }[];
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
  /** What one ticket costs the buyer, the code's discount taken off. */
  readonly unitPriceCents: number;
  /** The type's price before any discount; none: the same as `unitPriceCents`. */
  readonly listPriceCents?: number;
}

export interface Hold {
  readonly id: string;
  /** The principal that owns the hold: an account id, or `guest:<email>`. */
  readonly userId: string;
  /** The person whose limits it counts against (a normalised email); none: `userId`. */
  readonly personKey?: string;
  /** A guest's name as given (accounts have theirs). */
  readonly buyerName?: string | null;
  readonly items: readonly LineItem[];
  readonly seatIds: readonly string[];
  readonly totalCents: number;
  readonly currency: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** The buyer's key for retrying the hold request, while the hold lives; none for offers. */
  readonly idempotencyKey?: string | null;
  readonly requestHash?: string | null;
  /** The code the hold uses (one use of it while the hold lives); none: null. */
  readonly codeId?: string | null;
}

/** A confirmed booking as the actor keeps it: enough to cancel and refund it, no more. */
export interface BookingRecord {
  readonly id: string;
  readonly userId: string;
  readonly personKey?: string;
  readonly items: readonly LineItem[];
  readonly seatIds: readonly string[];
  readonly totalCents: number;
  readonly paidCents: number;
  readonly createdAt: number;
  /** The code the booking used (one use while it stands). */
  readonly codeId?: string | null;
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
  /** Who the ticket is for, when named at checkout. */
  readonly attendee?: Attendee | null;
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
  /** The order page's secret (its SHA-256 is stored); null when the caller drew none. */
  readonly orderToken?: string | null;
  readonly buyerName?: string | null;
  /** Checkout answers with their questions' labels as they read when answered. */
  readonly answers?: readonly Answer[];
}

/** A place in the waitlist while it is active; ended entries live on in SQLite only. */
export interface WaitlistEntry {
  readonly id: string;
  readonly userId: string;
  readonly personKey?: string;
  /** The type asked for, or null for whichever type has room (the first in the event's order). */
  readonly ticketTypeId: string | null;
  readonly quantity: number;
  readonly joinedAt: number;
  /** Order of joining within the event: the queue's order, ties of `joinedAt` included. */
  readonly seq: number;
  readonly state: "waiting" | "offered";
  /** The offer hold while `offered`. */
  readonly holdId: string | null;
}

/** Every state an entry can be in; the last three are ends, kept in SQLite, not in memory. */
export type WaitlistEntryState = "waiting" | "offered" | "converted" | "expired" | "left";

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
  readonly holds: RerootMap<string, Hold>;
  readonly bookings: RerootMap<string, BookingRecord>;
  /** Tickets held or bought per user, for `maxPerUser`. */
  readonly perUser: RerootMap<string, number>;
  /** Tickets in live holds per user, for the cap on what one buyer may hold at once. */
  readonly heldByUser: RerootMap<string, number>;
  /** `idempotencyScope(userId, key)` → booking id. */
  readonly idempotency: RerootMap<string, { bookingId: string; requestHash: string | null }>;
  /** `idempotencyScope(userId, key)` → the live hold that key placed (dropped when it ends). */
  readonly holdKeys: RerootMap<string, { holdId: string; requestHash: string | null }>;
  /** Active waitlist entries (waiting or offered) by id, in queue order. */
  readonly waitlist: OrderedMap<string, WaitlistEntry>;
  /** userId → id of that user's active entry: one per user and event. */
  readonly waitlistUsers: IMap<string, string>;
  /** The highest `seq` handed out so far (ended entries included). */
  readonly waitlistSeq: number;
  /** The seat layout of a seated event (null for one sold by ticket type only). */
  readonly seating: Seating | null;
  /** Seat number → id of the hold or booking that has it; taken seats only (invariant 2). */
  readonly seatOwners: IMap<number, string>;
  /** The event's codes by normalised text. */
  readonly codes: IMap<string, CodeConfig>;
  /** Uses per code id: live holds and standing bookings carrying it (derived, never stored). */
  readonly codeUses: RerootMap<string, number>;
  /** `codeId\0personKey` → that person's uses of the code. */
  readonly codeUsesByPerson: RerootMap<string, number>;
  /** The on-sale room: who waits, who is admitted (docs/API.md "room"). */
  readonly room: RoomState;
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
  readonly personKey?: string;
  readonly buyerName?: string | null;
  readonly items: readonly ItemRequest[];
  readonly seatIds: readonly string[];
  /** A retry with the same key (and request) gets the same hold back while it lives. */
  readonly idempotencyKey?: string | null;
  readonly requestHash?: string | null;
  /**
   * The server's cap on tickets one buyer may hold at once in this event, for events whose
   * organizer set no `maxPerUser` (never below one order's `maxPerOrder`). None: no cap.
   */
  readonly heldCap?: number;
  /** A promo or access code as typed, normalised (trimmed, upper-cased) by the caller. */
  readonly code?: string;
  /** The room entry whose admission token the buyer presented (verified by the caller). */
  readonly admission?: string;
}

/**
 * Commands that may free tickets serve the waitlist in the same decision. In `auto` mode that
 * books, and ticket codes are random, so the caller draws a pool; the decider takes what it
 * needs and, when the pool runs short, offers instead of booking.
 */
interface FreesTickets {
  readonly codes?: readonly string[];
}

export interface ReleaseHold extends FreesTickets {
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
  /** Drawn by the caller (random), stored hashed; the booking carries it once. */
  readonly orderToken?: string | null;
  /** One per ticket in ticket order (`ticketSlots`), checked with the answers by `quote`. */
  readonly attendees?: readonly AttendeeInput[];
  readonly answers?: readonly AnswerInput[];
  readonly buyerName?: string | null;
}

export interface ConfirmHold extends BookingIntent {
  readonly type: "ConfirmHold";
  readonly holdId: string;
}

export interface BookTickets extends BookingIntent {
  readonly type: "BookTickets";
  readonly personKey?: string;
  readonly items: readonly ItemRequest[];
  readonly seatIds: readonly string[];
  /**
   * Book, or when the request cannot be served now (sold out), join the waitlist in the same
   * turn: the buyer gets tickets or a place, never a refusal that freed tickets made stale.
   */
  readonly joinWaitlist?: boolean;
  /** The id of the waitlist entry, should the command join the waitlist. */
  readonly entryId?: string;
  /** A promo or access code, normalised by the caller. */
  readonly code?: string;
  /** The room entry whose admission token the buyer presented (verified by the caller). */
  readonly admission?: string;
}

/** Adds or replaces codes (by id); the organizer's create, generate, update and disable. */
export interface UpsertCodes {
  readonly type: "UpsertCodes";
  readonly codes: readonly CodeConfig[];
}

export interface CancelBooking extends FreesTickets {
  readonly type: "CancelBooking";
  readonly bookingId: string;
  readonly byUserId: string;
  /** Organizer (or admin) cancellations refund in full. */
  readonly byOrganizer: boolean;
}

export interface ExpireHolds extends FreesTickets {
  readonly type: "ExpireHolds";
}

export interface Reconfigure extends FreesTickets {
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

export interface JoinWaitlist {
  readonly type: "JoinWaitlist";
  readonly entryId: string;
  readonly userId: string;
  readonly personKey?: string;
  readonly ticketTypeId: string | null;
  readonly quantity: number;
}

/** Leaving while offered gives the offer back, which serves the next entry. */
export interface LeaveWaitlist extends FreesTickets {
  readonly type: "LeaveWaitlist";
  readonly userId: string;
}

/** The organizer's nudge: serve the earliest entry that fits what is free now. */
export interface OfferNext extends FreesTickets {
  readonly type: "OfferNext";
}

export type EventCommand =
  | JoinWaitlist
  | LeaveWaitlist
  | OfferNext
  | PlaceHold
  | ReleaseHold
  | ConfirmHold
  | BookTickets
  | CancelBooking
  | ExpireHolds
  | Reconfigure
  | PublishEvent
  | CancelEvent
  | UpsertCodes
  | EnterRoom
  | Tick;

export type BookingReply =
  | { readonly status: "created"; readonly booking: ConfirmedBooking }
  /** An earlier request with the same idempotency key made this booking. */
  | { readonly status: "replayed"; readonly bookingId: string };

export type BookOrWaitReply =
  | BookingReply
  | {
      readonly status: "waitlisted";
      readonly entryId: string;
      /** 1 for the next in line; null when the entry was served at once. */
      readonly position: number | null;
      /** The offer, when tickets were free and the entry was served in the same turn. */
      readonly offer: Hold | null;
    };

export interface EventReplies {
  JoinWaitlist: { readonly entry: WaitlistEntry; readonly position: number };
  LeaveWaitlist: { readonly ok: true };
  OfferNext: {
    readonly entryId: string;
    readonly state: "offered" | "converted";
    /** The offer hold, or null when auto mode booked instead. */
    readonly hold: Hold | null;
  };
  PlaceHold: { readonly hold: Hold };
  ReleaseHold: { readonly ok: true };
  ConfirmHold: BookingReply;
  BookTickets: BookOrWaitReply;
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
  UpsertCodes: { readonly codes: readonly CodeConfig[] };
  EnterRoom: RoomReply;
  Tick: { readonly expired: number };
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
  | { readonly type: "EventCancelled"; readonly reason: string; readonly at: number }
  | { readonly type: "CodesChanged"; readonly codes: readonly CodeConfig[]; readonly at: number }
  | { readonly type: "WaitlistJoined"; readonly entry: WaitlistEntry }
  | { readonly type: "WaitlistLeft"; readonly entryId: string; readonly at: number }
  /** Places `hold` on the entry's behalf: a normal hold, confirmed with ConfirmHold. */
  | { readonly type: "WaitlistOffered"; readonly entryId: string; readonly hold: Hold }
  /** Follows the HoldExpired (or HoldReleased) of the entry's offer hold. */
  | { readonly type: "WaitlistOfferExpired"; readonly entryId: string; readonly at: number }
  /** Follows the BookingConfirmed of the entry's offer hold. */
  | {
      readonly type: "WaitlistConverted";
      readonly entryId: string;
      readonly bookingId: string;
      readonly at: number;
    }
  /** Books directly for the entry (mode `auto`, free tickets). */
  | {
      readonly type: "WaitlistAutoBooked";
      readonly entryId: string;
      readonly booking: ConfirmedBooking;
    }
  /** The event was cancelled: every active entry ends (as expired). */
  | { readonly type: "WaitlistClosed"; readonly at: number }
  | RoomEvent;

export const idempotencyScope = (userId: string, key: string): string => `${userId}\u0000${key}`;

export const codeUseScope = (codeId: string, person: string): string => `${codeId}\u0000${person}`;
