/**
 * Who may run an event: its organizer, or an admin. Shared by the routers and the plain-HTTP
 * exports so that every door to an event's private data asks the same question the same way.
 */
import { type EventRow, findEventRow } from "@boxoffice/db";
import { TRPCError } from "@trpc/server";
import type { PublicUser } from "./auth/session.ts";
import type { Services } from "./trpc.ts";

export const mayManageEvent = (user: PublicUser | null, row: Pick<EventRow, "organizerId">) =>
  user !== null && (user.role === "admin" || user.id === row.organizerId);

export type EventAccess =
  | { readonly ok: true; readonly row: EventRow }
  | { readonly ok: false; readonly status: 404 | 403 };

/** The decision without throwing, for callers that answer in plain HTTP. */
export function eventAccess(db: Services["db"], user: PublicUser, eventId: string): EventAccess {
  const row = findEventRow(db, eventId);
  if (!row) return { ok: false, status: 404 };
  return mayManageEvent(user, row) ? { ok: true, row } : { ok: false, status: 403 };
}

/** The event's row if `user` may manage it; NOT_FOUND or FORBIDDEN otherwise. */
export function managedEventOrThrow(
  ctx: Pick<Services, "db">,
  user: PublicUser,
  eventId: string,
): EventRow {
  const access = eventAccess(ctx.db, user, eventId);
  if (access.ok) return access.row;
  if (access.status === 404) throw new TRPCError({ code: "NOT_FOUND", message: "No such event" });
  throw new TRPCError({ code: "FORBIDDEN", message: "Only this event's organizer can do this" });
}
