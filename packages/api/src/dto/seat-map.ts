/**
 * `events.seatMap` shapes. The full one is shared/API.md's (an object per seat); the compact one
 * serves a 20,000-seat hall in about 100 KB: per row one string with a letter per seat
 * (`f` free, `h` held, `b` booked), seat n's id being the row's `seatIdPrefix` followed by n and
 * its label n. Both are built once per actor state (the state is immutable) and then reused.
 */
import {
  type EventState,
  SEAT_BOOKED,
  SEAT_FREE,
  SEAT_HELD,
  type Seating,
  seatStatuses,
} from "@boxoffice/core";

export type SeatStatus = "free" | "held" | "booked";

export const SEAT_STATUS_LETTERS = { f: "free", h: "held", b: "booked" } as const;

export interface SeatMapDto {
  eventId: string;
  /** The actor's version: live changes with a higher version come after this map. */
  version: number;
  sections: {
    id: string;
    name: string;
    priceCents: number;
    rows: { label: string; seats: { id: string; label: string; status: SeatStatus }[] }[];
  }[];
}

export interface CompactSeatMapDto {
  eventId: string;
  version: number;
  sections: {
    id: string;
    name: string;
    priceCents: number;
    rows: { label: string; seatIdPrefix: string; statuses: string }[];
  }[];
}

const STATUS_NAMES: readonly SeatStatus[] = ["free", "held", "booked"];
/** Letter per status code: SEAT_FREE → f, SEAT_HELD → h, SEAT_BOOKED → b. */
const LETTER_CODES: readonly number[] = [];
for (const [code, letter] of [
  [SEAT_FREE, "f"],
  [SEAT_HELD, "h"],
  [SEAT_BOOKED, "b"],
] as const) {
  (LETTER_CODES as number[])[code] = letter.charCodeAt(0);
}

/** Statuses per state, shared by the seat map and every live subscriber of that state. */
const statusCache = new WeakMap<EventState, Uint8Array>();

export function cachedSeatStatuses(state: EventState): Uint8Array {
  let statuses = statusCache.get(state);
  if (!statuses) {
    statuses = seatStatuses(state);
    statusCache.set(state, statuses);
  }
  return statuses;
}

export const statusName = (code: number): SeatStatus => STATUS_NAMES[code] ?? "free";

function sectionsOf(state: EventState, seating: Seating) {
  const types = new Map(state.config.ticketTypes.map((t) => [t.id, t] as const));
  return seating.sections.map((section) => {
    const type = types.get(section.ticketTypeId);
    return {
      section,
      id: section.ticketTypeId,
      name: type?.name ?? "",
      priceCents: type?.priceCents ?? 0,
    };
  });
}

const compactCache = new WeakMap<EventState, CompactSeatMapDto>();

export function compactSeatMap(state: EventState): CompactSeatMapDto {
  const cached = compactCache.get(state);
  if (cached) return cached;
  const seating = state.seating;
  const statuses = cachedSeatStatuses(state);
  const letters = new Uint8Array(statuses.length);
  for (let n = 0; n < statuses.length; n++)
    letters[n] = LETTER_CODES[statuses[n] ?? SEAT_FREE] ?? 0;
  const decoder = new TextDecoder();
  const map: CompactSeatMapDto = {
    eventId: state.config.id,
    version: state.version,
    sections: seating
      ? sectionsOf(state, seating).map(({ section, ...head }) => ({
          ...head,
          rows: section.rows.map((row) => ({
            label: row.label,
            seatIdPrefix: row.idPrefix,
            statuses: decoder.decode(letters.subarray(row.first, row.first + row.count)),
          })),
        }))
      : [],
  };
  compactCache.set(state, map);
  return map;
}

const fullCache = new WeakMap<EventState, SeatMapDto>();

export function fullSeatMap(state: EventState): SeatMapDto {
  const cached = fullCache.get(state);
  if (cached) return cached;
  const seating = state.seating;
  const statuses = cachedSeatStatuses(state);
  const map: SeatMapDto = {
    eventId: state.config.id,
    version: state.version,
    sections: seating
      ? sectionsOf(state, seating).map(({ section, ...head }) => ({
          ...head,
          rows: section.rows.map((row) => ({
            label: row.label,
            seats: Array.from({ length: row.count }, (_, i) => ({
              id: `${row.idPrefix}${i + 1}`,
              label: String(i + 1),
              status: statusName(statuses[row.first + i] ?? SEAT_FREE),
            })),
          })),
        }))
      : [],
  };
  fullCache.set(state, map);
  return map;
}

/** Seats whose status differs between two states' statuses, in seat order. */
export function seatChanges(
  seating: Seating,
  before: Uint8Array,
  after: Uint8Array,
): { seatId: string; status: SeatStatus }[] {
  const changes: { seatId: string; status: SeatStatus }[] = [];
  for (let n = 0; n < after.length; n++) {
    const status = after[n] ?? SEAT_FREE;
    if (status !== before[n])
      changes.push({ seatId: seating.ids[n] as string, status: statusName(status) });
  }
  return changes;
}
