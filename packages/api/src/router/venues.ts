/**
 * Venues (docs/API.md "venues (seated events)"): an organizer's seat-map templates. An event
 * created with a `venueId` copies the layout (events.create), so a venue can be reused freely;
 * it can be changed or deleted only while no event was created from it.
 */

import { DomainError, InputError, NotFoundError, newId } from "@boxoffice/core";
import {
  deleteVenueIfUnused,
  eventsPerVenue,
  findVenue,
  insertVenue,
  listVenues,
  updateVenueIfUnused,
  type VenueChange,
  type VenueRow,
} from "@boxoffice/db";
import { mayManage } from "../access.ts";
import {
  type CreateVenueInput,
  createVenueInput,
  listVenuesInput,
  updateVenueInput,
  venueIdInput,
} from "../schemas/venues.ts";
import { type Context, createTRPCRouter, organizerRoleProcedure } from "../trpc.ts";

export interface VenueDto {
  id: string;
  organizerId: string;
  name: string;
  seatCount: number;
  sections: { name: string; priceCents: number; rows: { label: string; seats: number }[] }[];
  createdAt: string;
  /** Events created from this venue (any status): while there are any, it cannot change. */
  eventCount: number;
}

export function venueDto(row: VenueRow, eventCount: number): VenueDto {
  return {
    id: row.id,
    organizerId: row.organizerId,
    name: row.name,
    seatCount: row.seatCount,
    sections: row.layout.sections,
    createdAt: new Date(row.createdAt).toISOString(),
    eventCount,
  };
}

/**
 * The seats of a layout, within this server's VENUE_MAX_SEATS. The schema's bound is the
 * format's; this one is the server's: a seat map costs memory per subscriber.
 */
function seatCountOf(ctx: Context, sections: CreateVenueInput["sections"]): number {
  const seatCount = sections.reduce((sum, s) => sum + s.rows.reduce((n, r) => n + r.seats, 0), 0);
  const { venueMaxSeats } = ctx.config.limits;
  if (seatCount > venueMaxSeats) {
    throw new InputError(["sections"], `At most ${venueMaxSeats} seats in a venue on this server`);
  }
  return seatCount;
}

/** The venue's owner, or an admin; anyone else's venue looks exactly like a missing one. */
const venueOwnerProcedure = organizerRoleProcedure
  .input(venueIdInput)
  .use(({ ctx, input, next }) => {
    const venue = findVenue(ctx.db, input.venueId);
    if (!venue || !mayManage(ctx.user, venue.organizerId)) throw new NotFoundError("No such venue");
    return next({ ctx: { venue } });
  });

function refuseInUse(change: VenueChange, doing: string): void {
  if (change.done) return;
  const events = change.events === 1 ? "1 event" : `${change.events} events`;
  throw new DomainError(
    "VENUE_IN_USE",
    `${events} use this venue, so it cannot be ${doing}; make a copy instead`,
    { events: change.events },
  );
}

export const venuesRouter = createTRPCRouter({
  create: organizerRoleProcedure.input(createVenueInput).mutation(({ ctx, input }) => {
    const row: VenueRow = {
      id: newId("venue"),
      organizerId: ctx.user.id,
      name: input.name,
      layout: { sections: input.sections },
      seatCount: seatCountOf(ctx, input.sections),
      createdAt: ctx.clock.now(),
    };
    insertVenue(ctx.db, row);
    return venueDto(row, 0);
  }),

  list: organizerRoleProcedure.input(listVenuesInput).query(({ ctx, input }) => {
    const owner = ctx.user.role === "admin" ? null : ctx.user.id;
    const rows = listVenues(ctx.db, owner, input.limit);
    const used = eventsPerVenue(
      ctx.db,
      rows.map((r) => r.id),
    );
    return { items: rows.map((row) => venueDto(row, used.get(row.id) ?? 0)) };
  }),

  get: venueOwnerProcedure.query(({ ctx }) => {
    return venueDto(ctx.venue, eventsPerVenue(ctx.db, [ctx.venue.id]).get(ctx.venue.id) ?? 0);
  }),

  update: venueOwnerProcedure.input(updateVenueInput).mutation(({ ctx, input }) => {
    const change = {
      name: input.name,
      layout: { sections: input.sections },
      seatCount: seatCountOf(ctx, input.sections),
    };
    refuseInUse(updateVenueIfUnused(ctx.db, ctx.venue.id, change), "changed");
    return venueDto({ ...ctx.venue, ...change }, 0);
  }),

  delete: venueOwnerProcedure.mutation(({ ctx }) => {
    refuseInUse(deleteVenueIfUnused(ctx.db, ctx.venue.id), "deleted");
    return { ok: true as const };
  }),
});
