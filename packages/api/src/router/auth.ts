import { ConflictError, DomainError, newId } from "@boxoffice/core";
import {
  changePasswordAndRotateSessions,
  findPasswordHash,
  findUserByEmail,
  insertUser,
} from "@boxoffice/db";
import { clearSessionCookie, setSessionCookie } from "../auth/cookie.ts";
import { toPublicUserDto } from "../auth/dto.ts";
import { hashPassword, verifyPassword } from "../auth/password.ts";
import { changePasswordInput, loginInput, registerInput } from "../schemas/auth.ts";
import { type Context, createTRPCRouter, publicProcedure, userProcedure } from "../trpc.ts";

const WRONG_CREDENTIALS = "Wrong email or password";
const EMAIL_TAKEN = "An account with this email already exists";

/** The per-IP throttle shared by register and login: sign-up floods and password spraying. */
function throttleIp(ctx: Context): void {
  if (!ctx.rateLimits.allowIp(ctx.ip, ctx.clock.now())) {
    throw new DomainError(
      "RATE_LIMITED",
      "Too many sign-in attempts from your network; try again in a minute",
    );
  }
}

function refuseLockedEmail(ctx: Context, email: string): void {
  if (ctx.rateLimits.emailLocked(email, ctx.clock.now())) {
    throw new DomainError(
      "RATE_LIMITED",
      "Too many failed sign-ins for this account; try again in 15 minutes",
    );
  }
}

/** Starts a session for `userId`, puts its token in the cookie and returns the token. */
function startSession(ctx: Context, userId: string): { token: string; sessionId: string } {
  const { token, session } = ctx.sessions.create(userId, ctx.clock.now());
  setSessionCookie(ctx, token);
  return { token, sessionId: session.id };
}

export const authRouter = createTRPCRouter({
  register: publicProcedure.input(registerInput).mutation(async ({ ctx, input }) => {
    throttleIp(ctx);
    // Checked before hashing so that a duplicate costs no argon2 work; the unique index below
    // still decides when two sign-ups race.
    if (findUserByEmail(ctx.db, input.email)) throw new DomainError("EMAIL_TAKEN", EMAIL_TAKEN);
    const passwordHash = await hashPassword(input.password);
    const user = {
      id: newId("user"),
      email: input.email,
      name: input.name,
      role: input.role ?? ("attendee" as const),
      createdAt: ctx.clock.now(),
    };
    if (!insertUser(ctx.db, { ...user, passwordHash })) {
      throw new DomainError("EMAIL_TAKEN", EMAIL_TAKEN);
    }
    const { token } = startSession(ctx, user.id);
    return { user: toPublicUserDto(user), token };
  }),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    throttleIp(ctx);
    refuseLockedEmail(ctx, input.email);
    const user = findUserByEmail(ctx.db, input.email);
    // Unknown emails verify against a dummy hash and count as failures too, so neither timing
    // nor the lock-out tells which accounts exist.
    const ok = await verifyPassword(input.password, user?.passwordHash ?? null);
    if (!user || !ok) {
      ctx.rateLimits.recordFailure(input.email, ctx.clock.now());
      throw new DomainError("INVALID_CREDENTIALS", WRONG_CREDENTIALS);
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
    const currentHash = findPasswordHash(ctx.db, userId);
    if (currentHash === null || !(await verifyPassword(input.currentPassword, currentHash))) {
      ctx.rateLimits.recordFailure(email, ctx.clock.now());
      throw new DomainError("INVALID_CREDENTIALS", "The current password is wrong");
    }
    const newHash = await hashPassword(input.newPassword);
    // One transaction: the new hash, a fresh session replacing the current one (so a token that
    // leaked before the change is worthless after it), and every other session gone.
    const { token, row } = ctx.sessions.mint(userId, ctx.clock.now());
    const changed = changePasswordAndRotateSessions(ctx.db, {
      expectedHash: currentHash,
      newHash,
      session: row,
    });
    // A concurrent change since we verified wins, and this one is refused.
    if (!changed) throw new ConflictError("The password was changed meanwhile");
    // The revoked sessions are gone from SQLite; drop them from the store's cache too.
    ctx.sessions.forgetUser(userId);
    ctx.rateLimits.clearFailures(email);
    setSessionCookie(ctx, token);
    return { token };
  }),
});
