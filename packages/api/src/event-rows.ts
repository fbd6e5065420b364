/**
 * A new event as rows: the input laid over the documented defaults. A seated event's ticket types
 * are its venue's sections, each as large as its seats, and it keeps its own copy of the layout,
 * so later edits of the venue never move its seats.
 */
import { defaultCancellationPolicy, InputError, newId } from "@boxoffice/core";
import type { NewEventRow, NewTicketTypeRow, VenueRow } from "@boxoffice/db";
import { roomConfigOf } from "./dto/room.ts";
import { mergeQuestions } from "./questions.ts";
import { type CreateEventInput, waitlistModeIssues } from "./schemas/events.ts";

const ms = (iso: string | null | undefined) => (iso == null ? null : Date.parse(iso));

export function newEventRows(
  input: CreateEventInput,
  organizerId: string,
  venue: VenueRow | null,
  now: number,
) {
  const types = venue
    ? venue.layout.sections.map((s) => ({
        name: s.name,
        priceCents: s.priceCents,
        capacity: s.rows.reduce((n, r) => n + r.seats, 0),
      }))
    : input.ticketTypes;
  // A new event's types have no ids yet, so questions cannot be narrowed to types on create.
  const asked = mergeQuestions(input.questions, [], []);
  const issues = [...waitlistModeIssues(input.waitlist, types), ...asked.issues];
  if (issues.length > 0) throw new InputError(issues);
  const eventId = newId("event");
  const typeRows: NewTicketTypeRow[] = types.map((type, position) => ({
    id: newId("ticketType"),
    eventId,
    ...type,
    position,
  }));
  const event: NewEventRow = {
    id: eventId,
    organizerId,
    title: input.title,
    description: input.description,
    venueName: input.venueName ?? venue?.name ?? null,
    venueId: venue?.id ?? null,
    startsAt: Date.parse(input.startsAt),
    endsAt: ms(input.endsAt),
    timezone: input.timezone,
    salesStartAt: ms(input.salesStartAt),
    salesEndAt: ms(input.salesEndAt),
    status: "draft",
    capacity: input.capacity ?? null,
    maxPerOrder: input.maxPerOrder,
    maxPerUser: input.maxPerUser ?? null,
    holdSeconds: input.holdSeconds,
    currency: input.currency,
    waitlistEnabled: input.waitlist?.enabled ?? false,
    waitlistMode: input.waitlist?.mode ?? "offer",
    waitlistOfferSeconds: input.waitlist?.offerSeconds ?? 86_400,
    cancellationPolicy: input.cancellationPolicy ?? defaultCancellationPolicy,
    guestCheckout: input.guestCheckout,
    personalizedTickets: input.personalizedTickets,
    editCutoffHours: input.editCutoffHours,
    questions: asked.questions,
    onSaleRoom: input.onSaleRoom ? roomConfigOf(input.onSaleRoom) : null,
    createdAt: now,
    updatedAt: now,
  };
  const seating = venue
    ? {
        eventId,
        venueId: venue.id,
        seatCount: venue.seatCount,
        layout: {
          sections: venue.layout.sections.map((s, i) => ({
            ticketTypeId: typeRows[i]?.id ?? "",
            rows: s.rows.map((r) => ({ label: r.label, seats: r.seats })),
          })),
        },
      }
    : null;
  return { event, types: typeRows, seating };
}
