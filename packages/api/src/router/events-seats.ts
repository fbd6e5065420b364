/** A seated event's seats with their status, from the engine's seat-map view. */
import { NotFoundError } from "@boxoffice/core";
import type { SeatMapView } from "@boxoffice/engine";
import { visibleEvent } from "../access.ts";
import { compactSeatMap, fullSeatMap } from "../dto/seat-map.ts";
import { eventIdInput } from "../schemas/events.ts";
import { type Context, publicProcedure } from "../trpc.ts";

/** The seats of an event the caller may see; NOT_FOUND for none, or an event without seats. */
function seatMapOf(ctx: Context, eventId: string): SeatMapView {
  const view = ctx.engine.seatMap(visibleEvent(ctx, ctx.user, eventId));
  if (!view) throw new NotFoundError("This event has no seat map");
  return view;
}

export const seatMapProcedures = {
  /** One object per seat. */
  seatMap: publicProcedure
    .input(eventIdInput)
    .query(({ ctx, input }) => fullSeatMap(seatMapOf(ctx, input.eventId))),

  /** The same map in a few bytes per seat: one status letter per seat, a string per row. */
  seatMapCompact: publicProcedure
    .input(eventIdInput)
    .query(({ ctx, input }) => compactSeatMap(seatMapOf(ctx, input.eventId))),
};
