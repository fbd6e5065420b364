import { availability, defaultCancellationPolicy, InputError } from "@boxoffice/core";
import {
  type EventRow,
  findEventRow,
  findPayment,
  heldByTicketType,
  listEventRows,
  recordRefundRef,
  tables,
  ticketTypesOf,
  ticketTypesOfEvents,
  waitingByEvent,
} from "@boxoffice/db";
import { TRPCError } from "@trpc/server";
import { type PublicUser, randomString } from "../auth/session.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import {
  availabilityFromRows,
  type EventDto,
  eventDto,
  eventSummaryDto,
  mergeEventUpdate,
} from "../dto/event.ts";
import { compactSeatMap, fullSeatMap } from "../dto/seat-map.ts";
import type { EventActor } from "../engine/registry.ts";
import {
  cancelEventInput,
  createEventInput,
  eventIdInput,
  type FieldIssue,
  listEventsInput,
  updateEventInput,
  waitlistModeIssues,
} from "../schemas/events.ts";
import {
  type Context,
  createTRPCRouter,
  organizerRoleProcedure,
  publicProcedure,
} from "../trpc.ts";
import { availabilityProcedure, seatMapChangesProcedure } from "./events-live.ts";
import { usableVenue } from "./venues.ts";

/** Cross-field refusals look exactly like zod's: BAD_REQUEST with each field named. */
function badInput(issues: readonly FieldIssue[]): never {
  throw new InputError(issues);
}

const noSuchEvent = () => new TRPCError({ code: "NOT_FOUND", message: "No such event" });

const mayManage = (user: PublicUser | null, row: EventRow) =>
  user !== null && (user.role === "admin" || user.id === row.organizerId);

/** The event's row if the caller may manage it: its organizer, or an admin. */
function managedEvent(ctx: Context, user: PublicUser, eventId: string): EventRow {
  const row = findEventRow(ctx.db, eventId);
  if (!row) throw noSuchEvent();
  if (!mayManage(user, row)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only this event's organizer can do this" });
  }
  return row;
}

function actorOf(ctx: Context, eventId: string): EventActor {
  const actor = ctx.registry.get(eventId);
  if (!actor) throw noSuchEvent();
  return actor;
}

/**
 * The event as stored, with figures from its actor when it is awake (the freshest), else from
 * SQLite; a read never wakes an actor.
 */
function readEvent(ctx: Context, eventId: string): EventDto {
  const row = findEventRow(ctx.db, eventId);
  if (!row) throw noSuchEvent();
  const types = ticketTypesOf(ctx.db, row.id);
  const now = ctx.clock.now();
  const actor = ctx.registry.peek(row.id);
  const figures = actor
    ? availability(actor.state)
    : availabilityFromRows(
        row,
        types,
        heldByTicketType(ctx.db, [row.id], now),
        waitingByEvent(ctx.db, [row.id]).get(row.id),
      );
  return eventDto(row, types, figures, now);
}

/**
 * Gives back what the event's bookings paid. The actor has already recorded the refunds; the
 * provider is told afterwards, and a failure is logged rather than undoing the cancellation
 * (the refund row keeps no provider reference, so it can be retried).
 */
async function refundPayments(
  ctx: Context,
  refunds: readonly { bookingId: string; refundCents: number }[],
): Promise<void> {
  for (const refund of refunds) {
    if (refund.refundCents <= 0) continue;
    const payment = findPayment(ctx.db, refund.bookingId);
    if (!payment) continue;
    try {
      const sent = await ctx.payments.refund({
        ref: payment.providerRef,
        amountCents: refund.refundCents,
      });
      recordRefundRef(ctx.db, refund.bookingId, sent.ref);
    } catch (error) {
      ctx.logger.error("refund to the payment provider failed", {
        requestId: ctx.requestId,
        bookingId: refund.bookingId,
        error,
      });
    }
  }
}

/** A seated event's actor state, for whoever may see the event; NOT_FOUND otherwise. */
function seatedState(ctx: Context, eventId: string) {
  const row = findEventRow(ctx.db, eventId);
  if (!row || (row.status === "draft" && !mayManage(ctx.user, row))) throw noSuchEvent();
  const { state } = actorOf(ctx, row.id);
  if (!state.seating)
    throw new TRPCError({ code: "NOT_FOUND", message: "This event has no seat map" });
  return state;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

const ms = (iso: string | undefined) => (iso === undefined ? null : Date.parse(iso));

export const eventsRouter = createTRPCRouter({
  create: organizerRoleProcedure.input(createEventInput).mutation(({ ctx, input }) => {
    const venue = input.venueId ? usableVenue(ctx, ctx.user, input.venueId) : null;
    if (input.venueId && !venue) badInput([{ path: "venueId", message: "No such venue" }]);
    // A seated event's ticket types are its venue's sections, each as large as its seats.
    const types = venue
      ? venue.layout.sections.map((s) => ({
          name: s.name,
          priceCents: s.priceCents,
          capacity: s.rows.reduce((n, r) => n + r.seats, 0),
        }))
      : input.ticketTypes;
    const modeIssues = waitlistModeIssues(input.waitlist, types);
    if (modeIssues.length > 0) badInput(modeIssues);
    const typeRows = types.map((type, position) => ({
      id: `tt_${randomString()}`,
      ...type,
      sold: 0,
      position,
    }));
    const now = ctx.clock.now();
    const eventId = `evt_${randomString()}`;
    // One synchronous transaction: an event never exists without its ticket types.
    ctx.db.transaction((tx) => {
      tx.insert(tables.events)
        .values({
          id: eventId,
          organizerId: ctx.user.id,
          title: input.title,
          description: input.description,
          venueName: input.venueName ?? venue?.name ?? null,
          venueId: venue?.id ?? null,
          startsAt: Date.parse(input.startsAt),
          endsAt: input.endsAt ? Date.parse(input.endsAt) : null,
          timezone: input.timezone,
          salesStartAt: input.salesStartAt ? Date.parse(input.salesStartAt) : null,
          salesEndAt: input.salesEndAt ? Date.parse(input.salesEndAt) : null,
          status: "draft",
          capacity: input.capacity ?? null,
          maxPerOrder: input.maxPerOrder,
          maxPerUser: input.maxPerUser ?? null,
          holdSeconds: input.holdSeconds,
          currency: input.currency,
          waitlistEnabled: input.waitlist?.enabled ?? false,
          waitlistMode: input.waitlist?.mode ?? "offer",
          waitlistOfferSeconds: input.waitlist?.offerSeconds ?? 86_400,
          cancellationPolicy: input.cancellationPolicy ?? defaultCancellationPolicy,
          createdAt: now,
          updatedAt: now,
        })
        .run();
      tx.insert(tables.ticketTypes)
        .values(typeRows.map((type) => ({ ...type, eventId })))
        .run();
      // The event's own copy of the layout: later edits of the venue never move its seats.
      if (venue) {
        const sections = venue.layout.sections.map((s, i) => ({
          ticketTypeId: typeRows[i]?.id ?? "",
          rows: s.rows.map((r) => ({ label: r.label, seats: r.seats })),
        }));
        tx.insert(tables.eventSeatLayouts)
          .values({ eventId, venueId: venue.id, layout: { sections }, seatCount: venue.seatCount })
          .run();
      }
    });
    return readEvent(ctx, eventId);
  }),

  update: organizerRoleProcedure.input(updateEventInput).mutation(async ({ ctx, input }) => {
    const row = managedEvent(ctx, ctx.user, input.eventId);
    const actor = actorOf(ctx, row.id);
    const merged = mergeEventUpdate(actor.state.config, row, input, () => `tt_${randomString()}`);
    if (merged.issues.length > 0) badInput(merged.issues);
    // The actor refuses capacities below what is sold or held, and writes row and types at once.
    await actor.ask({ type: "Reconfigure", config: merged.config, details: merged.details });
    return readEvent(ctx, row.id);
  }),

  publish: organizerRoleProcedure.input(eventIdInput).mutation(async ({ ctx, input }) => {
    const row = managedEvent(ctx, ctx.user, input.eventId);
    const actor = actorOf(ctx, row.id);
    await actor.ask({ type: "PublishEvent" });
    return readEvent(ctx, row.id);
  }),

  cancel: organizerRoleProcedure.input(cancelEventInput).mutation(async ({ ctx, input }) => {
    const row = managedEvent(ctx, ctx.user, input.eventId);
    const { refunds } = await actorOf(ctx, row.id).ask({
      type: "CancelEvent",
      reason: input.reason,
      byUserId: ctx.user.id,
    });
    await refundPayments(ctx, refunds);
    return { event: readEvent(ctx, row.id), refundedBookings: refunds.length };
  }),

  list: publicProcedure.input(listEventsInput).query(({ ctx, input }) => {
    if (input.mine && !ctx.user) {
      throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to list your own events" });
    }
    const after = decodeCursor(input.cursor, { s: "number", i: "string" });
    const now = ctx.clock.now();
    const rows = listEventRows(ctx.db, {
      searchPattern: input.search ? `%${escapeLike(input.search)}%` : null,
      from: ms(input.from),
      to: ms(input.to),
      organizerId: input.mine ? (ctx.user?.id ?? null) : (input.organizerId ?? null),
      allStatuses: input.mine,
      endedBefore: input.includePast ? null : now,
      after: after ? { startsAt: after.s as number, id: after.i as string } : null,
      // One more than asked: whether it comes back says if there is a next page.
      limit: input.limit + 1,
    });
    const page = rows.slice(0, input.limit);
    const ids = page.map((r) => r.id);
    const types = ticketTypesOfEvents(ctx.db, ids);
    const held = heldByTicketType(ctx.db, ids, now);
    const waiting = waitingByEvent(ctx.db, ids);
    const items = page.map((row) => {
      const own = types.get(row.id) ?? [];
      const figures = availabilityFromRows(row, own, held, waiting.get(row.id));
      return eventSummaryDto(row, own, figures, now);
    });
    const last = page.at(-1);
    const nextCursor =
      rows.length > input.limit && last ? encodeCursor({ s: last.startsAt, i: last.id }) : null;
    return { items, nextCursor };
  }),

  /** Live availability (SSE); lives in its own file with its debouncing. */
  availability: availabilityProcedure,

  /** Live seat status changes of a seated event (SSE): a snapshot, then what changed. */
  seatMapChanges: seatMapChangesProcedure,

  /** A seated event's seats with their status, from its actor (the only owner of seat status). */
  seatMap: publicProcedure.input(eventIdInput).query(({ ctx, input }) => {
    return fullSeatMap(seatedState(ctx, input.eventId));
  }),

  /** The same map in a few bytes per seat: one status letter per seat, a string per row. */
  seatMapCompact: publicProcedure.input(eventIdInput).query(({ ctx, input }) => {
    return compactSeatMap(seatedState(ctx, input.eventId));
  }),

  get: publicProcedure.input(eventIdInput).query(({ ctx, input }) => {
    const row = findEventRow(ctx.db, input.eventId);
    // Someone else's draft looks exactly like a missing event: ids leak nothing.
    if (!row || (row.status === "draft" && !mayManage(ctx.user, row))) throw noSuchEvent();
    return readEvent(ctx, row.id);
  }),
});
