/**
 * Typed read views of an event: what routers may know of inventory, seats and the waitlist.
 * Each comes from the actor when it is in memory (the freshest) and from SQLite otherwise, by the
 * same core rules; a read never loads an actor.
 */
import {
  type Availability,
  availability,
  availabilityOf,
  buildSeating,
  type EventState,
  type Seating,
  seatStatuses,
  seatStatusesOf,
  type TypeCount,
  waitlistPosition,
} from "@boxoffice/core";
import {
  activeWaitlistEntries,
  type Db,
  type EventRow,
  eventConfigFromRows,
  latestWaitlistEntry,
  peopleByIds,
  seatLayoutOf,
  seatsOfUser,
  ticketTypeNames as storedTicketTypeNames,
  waitlistHistory as storedWaitlistHistory,
  type TicketTypeRow,
  takenSeats,
  ticketCounts,
  ticketsOfPerson,
  ticketTypesOf,
  type WaitlistCounts,
  type WaitlistEntryState,
  waitingByEvent,
  waitlistCounts,
} from "@boxoffice/db";
import type { EventRegistry } from "./registry.ts";

/** An event as stored, with the ticket types in display order. */
export interface StoredEvent {
  readonly row: EventRow;
  readonly types: readonly TicketTypeRow[];
}

/** A seated event's seats: layout, section names and prices, and one status byte per seat. */
export interface SeatMapView {
  readonly eventId: string;
  /** The actor's version: live changes with a higher version come after this map. */
  readonly version: number;
  readonly seating: Seating;
  readonly sections: readonly { id: string; name: string; priceCents: number }[];
  /** Seat number → SEAT_FREE, SEAT_HELD or SEAT_BOOKED. */
  readonly statuses: Uint8Array;
}

/** The seats of a seated event that one buyer holds or has booked. */
export interface UserSeats {
  readonly held: readonly string[];
  readonly booked: readonly string[];
}

export type WaitlistState = "waiting" | "offered" | "converted" | "expired" | "left" | "none";

export interface WaitlistStatusView {
  readonly state: WaitlistState;
  /** 1 for the next in line; null unless waiting. */
  readonly position: number | null;
  readonly offer: { readonly holdId: string; readonly expiresAt: number } | null;
}

export interface WaitlistEntryView {
  readonly id: string;
  readonly userId: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly ticketTypeId: string | null;
  readonly quantity: number;
  readonly state: "waiting" | "offered";
  readonly position: number | null;
  readonly joinedAt: number;
  readonly offer: { readonly holdId: string; readonly expiresAt: number } | null;
}

/** An entry of the full history: active or ended, with when and how it ended. */
export interface WaitlistHistoryEntryView {
  readonly id: string;
  readonly seq: number;
  readonly userId: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly ticketTypeId: string | null;
  readonly quantity: number;
  readonly state: WaitlistEntryState;
  readonly position: number | null;
  readonly joinedAt: number;
  readonly endedAt: number | null;
  /** The live offer of an offered entry. */
  readonly offer: { readonly holdId: string; readonly expiresAt: number } | null;
  /** The deadline of its offer, live or ended. */
  readonly offerExpiresAt: number | null;
  readonly bookingId: string | null;
}

export interface WaitlistHistoryView {
  readonly entries: WaitlistHistoryEntryView[];
  readonly counts: WaitlistCounts;
}

/** Views are built once per actor state (states are immutable) and shared by every reader. */
const seatMaps = new WeakMap<EventState, SeatMapView>();

export function seatMapOfState(state: EventState): SeatMapView | null {
  const { seating } = state;
  if (!seating) return null;
  let view = seatMaps.get(state);
  if (!view) {
    view = {
      eventId: state.config.id,
      version: state.version,
      seating,
      sections: sectionsOf(seating, state.config.ticketTypes),
      statuses: seatStatuses(state),
    };
    seatMaps.set(state, view);
  }
  return view;
}

/** The user whose hold or booking has seat number `n` in this state, if anyone's. */
export function seatUserOfState(state: EventState, n: number): string | undefined {
  const owner = state.seatOwners.get(n);
  if (owner === undefined) return undefined;
  return state.holds.get(owner)?.userId ?? state.bookings.get(owner)?.userId;
}

/** A user's seats in this state: one pass over holds and bookings, cheap next to a request. */
export function seatsOfUserInState(state: EventState, userId: string): UserSeats {
  if (!state.seating) return { held: [], booked: [] };
  const held: string[] = [];
  const booked: string[] = [];
  for (const hold of state.holds.values()) {
    if (hold.userId === userId) held.push(...hold.seatIds);
  }
  for (const booking of state.bookings.values()) {
    if (booking.userId === userId) booked.push(...booking.seatIds);
  }
  return { held, booked };
}

function sectionsOf(
  seating: Seating,
  types: readonly { id: string; name: string; priceCents: number }[],
): SeatMapView["sections"] {
  const byId = new Map(types.map((t) => [t.id, t] as const));
  return seating.sections.map((s) => {
    const type = byId.get(s.ticketTypeId);
    return { id: s.ticketTypeId, name: type?.name ?? "", priceCents: type?.priceCents ?? 0 };
  });
}

const offerOf = (state: EventState, holdId: string | null) => {
  const hold = holdId === null ? undefined : state.holds.get(holdId);
  return hold ? { holdId: hold.id, expiresAt: hold.expiresAt } : null;
};

export function createViews(db: Db, registry: EventRegistry, now: () => number) {
  const awake = (eventId: string) => registry.peek(eventId)?.state;

  /** Availability of many stored events: awake ones from their actor, the rest from SQLite. */
  function availabilities(events: readonly StoredEvent[]): Map<string, Availability> {
    const result = new Map<string, Availability>();
    const asleep = events.filter((e) => {
      const state = awake(e.row.id);
      if (state) result.set(e.row.id, availability(state));
      return !state;
    });
    if (asleep.length === 0) return result;
    const ids = asleep.map((e) => e.row.id);
    const counts = ticketCounts(db, ids, now());
    const waiting = waitingByEvent(db, ids);
    for (const { row, types } of asleep) {
      const own: Record<string, TypeCount> = {};
      for (const t of types) own[t.id] = counts.get(t.id) ?? { sold: 0, held: 0 };
      const config = eventConfigFromRows(row, types);
      result.set(row.id, availabilityOf(config, own, waiting.get(row.id) ?? 0));
    }
    return result;
  }

  function seatMap(row: EventRow): SeatMapView | null {
    const state = awake(row.id);
    if (state) return seatMapOfState(state);
    const layout = seatLayoutOf(db, row.id);
    if (!layout) return null;
    const seating = buildSeating(layout);
    return {
      eventId: row.id,
      version: 0,
      seating,
      sections: sectionsOf(seating, ticketTypesOf(db, row.id)),
      statuses: seatStatusesOf(seating, takenSeats(db, row.id, now())),
    };
  }

  /** The seats of a seated event this user holds or has booked (the `mine` of seat maps). */
  function seatsOfBuyer(row: EventRow, userId: string): UserSeats {
    const state = awake(row.id);
    if (state) return seatsOfUserInState(state, userId);
    return seatsOfUser(db, row.id, userId, now());
  }

  /**
   * Names of an event's ticket types by id, hidden ones included: from its actor's config when
   * awake (as it is right after a hold), else from SQLite.
   */
  function ticketTypeNames(eventId: string): ReadonlyMap<string, string> {
    const state = awake(eventId);
    if (state) return new Map(state.config.ticketTypes.map((t) => [t.id, t.name]));
    return storedTicketTypeNames(db, eventId);
  }

  /**
   * Tickets a person (the account `userId`, by its normalised email) has in an event, held or
   * booked: what its actor's `perUser` counts against `maxPerUser`.
   */
  function ticketsOfBuyer(eventId: string, person: string, userId: string): number {
    const state = awake(eventId);
    if (state) return state.perUser.get(person) ?? 0;
    return ticketsOfPerson(db, eventId, person, userId, now());
  }

  function waitlistStatus(eventId: string, userId: string): WaitlistStatusView {
    const state = awake(eventId);
    const activeId = state?.waitlistUsers.get(userId);
    const active = activeId === undefined ? undefined : state?.waitlist.get(activeId);
    if (state && active) {
      return {
        state: active.state,
        position: waitlistPosition(state, active.id),
        offer: active.state === "offered" ? offerOf(state, active.holdId) : null,
      };
    }
    const latest = latestWaitlistEntry(db, eventId, userId);
    if (!latest) return { state: "none", position: null, offer: null };
    const { entry, position } = latest;
    // An awake actor knows every active entry: a row still active here is a commit in flight,
    // and what the actor says wins (this entry has ended, or never was).
    if (state && (entry.state === "waiting" || entry.state === "offered")) {
      return { state: "none", position: null, offer: null };
    }
    return { state: entry.state, position, offer: entry.offer };
  }

  function waitlistEntries(eventId: string): WaitlistEntryView[] {
    const state = awake(eventId);
    const entries = state
      ? [...state.waitlist.values()].map((e) => ({
          ...e,
          position: waitlistPosition(state, e.id),
          offer: e.state === "offered" ? offerOf(state, e.holdId) : null,
        }))
      : withPositions(activeWaitlistEntries(db, eventId));
    const people = peopleByIds(
      db,
      entries.map((e) => e.userId),
    );
    return entries.map((e) => ({
      id: e.id,
      userId: e.userId,
      name: people.get(e.userId)?.name ?? null,
      email: people.get(e.userId)?.email ?? null,
      ticketTypeId: e.ticketTypeId,
      quantity: e.quantity,
      state: e.state === "offered" ? "offered" : "waiting",
      position: e.position,
      joinedAt: e.joinedAt,
      offer: e.offer,
    }));
  }

  /**
   * Every entry that ever joined, a page in joining order, from SQLite (every entry keeps its
   * row); entries still active in an awake actor take its fresher state, place and offer.
   */
  function waitlistHistory(
    eventId: string,
    filter: { state: WaitlistEntryState | null; afterSeq: number | null; limit: number },
  ): WaitlistHistoryView {
    const state = awake(eventId);
    const rows = storedWaitlistHistory(db, eventId, filter).map((row) => {
      const active = state?.waitlist.get(row.id);
      if (!state || !active) return row;
      const offer = active.state === "offered" ? offerOf(state, active.holdId) : null;
      return {
        ...row,
        state: active.state,
        position: waitlistPosition(state, active.id),
        offer,
        offerExpiresAt: offer?.expiresAt ?? row.offerExpiresAt,
      };
    });
    const people = peopleByIds(
      db,
      rows.map((e) => e.userId),
    );
    const entries = rows.map((e) => ({
      id: e.id,
      seq: e.seq,
      userId: e.userId,
      name: people.get(e.userId)?.name ?? null,
      email: people.get(e.userId)?.email ?? null,
      ticketTypeId: e.ticketTypeId,
      quantity: e.quantity,
      state: e.state,
      position: e.position,
      joinedAt: e.joinedAt,
      endedAt: e.endedAt,
      offer: e.offer,
      offerExpiresAt: e.offerExpiresAt,
      bookingId: e.bookingId,
    }));
    return { entries, counts: waitlistCounts(db, eventId) };
  }

  return {
    availabilities,
    seatMap,
    seatsOfBuyer,
    ticketsOfBuyer,
    ticketTypeNames,
    waitlistStatus,
    waitlistEntries,
    waitlistHistory,
  };
}

/** Positions count waiting entries only: an offered entry has left the line. */
function withPositions<E extends { state: string }>(entries: readonly E[]) {
  let position = 0;
  return entries.map((e) => ({
    ...e,
    position: e.state === "waiting" ? ++position : null,
  }));
}

export type Views = ReturnType<typeof createViews>;
