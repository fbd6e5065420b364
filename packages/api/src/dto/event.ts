/**
 * The API's `event`, `eventSummary` and `availability` shapes (docs/API.md), built from rows
 * and figures, plus the merge of an `events.update` input into a full configuration.
 */
import {
  type Availability,
  checkoutOf,
  type EventConfig,
  type EventDetails,
  type Personalization,
  type Question,
  type TicketTypeConfig,
} from "@boxoffice/core";
import type { EventRow, TicketTypeRow } from "@boxoffice/db";
import { mergeQuestions } from "../questions.ts";
import {
  duplicateNameIssues,
  eventTimeIssues,
  type FieldIssue,
  MAX_TICKET_TYPES,
  roomTimeIssues,
  type UpdateEventInput,
  waitlistModeIssues,
} from "../schemas/events.ts";
import { type OnSaleRoomDto, onSaleRoomDto, roomConfigOf } from "./room.ts";

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export interface AvailabilityDto {
  eventId: string;
  capacity: number;
  sold: number;
  held: number;
  available: number;
  waitlistLength: number;
  updatedAt: string;
}

export interface TicketTypeDto {
  id: string;
  name: string;
  priceCents: number;
  capacity: number;
  /** Shown only to the event's organizer (and admins) and with a code that unlocks it. */
  hidden: boolean;
  sold: number;
  held: number;
  available: number;
}

export type EventStatus = EventRow["status"];

export interface EventSummaryDto {
  id: string;
  organizerId: string;
  title: string;
  venueName: string | null;
  startsAt: string;
  endsAt: string | null;
  timezone: string;
  salesStartAt: string | null;
  salesEndAt: string | null;
  status: EventStatus;
  currency: string;
  minPriceCents: number | null;
  availability: AvailabilityDto;
}

export interface EventDto {
  id: string;
  organizerId: string;
  title: string;
  description: string;
  venueName: string | null;
  venueId: string | null;
  startsAt: string;
  endsAt: string | null;
  timezone: string;
  salesStartAt: string | null;
  salesEndAt: string | null;
  status: EventStatus;
  capacity: number | null;
  maxPerOrder: number;
  maxPerUser: number | null;
  holdSeconds: number;
  currency: string;
  waitlist: { enabled: boolean; mode: "auto" | "offer"; offerSeconds: number };
  cancellationPolicy: EventRow["cancellationPolicy"];
  ticketTypes: TicketTypeDto[];
  availability: AvailabilityDto;
  guestCheckout: boolean;
  personalizedTickets: Personalization;
  editCutoffHours: number;
  questions: QuestionDto[];
  /** The on-sale room's settings (docs/API.md "room"); defaults, switched off, when never set. */
  onSaleRoom: OnSaleRoomDto;
  /** Tickets the caller (as a person) has here, held or booked; null signed out. */
  mine: { tickets: number } | null;
}

export interface QuestionDto {
  id: string;
  label: string;
  kind: Question["kind"];
  options: string[];
  required: boolean;
  per: "order" | "ticket";
  /** null: asked of every ticket (per order: of every order). */
  ticketTypeIds: string[] | null;
  helpText: string | null;
}

export const questionDto = (q: Question): QuestionDto => ({
  id: q.id,
  label: q.label,
  kind: q.kind,
  options: [...q.options],
  required: q.required,
  per: q.per,
  ticketTypeIds: q.ticketTypeIds === null ? null : [...q.ticketTypeIds],
  helpText: q.helpText,
});

/**
 * The figures as the public sees them: hidden ticket types left out (their sales still take
 * from the event-wide cap, which bounds what the visible types can sell).
 */
export function publicAvailability(
  a: Availability,
  types: readonly { id: string; hidden: boolean }[],
  eventCapacity: number | null,
): Availability {
  const hidden = new Set(types.filter((t) => t.hidden).map((t) => t.id));
  if (hidden.size === 0) return a;
  const byType = a.byType.filter((t) => !hidden.has(t.id));
  const sum = (f: (t: (typeof byType)[number]) => number) => byType.reduce((n, t) => n + f(t), 0);
  const typesCapacity = sum((t) => t.capacity);
  return {
    ...a,
    byType,
    capacity: eventCapacity === null ? typesCapacity : Math.min(eventCapacity, typesCapacity),
    sold: sum((t) => t.sold),
    held: sum((t) => t.held),
    available: Math.min(
      a.available,
      sum((t) => t.available),
    ),
  };
}

export function availabilityDto(eventId: string, a: Availability, now: number): AvailabilityDto {
  return {
    eventId,
    capacity: a.capacity,
    sold: a.sold,
    held: a.held,
    available: a.available,
    waitlistLength: a.waitlistLength,
    updatedAt: iso(now),
  };
}

/** The cheapest public ticket: hidden types are nobody's starting price. */
function minPriceOf(types: readonly TicketTypeRow[]): number | null {
  const visible = types.filter((t) => !t.hidden);
  return visible.length === 0 ? null : Math.min(...visible.map((t) => t.priceCents));
}

export function eventSummaryDto(
  row: EventRow,
  types: readonly TicketTypeRow[],
  a: Availability,
  now: number,
): EventSummaryDto {
  return {
    id: row.id,
    organizerId: row.organizerId,
    title: row.title,
    venueName: row.venueName,
    startsAt: iso(row.startsAt),
    endsAt: isoOrNull(row.endsAt),
    timezone: row.timezone,
    salesStartAt: isoOrNull(row.salesStartAt),
    salesEndAt: isoOrNull(row.salesEndAt),
    status: row.status,
    currency: row.currency,
    minPriceCents: minPriceOf(types),
    availability: availabilityDto(row.id, a, now),
  };
}

/** The type as `event.ticketTypes` lists it, with its figures. */
export function ticketTypeDto(
  t: TicketTypeRow,
  count: { sold: number; held: number; available: number } | undefined,
): TicketTypeDto {
  return {
    id: t.id,
    name: t.name,
    priceCents: t.priceCents,
    capacity: t.capacity,
    hidden: t.hidden,
    sold: count?.sold ?? 0,
    held: count?.held ?? 0,
    available: count?.available ?? 0,
  };
}

/** `forOrganizer`: hidden types and their figures included (else left out, docs/API.md). */
export function eventDto(
  row: EventRow,
  allTypes: readonly TicketTypeRow[],
  all: Availability,
  now: number,
  forOrganizer = true,
  mine: EventDto["mine"] = null,
): EventDto {
  const types = forOrganizer ? allTypes : allTypes.filter((t) => !t.hidden);
  const a = forOrganizer ? all : publicAvailability(all, allTypes, row.capacity);
  const byType = new Map(a.byType.map((t) => [t.id, t]));
  return {
    id: row.id,
    organizerId: row.organizerId,
    title: row.title,
    description: row.description,
    venueName: row.venueName,
    venueId: row.venueId,
    startsAt: iso(row.startsAt),
    endsAt: isoOrNull(row.endsAt),
    timezone: row.timezone,
    salesStartAt: isoOrNull(row.salesStartAt),
    salesEndAt: isoOrNull(row.salesEndAt),
    status: row.status,
    capacity: row.capacity,
    maxPerOrder: row.maxPerOrder,
    maxPerUser: row.maxPerUser,
    holdSeconds: row.holdSeconds,
    currency: row.currency,
    waitlist: {
      enabled: row.waitlistEnabled,
      mode: row.waitlistMode,
      offerSeconds: row.waitlistOfferSeconds,
    },
    cancellationPolicy: row.cancellationPolicy,
    ticketTypes: types.map((t) => ticketTypeDto(t, byType.get(t.id))),
    availability: availabilityDto(row.id, a, now),
    guestCheckout: row.guestCheckout,
    personalizedTickets: row.personalizedTickets,
    editCutoffHours: row.editCutoffHours,
    questions: row.questions.map(questionDto),
    onSaleRoom: onSaleRoomDto(row.onSaleRoom),
    mine,
  };
}

/** `undefined` keeps, `null` clears, a string replaces. */
function instantOr(value: string | null | undefined, current: number | null): number | null {
  if (value === undefined) return current;
  return value === null ? null : Date.parse(value);
}

/**
 * Drops the saved types `removeTicketTypeIds` names. Only a draft's: a published event may have
 * sold or held any of them (and its actor refuses dropping a type that has sales either way).
 */
function removeTicketTypes(
  config: EventConfig,
  row: EventRow,
  input: UpdateEventInput,
): { types: TicketTypeConfig[]; issues: FieldIssue[] } {
  const ids = input.removeTicketTypeIds ?? [];
  const issues: FieldIssue[] = [];
  const changed = new Set((input.ticketTypes ?? []).map((t) => t.id));
  for (const [i, id] of ids.entries()) {
    const path = `removeTicketTypeIds.${i}`;
    if (!config.ticketTypes.some((t) => t.id === id)) {
      issues.push({ path, message: "No such ticket type for this event" });
    } else if (row.venueId !== null) {
      issues.push({ path, message: "A seated event's sections cannot be removed" });
    } else if (config.status !== "draft") {
      issues.push({
        path,
        message:
          "Ticket types can be removed only from drafts: once published, buyers may hold them. Set its capacity to what is sold to stop selling it",
      });
    } else if (changed.has(id)) {
      issues.push({ path, message: "This ticket type is both changed and removed" });
    }
  }
  if (issues.length > 0) return { types: [...config.ticketTypes], issues };
  const gone = new Set(ids);
  return { types: config.ticketTypes.filter((t) => !gone.has(t.id)), issues };
}

function mergeTicketTypes(
  current: readonly TicketTypeConfig[],
  entries: UpdateEventInput["ticketTypes"],
  newTypeId: () => string,
): { types: TicketTypeConfig[]; issues: FieldIssue[] } {
  // Types not listed are kept (only removeTicketTypeIds drops one), so no type with sales is lost.
  const types = [...current];
  const issues: FieldIssue[] = [];
  for (const [i, entry] of (entries ?? []).entries()) {
    if (entry.id === undefined) {
      types.push({
        id: newTypeId(),
        name: entry.name ?? "",
        priceCents: entry.priceCents ?? 0,
        capacity: entry.capacity ?? 0,
        ...(entry.hidden ? { hidden: true } : {}),
      });
      continue;
    }
    const at = types.findIndex((t) => t.id === entry.id);
    const type = types[at];
    if (!type) {
      issues.push({ path: `ticketTypes.${i}.id`, message: "No such ticket type for this event" });
      continue;
    }
    types[at] = {
      id: type.id,
      name: entry.name ?? type.name,
      priceCents: entry.priceCents ?? type.priceCents,
      capacity: entry.capacity ?? type.capacity,
      ...((entry.hidden ?? type.hidden) ? { hidden: true } : {}),
    };
  }
  if (types.length > MAX_TICKET_TYPES) {
    issues.push({ path: "ticketTypes", message: `At most ${MAX_TICKET_TYPES} ticket types` });
  }
  if (types.length === 0) {
    issues.push({ path: "ticketTypes", message: "Add at least one ticket type" });
  }
  const names = duplicateNameIssues(
    types.map((t) => t.name),
    () => "ticketTypes",
  );
  return { types, issues: [...issues, ...names.slice(0, 1)] };
}

/**
 * The full configuration and details an update asks for: the stored values with the input laid
 * over them, checked again as a whole, since a partial update can break a rule from either side.
 */
export function mergeEventUpdate(
  config: EventConfig,
  row: EventRow,
  input: UpdateEventInput,
  newTypeId: () => string,
): { config: EventConfig; details: EventDetails; issues: FieldIssue[] } {
  const kept = removeTicketTypes(config, row, input);
  const merged = mergeTicketTypes(kept.types, input.ticketTypes, newTypeId);
  const types = merged.types;
  const issues = [...kept.issues, ...merged.issues];
  // Seat maps show every section: a seated event sells no hidden types (codes still discount).
  for (const [i, entry] of (input.ticketTypes ?? []).entries()) {
    if (entry.hidden && row.venueId !== null) {
      issues.push({
        path: `ticketTypes.${i}.hidden`,
        message: "A seated event's sections are never hidden",
      });
    }
  }
  const keep = <T>(value: T | undefined, current: T): T => (value === undefined ? current : value);
  const next: EventConfig = {
    ...config,
    startsAt: input.startsAt === undefined ? config.startsAt : Date.parse(input.startsAt),
    endsAt: instantOr(input.endsAt, config.endsAt),
    salesStartAt: instantOr(input.salesStartAt, config.salesStartAt),
    salesEndAt: instantOr(input.salesEndAt, config.salesEndAt),
    capacity: keep(input.capacity, config.capacity),
    maxPerOrder: keep(input.maxPerOrder, config.maxPerOrder),
    maxPerUser: keep(input.maxPerUser, config.maxPerUser),
    holdSeconds: keep(input.holdSeconds, config.holdSeconds),
    currency: keep(input.currency, config.currency),
    ticketTypes: types,
    waitlist: keep(input.waitlist, config.waitlist),
    cancellationPolicy: keep(input.cancellationPolicy, config.cancellationPolicy),
    // Replaced whole, as `waitlist` (not given: as it was, via `...config`).
    ...(input.onSaleRoom ? { room: roomConfigOf(input.onSaleRoom) } : {}),
  };
  const checkout = checkoutOf(config);
  const asked =
    input.questions === undefined
      ? { questions: [...checkout.questions], issues: [] }
      : mergeQuestions(
          input.questions,
          checkout.questions,
          types.map((t) => t.id),
        );
  issues.push(...asked.issues);
  const withCheckout: EventConfig = {
    ...next,
    checkout: {
      guestCheckout: keep(input.guestCheckout, checkout.guestCheckout),
      personalizedTickets: keep(input.personalizedTickets, checkout.personalizedTickets),
      editCutoffHours: keep(input.editCutoffHours, checkout.editCutoffHours),
      questions: asked.questions,
    },
  };
  const details: EventDetails = {
    title: keep(input.title, row.title),
    description: keep(input.description, row.description),
    venueName: keep(input.venueName, row.venueName),
    timezone: keep(input.timezone, row.timezone),
  };
  const waitlist = waitlistModeIssues(next.waitlist, next.ticketTypes);
  return {
    config: withCheckout,
    details,
    issues: [
      ...eventTimeIssues(next),
      ...roomTimeIssues(next.room?.opensAt, next),
      ...issues,
      ...waitlist,
    ],
  };
}
