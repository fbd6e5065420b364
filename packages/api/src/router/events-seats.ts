/**
 * A seated event's seats with their status, from the engine's seat-map view, and which of them
 * are the caller's own (`mine`): the map is shared by everyone, `mine` is worked out per request.
 */
import { NotFoundError } from "@boxoffice/core";
import type { SeatMapView, UserSeats } from "@boxoffice/engine";
import { visibleEvent } from "../access.ts";
import { compactSeatMap, fullSeatMapOf, mineDto } from "../dto/seat-map.ts";
import { eventIdInput } from "../schemas/events.ts";
import { type Context, publicProcedure } from "../trpc.ts";

/**
 * The seats of an event the caller may see, and the caller's own among them (null when not
 * signed in); NOT_FOUND for none, or an event without seats.
 */
function seatMapOf(ctx: Context, eventId: string): { view: SeatMapView; mine: UserSeats | null } {
  const row = visibleEvent(ctx, ctx.user, eventId);
  const view = ctx.engine.seatMap(row);
  if (!view) throw new NotFoundError("This event has no seat map");
  return { view, mine: ctx.user ? ctx.engine.seatsOfBuyer(row, ctx.user.id) : null };
}

export const seatMapProcedures = {
  /** One object per seat; the caller's own say `mine: true`. */
  seatMap: publicProcedure.input(eventIdInput).query(({ ctx, input }) => {
    const { view, mine } = seatMapOf(ctx, input.eventId);
    return fullSeatMapOf(view, mine);
  }),

  /**
   * The same map in a few bytes per seat: one status letter per seat, a string per row; the
   * caller's own seats listed in `mine`.
   */
  seatMapCompact: publicProcedure.input(eventIdInput).query(({ ctx, input }) => {
    const { view, mine } = seatMapOf(ctx, input.eventId);
    return { ...compactSeatMap(view), mine: mineDto(mine) };
  }),
};
