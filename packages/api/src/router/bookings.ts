/**
 * Holds and bookings (docs/API.md "bookings"): each procedure validates, calls the engine or one
 * named db query, and maps the answer to the API's shapes.
 */
import { DomainError, InputError, normalizeEmail, UnauthorizedError } from "@boxoffice/core";
import {
  bookingsOfEvent,
  bookingsOfUser,
  codeRefOf,
  eventsWithWallet,
  findBooking,
  liveHoldsOfUser,
  principalOf,
} from "@boxoffice/db";
import type { Buyer } from "@boxoffice/engine";
import { hidingDrafts, verifiedEmailOf, visibleBooking } from "../access.ts";
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
import {
  type Context,
  createTRPCRouter,
  eventOrganizerProcedure,
  publicProcedure,
  userProcedure,
} from "../trpc.ts";

/**
 * Who buys: signed in, the account (a `buyer` is refused); signed out, the guest the input names
 * (none: UNAUTHORIZED). A guest's hold is theirs by the email given.
 */
function buyerOf(
  ctx: Context,
  buyer: { email: string; name?: string | undefined } | undefined,
): Buyer {
  if (ctx.user) {
    if (buyer) throw new InputError(["buyer"], "Signed in, you buy as yourself: leave buyer out");
    return { kind: "user", userId: ctx.user.id, email: ctx.user.email };
  }
  if (!buyer) throw new UnauthorizedError("Sign in, or give your email and name to buy as a guest");
  return {
    kind: "guest",
    email: normalizeEmail(buyer.email),
    name: buyer.name ?? "",
    ip: ctx.clientIp(),
  };
}

/** A typed code with the client IP its misses count against (read from the socket if needed). */
const codeOf = (ctx: Context, code: string | undefined) =>
  code === undefined ? undefined : { text: code, ip: ctx.clientIp };

/** The buyer as a booking shows them: the account's name and email, or the guest's. */
const buyerDtoOf = (ctx: Context, buyer: Buyer) =>
  buyer.kind === "user"
    ? { name: ctx.user?.name ?? "", email: ctx.user?.email ?? buyer.email ?? "" }
    : { name: buyer.name, email: buyer.email };

/** More live holds than one buyer can have in practice (see HOLDS_PER_BUYER_PER_MINUTE). */
const MY_HOLDS_MAX = 100;

const cursorFields = { createdAt: "number", id: "string" } as const;

function pageCursor(cursor: string | undefined) {
  const value = decodeCursor(cursor, cursorFields);
  return value ? { createdAt: value.createdAt as number, id: value.id as string } : null;
}

export const bookingsRouter = createTRPCRouter({
  hold: publicProcedure.input(holdInput).mutation(async ({ ctx, input }) => {
    const buyer = buyerOf(ctx, input.buyer);
    const hold = await hidingDrafts(ctx, ctx.user, input.eventId, () =>
      ctx.engine.hold({
        eventId: input.eventId,
        buyer,
        items: input.items ?? [],
        seatIds: input.seatIds ?? [],
        idempotencyKey: input.idempotencyKey,
        code: codeOf(ctx, input.code),
        admissionToken: input.admissionToken,
      }),
    );
    // The hold carries the code the request named (no read needed: its text is the input's).
    const code = hold.codeId && input.code ? { id: hold.codeId, code: input.code } : null;
    return holdDto(input.eventId, hold, ctx.engine.ticketTypeNames(input.eventId), code);
  }),

  getHold: publicProcedure.input(holdIdInput).query(({ ctx, input }) => {
    const hold = ctx.engine.getHold({ holdId: input.holdId, buyer: buyerOf(ctx, input.buyer) });
    const names = ctx.engine.ticketTypeNames(hold.eventId);
    return holdDto(hold.eventId, hold, names, codeRefOf(ctx.db, hold.codeId));
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
    return rows.map(({ hold, event, waitlistOffer, typeNames }) => ({
      ...holdDto(hold.eventId, hold, typeNames, codeRefOf(ctx.db, hold.codeId)),
      event: {
        title: event.title,
        startsAt: new Date(event.startsAt).toISOString(),
        timezone: event.timezone,
      },
      waitlistOffer,
    }));
  }),

  releaseHold: publicProcedure.input(holdIdInput).mutation(async ({ ctx, input }) => {
    await ctx.engine.release({ holdId: input.holdId, buyer: buyerOf(ctx, input.buyer) });
    return { ok: true as const };
  }),

  confirm: publicProcedure.input(confirmInput).mutation(async ({ ctx, input }) => {
    const buyer = buyerOf(ctx, input.buyer);
    const booked = await ctx.engine.confirm({ ...input, buyer });
    return bookedDto(booked, buyerDtoOf(ctx, buyer));
  }),

  book: publicProcedure.input(bookInput).mutation(async ({ ctx, input }) => {
    const buyer = buyerOf(ctx, input.buyer);
    if (input.joinWaitlist && buyer.kind === "guest") {
      throw new UnauthorizedError("Sign in to join a waitlist");
    }
    const outcome = await hidingDrafts(ctx, ctx.user, input.eventId, () =>
      ctx.engine.book({
        ...input,
        buyer,
        items: input.items ?? [],
        seatIds: input.seatIds ?? [],
        code: codeOf(ctx, input.code),
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
    const booking = bookedDto(outcome, buyerDtoOf(ctx, buyer));
    return { status: "confirmed" as const, booking };
  }),

  cancel: userProcedure.input(bookingIdInput).mutation(async ({ ctx, input }) => {
    const { found, own } = visibleBooking(ctx, input.bookingId, true);
    if (found.booking.status === "cancelled") {
      throw new DomainError("ALREADY_CANCELLED", "The booking is already cancelled");
    }
    const { refundCents } = await ctx.engine.cancelBooking({
      bookingId: found.booking.id,
      eventId: found.booking.eventId,
      // The actor knows a booking by its principal: a guest order the account owns by its email.
      byUserId: own ? principalOf(found.booking.userId, found.booking.buyerEmail) : ctx.user.id,
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
    const page = bookingsOfUser(
      ctx.db,
      ctx.user.id,
      input.limit,
      pageCursor(input.cursor),
      verifiedEmailOf(ctx.user),
    );
    // Whether `.pkpass` downloads exist for each: its organizer set up Wallet (one read).
    const wallet = eventsWithWallet(
      ctx.db,
      page.items.map((b) => b.booking.eventId),
    );
    return {
      items: page.items.map((b) => ({
        ...bookingDto(b),
        walletPasses: wallet.has(b.booking.eventId),
      })),
      nextCursor: page.next ? encodeCursor(page.next) : null,
    };
  }),

  forEvent: eventOrganizerProcedure.input(eventPageInput).query(({ ctx, input }) => {
    const page = bookingsOfEvent(ctx.db, ctx.event.id, input.limit, pageCursor(input.cursor));
    return {
      items: page.items.map((b) => ({
        attendee: b.booking.userId === null ? null : (page.attendees.get(b.booking.userId) ?? null),
        booking: bookingDto(b),
      })),
      nextCursor: page.next ? encodeCursor(page.next) : null,
    };
  }),
});
