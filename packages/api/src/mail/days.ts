/**
 * Calendar days of an event's own zone, for the daily sale digest. SQLite knows no zones, so
 * days become UTC instants here, with Intl.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    const options = { year: "numeric", month: "2-digit", day: "2-digit" } as const;
    try {
      format = new Intl.DateTimeFormat("en-US", { ...options, timeZone });
    } catch {
      // Zones are validated on input; one the runtime no longer knows is read as UTC.
      format = new Intl.DateTimeFormat("en-US", { ...options, timeZone: "UTC" });
    }
    formats.set(timeZone, format);
  }
  return format;
}

/** The day (`YYYY-MM-DD`) an instant falls on in `timeZone`. */
export function localDay(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(
    formatOf(timeZone)
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

function shiftDay(day: string, by: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + by)).toISOString().slice(0, 10);
}

export const previousDay = (day: string): string => shiftDay(day, -1);
export const nextDay = (day: string): string => shiftDay(day, 1);

/**
 * The first instant of `day` in `timeZone` (its midnight, or the first minute after a gap where
 * a clock change skips midnight). Every zone's offset lies within -12 and +14 hours, so the
 * instant lies within a day around UTC midnight; the local day only grows with time, so a
 * binary search finds it.
 */
export function dayStart(day: string, timeZone: string): number {
  // About 27 Intl look-ups each; the digest asks for the same few days of the same few zones
  // for every event (thousands on one server), so each answer is kept.
  const key = `${timeZone} ${day}`;
  let start = dayStarts.get(key);
  if (start === undefined) {
    if (dayStarts.size >= DAY_STARTS_KEPT) dayStarts.clear();
    start = searchDayStart(day, timeZone);
    dayStarts.set(key, start);
  }
  return start;
}

/** Day starts are the same for ever (zones' rules change only with the runtime's data). */
const dayStarts = new Map<string, number>();
const DAY_STARTS_KEPT = 10_000;

function searchDayStart(day: string, timeZone: string): number {
  const utcMidnight = Date.parse(`${day}T00:00:00.000Z`);
  let lo = utcMidnight - 15 * 3_600_000; // local day still before `day`
  let hi = utcMidnight + 13 * 3_600_000; // local day is `day` (or later)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDay(mid, timeZone) < day) lo = mid;
    else hi = mid;
  }
  return hi;
}
