/**
 * The waitlist (shared/API.md "waitlist"). The queue is inventory, so it lives in the event's
 * actor: joining, leaving and offering are commands; serving on freed tickets happens inside the
 * actor's own decisions. Ended entries (converted, expired, left) are read back from SQLite.
 */
import { type EventState, type WaitlistEntryState, waitlistPosition } from "@boxoffice/core";
import { eventOwner, latestWaitlistEntry, tables } from "@boxoffice/db";
import { TRPCError } from "@trpc/server";
import { inArray } from "drizzle-orm";
import { randomString } from "../auth/session.ts";
import { actorFor } from "../engine/booking-flow.ts";
import type { EventActor } from "../engine/registry.ts";
import { joinWaitlistInput, waitlistEventInput } from "../schemas/waitlist.ts";
import { type Context, createTRPCRouter, userProcedure } from "../trpc.ts";

type Signed = Context & { user: NonNullable<Context["user"]> };

const iso = (ms: number) => new Date(ms).toISOString();

export interface WaitlistStatus {
  state: WaitlistEntryState | "none";
  /** 1 for the next in line; null unless waiting. */
  position: number | null;
  offer?: { holdId: string; expiresAt: string } | undefined;
}

/** Joins for the caller; used by waitlist.join and by bookings.book's `joinWaitlist`. */
export async function joinWaitlist(
  ctx: Signed,
  actor: EventActor,
  request: { ticketTypeId: string | null; quantity: number },
): Promise<{ position: number }> {
  const { position } = await actor.ask({
    type: "JoinWaitlist",
    entryId: `wl_${randomString()}`,
    userId: ctx.user.id,
    ticketTypeId: request.ticketTypeId,
    quantity: request.quantity,
  });
  return { position };
}

/** The entry's offer as clients see it: the hold to confirm, and until when. */
function offerOf(state: EventState, holdId: string | null) {
  const hold = holdId === null ? undefined : state.holds.get(holdId);
  return hold ? { holdId: hold.id, expiresAt: iso(hold.expiresAt) } : undefined;
}

/** Organizers of the event and admins; NOT_FOUND for an unknown event, FORBIDDEN for others. */
function requireOrganizer(ctx: Signed, eventId: string): void {
  const owner = eventOwner(ctx.db, eventId);
  if (!owner) throw new TRPCError({ code: "NOT_FOUND", message: "No such event" });
  if (ctx.user.role !== "admin" && owner.organizerId !== ctx.user.id) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "Only the event's organizer can see or serve its waitlist",
    });
  }
}

function usersById(ctx: Context, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, { name: string; email: string }>();
  const { users } = tables;
  const rows = ctx.db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(inArray(users.id, [...ids]))
    .all();
  return new Map(rows.map((r) => [r.id, { name: r.name, email: r.email }]));
}

export const waitlistRouter = createTRPCRouter({
  join: userProcedure.input(joinWaitlistInput).mutation(({ ctx, input }) =>
    joinWaitlist(ctx, actorFor(ctx, input.eventId), {
      ticketTypeId: input.ticketTypeId ?? null,
      quantity: input.quantity,
    }),
  ),

  leave: userProcedure.input(waitlistEventInput).mutation(async ({ ctx, input }) => {
    await actorFor(ctx, input.eventId).ask({ type: "LeaveWaitlist", userId: ctx.user.id });
    return { ok: true as const };
  }),

  status: userProcedure.input(waitlistEventInput).query(({ ctx, input }): WaitlistStatus => {
    const { state } = actorFor(ctx, input.eventId);
    const activeId = state.waitlistUsers.get(ctx.user.id);
    const active = activeId === undefined ? undefined : state.waitlist.get(activeId);
    if (active) {
      return {
        state: active.state,
        position: waitlistPosition(state, active.id),
        offer: active.state === "offered" ? offerOf(state, active.holdId) : undefined,
      };
    }
    const ended = latestWaitlistEntry(ctx.db, input.eventId, ctx.user.id);
    // The actor knows every active entry, so a row still marked active here is a race with a
    // commit in flight; what the actor says wins, and it says this entry has ended or never was.
    const last =
      ended && ended.state !== "waiting" && ended.state !== "offered" ? ended.state : "none";
    return { state: last, position: null, offer: undefined };
  }),

  entries: userProcedure.input(waitlistEventInput).query(({ ctx, input }) => {
    requireOrganizer(ctx, input.eventId);
    const { state } = actorFor(ctx, input.eventId);
    const entries = [...state.waitlist.values()];
    const people = usersById(
      ctx,
      entries.map((e) => e.userId),
    );
    return entries.map((e) => ({
      id: e.id,
      userId: e.userId,
      name: people.get(e.userId)?.name ?? null,
      email: people.get(e.userId)?.email ?? null,
      ticketTypeId: e.ticketTypeId,
      quantity: e.quantity,
      state: e.state,
      position: waitlistPosition(state, e.id),
      joinedAt: iso(e.joinedAt),
      offer: e.state === "offered" ? offerOf(state, e.holdId) : undefined,
    }));
  }),

  offerNext: userProcedure.input(waitlistEventInput).mutation(async ({ ctx, input }) => {
    requireOrganizer(ctx, input.eventId);
    const actor = actorFor(ctx, input.eventId);
    const reply = await actor.ask({ type: "OfferNext" });
    const { hold } = reply;
    return {
      entryId: reply.entryId,
      userId: hold?.userId ?? null,
      state: reply.state,
      offer: hold ? { holdId: hold.id, expiresAt: iso(hold.expiresAt) } : undefined,
    };
  }),
});
