/**
 * The waitlist (docs/API.md "waitlist"). The queue is inventory, so it lives in the event's
 * actor: joining, leaving and offering are engine intentions; serving freed tickets happens
 * inside the actor's own decisions. Reads come from the engine's views, which never load an actor.
 */
import { hidingDrafts } from "../access.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import {
  joinWaitlistInput,
  waitlistEventInput,
  waitlistHistoryInput,
} from "../schemas/waitlist.ts";
import { createTRPCRouter, eventOrganizerProcedure, userProcedure } from "../trpc.ts";

const iso = (ms: number) => new Date(ms).toISOString();

const offerDto = (offer: { holdId: string; expiresAt: number } | null) =>
  offer ? { holdId: offer.holdId, expiresAt: iso(offer.expiresAt) } : undefined;

export const waitlistRouter = createTRPCRouter({
  join: userProcedure.input(joinWaitlistInput).mutation(({ ctx, input }) =>
    hidingDrafts(ctx, ctx.user, input.eventId, () =>
      ctx.engine.joinWaitlist({
        eventId: input.eventId,
        userId: ctx.user.id,
        email: ctx.user.email,
        ticketTypeId: input.ticketTypeId ?? null,
        quantity: input.quantity,
      }),
    ),
  ),

  leave: userProcedure.input(waitlistEventInput).mutation(async ({ ctx, input }) => {
    await ctx.engine.leaveWaitlist({ eventId: input.eventId, userId: ctx.user.id });
    return { ok: true as const };
  }),

  status: userProcedure.input(waitlistEventInput).query(({ ctx, input }) => {
    const status = ctx.engine.waitlistStatus(input.eventId, ctx.user.id);
    return { state: status.state, position: status.position, offer: offerDto(status.offer) };
  }),

  entries: eventOrganizerProcedure.input(waitlistEventInput).query(({ ctx }) =>
    ctx.engine.waitlistEntries(ctx.event.id).map((e) => ({
      ...e,
      joinedAt: iso(e.joinedAt),
      offer: offerDto(e.offer),
    })),
  ),

  /** Everyone who ever joined, with their state (docs/API.md "waitlist.history"). */
  history: eventOrganizerProcedure.input(waitlistHistoryInput).query(({ ctx, input }) => {
    const after = decodeCursor(input.cursor, { q: "number" });
    const { entries, counts } = ctx.engine.waitlistHistory(ctx.event.id, {
      state: input.state ?? null,
      afterSeq: after ? (after.q as number) : null,
      // One more than asked: whether it comes back says if there is a next page.
      limit: input.limit + 1,
    });
    const page = entries.slice(0, input.limit);
    const last = page.at(-1);
    const items = page.map(({ seq: _seq, ...e }) => ({
      ...e,
      joinedAt: iso(e.joinedAt),
      endedAt: e.endedAt === null ? null : iso(e.endedAt),
      offer: offerDto(e.offer),
      offerExpiresAt: e.offerExpiresAt === null ? null : iso(e.offerExpiresAt),
    }));
    const more = entries.length > input.limit && last;
    return { items, nextCursor: more ? encodeCursor({ q: last.seq }) : null, counts };
  }),

  offerNext: eventOrganizerProcedure.input(waitlistEventInput).mutation(async ({ ctx }) => {
    const { entryId, state, hold } = await ctx.engine.offerNext(ctx.event.id);
    return {
      entryId,
      userId: hold?.userId ?? null,
      state,
      offer: hold ? { holdId: hold.id, expiresAt: iso(hold.expiresAt) } : undefined,
    };
  }),
});
