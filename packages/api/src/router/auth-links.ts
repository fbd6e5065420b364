/**
 * The auth procedures that work through mailed links: forgotten passwords and email
 * verification. Part of `authRouter` (auth.ts), kept apart so that each file stays readable.
 */
import { DomainError } from "@boxoffice/core";
import {
  type AccountMessage,
  type AccountTokenPurpose,
  findLiveAccountToken,
  findUserByEmail,
  findUserById,
  issueAccountToken,
  resetPasswordWithToken,
  verifyEmailWithToken,
} from "@boxoffice/db";
import { ACCOUNT_LINKS, accountLink, hashToken, newAccountToken } from "../auth/account-links.ts";
import { setSessionCookie } from "../auth/cookie.ts";
import { toPublicUserDto } from "../auth/dto.ts";
import { hashPassword } from "../auth/password.ts";
import { rateLimited } from "../errors.ts";
import {
  requestPasswordResetInput,
  resetPasswordInput,
  verifyEmailInput,
} from "../schemas/auth.ts";
import { type Context, publicProcedure, userProcedure } from "../trpc.ts";

const HOUR_MS = 3_600_000;

const linkInvalid = () =>
  new DomainError("LINK_INVALID", "This link has expired or has already been used");

/**
 * Mails `user` a new link for `purpose`, storing only its hash, in one transaction with the
 * outbox row. False when the account had its hourly share of such mails already.
 */
function mailLink(
  ctx: Context,
  user: { id: string; email: string },
  purpose: AccountTokenPurpose,
): boolean {
  const now = ctx.clock.now();
  const { token, tokenHash } = newAccountToken();
  const ttl = purpose === "password_reset" ? ACCOUNT_LINKS.resetTtlMs : ACCOUNT_LINKS.verifyTtlMs;
  const expiresAt = now + ttl;
  const link = accountLink(ctx, purpose, token);
  const mail: AccountMessage =
    purpose === "password_reset"
      ? { kind: "password_reset", payload: { link, expiresAt } }
      : { kind: "email_verification", payload: { link, expiresAt, email: user.email } };
  return issueAccountToken(ctx.db, {
    tokenHash,
    userId: user.id,
    purpose,
    email: user.email,
    now,
    expiresAt,
    mail,
    limit: { since: now - HOUR_MS, max: ACCOUNT_LINKS.perAccountPerHour },
  });
}

export const accountLinkProcedures = {
  /**
   * Always answers ok, whether or not the email has an account (so nobody learns which do); an
   * account gets a reset link unless it had three in the last hour.
   */
  requestPasswordReset: publicProcedure
    .input(requestPasswordResetInput)
    .mutation(({ ctx, input }) => {
      ctx.rateLimits.countCall(ctx.clientIp(), ctx.clock.now());
      const user = findUserByEmail(ctx.db, input.email);
      if (user) mailLink(ctx, user, "password_reset");
      return { ok: true as const };
    }),

  /** Spends a reset link: the new password, every session revoked, and a fresh one here. */
  resetPassword: publicProcedure.input(resetPasswordInput).mutation(async ({ ctx, input }) => {
    ctx.rateLimits.countCall(ctx.clientIp(), ctx.clock.now());
    const tokenHash = hashToken(input.token);
    // Checked first so that a dead link costs no argon2 work; spent below under the same check.
    if (!findLiveAccountToken(ctx.db, tokenHash, "password_reset", ctx.clock.now())) {
      throw linkInvalid();
    }
    const newHash = await hashPassword(input.newPassword);
    const now = ctx.clock.now();
    let token = "";
    const reset = resetPasswordWithToken(ctx.db, {
      tokenHash,
      now,
      newHash,
      session: (userId) => {
        const minted = ctx.sessions.mint(userId, now);
        token = minted.token;
        return minted.row;
      },
    });
    // Another request spent the link (or it expired) while the password was being hashed.
    if (!reset) throw linkInvalid();
    ctx.sessions.forgetUser(reset.userId);
    const user = findUserById(ctx.db, reset.userId);
    if (!user) throw linkInvalid();
    setSessionCookie(ctx, token);
    return { user: toPublicUserDto(user), token };
  }),

  /** Mails the signed-in user a link that verifies their address; nothing when it is verified. */
  requestEmailVerification: userProcedure.mutation(({ ctx }) => {
    if (ctx.user.emailVerifiedAt !== null) return { ok: true as const, alreadyVerified: true };
    if (!mailLink(ctx, ctx.user, "email_verification")) {
      throw rateLimited("We sent you several links in the last hour; use the latest one", HOUR_MS);
    }
    return { ok: true as const, alreadyVerified: false };
  }),

  /** Follows a verification link (signed in or not): the address it was mailed to is verified. */
  verifyEmail: publicProcedure.input(verifyEmailInput).mutation(({ ctx, input }) => {
    ctx.rateLimits.countCall(ctx.clientIp(), ctx.clock.now());
    const verified = verifyEmailWithToken(ctx.db, hashToken(input.token), ctx.clock.now());
    if (!verified) throw linkInvalid();
    ctx.sessions.forgetUser(verified.userId);
    return { ok: true as const, email: verified.email };
  }),
};
