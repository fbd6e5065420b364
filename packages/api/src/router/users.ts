import { ConflictError, NotFoundError } from "@boxoffice/core";
import { declineOrganizerRequest, listUsers, setUserRole, type UserCursor } from "@boxoffice/db";
import { toPublicUserDto } from "../auth/dto.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import { setRoleInput, userIdInput, usersListInput } from "../schemas/auth.ts";
import { adminProcedure, createTRPCRouter } from "../trpc.ts";

export { type PublicUserDto, toPublicUserDto } from "../auth/dto.ts";

function readCursor(text: string | undefined): UserCursor | null {
  const value = decodeCursor(text, { createdAt: "number", id: "string" });
  return value ? { createdAt: Number(value.createdAt), id: String(value.id) } : null;
}

export const usersRouter = createTRPCRouter({
  list: adminProcedure.input(usersListInput).query(({ ctx, input }) => {
    const { users, more } = listUsers(ctx.db, {
      search: input.search,
      pendingOrganizer: input.pendingOrganizer,
      after: readCursor(input.cursor),
      limit: input.limit,
    });
    const last = users.at(-1);
    return {
      items: users.map(toPublicUserDto),
      nextCursor: more && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
    };
  }),

  setRole: adminProcedure.input(setRoleInput).mutation(({ ctx, input }) => {
    const result = setUserRole(ctx.db, input.userId, input.role);
    if (!result.ok) {
      if (result.why === "not_found") throw new NotFoundError("No such user");
      throw new ConflictError("This is the last admin; make someone else an admin first");
    }
    const { user } = result;
    ctx.logger.info("role changed", {
      requestId: ctx.requestId,
      by: ctx.user.id,
      userId: user.id,
      role: user.role,
    });
    ctx.sessions.forgetUser(user.id);
    return toPublicUserDto(user);
  }),

  /** Declines a pending organizer request (approving one is setRole to "organizer"). */
  declineOrganizer: adminProcedure.input(userIdInput).mutation(({ ctx, input }) => {
    const result = declineOrganizerRequest(ctx.db, input.userId);
    if (!result.ok) {
      if (result.why === "not_found") throw new NotFoundError("No such user");
      throw new ConflictError("This user has no pending organizer request; it may be decided");
    }
    ctx.logger.info("organizer request declined", {
      requestId: ctx.requestId,
      by: ctx.user.id,
      userId: result.user.id,
    });
    ctx.sessions.forgetUser(result.user.id);
    return toPublicUserDto(result.user);
  }),
});
