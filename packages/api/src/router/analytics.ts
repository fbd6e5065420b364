import {
  bookingTotals,
  overviewFigures,
  type SalesBucket,
  salesBuckets,
  ticketTypeFigures,
  ticketTypesOf,
  waitlistCounts,
} from "@boxoffice/db";
import { eventIdInput } from "../schemas/events.ts";
import { createTRPCRouter, eventOrganizerProcedure, organizerRoleProcedure } from "../trpc.ts";

/** The local calendar day (YYYY-MM-DD) of an instant in `timeZone`. */
function dayFormatter(timeZone: string): (ms: number) => string {
  const options = { year: "numeric", month: "2-digit", day: "2-digit" } as const;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", { ...options, timeZone });
  } catch {
    // Zones are validated on input; a zone the runtime no longer knows still gets a chart.
    format = new Intl.DateTimeFormat("en-US", { ...options, timeZone: "UTC" });
  }
  return (ms) => {
    const parts = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day}`;
  };
}

/**
 * Quarter-hour UTC buckets (aggregated in SQL) folded into the event's local days. Exact, since
 * no local midnight falls inside a UTC quarter-hour for any offset in use (all are multiples of
 * 15 minutes, DST changes included); the work is per bucket, never per booking.
 */
export function salesByDay(buckets: readonly SalesBucket[], timeZone: string) {
  const dayOf = dayFormatter(timeZone);
  const days = new Map<string, { day: string; tickets: number; revenueCents: number }>();
  for (const bucket of buckets) {
    const day = dayOf(bucket.startsAt);
    const entry = days.get(day) ?? { day, tickets: 0, revenueCents: 0 };
    entry.tickets += bucket.tickets;
    entry.revenueCents += bucket.revenueCents;
    days.set(day, entry);
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

export const analyticsRouter = createTRPCRouter({
  /**
   * One event's dashboard. revenueCents is what every booking ever paid (cancelled ones too),
   * refundedCents what went back, netRevenueCents the difference; bookings counts the standing
   * ones and cancellations the rest; byTicketType and checkedIn count standing tickets only;
   * salesByDay counts each sale on its day, so its revenue adds up to revenueCents.
   */
  event: eventOrganizerProcedure.input(eventIdInput).query(({ ctx }) => {
    const row = ctx.event;
    const types = ticketTypesOf(ctx.db, row.id);
    const inventory = ctx.engine.availabilities([{ row, types }]).get(row.id);
    if (!inventory) throw new Error(`No figures for event ${row.id}`);
    const soldByType = new Map(inventory.byType.map((t) => [t.id, t.sold]));
    const totals = bookingTotals(ctx.db, row.id);
    return {
      capacity: inventory.capacity,
      sold: inventory.sold,
      held: inventory.held,
      available: inventory.available,
      currency: row.currency,
      revenueCents: totals.revenueCents,
      refundedCents: totals.refundedCents,
      netRevenueCents: totals.revenueCents - totals.refundedCents,
      bookings: totals.bookings,
      cancellations: totals.cancellations,
      checkedIn: totals.checkedIn,
      waitlist: waitlistCounts(ctx.db, row.id),
      byTicketType: ticketTypeFigures(ctx.db, row.id).map((t) => ({
        ...t,
        sold: soldByType.get(t.ticketTypeId) ?? t.sold,
      })),
      salesByDay: salesByDay(salesBuckets(ctx.db, row.id), row.timezone),
    };
  }),

  /** Totals over the caller's events (every event, for an admin), and the five best sellers. */
  overview: organizerRoleProcedure.query(({ ctx }) => {
    return overviewFigures(ctx.db, ctx.user.role === "admin" ? null : ctx.user.id);
  }),
});
