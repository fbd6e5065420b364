/**
 * The on-sale room (docs/API.md "room"): each procedure checks who may see the event, calls the
 * engine's room and maps its answer to the wire's shapes (instants as ISO strings).
 */
import { DEFAULT_ROOM, InputError, normalizeEmail } from "@boxoffice/core";
import type { RoomVisitor } from "@boxoffice/engine";
import { tracked } from "@trpc/server";
import { visibleEvent } from "../access.ts";
import { type ChallengeDto, roomStatsDto, roomStatusDto } from "../dto/room.ts";
import { enterRoomInput, roomEventInput, roomPositionInput } from "../schemas/room.ts";
import {
  type Context,
  createTRPCRouter,
  eventOrganizerProcedure,
  publicProcedure,
} from "../trpc.ts";

/** Signed in, the account (its entry is found by it); signed out, the guest's entry key. */
const visitorOf = (ctx: Context, entryKey: string | undefined): RoomVisitor =>
  ctx.user
    ? { kind: "user", userId: ctx.user.id, email: ctx.user.email }
    : { kind: "guest", entryKey };

export const roomRouter = createTRPCRouter({
  challenge: publicProcedure
    .input(roomEventInput)
    .query(({ ctx, input }): Promise<ChallengeDto> => {
      const event = visibleEvent(ctx, ctx.user, input.eventId);
      const difficulty = event.onSaleRoom?.difficulty ?? DEFAULT_ROOM.difficulty;
      return ctx.engine.room.challenge(event.id, difficulty);
    }),

  enter: publicProcedure.input(enterRoomInput).mutation(async ({ ctx, input }) => {
    const event = visibleEvent(ctx, ctx.user, input.eventId);
    if (!ctx.user && input.email === undefined) {
      throw new InputError(["email"], "Give your email to enter the room as a guest");
    }
    const entrant = ctx.user
      ? { kind: "user" as const, userId: ctx.user.id, email: ctx.user.email }
      : { kind: "guest" as const, email: normalizeEmail(input.email ?? "") };
    const entered = await ctx.engine.room.enter({
      eventId: event.id,
      solution: input.solution,
      entrant,
    });
    return roomStatusDto(entered, entered.entryKey);
  }),

  position: publicProcedure.input(roomPositionInput).query(({ ctx, input }) => {
    const event = visibleEvent(ctx, ctx.user, input.eventId);
    const view = ctx.engine.room.position({
      eventId: event.id,
      enabled: event.status === "published" && event.onSaleRoom?.enabled === true,
      visitor: visitorOf(ctx, input.entryKey),
    });
    return roomStatusDto(view);
  }),

  /** The caller's status at once, then after each change (at most one a second). */
  status: publicProcedure.input(roomPositionInput).subscription(({ ctx, input, signal }) => {
    // Refused here, before streaming starts, so that the client gets the error.
    const event = visibleEvent(ctx, ctx.user, input.eventId);
    const updates = ctx.engine.room.status({
      eventId: event.id,
      visitor: visitorOf(ctx, input.entryKey),
      signal,
    });
    return (async function* () {
      for await (const { version, ...view } of updates) {
        yield tracked(String(version), roomStatusDto(view));
      }
    })();
  }),

  /** The organizer's figures at once, then after each change (at most one a second). */
  stats: eventOrganizerProcedure.input(roomEventInput).subscription(({ ctx, signal }) => {
    const updates = ctx.engine.room.stats({ eventId: ctx.event.id, signal });
    return (async function* () {
      for await (const { version, ...view } of updates) {
        yield tracked(String(version), roomStatsDto(view));
      }
    })();
  }),
});
