import { checkinQueries, type ScanResult } from "@boxoffice/db";
import { checkinEventInput, scanInput } from "../schemas/checkin.ts";
import { createTRPCRouter, eventOrganizerProcedure } from "../trpc.ts";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The API's scan answer: enough about the ticket and its holder for the door to check them. */
function scanDto(scan: ScanResult) {
  if (scan.result === "invalid") return { result: "invalid" as const };
  const t = scan.ticket;
  return {
    result: scan.result,
    ticket: {
      id: t.id,
      code: t.code,
      bookingId: t.bookingId,
      ticketTypeId: t.ticketTypeId,
      ticketTypeName: t.ticketTypeName,
      seatId: t.seatId,
      seatLabel: t.seatLabel,
    },
    attendee: { name: t.attendeeName, email: t.attendeeEmail },
    checkedInAt: iso(scan.checkedInAt),
  };
}

export const checkinRouter = createTRPCRouter({
  /**
   * Not through the event actor: check-in touches no inventory, and the conditional update in
   * one synchronous transaction already gives two gates scanning one code one `ok` and one
   * `already` (with the first scan's time).
   */
  scan: eventOrganizerProcedure.input(scanInput).mutation(({ ctx, input }) => {
    return scanDto(checkinQueries(ctx.db).scan(ctx.event.id, input.code, ctx.clock.now()));
  }),

  /** Takes back a mistaken scan, so the ticket can be scanned again. */
  undo: eventOrganizerProcedure.input(scanInput).mutation(({ ctx, input }) => {
    return { result: checkinQueries(ctx.db).undo(ctx.event.id, input.code) };
  }),

  stats: eventOrganizerProcedure.input(checkinEventInput).query(({ ctx }) => {
    return checkinQueries(ctx.db).stats(ctx.event.id);
  }),
});
