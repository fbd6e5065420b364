/**
 * Orders by their secret link (docs/API.md "orders"): whoever holds the token may read the order,
 * cancel it as its buyer, and change names and answers until the event's edit cutoff. Names and
 * answers are no inventory decision, so their edits are a transaction of their own, not an actor
 * command; cancelling goes through the actor like any cancellation.
 */
import {
  type AnswerInput,
  type AttendeeInput,
  checkCheckout,
  DomainError,
  InputError,
  NotFoundError,
  orderEditableUntil,
} from "@boxoffice/core";
import {
  type BookingWithLines,
  bookingIdOfOrderToken,
  type Db,
  type EventRow,
  findBooking,
  findEventRow,
  updateOrderDetails,
} from "@boxoffice/db";
import { RateWindow } from "./rate-window.ts";

export interface Order {
  readonly booking: BookingWithLines & { readonly organizerId: string };
  readonly event: EventRow;
  /** Until when names and answers may change (the start less the edit cutoff). */
  readonly editableUntil: number;
  /** Now before `editableUntil`, the booking confirmed and the event not cancelled. */
  readonly editable: boolean;
}

export interface OrderChanges {
  readonly attendees?: readonly AttendeeInput[] | undefined;
  readonly answers?: readonly AnswerInput[] | undefined;
}

const noSuchOrder = () => new NotFoundError("No such order");

export function createOrderFlows(deps: {
  db: Db;
  now: () => number;
  limits: { orderTokenMissesPerIpPerMinute: number };
}) {
  const { db, now } = deps;
  const misses = new RateWindow(deps.limits.orderTokenMissesPerIpPerMinute, 60_000);

  /** Token guessing: an address that missed too often this minute is refused everything. */
  function refuseGuessers(ip: string): void {
    const at = now();
    const allowedAt = misses.nextAllowedAt(ip, at);
    if (allowedAt <= at) return;
    throw new DomainError("RATE_LIMITED", "Too many unknown order links; try again shortly", {
      retryAfterSeconds: Math.max(1, Math.ceil((allowedAt - at) / 1000)),
    });
  }

  function orderOf(booking: Order["booking"]): Order {
    const event = findEventRow(db, booking.booking.eventId);
    if (!event) throw noSuchOrder();
    const editableUntil = orderEditableUntil(event.startsAt, event.editCutoffHours);
    const editable =
      now() < editableUntil &&
      booking.booking.status === "confirmed" &&
      event.status !== "cancelled";
    return { booking, event, editableUntil, editable };
  }

  /** The order a token opens; NOT_FOUND (and one more miss) for any other token. */
  function open(token: string, ip: string): Order {
    refuseGuessers(ip);
    const bookingId = bookingIdOfOrderToken(db, token);
    const booking = bookingId ? findBooking(db, bookingId) : null;
    if (!booking) {
      misses.take(ip, now());
      throw noSuchOrder();
    }
    return orderOf(booking);
  }

  return {
    open,

    /**
     * Replaces the attendees and/or the answers given, checked like at checkout against the
     * event's current settings and questions (answers keep the labels they are given under).
     */
    update(order: Order, changes: OrderChanges): Order {
      if (!order.editable) {
        throw new DomainError("EDIT_CLOSED", "Names and answers can no longer be changed");
      }
      const { booking, event } = order;
      const types = booking.tickets.map((t) => t.ticketTypeId);
      const current = {
        attendees: booking.tickets.map((t) => ({
          name: t.attendeeName ?? "",
          email: t.attendeeEmail,
        })),
        answers: booking.answers.map((a) => ({
          questionId: a.questionId,
          ticketIndex: a.ticketIndex,
          value: a.value,
        })),
      };
      const named = booking.tickets.some((t) => t.attendeeName !== null);
      const checked = checkCheckout(
        {
          guestCheckout: event.guestCheckout,
          personalizedTickets: event.personalizedTickets,
          editCutoffHours: event.editCutoffHours,
          questions: event.questions,
        },
        types,
        changes.attendees ?? (named ? current.attendees : []),
        changes.answers ?? current.answers,
      );
      // Only the parts being replaced are checked: an answer given under a question since
      // removed does not keep the buyer from fixing a name.
      const issues = checked.issues.filter((i) =>
        i.path.startsWith("attendees")
          ? changes.attendees !== undefined
          : changes.answers !== undefined,
      );
      if (issues.length > 0) throw new InputError(issues);
      updateOrderDetails(
        db,
        booking.booking.id,
        changes.attendees === undefined ? null : checked.attendees,
        changes.answers === undefined ? null : checked.answers,
        now(),
      );
      const after = findBooking(db, booking.booking.id);
      if (!after) throw noSuchOrder();
      return orderOf(after);
    },

    /** Forgets miss windows nobody can hit any more. */
    sweep(): void {
      misses.sweep(now());
    },
  };
}
