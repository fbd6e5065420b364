/**
 * Infrastructure probes. `noop` is a mutation behind the same middleware chain as bookings.book
 * (domain errors, auth, input parsing) that does nothing else: the benchmark's ceiling, i.e.
 * what a booking would cost without the actor and the commit.
 */
import { z } from "zod";
import { singleLine } from "../schemas/text.ts";
import { createTRPCRouter, userProcedure } from "../trpc.ts";

export const systemRouter = createTRPCRouter({
  noop: userProcedure
    .input(z.object({ eventId: singleLine(0, 64) }).optional())
    .mutation(() => ({ ok: true as const })),
});
