import { schema } from "@boxoffice/db";
import { TRPCError } from "@trpc/server";
import { and, count, desc, eq, lt, or, type SQL, sql } from "drizzle-orm";
import { toPublicUserDto } from "../auth/dto.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import { setRoleInput, usersListInput } from "../schemas/auth.ts";
import { adminProcedure, createTRPCRouter } from "../trpc.ts";

export { type PublicUserDto, toPublicUserDto } from "../auth/dto.ts";

const { users } = schema;

const publicColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  createdAt: users.createdAt,
};

/** Newest first, ties broken by id, so a page boundary never skips or repeats anyone. */
interface Cursor {
  readonly createdAt: number;
  readonly id: string;
}

function readCursor(text: string | undefined): Cursor | null {
  const value = decodeCursor(text, { createdAt: "number", id: "string" });
  return value ? { createdAt: Number(value.createdAt), id: String(value.id) } : null;
}

/** `%`, `_` and the escape character itself match literally in the search text. */
function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function searchFilter(search: string | undefined): SQL | undefined {
  if (!search) return undefined;
  const pattern = likePattern(search);
  // SQLite's LIKE ignores ASCII case on its own.
  return or(
    sql`${users.email} like ${pattern} escape '\\'`,
    sql`${users.name} like ${pattern} escape '\\'`,
  );
}

function afterCursor(cursor: Cursor | null): SQL | undefined {
  if (!cursor) return undefined;
  return or(
    lt(users.createdAt, cursor.createdAt),
    and(eq(users.createdAt, cursor.createdAt), lt(users.id, cursor.id)),
  );
}

export const usersRouter = createTRPCRouter({
  list: adminProcedure.input(usersListInput).query(({ ctx, input }) => {
    const cursor = readCursor(input.cursor);
    const rows = ctx.db
      .select(publicColumns)
      .from(users)
      .where(and(searchFilter(input.search), afterCursor(cursor)))
      .orderBy(desc(users.createdAt), desc(users.id))
      // One extra row says whether another page exists without a second query.
      .limit(input.limit + 1)
      .all();
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    return {
      items: page.map(toPublicUserDto),
      nextCursor:
        rows.length > input.limit && last
          ? encodeCursor({ createdAt: last.createdAt, id: last.id })
          : null,
    };
  }),

  setRole: adminProcedure.input(setRoleInput).mutation(({ ctx, input }) => {
    // Synchronous transaction: the last-admin count and the update cannot interleave with
    // another admin's change.
    const updated = ctx.db.transaction((tx) => {
      const target = tx.select(publicColumns).from(users).where(eq(users.id, input.userId)).get();
      if (!target) throw new TRPCError({ code: "NOT_FOUND", message: "No such user" });
      if (target.role === "admin" && input.role !== "admin") {
        const [admins] = tx.select({ n: count() }).from(users).where(eq(users.role, "admin")).all();
        if ((admins?.n ?? 0) <= 1) {
          throw new TRPCError({
            code: "CONFLICT",
            message: "This is the last admin; make someone else an admin first",
          });
        }
      }
      tx.update(users).set({ role: input.role }).where(eq(users.id, input.userId)).run();
      return { ...target, role: input.role };
    });
    ctx.logger.info("role changed", {
      requestId: ctx.requestId,
      by: ctx.user.id,
      userId: updated.id,
      role: updated.role,
    });
    ctx.sessions.forgetUser(updated.id);
    return toPublicUserDto(updated);
  }),
});
