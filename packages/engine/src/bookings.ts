/**
 * Holds and bookings as intentions. The actor decides; around its decision the engine charges
 * the card (outside the actor: it may be slow) for exactly the amount core's `quote` says, and
 * gives the charge back if the actor answers with anything but a new booking.
 */
import {
  type AnswerInput,
  type AttendeeInput,
  afterDueExpiries,
  type BookOrWaitReply,
  type BookTickets,
  type ConfirmedBooking,
  type ConfirmHold,
  DomainError,
  guestPrincipal,
  type Hold,
  type ItemRequest,
  mayCost,
  newId,
  normaliseCode,
  normalizeEmail,
  orderToken,
  type Payment,
  quote,
  ticketCodes,
  UnauthorizedError,
} from "@boxoffice/core";
import {
  type BookingWithLines,
  bookingIdOfHold,
  type CodeRef,
  codeRefOf,
  type Db,
  findBooking,
  findHold,
  type HoldRow,
  principalOf,
  seatLabelsOf,
} from "@boxoffice/db";
import type { CodeMisses } from "./codes.ts";
import type { PaymentProvider } from "./payments.ts";
import { RateWindow } from "./rate-window.ts";
import type { Refunds } from "./refunds.ts";
import type { EventActor } from "./registry.ts";

export interface PaymentInput {
  readonly method: "mock";
  readonly token?: string | undefined;
}

/**
 * Who buys: a signed-in account (its email, when known, is its person for the per-person
 * limits), or a guest, known by the email and name they gave and limited per client IP.
 */
export type Buyer =
  | { readonly kind: "user"; readonly userId: string; readonly email?: string | undefined }
  | {
      readonly kind: "guest";
      readonly email: string;
      readonly name: string;
      readonly ip: string;
    };

/** The actor's owner of a buyer's holds and bookings: the account, or `guest:<email>`. */
export const principalOfBuyer = (buyer: Buyer): string =>
  buyer.kind === "user" ? buyer.userId : guestPrincipal(buyer.email);

/** Whose per-person limits a buyer counts against (none known: the principal's own). */
const personOfBuyer = (buyer: Buyer): { personKey?: string } =>
  buyer.email === undefined ? {} : { personKey: normalizeEmail(buyer.email) };

const principalOfHold = (hold: HoldRow): string => principalOf(hold.userId, hold.buyerEmail);

export interface HoldRequest {
  readonly eventId: string;
  readonly buyer: Buyer;
  readonly items: readonly ItemRequest[];
  readonly seatIds: readonly string[];
  readonly idempotencyKey?: string | undefined;
  /**
   * A promo or access code as typed, with the client IP its misses count against (asked for
   * only if needed).
   */
  readonly code?: { readonly text: string; readonly ip: () => string } | undefined;
  /** The on-sale room's admission token, while the event's room is in use. */
  readonly admissionToken?: string | undefined;
}

/** Names (one per ticket, in ticket order) and answers given at checkout. */
export interface CheckoutDetails {
  readonly attendees?: readonly AttendeeInput[] | undefined;
  readonly answers?: readonly AnswerInput[] | undefined;
}

export interface BookRequest extends HoldRequest, CheckoutDetails {
  readonly joinWaitlist?: boolean | undefined;
  readonly payment?: PaymentInput | undefined;
}

export interface ConfirmRequest extends CheckoutDetails {
  readonly holdId: string;
  readonly buyer: Buyer;
  readonly idempotencyKey?: string | undefined;
  readonly payment?: PaymentInput | undefined;
}

/** A booking as the caller should see it: just made, or made earlier under the same key. */
export type Booked =
  | {
      readonly status: "created";
      readonly booking: ConfirmedBooking;
      /** What people read for its seats ("Stalls row C seat 6"), by seat id; empty without. */
      readonly seatLabels: ReadonlyMap<string, string>;
      /** Names of the event's ticket types by id, hidden ones included, as its actor has them. */
      readonly typeNames: ReadonlyMap<string, string>;
      /** The code it used (read only for bookings that used one). */
      readonly code: CodeRef | null;
    }
  | { readonly status: "existing"; readonly booking: BookingWithLines };

export type BookOutcome =
  | Booked
  | {
      readonly status: "waitlisted";
      readonly position: number | null;
      readonly offer: Hold | null;
    };

export function requestHash(value: unknown): string {
  return new Bun.CryptoHasher("sha256").update(JSON.stringify(value)).digest("base64url");
}

const quantityOf = (items: readonly ItemRequest[]) => items.reduce((n, i) => n + i.quantity, 0);

export function createBookingFlows(deps: {
  db: Db;
  now: () => number;
  payments: PaymentProvider;
  refunds: Refunds;
  actorOf: (eventId: string) => EventActor;
  limits: {
    heldTicketsPerBuyer: number;
    holdsPerBuyerPerMinute: number;
    guestHoldsPerIpPerMinute: number;
  };
  codeMisses: CodeMisses;
  /** The room entry a valid admission token names (checked by signature; no query). */
  admissionOf: (eventId: string, token: string | undefined) => string | undefined;
}) {
  const { db, now, payments, refunds, actorOf, limits, codeMisses, admissionOf } = deps;

  /**
   * The room entry to present to the actor. A token that is not valid here (forged, another
   * event's, expired) presents none: the actor refuses NOT_ADMITTED while the room is in use, and
   * needs no token once its doors are open.
   */
  const admissionFor = (req: HoldRequest): { admission?: string } => {
    const admission = admissionOf(req.eventId, req.admissionToken);
    return admission === undefined ? {} : { admission };
  };

  /** Runs a request; with a code, gated by and counting its IP's misses. */
  const withCode = <T>(code: HoldRequest["code"], attempt: () => Promise<T>): Promise<T> =>
    code ? codeMisses.guard(code.ip, attempt) : attempt();

  /** The code for the actor (normalised) and for the request's hash (only when given). */
  const codeOf = (req: HoldRequest) => (req.code ? { code: normaliseCode(req.code.text) } : {});
  const holdRate = new RateWindow(limits.holdsPerBuyerPerMinute, 60_000);
  const guestRate = new RateWindow(limits.guestHoldsPerIpPerMinute, 60_000);

  /** One more hold (or booking) of `key` in `window`'s minute, or RATE_LIMITED. */
  function takeOrRefuse(window: RateWindow, key: string, message: string): void {
    if (window.take(key, now())) return;
    const wait = Math.ceil((window.nextAllowedAt(key, now()) - now()) / 1000);
    throw new DomainError("RATE_LIMITED", message, { retryAfterSeconds: Math.max(1, wait) });
  }

  /** Signed-out holds and bookings, per client IP (GUEST_HOLDS_PER_IP_PER_MINUTE). */
  function limitGuest(buyer: Buyer): void {
    if (buyer.kind !== "guest") return;
    takeOrRefuse(
      guestRate,
      buyer.ip,
      "Too many purchases from this address in a minute; try again shortly",
    );
  }

  /** The caller's own hold as stored; someone else's looks exactly like a missing one. */
  function ownHold(holdId: string, buyer: Buyer): HoldRow {
    const held = findHold(db, holdId);
    if (!held || principalOfHold(held) !== principalOfBuyer(buyer)) {
      throw new DomainError("HOLD_NOT_FOUND", "No such hold");
    }
    return held;
  }

  /**
   * HOLD_NOT_FOUND for a hold that is gone. To its owner, a hold that was paid for also names the
   * booking it became (`details.bookingId`), so a stale checkout can point there.
   */
  function holdGone(held: HoldRow | null): DomainError {
    const bookingId =
      held?.status === "confirmed" ? bookingIdOfHold(db, held.id, principalOfHold(held)) : null;
    return new DomainError("HOLD_NOT_FOUND", "No such hold", bookingId ? { bookingId } : undefined);
  }

  function existing(bookingId: string): Booked {
    const booking = findBooking(db, bookingId);
    if (!booking) throw new Error(`Booking ${bookingId} was acknowledged but is not stored`);
    return { status: "existing", booking };
  }

  /** Charges what core quotes (nothing when refused, replayed or waiting), then asks. */
  async function chargeAndAsk<C extends ConfirmHold | BookTickets>(
    actor: EventActor,
    intent: C,
    payment: PaymentInput | undefined,
  ): Promise<BookOutcome> {
    // Nothing to charge on a free event: the decider's quote is the only one needed.
    if (intent.type === "BookTickets" && !mayCost(actor.state.config)) {
      return answered(actor, intent, await actor.ask({ ...intent, payment: null }));
    }
    // Quoted on the state the actor's turn will decide on: lapsed holds gone if the sweep is due.
    const at = now();
    const state = actor.wakeDue(at) ? afterDueExpiries(actor.state, at) : actor.state;
    const q = quote(state, intent, at);
    if (q.kind === "refused") throw q.refusal;
    if (q.kind === "bookedBefore") return existing(q.bookingId);
    let charge: Payment | null = null;
    if (q.kind === "admitted" && q.totalCents > 0) {
      charge = await payments.charge({
        method: payment?.method ?? "mock",
        token: payment?.token,
        amountCents: q.totalCents,
        currency: actor.state.config.currency,
        reference: intent.bookingId,
      });
    }
    let reply: BookOrWaitReply;
    try {
      reply = (await actor.ask({ ...intent, payment: charge })) as BookOrWaitReply;
    } catch (error) {
      if (charge) await refunds.giveBack(charge);
      throw error;
    }
    if (charge && reply.status !== "created") await refunds.giveBack(charge);
    return answered(actor, intent, reply);
  }

  /** What the decider's reply to a booking means for the caller. */
  function answered<C extends ConfirmHold | BookTickets>(
    actor: EventActor,
    intent: C,
    reply: BookOrWaitReply,
  ): BookOutcome {
    switch (reply.status) {
      case "created":
        return {
          status: "created",
          booking: reply.booking,
          seatLabels: seatLabelsOf(db, reply.booking.eventId, reply.booking.seatIds),
          // From the actor's config, not a query per booking: this is the hot path's reply.
          typeNames: new Map(actor.state.config.ticketTypes.map((t) => [t.id, t.name])),
          // A direct booking names its code's text; only a confirmed hold's is read.
          code:
            reply.booking.codeId && intent.type === "BookTickets" && intent.code
              ? { id: reply.booking.codeId, code: intent.code }
              : codeRefOf(db, reply.booking.codeId),
        };
      case "replayed":
        return existing(reply.bookingId);
      case "waitlisted":
        return { status: "waitlisted", position: reply.position, offer: reply.offer };
    }
  }

  return {
    async hold(req: HoldRequest): Promise<Hold> {
      const key = req.idempotencyKey ?? null;
      const actor = actorOf(req.eventId);
      const principal = principalOfBuyer(req.buyer);
      limitGuest(req.buyer);
      takeOrRefuse(holdRate, principal, "Too many holds in a minute; try again shortly");
      const code = codeOf(req);
      const hashed =
        code.code === undefined
          ? [req.eventId, req.items, req.seatIds]
          : [req.eventId, req.items, req.seatIds, code.code];
      const { hold } = await withCode(req.code, () =>
        actor.ask({
          type: "PlaceHold",
          holdId: newId("hold"),
          userId: principal,
          ...personOfBuyer(req.buyer),
          buyerName: req.buyer.kind === "guest" ? req.buyer.name : null,
          items: req.items,
          seatIds: req.seatIds,
          idempotencyKey: key,
          requestHash: key === null ? null : requestHash(hashed),
          heldCap: limits.heldTicketsPerBuyer,
          ...code,
          ...admissionFor(req),
        }),
      );
      return hold;
    },

    /** Forgets rate windows nobody can hit any more. */
    sweep(): void {
      holdRate.sweep(now());
      guestRate.sweep(now());
    },

    async book(req: BookRequest): Promise<BookOutcome> {
      if (req.joinWaitlist && req.buyer.kind === "guest") {
        throw new UnauthorizedError("Sign in to join a waitlist");
      }
      limitGuest(req.buyer);
      const bookingId = newId("booking");
      const intent: BookTickets = {
        type: "BookTickets",
        bookingId,
        userId: principalOfBuyer(req.buyer),
        ...personOfBuyer(req.buyer),
        buyerName: req.buyer.kind === "guest" ? req.buyer.name : null,
        orderToken: orderToken(bookingId),
        attendees: req.attendees ?? [],
        answers: req.answers ?? [],
        items: req.items,
        seatIds: req.seatIds,
        // One ticket code per ticket: per seat for seats.
        codes: ticketCodes(quantityOf(req.items) + req.seatIds.length),
        payment: null,
        idempotencyKey: req.idempotencyKey ?? null,
        // Only a retried key is compared with what it first asked for (as for holds).
        requestHash:
          req.idempotencyKey === undefined
            ? null
            : requestHash({
                eventId: req.eventId,
                items: req.items,
                seatIds: req.seatIds,
                ...codeOf(req),
              }),
        joinWaitlist: req.joinWaitlist ?? false,
        entryId: req.joinWaitlist ? newId("waitlistEntry") : undefined,
        ...codeOf(req),
        ...admissionFor(req),
      };
      return withCode(req.code, () => chargeAndAsk(actorOf(req.eventId), intent, req.payment));
    },

    async confirm(req: ConfirmRequest): Promise<Booked> {
      const held = ownHold(req.holdId, req.buyer);
      const bookingId = newId("booking");
      const intent: ConfirmHold = {
        type: "ConfirmHold",
        holdId: held.id,
        bookingId,
        userId: principalOfBuyer(req.buyer),
        // A guest may correct their name at checkout; the hold's stays otherwise.
        ...(req.buyer.kind === "guest" ? { buyerName: req.buyer.name } : {}),
        orderToken: orderToken(bookingId),
        attendees: req.attendees ?? [],
        answers: req.answers ?? [],
        codes: ticketCodes(quantityOf(held.items)),
        payment: null,
        idempotencyKey: req.idempotencyKey ?? null,
        requestHash: req.idempotencyKey === undefined ? null : requestHash({ holdId: held.id }),
      };
      try {
        return (await chargeAndAsk(actorOf(held.eventId), intent, req.payment)) as Booked;
      } catch (error) {
        // The sweep may have expired the hold a moment before (or is about to, its deadline
        // having passed): say so, not "no such hold".
        const missing = error instanceof DomainError && error.reason === "HOLD_NOT_FOUND";
        const after = missing ? findHold(db, held.id) : null;
        const lapsed = after?.status === "active" && after.expiresAt <= now();
        if (after && (after.status === "expired" || lapsed)) {
          throw new DomainError("HOLD_EXPIRED", "The hold has expired");
        }
        if (after?.status === "confirmed") throw holdGone(after);
        throw error;
      }
    },

    async release(req: { holdId: string; buyer: Buyer }): Promise<void> {
      const held = ownHold(req.holdId, req.buyer);
      await actorOf(held.eventId).ask({
        type: "ReleaseHold",
        holdId: held.id,
        userId: principalOfBuyer(req.buyer),
      });
    },

    /**
     * A live hold of the caller's, as stored; HOLD_EXPIRED or HOLD_NOT_FOUND otherwise (naming
     * the booking when it was paid for).
     */
    getHold(req: { holdId: string; buyer: Buyer }) {
      const hold = ownHold(req.holdId, req.buyer);
      if (hold.status === "expired" || (hold.status === "active" && hold.expiresAt <= now())) {
        throw new DomainError("HOLD_EXPIRED", "The hold has expired");
      }
      if (hold.status !== "active") throw holdGone(hold);
      return hold;
    },
  };
}
