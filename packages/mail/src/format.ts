/** How mails and tickets write money and instants: in the event's zone, with the zone named. */

// Building an Intl formatter costs far more than using one, and every booking's mail needs them:
// one per currency and per time zone is kept.
const moneyFormats = new Map<string, Intl.NumberFormat | null>();
const instantFormats = new Map<string, Intl.DateTimeFormat>();

/** Money as people read it: `$15.00`, `€7.50`. */
export function formatMoney(cents: number, currency: string): string {
  let format = moneyFormats.get(currency);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat("en", { style: "currency", currency });
    } catch {
      format = null;
    }
    moneyFormats.set(currency, format);
  }
  return format ? format.format(cents / 100) : `${(cents / 100).toFixed(2)} ${currency}`;
}

const instantOptions: Intl.DateTimeFormatOptions = {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
};

function cachedFormat(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let format = instantFormats.get(key);
  if (!format) {
    format = make();
    instantFormats.set(key, format);
  }
  return format;
}

const zoneNameParts = (ms: number, timeZone: string, locale: string, style: "short" | "long") =>
  cachedFormat(
    `${locale}|${style}|${timeZone}`,
    () => new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: style }),
  )
    .formatToParts(ms)
    .find((p) => p.type === "timeZoneName")?.value ?? timeZone;

/**
 * The zone's name at `ms` as readers know it: "CET", "BST", "PST" (the British abbreviation, else
 * the American one), else the long name ("Japan Standard Time"), never a bare "GMT-8".
 */
export function zoneName(ms: number, timeZone: string): string {
  for (const locale of ["en-GB", "en-US"]) {
    const short = zoneNameParts(ms, timeZone, locale, "short");
    if (!/^(GMT|UTC)[+\-−]/.test(short)) return short;
  }
  return zoneNameParts(ms, timeZone, "en-GB", "long");
}

/** An instant in the event's time zone, with the zone named: `Tue, 1 Dec 2026, 20:00 CET`. */
export function formatInstant(ms: number, timeZone: string): string {
  let zone = timeZone;
  let format: Intl.DateTimeFormat;
  try {
    format = cachedFormat(
      timeZone,
      () => new Intl.DateTimeFormat("en-GB", { ...instantOptions, timeZone }),
    );
  } catch {
    zone = "UTC";
    format = cachedFormat(
      "UTC",
      () => new Intl.DateTimeFormat("en-GB", { ...instantOptions, timeZone: "UTC" }),
    );
  }
  return `${format.format(ms)} ${zoneName(ms, zone)}`;
}

/** A calendar day of the event's zone, `YYYY-MM-DD`, as people read it: `Sat, 20 Mar 2027`. */
export function formatDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  if (!y || !m || !d) return day;
  return new Intl.DateTimeFormat("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  }).format(Date.UTC(y, m - 1, d));
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** A ticket code as people read it: in groups of four, as the web app (core's rule). */
export { spacedTicketCode as spacedCode } from "@boxoffice/core";
