import {
  availability,
  DomainError,
  type EventState,
  quoteRefund,
  seatLines,
} from "@boxoffice/core";
import {
  bookingsOfEvent,
  bookingsOfUser,
  eventOwner,
  findBooking,
  findHold,
  findPayment,
  recordRefundRef,
} from "@boxoffice/db";
import { TRPCError } from "@trpc/server";
import { randomString } from "../auth/session.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import { bookingDto, holdDto } from "../dto/booking.ts";
import { actorFor, bookTickets, confirmHold } from "../engine/booking-flow.ts";
import {
  bookInput,
  bookingIdInput,
  confirmInput,
  eventPageInput,
  holdIdInput,
  holdInput,
  pageInput,
} from "../schemas/bookings.ts";
import { type Context, createTRPCRouter, userProcedure } from "../trpc.ts";
import { joinWaitlist } from "./waitlist.ts";

type Signed = Context & { user: NonNullable<Context["user"]> };

/**
 * For `book` with `joinWaitlist` on a seated event: the section the seats belong to (null when
 * they span several), if it has fewer free seats than were asked for. Taken seats in a section
 * with room elsewhere are not a sell-out: the buyer should pick other seats, not queue.
 */
function seatedSoldOut(state: EventState, seatIds: readonly string[]) {
  const { seating } = state;
  if (!seating || seatIds.length === 0) return null;
  const types = new Set(seatLines(state.config, seating, seatIds).map((l) => l.ticketTypeId));
  const ticketTypeId = types.size === 1 ? ([...types][0] ?? null) : null;
  const figures = availability(state);
  const free =
    ticketTypeId === null
      ? figures.available
      : (figures.byType.find((t) => t.id === ticketTypeId)?.available ?? 0);
  return free < seatIds.length ? { ticketTypeId } : null;
}

const holdNotFound = () => new DomainError("HOLD_NOT_FOUND", "No such hold");
const holdExpired = () => new DomainError("HOLD_EXPIRED", "The hold has expired");

/** A hold of the caller's, wherever it is; someone else's looks exactly like a missing one. */
function ownHold(ctx: Signed, holdId: string) {
  const hold = findHold(ctx.db, holdId);
  if (!hold || hold.userId !== ctx.user.id) throw holdNotFound();
  return hold;
}

const isOrganizerOf = (ctx: Signed, eventId: string) =>
  ctx.user.role === "admin" || eventOwner(ctx.db, eventId)?.organizerId === ctx.user.id;

/** The booking if the caller owns it or runs its event; NOT_FOUND otherwise, so ids leak nothing. */
function visibleBooking(ctx: Signed, bookingId: string, allowOrganizer: boolean) {
  const found = findBooking(ctx.db, bookingId);
  const own = found?.booking.userId === ctx.user.id;
  if (!found || (!own && !(allowOrganizer && isOrganizerOf(ctx, found.booking.eventId)))) {
    throw new TRPCError({ code: "NOT_FOUND", message: "No such booking" });
  }
  return { found, own };
}

const cursorFields = { createdAt: "number", id: "string" } as const;

function pageCursor(cursor: string | undefined) {
  const value = decodeCursor(cursor, cursorFields);
  return value ? { createdAt: value.createdAt as number, id: value.id as string } : null;
}

export const bookingsRouter = createTRPCRouter({
  hold: userProcedure.input(holdInput).mutation(async ({ ctx, input }) => {
    const actor = actorFor(ctx, input.eventId);
    const { hold } = await actor.ask({
      type: "PlaceHold",
      holdId: `hld_${randomString()}`,
      userId: ctx.user.id,
      items: input.items ?? [],
      seatIds: input.seatIds ?? [],
    });
    return holdDto(input.eventId, hold);
  }),

  getHold: userProcedure.input(holdIdInput).query(({ ctx, input }) => {
    const hold = ownHold(ctx, input.holdId);
    if (
      hold.status === "expired" ||
      (hold.status === "active" && hold.expiresAt <= ctx.clock.now())
    ) {
      throw holdExpired();
    }
    if (hold.status !== "active") throw holdNotFound();
    return holdDto(hold.eventId, hold);
  }),

  releaseHold: userProcedure.input(holdIdInput).mutation(async ({ ctx, input }) => {
    const hold = ownHold(ctx, input.holdId);
    return actorFor(ctx, hold.eventId).ask({
      type: "ReleaseHold",
      holdId: hold.id,
      userId: ctx.user.id,
    });
  }),

  confirm: userProcedure.input(confirmInput).mutation(async ({ ctx, input }) => {
    const hold = ownHold(ctx, input.holdId);
    try {
      return await confirmHold(ctx, actorFor(ctx, hold.eventId), input);
    } catch (error) {
      // The sweep may have expired the hold a moment before: say so, not "no such hold".
      const refusedAsMissing = error instanceof DomainError && error.reason === "HOLD_NOT_FOUND";
      if (refusedAsMissing && findHold(ctx.db, hold.id)?.status === "expired") throw holdExpired();
      throw error;
    }
  }),

  book: userProcedure.input(bookInput).mutation(async ({ ctx, input }) => {
    const actor = actorFor(ctx, input.eventId);
    try {
      const booking = await bookTickets(ctx, actor, input);
      return { status: "confirmed" as const, booking };
    } catch (error) {
      const soldOut = error instanceof DomainError && error.reason === "SOLD_OUT";
      const seatsGone = input.seatIds !== undefined && seatedSoldOut(actor.state, input.seatIds);
      if (!(soldOut || seatsGone) || !input.joinWaitlist || !actor.state.config.waitlist.enabled)
        throw error;
      // An entry asks for one type or any: a single-type request keeps its type, a mixed one
      // waits for the same number of tickets of whichever type frees up.
      const items = input.items ?? [];
      const only = seatsGone
        ? seatsGone.ticketTypeId
        : items.length === 1
          ? (items[0]?.ticketTypeId ?? null)
          : null;
      const quantity = seatsGone
        ? (input.seatIds?.length ?? 1)
        : items.reduce((sum, i) => sum + i.quantity, 0);
      const { position } = await joinWaitlist(ctx, actor, { ticketTypeId: only, quantity });
      return { status: "waitlisted" as const, position };
    }
  }),

  cancel: userProcedure.input(bookingIdInput).mutation(async ({ ctx, input }) => {
    const { found, own } = visibleBooking(ctx, input.bookingId, true);
    if (found.booking.status === "cancelled") {
      throw new DomainError("ALREADY_CANCELLED", "The booking is already cancelled");
    }
    const reply = await actorFor(ctx, found.booking.eventId).ask({
      type: "CancelBooking",
      bookingId: found.booking.id,
      byUserId: ctx.user.id,
      byOrganizer: !own,
    });
    const payment = reply.refundCents > 0 ? findPayment(ctx.db, found.booking.id) : null;
    if (payment) {
      const refund = await ctx.payments.refund({
        ref: payment.providerRef,
        amountCents: reply.refundCents,
      });
      recordRefundRef(ctx.db, found.booking.id, refund.ref);
    }
    const after = findBooking(ctx.db, found.booking.id);
    if (!after) throw new Error("A cancelled booking vanished");
    return { booking: bookingDto(after), refundCents: reply.refundCents };
  }),

  refundQuote: userProcedure.input(bookingIdInput).query(({ ctx, input }) => {
    const { found } = visibleBooking(ctx, input.bookingId, false);
    if (found.booking.status === "cancelled") {
      throw new DomainError("ALREADY_CANCELLED", "The booking is already cancelled");
    }
    const { config } = actorFor(ctx, found.booking.eventId).state;
    return quoteRefund(
      config.cancellationPolicy,
      found.booking.paidCents,
      config.startsAt,
      ctx.clock.now(),
    );
  }),

  get: userProcedure.input(bookingIdInput).query(({ ctx, input }) => {
    return bookingDto(visibleBooking(ctx, input.bookingId, true).found);
  }),

  mine: userProcedure.input(pageInput).query(({ ctx, input }) => {
    const page = bookingsOfUser(ctx.db, ctx.user.id, input.limit, pageCursor(input.cursor));
    return {
      items: page.items.map(bookingDto),
      nextCursor: page.next ? encodeCursor(page.next) : null,
    };
  }),

  forEvent: userProcedure.input(eventPageInput).query(({ ctx, input }) => {
    if (!eventOwner(ctx.db, input.eventId))
      throw new TRPCError({ code: "NOT_FOUND", message: "No such event" });
    if (!isOrganizerOf(ctx, input.eventId)) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: "Only the event's organizer can see its attendees",
      });
    }
    const page = bookingsOfEvent(ctx.db, input.eventId, input.limit, pageCursor(input.cursor));
    return {
      items: page.items.map((b) => ({
        attendee: page.attendees.get(b.booking.userId) ?? null,
        booking: bookingDto(b),
      })),
      nextCursor: page.next ? encodeCursor(page.next) : null,
    };
  }),
});
