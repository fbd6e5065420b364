import type { PublicUser, Role } from "./session.ts";

/** The `user` of API.md: exactly these fields, and never the password hash. */
export interface PublicUserDto {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  /** ISO-8601: there is no transformer on the wire. */
  readonly createdAt: string;
  /** "pending" while a request to become an organizer awaits an admin (ORGANIZER_SIGNUP=approval). */
  readonly organizerRequest: "pending" | null;
  /** Whether the owner followed a verification (or password reset) link mailed to `email`. */
  readonly emailVerified: boolean;
}

/** Picks the public fields of a user (a session's user or a `users` row) for the wire. */
export function toPublicUserDto(user: PublicUser): PublicUserDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    createdAt: new Date(user.createdAt).toISOString(),
    organizerRequest: user.organizerRequestedAt === null ? null : "pending",
    emailVerified: user.emailVerifiedAt !== null,
  };
}
