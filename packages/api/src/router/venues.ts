/**
 * Venues (docs/API.md "venues (seated events)"): an organizer's seat-map templates. An event
 * created with a `venueId` copies the layout (events.create), so a venue can be reused freely.
 */

import { InputError, NotFoundError, newId } from "@boxoffice/core";
import { findVenue, insertVenue, listVenues, type VenueRow } from "@boxoffice/db";
import { mayManage } from "../access.ts";
import { createVenueInput, listVenuesInput, venueIdInput } from "../schemas/venues.ts";
import { createTRPCRouter, organizerRoleProcedure } from "../trpc.ts";

export interface VenueDto {
  id: string;
  organizerId: string;
  name: string;
  seatCount: number;
  sections: { name: string; priceCents: number; rows: { label: string; seats: number }[] }[];
  createdAt: string;
}

export function venueDto(row: VenueRow): VenueDto {
  return {
    id: row.id,
    organizerId: row.organizerId,
    name: row.name,
    seatCount: row.seatCount,
    sections: row.layout.sections,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

export const venuesRouter = createTRPCRouter({
  create: organizerRoleProcedure.input(createVenueInput).mutation(({ ctx, input }) => {
    const seatCount = input.sections.reduce(
      (sum, s) => sum + s.rows.reduce((n, r) => n + r.seats, 0),
      0,
    );
    // The schema's bound is the format's; this one is the server's (VENUE_MAX_SEATS): a seat map
    // costs memory per subscriber.
    const { venueMaxSeats } = ctx.config.limits;
    if (seatCount > venueMaxSeats) {
      throw new InputError(
        ["sections"],
        `At most ${venueMaxSeats} seats in a venue on this server`,
      );
    }
    const row: VenueRow = {
      id: newId("venue"),
      organizerId: ctx.user.id,
      name: input.name,
      layout: { sections: input.sections },
      seatCount,
      createdAt: ctx.clock.now(),
    };
    insertVenue(ctx.db, row);
    return venueDto(row);
  }),

  list: organizerRoleProcedure.input(listVenuesInput).query(({ ctx, input }) => {
    const owner = ctx.user.role === "admin" ? null : ctx.user.id;
    return { items: listVenues(ctx.db, owner, input.limit).map(venueDto) };
  }),

  get: organizerRoleProcedure.input(venueIdInput).query(({ ctx, input }) => {
    const row = findVenue(ctx.db, input.venueId);
    // Someone else's venue looks exactly like a missing one.
    if (!row || !mayManage(ctx.user, row.organizerId)) throw new NotFoundError("No such venue");
    return venueDto(row);
  }),
});
