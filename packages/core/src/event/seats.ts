/**
 * Seated events (DESIGN.md invariant 2: a seat has at most one owner). The layout is copied from
 * a venue when the event is created and never changes afterwards; each section is one ticket
 * type, whose capacity is its number of seats. Who owns a seat lives in `EventState.seatOwners`:
 * an Immutable Map from seat number to the id of the hold or booking that has it, holding taken
 * seats only, so a 20,000-seat event costs memory for what is sold, and every state the actor
 * ever adopted stays untouched by later batches.
 */
import type { Map as IMap } from "immutable";
import { DomainError, InputError } from "../errors.ts";
import type {
  EventConfig,
  EventState,
  LineItem,
  NewTicket,
  SeatLayout,
  TicketTypeConfig,
} from "./types.ts";

export interface SeatRow {
  readonly label: string;
  /** Number of the row's first seat; a row's seats are numbered consecutively. */
  readonly first: number;
  readonly count: number;
  /** A seat's id is this prefix followed by its label (1, 2, ...). */
  readonly idPrefix: string;
}

export interface SeatSection {
  readonly ticketTypeId: string;
  readonly rows: readonly SeatRow[];
  readonly first: number;
  readonly count: number;
}

/** The layout indexed for the actor: built once per load, shared by every later state. */
export interface Seating {
  readonly sections: readonly SeatSection[];
  readonly size: number;
  /** Seat number → seat id. */
  readonly ids: readonly string[];
  /** Seat number → section index. */
  readonly sectionOf: Uint16Array;
  readonly numberOf: ReadonlyMap<string, number>;
}

/** Stable and opaque to clients: `s<section>-r<row>-<seat>`, all counted from 1. */
export const seatIdPrefix = (section: number, row: number): string =>
  `s${section + 1}-r${row + 1}-`;

export function buildSeating(layout: SeatLayout): Seating {
  const sections: SeatSection[] = [];
  const ids: string[] = [];
  const sectionIndex: number[] = [];
  for (const [s, section] of layout.sections.entries()) {
    const first = ids.length;
    const rows = section.rows.map((row, r) => {
      const idPrefix = seatIdPrefix(s, r);
      const start = ids.length;
      for (let n = 1; n <= row.seats; n++) {
        ids.push(`${idPrefix}${n}`);
        sectionIndex.push(s);
      }
      return { label: row.label, first: start, count: row.seats, idPrefix };
    });
    sections.push({ ticketTypeId: section.ticketTypeId, rows, first, count: ids.length - first });
  }
  return {
    sections,
    size: ids.length,
    ids,
    sectionOf: Uint16Array.from(sectionIndex),
    numberOf: new Map(ids.map((id, n) => [id, n] as const)),
  };
}

export const SEAT_FREE = 0;
export const SEAT_HELD = 1;
export const SEAT_BOOKED = 2;

/** Every seat's status by seat number (free 0, held 1, booked 2): O(seats) plus O(taken). */
export function seatStatuses(state: EventState): Uint8Array {
  const statuses = new Uint8Array(state.seating?.size ?? 0);
  for (const [n, owner] of state.seatOwners) {
    statuses[n] = state.bookings.has(owner) ? SEAT_BOOKED : SEAT_HELD;
  }
  return statuses;
}

/**
 * The same statuses from lists of taken seat ids (as SQLite keeps them), for an event whose actor
 * is not in memory. Unknown ids are passed over; a booked seat wins over a held one.
 */
export function seatStatusesOf(
  seating: Seating,
  taken: { readonly booked: readonly string[]; readonly held: readonly string[] },
): Uint8Array {
  const statuses = new Uint8Array(seating.size);
  const mark = (ids: readonly string[], status: number) => {
    for (const id of ids) {
      const n = seating.numberOf.get(id);
      if (n !== undefined && statuses[n] !== SEAT_BOOKED) statuses[n] = status;
    }
  };
  mark(taken.held, SEAT_HELD);
  mark(taken.booked, SEAT_BOOKED);
  return statuses;
}

const ticketTypeOfSeat = (seating: Seating, n: number): string =>
  seating.sections[seating.sectionOf[n] ?? 0]?.ticketTypeId ?? "";

/** Seat numbers in seat order (known seats only). */
function numbersOf(seating: Seating, seatIds: readonly string[]): number[] {
  const numbers: number[] = [];
  for (const id of seatIds) {
    const n = seating.numberOf.get(id);
    if (n !== undefined) numbers.push(n);
  }
  return numbers.sort((a, b) => a - b);
}

/** The seats in seat order, as a hold or booking keeps them. */
export function orderedSeats(state: EventState, seatIds: readonly string[]): string[] {
  const { seating } = state;
  if (!seating) return [...seatIds];
  return numbersOf(seating, seatIds).map((n) => seating.ids[n] as string);
}

/** Priced lines for these seats: one per section (ticket type), in the event's type order. */
export function seatLines(
  config: EventConfig,
  seating: Seating,
  seatIds: readonly string[],
): LineItem[] {
  const perType = new Map<string, number>();
  for (const n of numbersOf(seating, seatIds)) {
    const type = ticketTypeOfSeat(seating, n);
    perType.set(type, (perType.get(type) ?? 0) + 1);
  }
  return config.ticketTypes
    .filter((t) => perType.has(t.id))
    .map((t) => ({
      ticketTypeId: t.id,
      quantity: perType.get(t.id) ?? 0,
      unitPriceCents: t.priceCents,
    }));
}

/**
 * All or nothing: every seat must exist and be free, else SEAT_UNAVAILABLE naming each seat that
 * is not (unknown ones included). The priced lines when they all are.
 */
export function claimSeats(
  state: EventState,
  seatIds: readonly string[],
): LineItem[] | DomainError | InputError {
  const { seating } = state;
  if (!seating) return new InputError(["seatIds"], "This event has no seat map");
  if (seatIds.length === 0) return new InputError(["seatIds"], "Choose at least one seat");
  if (new Set(seatIds).size !== seatIds.length) {
    return new InputError(["seatIds"], "Each seat may appear only once");
  }
  const unavailable = seatIds.filter((id) => {
    const n = seating.numberOf.get(id);
    return n === undefined || state.seatOwners.has(n);
  });
  if (unavailable.length > 0) {
    return new DomainError("SEAT_UNAVAILABLE", "Some of these seats are taken or do not exist", {
      seatIds: unavailable,
    });
  }
  return seatLines(state.config, seating, seatIds);
}

/** Gives the seats to `ownerId`. */
export function takeSeats(
  state: EventState,
  seatIds: readonly string[],
  ownerId: string,
): IMap<number, string> {
  const { seating } = state;
  if (!seating || seatIds.length === 0) return state.seatOwners;
  return state.seatOwners.withMutations((owners) => {
    for (const n of numbersOf(seating, seatIds)) owners.set(n, ownerId);
  });
}

/** Frees the seats that `ownerId` has: a second release of the same owner frees nothing. */
export function freeSeats(
  state: EventState,
  seatIds: readonly string[],
  ownerId: string,
): IMap<number, string> {
  const { seating } = state;
  if (!seating || seatIds.length === 0) return state.seatOwners;
  return state.seatOwners.withMutations((owners) => {
    for (const n of numbersOf(seating, seatIds)) if (owners.get(n) === ownerId) owners.delete(n);
  });
}

/** One ticket per seat, typed by the seat's section. */
export function seatTickets(
  seating: Seating,
  bookingId: string,
  seatIds: readonly string[],
  codes: readonly string[],
): NewTicket[] {
  return seatSlots(seating, seatIds).map((slot, i) => {
    const code = codes[i];
    if (code === undefined) throw new Error("Not enough ticket codes were drawn for this booking");
    return { id: `${bookingId}-${i + 1}`, code, ...slot };
  });
}

/** A booking's tickets for these seats, in seat order: the order its tickets are issued in. */
export function seatSlots(
  seating: Seating,
  seatIds: readonly string[],
): { ticketTypeId: string; seatId: string }[] {
  return numbersOf(seating, seatIds).map((n) => ({
    ticketTypeId: ticketTypeOfSeat(seating, n),
    seatId: seating.ids[n] as string,
  }));
}

/** A block of `want` free adjacent seats in `row`, as near its middle as possible. */
function blockInRow(state: EventState, row: SeatRow, want: number): number | null {
  const middle = row.first + (row.count - 1) / 2;
  let best: number | null = null;
  let run = 0;
  for (let n = row.first; n < row.first + row.count; n++) {
    run = state.seatOwners.has(n) ? 0 : run + 1;
    if (run < want) continue;
    const start = n - want + 1;
    const off = Math.abs(start + (want - 1) / 2 - middle);
    if (best === null || off < Math.abs(best + (want - 1) / 2 - middle)) best = start;
  }
  return best;
}

/**
 * The best `want` free seats of a section, for the waitlist: adjacent in the frontmost row that
 * has room (centred), else the frontmost free seats. Null when fewer are free.
 */
export function pickSeats(state: EventState, ticketTypeId: string, want: number): string[] | null {
  const seating = state.seating;
  const section = seating?.sections.find((s) => s.ticketTypeId === ticketTypeId);
  if (!seating || !section || want < 1) return null;
  for (const row of section.rows) {
    const start = blockInRow(state, row, want);
    if (start !== null) return seating.ids.slice(start, start + want);
  }
  const seats: string[] = [];
  for (let n = section.first; n < section.first + section.count && seats.length < want; n++) {
    if (!state.seatOwners.has(n)) seats.push(seating.ids[n] as string);
  }
  return seats.length === want ? seats : null;
}

/**
 * A seated event's sections come from its venue: their ticket types can be renamed and repriced,
 * but not resized, and no type can be added, or seats and counts would part ways.
 */
export function seatedConfigRefusal(seating: Seating, next: EventConfig): InputError | null {
  const sized = new Map(seating.sections.map((s) => [s.ticketTypeId, s.count] as const));
  const same = (t: TicketTypeConfig) => sized.get(t.id) === t.capacity;
  if (next.ticketTypes.length !== sized.size || !next.ticketTypes.every(same)) {
    return new InputError(
      ["ticketTypes"],
      "A seated event's sections come from its venue: they cannot be added or resized",
    );
  }
  return null;
}

/** Who owns which seat, from what was loaded; two owners of one seat means the store is corrupt. */
export function loadSeatOwners(
  seating: Seating,
  owners: readonly { readonly id: string; readonly seatIds: readonly string[] }[],
): Map<number, string> {
  const taken = new Map<number, string>();
  for (const owner of owners) {
    for (const id of owner.seatIds) {
      const n = seating.numberOf.get(id);
      if (n === undefined) continue;
      const other = taken.get(n);
      if (other !== undefined && other !== owner.id) {
        throw new Error(`Seat ${id} has two owners: ${other} and ${owner.id}`);
      }
      taken.set(n, owner.id);
    }
  }
  return taken;
}

/**
 * What people read for a seat: "Stalls row C seat 6" (as the seat map names seats), never its id.
 * A section is named by its ticket type, so `sectionName` looks the name up by ticket type id
 * (names can change after sales; ids never do). Null for an id the layout does not have.
 */
export function seatLabel(
  layout: SeatLayout,
  seatId: string,
  sectionName: (ticketTypeId: string) => string | undefined,
): string | null {
  const match = /^s(\d+)-r(\d+)-(\d+)$/.exec(seatId);
  if (!match) return null;
  const [s, r, n] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const section = layout.sections[s - 1];
  const row = section?.rows[r - 1];
  if (!section || !row || n < 1 || n > row.seats) return null;
  return `${sectionName(section.ticketTypeId) ?? `Section ${s}`} row ${row.label} seat ${n}`;
}
