/**
 * Single-use links mailed to a user: password reset and email verification. The token is 160
 * random bits; the database keeps its SHA-256 only (`account_tokens`), so neither a copy of the
 * database nor a backup gives a usable link away.
 */
import { randomString } from "@boxoffice/core";
import type { AccountTokenPurpose } from "@boxoffice/db";
import type { Context } from "../trpc.ts";

const HOUR_MS = 3_600_000;

/** How long links live, and how many one account may be mailed. README "Security". */
export const ACCOUNT_LINKS = {
  /** A password reset link works this long, once. */
  resetTtlMs: HOUR_MS,
  /** A verification link works this long. */
  verifyTtlMs: 24 * HOUR_MS,
  /** Links of one purpose mailed to one account per hour; more requests mail nothing. */
  perAccountPerHour: 3,
} as const;

/** The page each link opens, under the app's origin. */
const PAGES: Record<AccountTokenPurpose, string> = {
  password_reset: "/reset-password/",
  email_verification: "/verify-email/",
};

export function hashToken(token: string): string {
  return new Bun.CryptoHasher("sha256").update(token).digest("hex");
}

/** 32 characters of the id alphabet: 160 bits. */
export function newAccountToken(): { token: string; tokenHash: string } {
  const token = randomString(32);
  return { token, tokenHash: hashToken(token) };
}

/**
 * The link for `token`: under PUBLIC_ORIGIN when it is set, else the address the server listens
 * on. Never the request's Host header, which a caller could set to their own site and so receive
 * someone else's reset link.
 */
export function accountLink(ctx: Context, purpose: AccountTokenPurpose, token: string): string {
  const origin = ctx.config.publicOrigin ?? ctx.config.listenOrigin?.() ?? "http://localhost:3000";
  return `${origin}${PAGES[purpose]}${token}`;
}
