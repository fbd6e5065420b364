/**
 * Venues (shared/API.md "venues (seated events)"): an organizer's seat-map templates. An event
 * created with a `venueId` copies the layout (events.create), so a venue can be reused freely.
 */
import { findVenue, insertVenue, listVenues, type VenueRow } from "@boxoffice/db";
import { TRPCError } from "@trpc/server";
import { type PublicUser, randomString } from "../auth/session.ts";
import { createVenueInput, listVenuesInput, venueIdInput } from "../schemas/venues.ts";
import { type Context, createTRPCRouter, organizerRoleProcedure } from "../trpc.ts";

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

/** The venue if the caller may use it (its organizer, or an admin); NOT_FOUND otherwise. */
export function usableVenue(ctx: Context, user: PublicUser, venueId: string): VenueRow | null {
  const row = findVenue(ctx.db, venueId);
  if (!row || (user.role !== "admin" && row.organizerId !== user.id)) return null;
  return row;
}

export const venuesRouter = createTRPCRouter({
  create: organizerRoleProcedure.input(createVenueInput).mutation(({ ctx, input }) => {
    const row: VenueRow = {
      id: `ven_${randomString()}`,
      organizerId: ctx.user.id,
      name: input.name,
      layout: { sections: input.sections },
      seatCount: input.sections.reduce(
        (sum, s) => sum + s.rows.reduce((n, r) => n + r.seats, 0),
        0,
      ),
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
    const row = usableVenue(ctx, ctx.user, input.venueId);
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "No such venue" });
    return venueDto(row);
  }),
});
