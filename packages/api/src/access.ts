/**
 * Who may run an event (or a venue): its organizer, or an admin. The one rule, asked the same way
 * by `eventOrganizerProcedure`, by the plain-HTTP exports and wherever a booking may be seen by
 * its event's organizer.
 */
import { DomainError, ForbiddenError, NotFoundError, normalizeEmail } from "@boxoffice/core";
import { type EventRow, findBooking, findEventRow } from "@boxoffice/db";
import type { PublicUser } from "./auth/session.ts";
import type { Services } from "./trpc.ts";

/** Its owner, or an admin. */
export const mayManage = (user: PublicUser | null, ownerId: string): boolean =>
  user !== null && (user.role === "admin" || user.id === ownerId);

/** The event's row if `user` may manage it; NotFoundError or ForbiddenError otherwise. */
export function organizerEvent(
  services: Pick<Services, "db">,
  user: PublicUser,
  eventId: string,
): EventRow {
  const row = findEventRow(services.db, eventId);
  if (!row) throw new NotFoundError("No such event");
  if (!mayManage(user, row.organizerId)) {
    throw new ForbiddenError("Only this event's organizer can do this");
  }
  return row;
}

/** The event's row if anyone may see it: drafts only to whoever may manage them. */
export function visibleEvent(
  services: Pick<Services, "db">,
  user: PublicUser | null,
  eventId: string,
): EventRow {
  const row = findEventRow(services.db, eventId);
  // Someone else's draft looks exactly like a missing event: ids leak nothing.
  if (!row || (row.status === "draft" && !mayManage(user, row.organizerId))) {
    throw new NotFoundError("No such event");
  }
  return row;
}

/**
 * Runs a buyer's request on an event; a draft's refusal (EVENT_NOT_PUBLISHED) reaches only
 * whoever may manage the event: to anyone else a draft looks exactly like a missing event. The
 * event is read only on that refusal, never on the booking path.
 */
export async function hidingDrafts<T>(
  services: Pick<Services, "db">,
  user: PublicUser | null,
  eventId: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError && error.reason === "EVENT_NOT_PUBLISHED") {
      const row = findEventRow(services.db, eventId);
      if (!row || !mayManage(user, row.organizerId)) throw new NotFoundError("No such event");
    }
    throw error;
  }
}

/**
 * Whose events a "mine" view covers (events.list with `mine`, analytics.overview): an
 * organizer's own, an admin's everyone's (`organizerId: null`); `organizerId` narrows it to one
 * organizer. Null when that leaves nothing: an organizer asking for someone else's events.
 */
export function managedEventsScope(
  user: PublicUser,
  organizerId: string | undefined,
): { readonly organizerId: string | null } | null {
  if (user.role === "admin") return { organizerId: organizerId ?? null };
  if (organizerId !== undefined && organizerId !== user.id) return null;
  return { organizerId: user.id };
}

/** A verified account's own guest bookings (made under its email) count as its own. */
export const verifiedEmailOf = (user: PublicUser): string | null =>
  user.emailVerifiedAt === null ? null : normalizeEmail(user.email);

/**
 * The booking if the caller owns it or (with `allowOrganizer`) runs its event; NOT_FOUND
 * otherwise, so ids leak nothing.
 */
export function visibleBooking(
  ctx: Pick<Services, "db"> & { readonly user: PublicUser },
  bookingId: string,
  allowOrganizer: boolean,
) {
  const found = findBooking(ctx.db, bookingId);
  const guestOrder =
    found !== null &&
    found.booking.userId === null &&
    found.booking.buyerEmail === verifiedEmailOf(ctx.user);
  const own = found?.booking.userId === ctx.user.id || guestOrder;
  const organizer = allowOrganizer && found !== null && mayManage(ctx.user, found.organizerId);
  if (!found || !(own || organizer)) throw new NotFoundError("No such booking");
  return { found, own };
}
