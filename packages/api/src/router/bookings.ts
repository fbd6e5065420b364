/**
 * Holds and bookings (docs/API.md "bookings"): each procedure validates, calls the engine or one
 * named db query, and maps the answer to the API's shapes.
 */
import { DomainError, NotFoundError } from "@boxoffice/core";
import { bookingsOfEvent, bookingsOfUser, findBooking, liveHoldsOfUser } from "@boxoffice/db";
import { hidingDrafts, mayManage } from "../access.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import { bookedDto, bookingDto, holdDto } from "../dto/booking.ts";
import {
  bookInput,
  bookingIdInput,
  confirmInput,
  eventPageInput,
  holdIdInput,
  holdInput,
  myHoldsInput,
  pageInput,
} from "../schemas/bookings.ts";
import { type Context, createTRPCRouter, eventOrganizerProcedure, userProcedure } from "../trpc.ts";

type Signed = Context & { user: NonNullable<Context["user"]> };

/**
 * The booking if the caller owns it or (with `allowOrganizer`) runs its event; NOT_FOUND
 * otherwise, so ids leak nothing.
 */
function visibleBooking(ctx: Signed, bookingId: string, allowOrganizer: boolean) {
  const found = findBooking(ctx.db, bookingId);
  const own = found?.booking.userId === ctx.user.id;
  const organizer = allowOrganizer && found !== null && mayManage(ctx.user, found.organizerId);
  if (!found || !(own || organizer)) throw new NotFoundError("No such booking");
  return { found, own };
}

/** More live holds than one buyer can have in practice (see HOLDS_PER_BUYER_PER_MINUTE). */
const MY_HOLDS_MAX = 100;

const cursorFields = { createdAt: "number", id: "string" } as const;

function pageCursor(cursor: string | undefined) {
  const value = decodeCursor(cursor, cursorFields);
  return value ? { createdAt: value.createdAt as number, id: value.id as string } : null;
}

export const bookingsRouter = createTRPCRouter({
  hold: userProcedure.input(holdInput).mutation(async ({ ctx, input }) => {
    const hold = await hidingDrafts(ctx, ctx.user, input.eventId, () =>
      ctx.engine.hold({
        eventId: input.eventId,
        userId: ctx.user.id,
        items: input.items ?? [],
        seatIds: input.seatIds ?? [],
        idempotencyKey: input.idempotencyKey,
      }),
    );
    return holdDto(input.eventId, hold);
  }),

  getHold: userProcedure.input(holdIdInput).query(({ ctx, input }) => {
    const hold = ctx.engine.getHold({ holdId: input.holdId, userId: ctx.user.id });
    return holdDto(hold.eventId, hold);
  }),

  /** The caller's holds still live, soonest to lapse first: what they can still pay for. */
  myHolds: userProcedure.input(myHoldsInput).query(({ ctx, input }) => {
    const rows = liveHoldsOfUser(
      ctx.db,
      ctx.user.id,
      ctx.clock.now(),
      input.eventId ?? null,
      MY_HOLDS_MAX,
    );
    return rows.map(({ hold, event, waitlistOffer }) => ({
      ...holdDto(hold.eventId, hold),
      event: {
        title: event.title,
        startsAt: new Date(event.startsAt).toISOString(),
        timezone: event.timezone,
      },
      waitlistOffer,
    }));
  }),

  releaseHold: userProcedure.input(holdIdInput).mutation(async ({ ctx, input }) => {
    await ctx.engine.release({ holdId: input.holdId, userId: ctx.user.id });
    return { ok: true as const };
  }),

  confirm: userProcedure.input(confirmInput).mutation(async ({ ctx, input }) => {
    return bookedDto(await ctx.engine.confirm({ ...input, userId: ctx.user.id }));
  }),

  book: userProcedure.input(bookInput).mutation(async ({ ctx, input }) => {
    const outcome = await hidingDrafts(ctx, ctx.user, input.eventId, () =>
      ctx.engine.book({
        ...input,
        userId: ctx.user.id,
        items: input.items ?? [],
        seatIds: input.seatIds ?? [],
      }),
    );
    if (outcome.status === "waitlisted") {
      const { position, offer } = outcome;
      return {
        status: "waitlisted" as const,
        position,
        offer: offer
          ? { holdId: offer.id, expiresAt: new Date(offer.expiresAt).toISOString() }
          : null,
      };
    }
    return { status: "confirmed" as const, booking: bookedDto(outcome) };
  }),

  cancel: userProcedure.input(bookingIdInput).mutation(async ({ ctx, input }) => {
    const { found, own } = visibleBooking(ctx, input.bookingId, true);
    if (found.booking.status === "cancelled") {
      throw new DomainError("ALREADY_CANCELLED", "The booking is already cancelled");
    }
    const { refundCents } = await ctx.engine.cancelBooking({
      bookingId: found.booking.id,
      eventId: found.booking.eventId,
      byUserId: ctx.user.id,
      byOrganizer: !own,
    });
    const after = findBooking(ctx.db, found.booking.id);
    if (!after) throw new Error("A cancelled booking vanished");
    return { booking: bookingDto(after), refundCents };
  }),

  refundQuote: userProcedure.input(bookingIdInput).query(({ ctx, input }) => {
    const { found } = visibleBooking(ctx, input.bookingId, false);
    if (found.booking.status === "cancelled") {
      throw new DomainError("ALREADY_CANCELLED", "The booking is already cancelled");
    }
    return ctx.engine.refundQuote(found.booking);
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

  forEvent: eventOrganizerProcedure.input(eventPageInput).query(({ ctx, input }) => {
    const page = bookingsOfEvent(ctx.db, ctx.event.id, input.limit, pageCursor(input.cursor));
    return {
      items: page.items.map((b) => ({
        attendee: page.attendees.get(b.booking.userId) ?? null,
        booking: bookingDto(b),
      })),
      nextCursor: page.next ? encodeCursor(page.next) : null,
    };
  }),
});
