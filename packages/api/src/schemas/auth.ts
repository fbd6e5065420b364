/**
 * Inputs of the auth and users procedures: one schema per input, used by the server's `.input()`
 * and by the web app's forms. Every string is bounded so that an oversized value is a 400 naming
 * the field, never work for the password hasher or the database.
 */
import { z } from "zod";
import { cursorSchema, idSchema, singleLine } from "./text.ts";

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const EMAIL_MAX = 254; // RFC 5321's limit on a forward path.
export const NAME_MAX = 100;

/** Trimmed and lower-cased before it is checked, so " Ann@Example.com" and "ann@example.com" are one account. */
export const emailSchema = singleLine(0, EMAIL_MAX).toLowerCase().pipe(z.email());

/** Never trimmed: spaces are part of a passphrase. Never shown anywhere, so any character goes. */
export const passwordSchema = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX);

export const nameSchema = singleLine(1, NAME_MAX);

/** Roles anyone may pick for themselves; `admin` is granted only by bootstrap or another admin. */
export const selfServiceRoleSchema = z.enum(["attendee", "organizer"]);
export const roleSchema = z.enum(["attendee", "organizer", "admin"]);

export const registerInput = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: nameSchema,
  role: selfServiceRoleSchema.optional(),
});

// Login checks no password policy (policies change; old passwords must still work), only bounds.
export const loginInput = z.object({
  email: emailSchema,
  password: z.string().min(1).max(PASSWORD_MAX),
});

export const changePasswordInput = z.object({
  currentPassword: z.string().min(1).max(PASSWORD_MAX),
  newPassword: passwordSchema,
});

export const requestPasswordResetInput = z.object({ email: emailSchema });

/** A token from a mailed link; a malformed one is refused like an unknown one (LINK_INVALID). */
export const linkTokenSchema = singleLine(1, 64);

export const resetPasswordInput = z.object({
  token: linkTokenSchema,
  newPassword: passwordSchema,
});

export const verifyEmailInput = z.object({ token: linkTokenSchema });

export const usersListInput = z
  .object({
    search: singleLine(0, NAME_MAX).optional(),
    pendingOrganizer: z.boolean().optional(),
    cursor: cursorSchema().optional(),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .default({ limit: 20 });

export const userIdInput = z.object({ userId: idSchema });

export const setRoleInput = z.object({
  userId: idSchema,
  role: roleSchema,
});

export type RegisterInput = z.infer<typeof registerInput>;
export type LoginInput = z.infer<typeof loginInput>;
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;
export type ResetPasswordInput = z.infer<typeof resetPasswordInput>;
export type UsersListInput = z.infer<typeof usersListInput>;
export type SetRoleInput = z.infer<typeof setRoleInput>;
