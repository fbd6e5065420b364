/**
 * Inputs of the auth and users procedures: one schema per input, used by the server's `.input()`
 * and by the web app's forms. Every string is bounded so that an oversized value is a 400 naming
 * the field, never work for the password hasher or the database.
 */
import { z } from "zod";

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const EMAIL_MAX = 254; // RFC 5321's limit on a forward path.
export const NAME_MAX = 100;

// Control characters in a display name end up in e-mails, CSV exports and logs.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const controlCharacters = /[\u0000-\u001f\u007f]/;

/** Trimmed and lower-cased before it is checked, so " Ann@Example.com" and "ann@example.com" are one account. */
export const emailSchema = z.string().trim().toLowerCase().max(EMAIL_MAX).pipe(z.email());

/** Never trimmed: spaces are part of a passphrase. */
export const passwordSchema = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX);

export const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(NAME_MAX)
  .refine((name) => !controlCharacters.test(name), "Must not contain control characters");

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

export const usersListInput = z
  .object({
    search: z.string().trim().max(NAME_MAX).optional(),
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .default({ limit: 20 });

export const setRoleInput = z.object({
  userId: z.string().min(1).max(64),
  role: roleSchema,
});

export type RegisterInput = z.infer<typeof registerInput>;
export type LoginInput = z.infer<typeof loginInput>;
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;
export type UsersListInput = z.infer<typeof usersListInput>;
export type SetRoleInput = z.infer<typeof setRoleInput>;
