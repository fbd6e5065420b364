/**
 * Where an event is in its sales window, for the badge in lists and the event page: not open yet
 * (with when), open, or closed. The server refuses holds outside the window (SALES_NOT_OPEN,
 * SALES_CLOSED); this says so before anyone tries.
 */

export type SalesWindow =
  | { readonly state: "not-open"; readonly opensAt: number }
  | { readonly state: "open"; readonly closesAt: number | null }
  | { readonly state: "closed" };

export function salesWindow(
  event: { readonly salesStartAt: string | null; readonly salesEndAt: string | null },
  now: number,
): SalesWindow {
  const opensAt = event.salesStartAt ? Date.parse(event.salesStartAt) : null;
  const closesAt = event.salesEndAt ? Date.parse(event.salesEndAt) : null;
  if (opensAt !== null && now < opensAt) return { state: "not-open", opensAt };
  if (closesAt !== null && now >= closesAt) return { state: "closed" };
  return { state: "open", closesAt };
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * A live countdown: "3 days 04:12:05", "1 day 00:00:09", "4:12:05", "12:05"; never negative.
 * Whole seconds, rounded up, so it reads 0:00 only when the moment has come.
 */
export function timeLeft(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (days > 0) {
    return `${days} day${days === 1 ? "" : "s"} ${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
  }
  if (hours > 0) return `${hours}:${pad(minutes)}:${pad(seconds)}`;
  return `${minutes}:${pad(seconds)}`;
}
