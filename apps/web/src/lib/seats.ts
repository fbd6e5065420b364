/**
 * Seat maps in the web app: the compact form of `events.seatMapCompact` (one status letter per
 * seat, a string per row; seat n of a row is `seatIdPrefix + n`), live changes applied to it, the
 * buyer's own seats (`mine`) kept beside it, and seat ids turned into words ("Stalls row A seat 5").
 */
import type { RouterOutputs } from "./trpc.ts";

type SeatMapAnswer = RouterOutputs["events"]["seatMapCompact"];
/** The map as everyone sees it; what is the buyer's own comes separately (`mine`). */
export type CompactSeatMap = Omit<SeatMapAnswer, "mine">;
/** The seats the signed-in buyer holds or has booked, as the server lists them. */
export type MineSeats = SeatMapAnswer["mine"];
export type SeatStatus = "free" | "held" | "booked";
export interface SeatChange {
  seatId: string;
  status: SeatStatus;
  /** The seat is now the buyer's own. */
  mine?: true;
}

/** Ids of the buyer's own seats (held or booked). */
export function mineSet(mine: MineSeats): ReadonlySet<string> {
  return new Set(mine ? [...mine.held, ...mine.booked] : []);
}

/** The buyer's seats after live changes: a change marked `mine` adds, any other removes. */
export function applyMineChanges(
  mine: ReadonlySet<string>,
  changes: readonly SeatChange[],
): ReadonlySet<string> {
  if (!changes.some((c) => Boolean(c.mine) !== mine.has(c.seatId))) return mine;
  const next = new Set(mine);
  for (const change of changes) {
    if (change.mine) next.add(change.seatId);
    else next.delete(change.seatId);
  }
  return next;
}

/** Seat numbers per row prefix as ",3,4," strings, for memoized rows to compare cheaply. */
export function numbersByRow(seatIds: Iterable<string>): Map<string, string> {
  const byPrefix = new Map<string, string>();
  for (const id of seatIds) {
    const seat = splitSeatId(id);
    if (seat) byPrefix.set(seat.prefix, `${byPrefix.get(seat.prefix) ?? ","}${seat.n},`);
  }
  return byPrefix;
}

const LETTERS: Record<SeatStatus, string> = { free: "f", held: "h", booked: "b" };

export function statusOf(letter: string | undefined): SeatStatus {
  return letter === "b" ? "booked" : letter === "h" ? "held" : "free";
}

/** "s1-r2-7" → prefix "s1-r2-", seat 7; null for anything else. */
export function splitSeatId(seatId: string): { prefix: string; n: number } | null {
  const cut = seatId.lastIndexOf("-");
  const n = Number(seatId.slice(cut + 1));
  if (cut < 0 || !Number.isInteger(n) || n < 1) return null;
  return { prefix: seatId.slice(0, cut + 1), n };
}

export interface RowRef {
  section: number;
  row: number;
}

/** Where each row prefix sits in the map. */
export function rowIndex(map: CompactSeatMap): Map<string, RowRef> {
  const index = new Map<string, RowRef>();
  map.sections.forEach((section, s) => {
    section.rows.forEach((row, r) => {
      index.set(row.seatIdPrefix, { section: s, row: r });
    });
  });
  return index;
}

/** The status of one seat, or undefined for a seat the map does not have. */
export function seatStatus(
  map: CompactSeatMap,
  index: Map<string, RowRef>,
  seatId: string,
): SeatStatus | undefined {
  const id = splitSeatId(seatId);
  const ref = id && index.get(id.prefix);
  const row = ref && map.sections[ref.section]?.rows[ref.row];
  if (!id || !row || id.n > row.statuses.length) return undefined;
  return statusOf(row.statuses[id.n - 1]);
}

/**
 * The map with `changes` applied. Only the rows (and sections) that change are new objects, so
 * memoized rows of everything else keep their props and do not re-render.
 */
export function applySeatChanges(
  map: CompactSeatMap,
  changes: readonly SeatChange[],
  index: Map<string, RowRef>,
  version = map.version,
): CompactSeatMap {
  const byRow = new Map<string, { ref: RowRef; seats: [number, string][] }>();
  for (const change of changes) {
    const id = splitSeatId(change.seatId);
    const ref = id && index.get(id.prefix);
    if (!id || !ref) continue;
    let entry = byRow.get(id.prefix);
    if (!entry) {
      entry = { ref, seats: [] };
      byRow.set(id.prefix, entry);
    }
    entry.seats.push([id.n, LETTERS[change.status] ?? "f"]);
  }
  if (byRow.size === 0) return version === map.version ? map : { ...map, version };
  const sections = map.sections.slice();
  for (const { ref, seats } of byRow.values()) {
    const section = sections[ref.section];
    const row = section?.rows[ref.row];
    if (!section || !row) continue;
    const letters = row.statuses.split("");
    for (const [n, letter] of seats) if (n <= letters.length) letters[n - 1] = letter;
    const statuses = letters.join("");
    if (statuses === row.statuses) continue;
    const rows = section.rows.slice();
    rows[ref.row] = { ...row, statuses };
    sections[ref.section] = { ...section, rows };
  }
  return { ...map, version, sections };
}

export function seatLabel(sectionName: string, rowLabel: string, n: number): string {
  return `${sectionName} row ${rowLabel} seat ${n}`;
}

/** seatId → "Stalls row A seat 5" (the id itself when the map does not know it). */
export function seatLabeler(map: CompactSeatMap | undefined): (seatId: string) => string {
  const index = map ? rowIndex(map) : new Map<string, RowRef>();
  return (seatId) => {
    const id = splitSeatId(seatId);
    const ref = id && index.get(id.prefix);
    const section = ref && map?.sections[ref.section];
    const row = ref && section?.rows[ref.row];
    return id && section && row ? seatLabel(section.name, row.label, id.n) : seatId;
  };
}

/** A seat's section id (sections are ticket types), or undefined for a seat not on the map. */
export function seatSectionOf(
  map: CompactSeatMap | undefined,
): (seatId: string) => string | undefined {
  const index = map ? rowIndex(map) : new Map<string, RowRef>();
  return (seatId) => {
    const ref = index.get(splitSeatId(seatId)?.prefix ?? "");
    return ref ? map?.sections[ref.section]?.id : undefined;
  };
}

/** "a", "a and b", "a, b and c". */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? "";
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** The sentence for a SEAT_UNAVAILABLE refusal that names the seats. */
export function seatsTakenSentence(labels: readonly string[]): string {
  if (labels.length === 0) return "One of those seats has just been taken. Please choose another.";
  const one = labels.length === 1;
  return `Sorry, ${listWords(labels)} ${one ? "was" : "were"} just taken by someone else. Please choose ${one ? "another seat" : "other seats"}.`;
}
