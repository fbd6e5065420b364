/**
 * Booking orchestration around the event actor: payment is charged outside the actor (it may be
 * slow), the actor then decides; whatever the actor refuses, or already did under the same
 * idempotency key, is refunded.
 */
import {
  type BookingReply,
  type BookTickets,
  type ConfirmHold,
  decide,
  type ItemRequest,
  idempotencyScope,
  type LineItem,
  type Payment,
  seatLines,
} from "@boxoffice/core";
import { findBooking } from "@boxoffice/db";
import { TRPCError } from "@trpc/server";
import { randomString } from "../auth/session.ts";
import { type BookingDto, bookingDto, confirmedBookingDto } from "../dto/booking.ts";
import type { Context } from "../trpc.ts";
import type { EventActor } from "./registry.ts";

export interface PaymentInput {
  readonly method: "mock";
  readonly token?: string | undefined;
}

export function actorFor(ctx: Context, eventId: string): EventActor {
  const actor = ctx.registry.get(eventId);
  if (!actor) throw new TRPCError({ code: "NOT_FOUND", message: "No such event" });
  return actor;
}

/** Ticket codes: 20 symbols of a 32-letter alphabet = 100 random bits, unguessable at the door. */
export function drawCodes(count: number): string[] {
  return Array.from({ length: count }, () => randomString(20).toUpperCase());
}

export function requestHash(value: unknown): string {
  return new Bun.CryptoHasher("sha256").update(JSON.stringify(value)).digest("base64url");
}

export function newBookingId(): string {
  return `bkg_${randomString()}`;
}

/** The booking an earlier request with this key made, if the actor knows the key. */
function replayed(actor: EventActor, userId: string, key: string | undefined, hash: string) {
  if (key === undefined) return null;
  const seen = actor.state.idempotency.get(idempotencyScope(userId, key));
  if (!seen) return null;
  if (seen.requestHash !== hash) {
    throw new TRPCError({
      code: "CONFLICT",
      message: "This idempotencyKey was already used for a different request",
    });
  }
  return seen.bookingId;
}

function readBooking(ctx: Context, bookingId: string): BookingDto {
  const found = findBooking(ctx.db, bookingId);
  if (!found) throw new Error(`Booking ${bookingId} was acknowledged but is not in the database`);
  return bookingDto(found);
}

type Intent = Omit<ConfirmHold, "payment"> | Omit<BookTickets, "payment">;

/**
 * Charges `amountCents` (when not free), asks the actor, and refunds the charge if the actor
 * refused or answered with an earlier booking. Returns the booking as the client should see it.
 */
async function chargeAndAsk(
  ctx: Context,
  actor: EventActor,
  intent: Intent,
  amountCents: number,
  payment: PaymentInput | undefined,
): Promise<BookingDto> {
  const earlier = replayed(
    actor,
    intent.userId,
    intent.idempotencyKey ?? undefined,
    intent.requestHash ?? "",
  );
  if (earlier) return readBooking(ctx, earlier);
  let charge: Payment | null = null;
  if (amountCents > 0) {
    // A dry run on the committed state: no card is charged for what is certain to be refused.
    const dryRun = decide(
      actor.state,
      { ...intent, payment: { provider: "dry-run", ref: "", amountCents } } as
        | ConfirmHold
        | BookTickets,
      ctx.clock.now(),
    );
    if (dryRun.reply instanceof Error) throw dryRun.reply;
    charge = await ctx.payments.charge({
      method: payment?.method ?? "mock",
      token: payment?.token,
      amountCents,
      currency: actor.state.config.currency,
      reference: intent.bookingId,
    });
  }
  let reply: BookingReply;
  try {
    reply = await actor.ask({ ...intent, payment: charge } as ConfirmHold | BookTickets);
  } catch (error) {
    if (charge) await refundQuietly(ctx, charge);
    throw error;
  }
  if (reply.created) return confirmedBookingDto(reply.booking);
  if (charge) await refundQuietly(ctx, charge);
  return readBooking(ctx, reply.bookingId);
}

async function refundQuietly(ctx: Context, charge: Payment): Promise<void> {
  try {
    await ctx.payments.refund({ ref: charge.ref, amountCents: charge.amountCents });
  } catch (error) {
    // The booking outcome stands; a failed refund of an unused charge is for an operator to see.
    ctx.logger.error("refund of an unused charge failed", {
      requestId: ctx.requestId,
      ref: charge.ref,
      error,
    });
  }
}

export async function confirmHold(
  ctx: Context & { user: { id: string } },
  actor: EventActor,
  input: {
    holdId: string;
    idempotencyKey?: string | undefined;
    payment?: PaymentInput | undefined;
  },
): Promise<BookingDto> {
  const live = actor.state.holds.get(input.holdId);
  const quantity = live?.items.reduce((sum, i) => sum + i.quantity, 0) ?? 0;
  const intent: Omit<ConfirmHold, "payment"> = {
    type: "ConfirmHold",
    holdId: input.holdId,
    bookingId: newBookingId(),
    userId: ctx.user.id,
    codes: drawCodes(quantity),
    idempotencyKey: input.idempotencyKey ?? null,
    requestHash: requestHash({ holdId: input.holdId }),
  };
  // Someone else's hold costs nothing here: the actor answers HOLD_NOT_FOUND before any charge.
  const amount = live && live.userId === ctx.user.id ? live.totalCents : 0;
  return chargeAndAsk(ctx, actor, intent, amount, input.payment);
}

export async function bookTickets(
  ctx: Context & { user: { id: string } },
  actor: EventActor,
  input: {
    eventId: string;
    items?: ItemRequest[] | undefined;
    seatIds?: string[] | undefined;
    idempotencyKey?: string | undefined;
    payment?: PaymentInput | undefined;
  },
): Promise<BookingDto> {
  const items = input.items ?? [];
  const seatIds = input.seatIds ?? [];
  const { config, seating } = actor.state;
  // The price the actor will compute, from the same config; it refuses if they ever differ.
  // Seats are priced by their section; unknown seats count nothing (the actor refuses them).
  const seatPrices: LineItem[] = seating ? seatLines(config, seating, seatIds) : [];
  let amount = seatPrices.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);
  for (const item of items) {
    const type = config.ticketTypes.find((t) => t.id === item.ticketTypeId);
    amount += (type?.priceCents ?? 0) * item.quantity;
  }
  const intent: Omit<BookTickets, "payment"> = {
    type: "BookTickets",
    bookingId: newBookingId(),
    userId: ctx.user.id,
    items,
    seatIds,
    // One ticket code per ticket: per seat for seats.
    codes: drawCodes(items.reduce((sum, i) => sum + i.quantity, 0) + seatIds.length),
    idempotencyKey: input.idempotencyKey ?? null,
    requestHash: requestHash({ eventId: input.eventId, items, seatIds: input.seatIds ?? [] }),
  };
  return chargeAndAsk(ctx, actor, intent, amount, input.payment);
}
