import type { Question } from "@boxoffice/core";
import {
  type AnswerCount,
  answerCounts,
  bookingTotals,
  codeFigures,
  type OverviewFigures,
  organizersWithEvents,
  overviewFigures,
  type SalesBucket,
  salesBuckets,
  ticketTypeFigures,
  ticketTypesOf,
  waitlistCounts,
} from "@boxoffice/db";
import { managedEventsScope } from "../access.ts";
import { overviewInput } from "../schemas/analytics.ts";
import { eventIdInput } from "../schemas/events.ts";
import {
  adminProcedure,
  createTRPCRouter,
  eventOrganizerProcedure,
  organizerRoleProcedure,
} from "../trpc.ts";

/** The organizers an admin can pick from: more than a select can sensibly list is not asked. */
export const MAX_ORGANIZERS_LISTED = 500;

const noFigures: OverviewFigures = { events: 0, ticketsSold: 0, revenue: [], popular: [] };

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

export interface SalesDay {
  day: string;
  /** Tickets sold that day that are still sold. */
  tickets: number;
  /** Tickets sold that day whose booking has been cancelled since. */
  cancelledTickets: number;
  /** What that day's sales took in the event's currency (before refunds). */
  revenueCents: number;
  /** The same per currency paid in, by currency code. */
  revenue: { currency: string; revenueCents: number }[];
}

/**
 * Quarter-hour UTC buckets (aggregated in SQL) folded into the event's local days. Exact, since
 * no local midnight falls inside a UTC quarter-hour for any offset in use (all are multiples of
 * 15 minutes, DST changes included); the work is per bucket, never per booking.
 */
export function salesByDay(
  buckets: readonly SalesBucket[],
  timeZone: string,
  currency: string,
): SalesDay[] {
  const dayOf = dayFormatter(timeZone);
  const days = new Map<string, SalesDay>();
  for (const bucket of buckets) {
    const day = dayOf(bucket.startsAt);
    const entry = days.get(day) ?? {
      day,
      tickets: 0,
      cancelledTickets: 0,
      revenueCents: 0,
      revenue: [],
    };
    entry.tickets += bucket.tickets;
    entry.cancelledTickets += bucket.cancelledTickets;
    if (bucket.currency === currency) entry.revenueCents += bucket.revenueCents;
    const money = entry.revenue.find((r) => r.currency === bucket.currency);
    if (money) money.revenueCents += bucket.revenueCents;
    else entry.revenue.push({ currency: bucket.currency, revenueCents: bucket.revenueCents });
    days.set(day, entry);
  }
  for (const entry of days.values())
    entry.revenue.sort((a, b) => a.currency.localeCompare(b.currency));
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

export interface QuestionCounts {
  questionId: string;
  label: string;
  kind: Question["kind"];
  /** Answers given (per ticket for per-ticket questions). */
  answered: number;
  options: { option: string; count: number }[];
}

/**
 * Counts per option of the event's current choice, multichoice and checkbox questions (a
 * checkbox's options are "yes" and "no"), in the event's question order. Answers naming an
 * option no longer offered count as answered only.
 */
export function questionCounts(
  questions: readonly Question[],
  counts: readonly AnswerCount[],
): QuestionCounts[] {
  const counted = questions.filter(
    (q) => q.kind === "choice" || q.kind === "multichoice" || q.kind === "checkbox",
  );
  return counted.map((q) => {
    const options = q.kind === "checkbox" ? ["yes", "no"] : [...q.options];
    const byOption = new Map(options.map((o) => [o, 0]));
    let answered = 0;
    for (const c of counts) {
      if (c.questionId !== q.id) continue;
      answered += c.count;
      const value: unknown = JSON.parse(c.value);
      const picked =
        typeof value === "boolean"
          ? [value ? "yes" : "no"]
          : Array.isArray(value)
            ? value
            : [value];
      for (const option of picked) {
        const key = String(option);
        const n = byOption.get(key);
        if (n !== undefined) byOption.set(key, n + c.count);
      }
    }
    return {
      questionId: q.id,
      label: q.label,
      kind: q.kind,
      answered,
      options: options.map((option) => ({ option, count: byOption.get(option) ?? 0 })),
    };
  });
}

export const analyticsRouter = createTRPCRouter({
  /**
   * One event's dashboard (docs/API.md "analytics"). Money per currency paid in (`revenue`);
   * the flat figures are those in the event's currency. bookings counts the standing ones and
   * cancellations the rest; byTicketType and checkedIn count standing tickets only, while
   * checkedInCancelled keeps the scans of bookings cancelled since; salesByDay counts tickets
   * still sold apart from those cancelled since, and its revenue adds up to revenueCents.
   */
  event: eventOrganizerProcedure.input(eventIdInput).query(({ ctx }) => {
    const row = ctx.event;
    const types = ticketTypesOf(ctx.db, row.id);
    const inventory = ctx.engine.availabilities([{ row, types }]).get(row.id);
    if (!inventory) throw new Error(`No figures for event ${row.id}`);
    const soldByType = new Map(inventory.byType.map((t) => [t.id, t.sold]));
    const totals = bookingTotals(ctx.db, row.id);
    const revenue = totals.money.map((m) => ({
      ...m,
      netRevenueCents: m.revenueCents - m.refundedCents,
    }));
    const own = revenue.find((m) => m.currency === row.currency);
    return {
      capacity: inventory.capacity,
      sold: inventory.sold,
      held: inventory.held,
      available: inventory.available,
      currency: row.currency,
      revenueCents: own?.revenueCents ?? 0,
      refundedCents: own?.refundedCents ?? 0,
      netRevenueCents: own?.netRevenueCents ?? 0,
      revenue,
      bookings: totals.bookings,
      cancellations: totals.cancellations,
      checkedIn: totals.checkedIn,
      checkedInCancelled: totals.checkedInCancelled,
      waitlist: waitlistCounts(ctx.db, row.id),
      byTicketType: ticketTypeFigures(ctx.db, row.id).map((t) => ({
        ...t,
        sold: soldByType.get(t.ticketTypeId) ?? t.sold,
      })),
      salesByDay: salesByDay(salesBuckets(ctx.db, row.id), row.timezone, row.currency),
      questions: questionCounts(row.questions, answerCounts(ctx.db, row.id)),
      codes: codeFigures(ctx.db, row.id, row.currency),
    };
  }),

  /**
   * Totals over the events the caller manages (every organizer's, for an admin; `organizerId`
   * narrows it to one), money per currency, and the five best sellers.
   */
  overview: organizerRoleProcedure.input(overviewInput).query(({ ctx, input }) => {
    const scope = managedEventsScope(ctx.user, input.organizerId);
    return scope ? overviewFigures(ctx.db, scope.organizerId) : noFigures;
  }),

  /** Everyone who runs an event, with how many: what an admin filters events by. */
  organizers: adminProcedure.query(({ ctx }) => ({
    items: organizersWithEvents(ctx.db, MAX_ORGANIZERS_LISTED),
  })),
});
