/**
 * `events.seatMap` shapes, rendered from the engine's seat-map view. The full one is an object
 * per seat; the compact one serves a 20,000-seat hall in about 100 KB: per row one string with a
 * letter per seat (`f` free, `h` held, `b` booked), seat n's id being the row's `seatIdPrefix`
 * followed by n and its label n. Views are shared per actor state, so each rendering is cached
 * per view; what is the caller's own (`mine`) is laid over the shared rendering per request.
 */
import { SEAT_BOOKED, SEAT_FREE, SEAT_HELD, type Seating } from "@boxoffice/core";
import type { SeatMapView, UserSeats } from "@boxoffice/engine";

export type SeatStatus = "free" | "held" | "booked";

export interface SeatMapDto {
  eventId: string;
  /** The actor's version: live changes with a higher version come after this map. */
  version: number;
  sections: {
    id: string;
    name: string;
    priceCents: number;
    rows: { label: string; seats: SeatDto[] }[];
  }[];
}

export interface SeatDto {
  id: string;
  label: string;
  status: SeatStatus;
  /** Present (true) on a seat the caller holds or has booked. */
  mine?: true;
}

/** The caller's own seats, by status; null for a caller who is not signed in. */
export type MineDto = { held: string[]; booked: string[] } | null;

export const mineDto = (seats: UserSeats | null): MineDto =>
  seats ? { held: [...seats.held], booked: [...seats.booked] } : null;

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

export const statusName = (code: number): SeatStatus => STATUS_NAMES[code] ?? "free";

const compactCache = new WeakMap<SeatMapView, CompactSeatMapDto>();

export function compactSeatMap(view: SeatMapView): CompactSeatMapDto {
  const cached = compactCache.get(view);
  if (cached) return cached;
  const { seating, statuses } = view;
  const letters = new Uint8Array(statuses.length);
  for (let n = 0; n < statuses.length; n++)
    letters[n] = LETTER_CODES[statuses[n] ?? SEAT_FREE] ?? 0;
  const decoder = new TextDecoder();
  const map: CompactSeatMapDto = {
    eventId: view.eventId,
    version: view.version,
    sections: seating.sections.map((section, i) => ({
      ...sectionHead(view, i),
      rows: section.rows.map((row) => ({
        label: row.label,
        seatIdPrefix: row.idPrefix,
        statuses: decoder.decode(letters.subarray(row.first, row.first + row.count)),
      })),
    })),
  };
  compactCache.set(view, map);
  return map;
}

const sectionHead = (view: SeatMapView, i: number) =>
  view.sections[i] ?? { id: view.seating.sections[i]?.ticketTypeId ?? "", name: "", priceCents: 0 };

const fullCache = new WeakMap<SeatMapView, SeatMapDto>();

export function fullSeatMap(view: SeatMapView): SeatMapDto {
  const cached = fullCache.get(view);
  if (cached) return cached;
  const { seating, statuses } = view;
  const map: SeatMapDto = {
    eventId: view.eventId,
    version: view.version,
    sections: seating.sections.map((section, i) => ({
      ...sectionHead(view, i),
      rows: section.rows.map((row) => ({
        label: row.label,
        seats: Array.from({ length: row.count }, (_, n) => ({
          id: `${row.idPrefix}${n + 1}`,
          label: String(n + 1),
          status: statusName(statuses[row.first + n] ?? SEAT_FREE),
        })),
      })),
    })),
  };
  fullCache.set(view, map);
  return map;
}

/**
 * The full map with `mine: true` on the caller's seats. Only the rows holding one are copied: the
 * cached map itself is shared by every caller and never changes.
 */
export function fullSeatMapOf(view: SeatMapView, seats: UserSeats | null): SeatMapDto {
  const map = fullSeatMap(view);
  const mine = new Set<number>();
  for (const id of [...(seats?.held ?? []), ...(seats?.booked ?? [])]) {
    const n = view.seating.numberOf.get(id);
    if (n !== undefined) mine.add(n);
  }
  if (mine.size === 0) return map;
  const touches = (row: { first: number; count: number } | undefined) =>
    row !== undefined && [...mine].some((n) => n >= row.first && n < row.first + row.count);
  return {
    ...map,
    sections: map.sections.map((section, s) => {
      const rows = view.seating.sections[s]?.rows ?? [];
      if (!rows.some(touches)) return section;
      return {
        ...section,
        rows: section.rows.map((row, r) => {
          const seating = rows[r];
          if (!seating || !touches(seating)) return row;
          return {
            ...row,
            seats: row.seats.map((seat, i) =>
              mine.has(seating.first + i) ? { ...seat, mine: true as const } : seat,
            ),
          };
        }),
      };
    }),
  };
}

export interface SeatChangeDto {
  seatId: string;
  status: SeatStatus;
  /** Present (true) when the seat is now the caller's (held or booked by them). */
  mine?: true;
}

/**
 * Seats whose status differs between two views' statuses, in seat order; `isMine` (for a
 * signed-in subscriber) marks those now theirs.
 */
export function seatChanges(
  seating: Seating,
  before: Uint8Array,
  after: Uint8Array,
  isMine?: (n: number) => boolean,
): SeatChangeDto[] {
  const changes: SeatChangeDto[] = [];
  for (let n = 0; n < after.length; n++) {
    const status = after[n] ?? SEAT_FREE;
    if (status === before[n]) continue;
    const change: SeatChangeDto = { seatId: seating.ids[n] as string, status: statusName(status) };
    if (status !== SEAT_FREE && isMine?.(n)) change.mine = true;
    changes.push(change);
  }
  return changes;
}
