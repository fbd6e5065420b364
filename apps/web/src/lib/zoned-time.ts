/**
 * Wall-clock times in a given IANA zone, with Intl only. An `<input type="datetime-local">`
 * holds a wall-clock string ("2030-06-01T19:00") with no zone; an event's times mean that wall
 * clock in the event's zone, whatever the browser's zone is. These turn such a string into an
 * instant and back, across daylight-saving changes, and name a zone the way people read it.
 */

const DAY = 86_400_000;

// Building an Intl formatter costs far more than using one: one per zone (and style) is kept.
const partFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(zone: string): Intl.DateTimeFormat {
  let format = partFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    partFormats.set(zone, format);
  }
  return format;
}

/** Whether `zone` is a time zone this browser knows (IANA names, any letter case). */
export function isTimeZone(zone: string): boolean {
  if (!zone.trim()) return false;
  try {
    partsFormat(zone);
    return true;
  } catch {
    return false;
  }
}

/** The browser's own zone (the viewer's), e.g. "America/Los_Angeles". */
export function viewerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** Every zone this browser knows, for a picker ("UTC" included). */
export function timeZoneNames(): string[] {
  const zones = Intl.supportedValuesOf("timeZone");
  return zones.includes("UTC") ? zones : [...zones, "UTC"];
}

/** The wall clock at `ms` in `zone`, read as if it were UTC (milliseconds dropped). */
function wallAsUtc(ms: number, zone: string): number {
  const p: Record<string, number> = {};
  for (const part of partsFormat(zone).formatToParts(ms)) {
    if (part.type !== "literal") p[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = p;
  const at = new Date(0);
  // setUTCFullYear, not Date.UTC: years 0..99 must not be read as 1900..1999.
  at.setUTCFullYear(year, month - 1, day);
  at.setUTCHours(hour, minute, second, 0);
  return at.getTime();
}

/** The zone's offset from UTC at `ms`, in milliseconds (Berlin in summer: +7,200,000). */
export function offsetAt(ms: number, zone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallAsUtc(whole, zone) - whole;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `datetime-local` value for an instant, as the wall clock in `zone` shows it. */
export function toZonedInput(instant: string | number | null | undefined, zone: string): string {
  if (instant === null || instant === undefined || instant === "") return "";
  const ms = typeof instant === "number" ? instant : Date.parse(instant);
  if (Number.isNaN(ms)) return "";
  const d = new Date(wallAsUtc(ms, zone));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/** A `datetime-local` value read as if it were UTC; null when it is no real date and time. */
function parseWall(text: string): number | null {
  const m = WALL.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second = 0] = m.slice(1).map((s) => Number(s ?? 0));
  const at = new Date(0);
  at.setUTCFullYear(year ?? 0, (month ?? 1) - 1, day);
  at.setUTCHours(hour ?? 0, minute, second, 0);
  // Feb 30 or 25:00 roll over into another day: not a date anyone meant.
  if (at.getUTCMonth() !== (month ?? 1) - 1 || at.getUTCDate() !== day || (hour ?? 0) > 23) {
    return null;
  }
  return at.getTime();
}

/**
 * What a wall-clock time in a zone is as an instant:
 * - `exact`: the time happens once;
 * - `ambiguous`: it happens twice (clocks go back) and the earlier one is taken;
 * - `skipped`: it never happens (clocks go forward over it); `ms` is that time moved forward by
 *   the gap (02:30 becomes 03:30), as Temporal's "compatible" disambiguation does.
 */
export interface ZonedInstant {
  readonly ms: number;
  readonly kind: "exact" | "ambiguous" | "skipped";
}

/** The instant a `datetime-local` value means in `zone`; null for no value or no such zone. */
export function fromZonedInput(text: string, zone: string): ZonedInstant | null {
  const local = parseWall(text);
  if (local === null || !isTimeZone(zone)) return null;
  // Every offset in force around that wall clock; a candidate counts if the zone shows it there.
  const offsets = new Set([-DAY, 0, DAY].map((shift) => offsetAt(local + shift, zone)));
  const matches = [...offsets]
    .map((offset) => local - offset)
    .filter((ms) => wallAsUtc(ms, zone) === local)
    .sort((a, b) => a - b);
  const [first] = matches;
  if (first !== undefined) return { ms: first, kind: matches.length > 1 ? "ambiguous" : "exact" };
  // In a gap: read it with the offset from before the change, which lands after the gap.
  return { ms: local - offsetAt(local - DAY, zone), kind: "skipped" };
}

// ---- Zone names -------------------------------------------------------------------------------

const nameFormats = new Map<string, Intl.DateTimeFormat>();

function zoneNameIn(ms: number, zone: string, locale: string | undefined, style: "short" | "long") {
  const key = `${locale ?? ""}|${zone}|${style}`;
  let format = nameFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: style });
    nameFormats.set(key, format);
  }
  return format.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? zone;
}

/** "GMT+2", "UTC-8", "GMT−3": an offset, which names no place. */
const offsetOnly = /^(GMT|UTC)\s?[+\-−]/;

/**
 * The zone's name at `ms` as people read it: an abbreviation where the locale has one ("PST",
 * "CEST"; English readers get the British or American one, whichever exists), else the long name
 * ("Japan Standard Time"), else the place ("Casablanca time"), never a bare offset like "GMT+9".
 */
export function zoneLabel(ms: number, zone?: string, locale?: string): string {
  const tz = zone ?? viewerZone();
  const lang = locale ?? new Intl.DateTimeFormat().resolvedOptions().locale;
  const tries = lang.toLowerCase().startsWith("en") ? [lang, "en-GB", "en-US"] : [lang];
  for (const l of tries) {
    const short = zoneNameIn(ms, tz, l, "short");
    if (!offsetOnly.test(short)) return short;
  }
  const long = zoneNameIn(ms, tz, lang, "long");
  // A few places have no name in the locale's data (Casablanca, Amman): say the place. The
  // Etc/GMT±n zones are offsets by definition and keep theirs.
  const city = tz.startsWith("Etc/") ? null : tz.split("/").pop()?.replaceAll("_", " ");
  return offsetOnly.test(long) && city ? `${city} time` : long;
}

/** "Sat, Jun 1, 2030, 7:00 PM CEST": an instant in `zone` (the viewer's if none), labelled. */
export function formatInZone(
  instant: string | number,
  zone?: string,
  options: Intl.DateTimeFormatOptions = {
    weekday: "short",
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
  },
): string {
  const ms = typeof instant === "number" ? instant : Date.parse(instant);
  const text = new Intl.DateTimeFormat(undefined, { ...options, timeZone: zone }).format(ms);
  return `${text} ${zoneLabel(ms, zone)}`;
}

/** Whether the viewer's clock reads differently from `zone`'s at `ms` (then say both). */
export function differsFromViewer(ms: number, zone: string): boolean {
  return isTimeZone(zone) && offsetAt(ms, zone) !== offsetAt(ms, viewerZone());
}
