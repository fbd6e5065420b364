/**
 * Orders by their secret link (docs/API.md "orders"): public, the token is the key. A wrong
 * token is NOT_FOUND exactly like a missing order, and guessing is limited per client IP.
 */
import { DomainError } from "@boxoffice/core";
import { eventsWithWallet } from "@boxoffice/db";
import type { Order } from "@boxoffice/engine";
import { bookingDto } from "../dto/booking.ts";
import { questionDto } from "../dto/event.ts";
import { orderTokenInput, orderUpdateInput } from "../schemas/checkout.ts";
import { createTRPCRouter, publicProcedure } from "../trpc.ts";

const iso = (ms: number) => new Date(ms).toISOString();

function orderDto({ booking, event, editableUntil, editable }: Order) {
  return {
    booking: bookingDto(booking),
    event: {
      id: event.id,
      title: event.title,
      startsAt: iso(event.startsAt),
      endsAt: event.endsAt === null ? null : iso(event.endsAt),
      timezone: event.timezone,
      venueName: event.venueName,
      status: event.status,
      personalizedTickets: event.personalizedTickets,
      questions: event.questions.map(questionDto),
    },
    editableUntil: iso(editableUntil),
    editable,
  };
}

const alreadyCancelled = () =>
  new DomainError("ALREADY_CANCELLED", "The booking is already cancelled");

export const ordersRouter = createTRPCRouter({
  get: publicProcedure.input(orderTokenInput).query(({ ctx, input }) => {
    const order = ctx.engine.orders.open(input.orderToken, ctx.clientIp());
    // Whether `/files/orders/<token>/<code>.pkpass` exists: the organizer set up Wallet.
    const walletPasses = eventsWithWallet(ctx.db, [order.event.id]).size > 0;
    return { ...orderDto(order), walletPasses };
  }),

  refundQuote: publicProcedure.input(orderTokenInput).query(({ ctx, input }) => {
    const { booking } = ctx.engine.orders.open(input.orderToken, ctx.clientIp()).booking;
    if (booking.status === "cancelled") throw alreadyCancelled();
    return ctx.engine.refundQuote(booking);
  }),

  cancel: publicProcedure.input(orderTokenInput).mutation(async ({ ctx, input }) => {
    const order = ctx.engine.orders.open(input.orderToken, ctx.clientIp());
    if (order.booking.booking.status === "cancelled") throw alreadyCancelled();
    const { refundCents } = await ctx.engine.orders.cancel(order);
    const after = ctx.engine.orders.open(input.orderToken, ctx.clientIp());
    return { booking: bookingDto(after.booking), refundCents };
  }),

  update: publicProcedure.input(orderUpdateInput).mutation(({ ctx, input }) => {
    const order = ctx.engine.orders.open(input.orderToken, ctx.clientIp());
    return orderDto(ctx.engine.orders.update(order, input));
  }),
});
