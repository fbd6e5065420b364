/**
 * The booking engine: the only code that talks to event actors. Routers call its intentions
 * (hold, book, confirm, cancel, waitlist moves, reconfigure, ...) and its read views; they never
 * see an actor, its state, the registry or the payment provider.
 *
 *   request → router → engine → actor (decide → group commit) → reply
 *                            ↘ views: actor in memory, else SQLite (never loads an actor)
 */
import {
  type Clock,
  DomainError,
  type EventConfig,
  type EventDetails,
  type EventEvent,
  type Journal,
  NotFoundError,
  newId,
  normalizeEmail,
  quoteRefund,
  type Timer,
} from "@boxoffice/core";
import {
  checkinQueries,
  type Db,
  type DeleteDraftResult,
  deleteDraftEvent,
  findEventRow,
  liveHoldDeadlines,
  principalOf,
  roomsInUse,
} from "@boxoffice/db";
import { createBookingFlows } from "./bookings.ts";
import { CodeMisses, createCodeFlows } from "./codes.ts";
import { type LiveFeed, liveFeed } from "./live.ts";
import { withLongTimers } from "./long-timers.ts";
import { createOrderFlows, type Order } from "./orders.ts";
import type { PaymentProvider } from "./payments.ts";
import { createRefunds, type EngineLogger } from "./refunds.ts";
import { type EventActor, EventRegistry } from "./registry.ts";
import { createRoom } from "./room.ts";
import { RoomPresence } from "./room-presence.ts";
import { createViews } from "./views.ts";

export interface EngineOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly journal: Journal<EventEvent>;
  readonly payments: PaymentProvider;
  readonly logger: EngineLogger;
  /** Commands decided and committed together; 1 commits each command on its own. */
  readonly maxBatch?: number;
  readonly mailboxSize?: number;
  /** An actor with no live holds and nobody waiting, idle this long, leaves memory. */
  readonly idleMs?: number;
  /** How long live subscriptions coalesce changes. */
  readonly liveDebounceMs?: number;
  /** At most one on-sale room status (and stats) message per this long. */
  readonly roomFeedMs?: number;
  readonly limits?: Partial<EngineLimits>;
}

/** What one buyer may take of an event (README "Security"). */
export interface EngineLimits {
  /** Tickets one buyer may hold at once per event when the organizer set no maxPerUser. */
  readonly heldTicketsPerBuyer: number;
  /** Hold requests per buyer per minute, across events. */
  readonly holdsPerBuyerPerMinute: number;
  /** Commands of one buyer that may wait in an event's mailbox at once. */
  readonly queuedPerBuyer: number;
  /** Signed-out hold and book calls per client IP per minute. */
  readonly guestHoldsPerIpPerMinute: number;
  /** Unknown order tokens one client IP may try in a minute. */
  readonly orderTokenMissesPerIpPerMinute: number;
  /** Unknown promo or access codes one client IP may try in a minute. */
  readonly codeMissesPerIpPerMinute: number;
}

export const DEFAULT_ENGINE_LIMITS: EngineLimits = {
  heldTicketsPerBuyer: 10,
  holdsPerBuyerPerMinute: 20,
  queuedPerBuyer: 16,
  guestHoldsPerIpPerMinute: 30,
  orderTokenMissesPerIpPerMinute: 20,
  codeMissesPerIpPerMinute: 20,
};

const noSuchEvent = () => new NotFoundError("No such event");

/**
 * After a restart, nothing would expire the holds (and waitlist offers) of events nobody touches:
 * each event with live holds gets its actor loaded when its earliest hold is due (at once for
 * holds that lapsed while the server was down), and the actor's own timer takes it from there.
 */
function wakeEventsWithLiveHolds(db: Db, clock: Clock, registry: EventRegistry): Timer[] {
  return liveHoldDeadlines(db).map(({ eventId, expiresAt }) =>
    clock.setTimer(expiresAt, () => {
      registry.get(eventId);
    }),
  );
}

/**
 * The same for on-sale rooms: a room in use draws its lottery at opening and admits buyers by its
 * actor's timer, so its actor is loaded at its opening (at once if that has passed) even if
 * nobody asks; from then on the actor stays while its room is in use.
 */
function wakeRoomsInUse(db: Db, clock: Clock, registry: EventRegistry): Timer[] {
  return roomsInUse(db).map(({ eventId, opensAt }) =>
    clock.setTimer(Math.max(opensAt ?? 0, clock.now()), () => {
      registry.get(eventId);
    }),
  );
}

export function createEngine(options: EngineOptions) {
  const { db, logger } = options;
  // Actors wake for holds (minutes) and rooms (their opening may be months away).
  const clock = withLongTimers(options.clock);
  const limits = { ...DEFAULT_ENGINE_LIMITS, ...options.limits };
  const now = () => clock.now();
  const presence = new RoomPresence(now);
  const registry = new EventRegistry({
    presence,
    db,
    clock,
    journal: options.journal,
    maxBatch: options.maxBatch,
    mailboxSize: options.mailboxSize,
    idleMs: options.idleMs,
    perBuyerQueued: limits.queuedPerBuyer,
    onError: (eventId, error) => logger.error("event actor error", { eventId, error }),
  });
  const actorOf = (eventId: string): EventActor => {
    const actor = registry.get(eventId);
    if (!actor) throw noSuchEvent();
    return actor;
  };
  const refunds = createRefunds({ db, payments: options.payments, now, logger });
  const views = createViews(db, registry, now);
  const room = createRoom({
    db,
    now,
    registry,
    actorOf,
    presence,
    feedMs: options.roomFeedMs ?? 1_000,
    availabilities: views.availabilities,
  });
  const codeMisses = new CodeMisses(limits.codeMissesPerIpPerMinute, now);
  const bookings = createBookingFlows({
    db,
    now,
    payments: options.payments,
    refunds,
    actorOf,
    limits,
    codeMisses,
    admissionOf: room.flows.admissionOf,
  });
  const codes = createCodeFlows({ now, actorOf, misses: codeMisses });
  const orders = createOrderFlows({ db, now, limits });
  const wakeUps = [
    ...wakeEventsWithLiveHolds(db, clock, registry),
    ...wakeRoomsInUse(db, clock, registry),
  ];

  /**
   * A booking with a ticket scanned at the door was used: its attendee may not cancel it for a
   * refund (its organizer still may). Check-in is a conditional UPDATE outside the actor (it
   * touches no inventory), so the actor's state does not know it: the rule reads the stored
   * tickets before asking the actor. A scan landing between this read and the actor's commit is
   * not seen; that window is the mailbox wait of one cancellation, which a person at the door
   * cancelling at that very instant would need to hit.
   */
  function refuseIfCheckedIn(bookingId: string): void {
    if (checkinQueries(db).bookingCheckedIn(bookingId)) {
      throw new DomainError(
        "ALREADY_CHECKED_IN",
        "A ticket of this booking was checked in at the door: only the organizer can cancel it",
      );
    }
  }

  async function cancelBooking(req: {
    bookingId: string;
    eventId: string;
    byUserId: string;
    /** Organizer (and admin) cancellations refund in full. */
    byOrganizer: boolean;
  }): Promise<{ refundCents: number; feeCents: number }> {
    if (!req.byOrganizer) refuseIfCheckedIn(req.bookingId);
    const reply = await actorOf(req.eventId).ask({
      type: "CancelBooking",
      bookingId: req.bookingId,
      byUserId: req.byUserId,
      byOrganizer: req.byOrganizer,
    });
    await refunds.afterCancel([req.bookingId]);
    return { refundCents: reply.refundCents, feeCents: reply.feeCents };
  }

  return {
    ...bookings,
    ...views,
    codes,
    room: room.flows,

    /** The order a secret link opens, and what its holder may do with it. */
    orders: {
      open: orders.open,
      update: orders.update,
      /** Cancels the order as its buyer would (the policy's refund; not once used at the door). */
      cancel(order: Order) {
        const { booking } = order.booking;
        return cancelBooking({
          bookingId: booking.id,
          eventId: booking.eventId,
          byUserId: principalOf(booking.userId, booking.buyerEmail),
          byOrganizer: false,
        });
      },
    },

    cancelBooking,

    /**
     * What cancelling this booking now would refund, by its event's policy (no actor needed);
     * ALREADY_CHECKED_IN once it was used at the door, as its attendee's cancellation would be.
     */
    refundQuote(booking: { id: string; eventId: string; paidCents: number }) {
      refuseIfCheckedIn(booking.id);
      const row = findEventRow(db, booking.eventId);
      if (!row) throw noSuchEvent();
      return quoteRefund(row.cancellationPolicy, booking.paidCents, row.startsAt, now());
    },

    async joinWaitlist(req: {
      eventId: string;
      userId: string;
      /** The account's email: its person for the per-person limits. */
      email?: string;
      ticketTypeId: string | null;
      quantity: number;
    }): Promise<{ position: number }> {
      const { email, ...rest } = req;
      const { position } = await actorOf(req.eventId).ask({
        type: "JoinWaitlist",
        entryId: newId("waitlistEntry"),
        ...rest,
        ...(email === undefined ? {} : { personKey: normalizeEmail(email) }),
      });
      return { position };
    },

    async leaveWaitlist(req: { eventId: string; userId: string }): Promise<void> {
      await actorOf(req.eventId).ask({ type: "LeaveWaitlist", userId: req.userId });
    },

    /** The organizer's nudge: serve the earliest waiting entry that fits what is free. */
    offerNext(eventId: string) {
      return actorOf(eventId).ask({ type: "OfferNext" });
    },

    /**
     * Changes an event's configuration. `change` gets the configuration the actor holds now and
     * returns the whole new one; the actor refuses capacities below what is sold or held.
     */
    async reconfigure(
      eventId: string,
      change: (current: EventConfig) => { config: EventConfig; details: EventDetails },
    ): Promise<void> {
      const actor = actorOf(eventId);
      const { config, details } = change(actor.state.config);
      await actor.ask({ type: "Reconfigure", config, details });
    },

    /**
     * Deletes a draft (its rows, with its actor out of memory meanwhile). Anything but a draft
     * without holds, bookings or waitlist entries stays as it is; the answer says why.
     */
    deleteDraft(eventId: string): Promise<DeleteDraftResult> {
      return registry.withoutActor(
        eventId,
        (state) => state.config.status === "draft",
        () => deleteDraftEvent(db, eventId),
      );
    },

    async publish(eventId: string): Promise<void> {
      await actorOf(eventId).ask({ type: "PublishEvent" });
    },

    /** Cancels the event: every booking refunded in full, holds and waitlist dropped. */
    async cancelEvent(req: {
      eventId: string;
      reason: string;
      byUserId: string;
    }): Promise<{ refundedBookings: number }> {
      const { refunds: cancelled } = await actorOf(req.eventId).ask({
        type: "CancelEvent",
        reason: req.reason,
        byUserId: req.byUserId,
      });
      await refunds.afterCancel(cancelled.map((r) => r.bookingId));
      return { refundedBookings: cancelled.length };
    },

    /** Committed changes as views, for live subscriptions (this does load the actor). */
    live(eventId: string, signal: AbortSignal | undefined): LiveFeed {
      return liveFeed(registry, actorOf(eventId), signal, options.liveDebounceMs ?? 250);
    },

    /** Actors in memory now. */
    get loadedActors(): number {
      return registry.size;
    },

    /** Whether this event's actor is in memory. */
    isLoaded(eventId: string): boolean {
      return registry.peek(eventId) !== undefined;
    },

    /** Drops actors idle long enough, with nothing live and nobody listening; how many. */
    evictIdle(): number {
      return registry.evictIdle();
    },

    /** Periodic upkeep: idle actors leave memory, failed refunds are tried again. */
    async housekeeping(): Promise<void> {
      registry.evictIdle();
      bookings.sweep();
      orders.sweep();
      codeMisses.sweep();
      room.sweep();
      await refunds.retryDue();
    },

    /** Stops taking commands and waits for every mailbox to drain. */
    stop(): Promise<void> {
      for (const timer of wakeUps) timer.cancel();
      return registry.stop();
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;
