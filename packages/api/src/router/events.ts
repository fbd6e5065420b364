/**
 * Events (docs/API.md "events"): each procedure validates, calls the engine or one named db
 * query, and maps the answer to the API's shapes. Seat maps and live streams have files of their
 * own (events-seats.ts, events-live.ts) and are part of this router.
 */
import {
  DomainError,
  InputError,
  NotFoundError,
  newId,
  normalizeEmail,
  UnauthorizedError,
} from "@boxoffice/core";
import {
  findEventRow,
  findVenue,
  insertEvent,
  listEventRows,
  nthNewestEventCreatedAt,
  ticketTypesOf,
  ticketTypesOfEvents,
} from "@boxoffice/db";
import { managedEventsScope, mayManage, visibleEvent } from "../access.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import {
  type EventDto,
  eventDto,
  eventSummaryDto,
  mergeEventUpdate,
  ticketTypeDto,
} from "../dto/event.ts";
import { rateLimited } from "../errors.ts";
import { newEventRows } from "../event-rows.ts";
import { applyCodeInput } from "../schemas/codes.ts";
import {
  cancelEventInput,
  createEventInput,
  eventIdInput,
  listEventsInput,
  updateEventInput,
} from "../schemas/events.ts";
import {
  type Context,
  createTRPCRouter,
  eventOrganizerProcedure,
  organizerRoleProcedure,
  publicProcedure,
} from "../trpc.ts";
import { availabilityProcedure, seatMapChangesProcedure } from "./events-live.ts";
import { seatMapProcedures } from "./events-seats.ts";

/** The event as stored, with the engine's figures (from its actor if awake, else SQLite). */
function readEvent(ctx: Context, eventId: string): EventDto {
  const row = findEventRow(ctx.db, eventId);
  if (!row) throw new Error(`Event ${eventId} vanished`);
  const types = ticketTypesOf(ctx.db, row.id);
  const figures = ctx.engine.availabilities([{ row, types }]).get(row.id);
  if (!figures) throw new Error(`No figures for event ${row.id}`);
  // Counted as the actor counts `maxPerUser`: by the account's email, guest orders included (read
  // from SQLite while the event is not loaded, with the one difference ticketsOfPerson names).
  const mine = ctx.user
    ? { tickets: ctx.engine.ticketsOfBuyer(row.id, normalizeEmail(ctx.user.email), ctx.user.id) }
    : null;
  const manager = mayManage(ctx.user, row.organizerId);
  return eventDto(row, types, figures, ctx.clock.now(), manager, mine);
}

const DAY_MS = 86_400_000;

/**
 * EVENTS_PER_ORGANIZER_PER_DAY: an organizer (admins are not limited) creates at most that many
 * events in any 24 hours. events.create does not await between this check and its insert, so
 * concurrent creations cannot slip past it together.
 */
function refuseBeyondDailyEvents(ctx: Context, organizer: { id: string; role: string }): void {
  if (organizer.role === "admin") return;
  const limit = ctx.config.limits.eventsPerOrganizerPerDay;
  const now = ctx.clock.now();
  const reachedBy = nthNewestEventCreatedAt(ctx.db, organizer.id, now - DAY_MS, limit);
  if (reachedBy === null) return;
  throw rateLimited(`At most ${limit} new events a day`, reachedBy + DAY_MS - now, { limit });
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

const ms = (iso: string | undefined) => (iso === undefined ? null : Date.parse(iso));

export const eventsRouter = createTRPCRouter({
  create: organizerRoleProcedure.input(createEventInput).mutation(({ ctx, input }) => {
    refuseBeyondDailyEvents(ctx, ctx.user);
    const venue = input.venueId ? findVenue(ctx.db, input.venueId) : null;
    if (input.venueId && (!venue || !mayManage(ctx.user, venue.organizerId))) {
      throw new InputError(["venueId"], "No such venue");
    }
    const rows = newEventRows(input, ctx.user.id, venue, ctx.clock.now());
    insertEvent(ctx.db, rows.event, rows.types, rows.seating);
    return readEvent(ctx, rows.event.id);
  }),

  update: eventOrganizerProcedure.input(updateEventInput).mutation(async ({ ctx, input }) => {
    await ctx.engine.reconfigure(ctx.event.id, (current) => {
      const merged = mergeEventUpdate(current, ctx.event, input, () => newId("ticketType"));
      if (merged.issues.length > 0) throw new InputError(merged.issues);
      return merged;
    });
    return readEvent(ctx, ctx.event.id);
  }),

  publish: eventOrganizerProcedure.input(eventIdInput).mutation(async ({ ctx }) => {
    await ctx.engine.publish(ctx.event.id);
    return readEvent(ctx, ctx.event.id);
  }),

  /** A draft nobody held, booked or waited for goes for good; anything else is cancelled instead. */
  delete: eventOrganizerProcedure.input(eventIdInput).mutation(async ({ ctx }) => {
    const result =
      ctx.event.status === "draft" ? await ctx.engine.deleteDraft(ctx.event.id) : "not_draft";
    if (result === "missing") throw new NotFoundError("No such event");
    if (result !== "deleted") {
      throw new DomainError(
        "NOT_A_DRAFT",
        result === "not_draft"
          ? "Only drafts can be deleted; cancel a published event instead"
          : "This draft has holds or bookings and cannot be deleted",
      );
    }
    return { ok: true as const };
  }),

  cancel: eventOrganizerProcedure.input(cancelEventInput).mutation(async ({ ctx, input }) => {
    const { refundedBookings } = await ctx.engine.cancelEvent({
      eventId: ctx.event.id,
      reason: input.reason,
      byUserId: ctx.user.id,
    });
    return { event: readEvent(ctx, ctx.event.id), refundedBookings };
  }),

  list: publicProcedure.input(listEventsInput).query(({ ctx, input }) => {
    if (input.mine && !ctx.user) throw new UnauthorizedError("Sign in to list your own events");
    // `mine`: the events the caller manages (an admin: every organizer's), in every status.
    const scope = ctx.user && input.mine ? managedEventsScope(ctx.user, input.organizerId) : null;
    if (input.mine && !scope) {
      return { items: [] as ReturnType<typeof eventSummaryDto>[], nextCursor: null };
    }
    const after = decodeCursor(input.cursor, { s: "number", i: "string" });
    const now = ctx.clock.now();
    const rows = listEventRows(ctx.db, {
      searchPattern: input.search ? `%${escapeLike(input.search)}%` : null,
      from: ms(input.from),
      to: ms(input.to),
      organizerId: scope ? scope.organizerId : (input.organizerId ?? null),
      allStatuses: input.mine,
      endedBefore: input.includePast ? null : now,
      after: after ? { startsAt: after.s as number, id: after.i as string } : null,
      // One more than asked: whether it comes back says if there is a next page.
      limit: input.limit + 1,
    });
    const page = rows.slice(0, input.limit);
    const types = ticketTypesOfEvents(
      ctx.db,
      page.map((r) => r.id),
    );
    const events = page.map((row) => ({ row, types: types.get(row.id) ?? [] }));
    const figures = ctx.engine.availabilities(events);
    const items = events.map(({ row, types: own }) => {
      const availability = figures.get(row.id);
      if (!availability) throw new Error(`No figures for event ${row.id}`);
      return eventSummaryDto(row, own, availability, now);
    });
    const last = page.at(-1);
    const nextCursor =
      rows.length > input.limit && last ? encodeCursor({ s: last.startsAt, i: last.id }) : null;
    return { items, nextCursor };
  }),

  get: publicProcedure.input(eventIdInput).query(({ ctx, input }) => {
    return readEvent(ctx, visibleEvent(ctx, ctx.user, input.eventId).id);
  }),

  /** What a typed code does for this event, checked against its actor now (no use taken). */
  applyCode: publicProcedure.input(applyCodeInput).query(async ({ ctx, input }) => {
    const row = visibleEvent(ctx, ctx.user, input.eventId);
    const { code, usesLeft } = await ctx.engine.codes.applyCode({
      eventId: row.id,
      text: input.code,
      ip: ctx.clientIp,
      person: ctx.user ? normalizeEmail(ctx.user.email) : null,
    });
    const types = ticketTypesOf(ctx.db, row.id);
    const figures = ctx.engine.availabilities([{ row, types }]).get(row.id);
    const byType = new Map(figures?.byType.map((t) => [t.id, t]));
    return {
      codeId: code.id,
      code: code.code,
      kind: code.kind,
      discount: code.discount === null ? null : { ...code.discount },
      ticketTypeIds: code.ticketTypeIds === null ? null : [...code.ticketTypeIds],
      unlocks: types
        .filter((t) => code.unlocksTicketTypeIds.includes(t.id))
        .map((t) => ticketTypeDto(t, byType.get(t.id))),
      opensSalesAt: code.opensSalesAt === null ? null : new Date(code.opensSalesAt).toISOString(),
      usesLeft,
    };
  }),

  ...seatMapProcedures,

  /** Live availability (SSE); lives in its own file with its debouncing. */
  availability: availabilityProcedure,

  /** Live seat status changes of a seated event (SSE): a snapshot, then what changed. */
  seatMapChanges: seatMapChangesProcedure,
});
