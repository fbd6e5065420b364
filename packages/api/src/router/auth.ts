import { schema } from "@boxoffice/db";
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { clearSessionCookie, setSessionCookie } from "../auth/cookie.ts";
import { toPublicUserDto } from "../auth/dto.ts";
import { hashPassword, verifyPassword } from "../auth/password.ts";
import { randomString } from "../auth/session.ts";
import { refuse } from "../errors.ts";
import { changePasswordInput, loginInput, registerInput } from "../schemas/auth.ts";
import { type Context, createTRPCRouter, publicProcedure, userProcedure } from "../trpc.ts";

const WRONG_CREDENTIALS = "Wrong email or password";

/** The per-IP throttle shared by register and login: sign-up floods and password spraying. */
function throttleIp(ctx: Context): void {
  if (!ctx.rateLimits.allowIp(ctx.ip, ctx.clock.now())) {
    refuse("RATE_LIMITED", "Too many sign-in attempts from your network; try again in a minute");
  }
}

function refuseLockedEmail(ctx: Context, email: string): void {
  if (ctx.rateLimits.emailLocked(email, ctx.clock.now())) {
    refuse("RATE_LIMITED", "Too many failed sign-ins for this account; try again in 15 minutes");
  }
}

/** Starts a session for `userId`, puts its token in the cookie and returns the token. */
function startSession(ctx: Context, userId: string): { token: string; sessionId: string } {
  const { token, session } = ctx.sessions.create(userId, ctx.clock.now());
  setSessionCookie(ctx, token);
  return { token, sessionId: session.id };
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Error &&
    "code" in error &&
    typeof error.code === "string" &&
    error.code.startsWith("SQLITE_CONSTRAINT")
  );
}

function findByEmail(ctx: Context, email: string) {
  return ctx.db.select().from(schema.users).where(eq(schema.users.email, email)).get();
}

export const authRouter = createTRPCRouter({
  register: publicProcedure.input(registerInput).mutation(async ({ ctx, input }) => {
    throttleIp(ctx);
    // Checked before hashing so that a duplicate costs no argon2 work; the unique index below
    // still decides when two sign-ups race.
    if (findByEmail(ctx, input.email)) {
      refuse("EMAIL_TAKEN", "An account with this email already exists");
    }
    const passwordHash = await hashPassword(input.password);
    const user = {
      id: `usr_${randomString()}`,
      email: input.email,
      name: input.name,
      role: input.role ?? ("attendee" as const),
      createdAt: ctx.clock.now(),
    };
    try {
      ctx.db
        .insert(schema.users)
        .values({ ...user, passwordHash })
        .run();
    } catch (error) {
      if (isUniqueViolation(error)) {
        refuse("EMAIL_TAKEN", "An account with this email already exists");
      }
      throw error;
    }
    const { token } = startSession(ctx, user.id);
    return { user: toPublicUserDto(user), token };
  }),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    throttleIp(ctx);
    refuseLockedEmail(ctx, input.email);
    const user = findByEmail(ctx, input.email);
    // Unknown emails verify against a dummy hash and count as failures too, so neither timing
    // nor the lock-out tells which accounts exist.
    const ok = await verifyPassword(input.password, user?.passwordHash ?? null);
    if (!user || !ok) {
      ctx.rateLimits.recordFailure(input.email, ctx.clock.now());
      refuse("INVALID_CREDENTIALS", WRONG_CREDENTIALS);
    }
    ctx.rateLimits.clearFailures(input.email);
    const { token } = startSession(ctx, user.id);
    return { user: toPublicUserDto(user), token };
  }),

  logout: userProcedure.mutation(({ ctx }) => {
    ctx.sessions.invalidate(ctx.session.id);
    clearSessionCookie(ctx);
    return { ok: true as const };
  }),

  me: publicProcedure.query(({ ctx }) => (ctx.user ? toPublicUserDto(ctx.user) : null)),

  changePassword: userProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    const { email, id: userId } = ctx.user;
    // Wrong current passwords count against the same lock as logins: a stolen session must not
    // become an unthrottled way to guess the password.
    refuseLockedEmail(ctx, email);
    const row = ctx.db
      .select({ passwordHash: schema.users.passwordHash })
      .from(schema.users)
      .where(eq(schema.users.id, userId))
      .get();
    if (!row || !(await verifyPassword(input.currentPassword, row.passwordHash))) {
      ctx.rateLimits.recordFailure(email, ctx.clock.now());
      refuse("INVALID_CREDENTIALS", "The current password is wrong");
    }
    const newHash = await hashPassword(input.newPassword);
    // One transaction: the new hash, a fresh session replacing the current one (so a token that
    // leaked before the change is worthless after it), and every other session gone.
    const token = ctx.db.transaction((tx) => {
      const updated = tx
        .update(schema.users)
        .set({ passwordHash: newHash })
        // Compare-and-set: a concurrent change since we verified wins, and this one is refused.
        .where(and(eq(schema.users.id, userId), eq(schema.users.passwordHash, row.passwordHash)))
        .run();
      if (updated.changes !== 1) {
        throw new TRPCError({ code: "CONFLICT", message: "The password was changed meanwhile" });
      }
      const { token, session } = ctx.sessions.create(userId, ctx.clock.now());
      ctx.sessions.invalidateAllOf(userId, session.id);
      return token;
    });
    ctx.rateLimits.clearFailures(email);
    setSessionCookie(ctx, token);
    return { token };
  }),
});
