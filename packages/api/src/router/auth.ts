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
import { accountLinkProcedures } from "./auth-links.ts";

const WRONG_CREDENTIALS = "Wrong email or password";
const EMAIL_TAKEN = "An account with this email already exists";

/** The per-IP call throttle of every auth procedure: sign-up floods and password spraying. */
function throttleIp(ctx: Context): void {
  ctx.rateLimits.countCall(ctx.clientIp(), ctx.clock.now());
}

/**
 * Checks a password under the sign-in throttle: the check is reserved before the hash is
 * verified (refused with RATE_LIMITED when the email and IP have failed too often), and settled
 * after. A check that throws counts as failed.
 */
async function throttledCheck(
  ctx: Context,
  email: string,
  check: () => Promise<boolean>,
): Promise<boolean> {
  const attempt = ctx.rateLimits.reserveCheck(email, ctx.clientIp(), ctx.clock.now());
  let ok = false;
  try {
    ok = await check();
  } finally {
    if (ok) ctx.rateLimits.succeeded(attempt);
    else ctx.rateLimits.failed(attempt);
  }
  return ok;
}

/**
 * The role a sign-up gets. Under ORGANIZER_SIGNUP=approval an organizer applicant starts as an
 * attendee with a pending request, which an admin approves (users.setRole) or declines.
 */
function signUpRole(ctx: Context, asked: "attendee" | "organizer", now: number) {
  if (asked === "organizer" && ctx.config.limits.organizerSignup === "approval") {
    return { role: "attendee" as const, organizerRequestedAt: now };
  }
  return { role: asked, organizerRequestedAt: null };
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
    const now = ctx.clock.now();
    const user = {
      id: newId("user"),
      email: input.email,
      name: input.name,
      ...signUpRole(ctx, input.role ?? "attendee", now),
      createdAt: now,
      emailVerifiedAt: null,
    };
    if (!insertUser(ctx.db, { ...user, passwordHash })) {
      throw new DomainError("EMAIL_TAKEN", EMAIL_TAKEN);
    }
    const { token } = startSession(ctx, user.id);
    return { user: toPublicUserDto(user), token };
  }),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    throttleIp(ctx);
    const user = findUserByEmail(ctx.db, input.email);
    // Unknown emails verify against a dummy hash and count as failures too, so neither timing
    // nor the throttle tells which accounts exist.
    const ok = await throttledCheck(ctx, input.email, () =>
      verifyPassword(input.password, user?.passwordHash ?? null),
    );
    if (!user || !ok) throw new DomainError("INVALID_CREDENTIALS", WRONG_CREDENTIALS);
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
    // The same throttles as sign-in, counted together with it: a stolen session must not become
    // an unthrottled way to guess the password.
    throttleIp(ctx);
    const currentHash = findPasswordHash(ctx.db, userId);
    const ok = await throttledCheck(ctx, email, () =>
      verifyPassword(input.currentPassword, currentHash),
    );
    if (currentHash === null || !ok) {
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
    setSessionCookie(ctx, token);
    return { token };
  }),

  ...accountLinkProcedures,
});
