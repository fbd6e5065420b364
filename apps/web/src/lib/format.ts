import { zoneLabel } from "./zoned-time.ts";

export function money(cents: number, currency: string): string {
  if (cents === 0) return "Free";
  return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(cents / 100);
}

/** Amounts that may legitimately be zero (a refund of nothing is "$0.00", not "Free"). */
export function amount(cents: number, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(cents / 100);
}

/**
 * "Jun 1, 2030, 7:00 PM CEST": an instant in `timeZone` (an event's), or in the viewer's own zone
 * when none is given (personal times: booked at, deadlines), always labelled with the zone.
 */
export function dateTime(iso: string, timeZone?: string): string {
  const text = new Intl.DateTimeFormat(undefined, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone,
  }).format(new Date(iso));
  return `${text} ${zoneLabel(Date.parse(iso), timeZone)}`;
}

export function shortDate(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(undefined, {
    weekday: "short",
    month: "short",
    day: "numeric",
    timeZone,
  }).format(new Date(iso));
}

/** "4:05" for a countdown; never negative. */
export function countdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, "0")}`;
}

export type AvailabilityBadge = "on-sale" | "few-left" | "sold-out" | "waitlist" | "cancelled";

/** What the list shows for an event: few left under 10 % (or 5 tickets) of capacity. */
export function availabilityBadge(event: {
  status: string;
  availability: { capacity: number; available: number; waitlistLength: number };
}): AvailabilityBadge {
  if (event.status === "cancelled") return "cancelled";
  const { capacity, available, waitlistLength } = event.availability;
  if (available <= 0) return waitlistLength > 0 ? "waitlist" : "sold-out";
  if (available <= Math.max(5, Math.ceil(capacity * 0.1))) return "few-left";
  return "on-sale";
}
