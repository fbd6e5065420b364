/**
 * A buyer without an account: who they said they are (email, name) is kept for this tab only
 * (sessionStorage), because checkout's getHold, confirm and releaseHold of a guest's hold need
 * the same `buyer`. And what they picked on the event page travels in its address, so signing in
 * instead comes back to the same event with the same quantities or seats.
 */
import type { BuyerInput } from "@boxoffice/api/schemas/checkout";

const KEY = "boxoffice.guestBuyer";

export function rememberGuest(buyer: BuyerInput): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ email: buyer.email, name: buyer.name }));
  } catch {
    // Storage off (private mode, quota): checkout will ask again.
  }
}

export function guestBuyer(): BuyerInput | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    const value: unknown = raw ? JSON.parse(raw) : null;
    if (
      value &&
      typeof value === "object" &&
      "email" in value &&
      "name" in value &&
      typeof value.email === "string" &&
      typeof value.name === "string"
    ) {
      return { email: value.email, name: value.name };
    }
  } catch {
    // Unreadable: as if none.
  }
  return null;
}

/** `?tickets=tt_a:2,tt_b:1`: the quantities picked per ticket type. */
export function quantitiesParam(quantities: Record<string, number>): string {
  return Object.entries(quantities)
    .filter(([, n]) => n > 0)
    .map(([id, n]) => `${id}:${n}`)
    .join(",");
}

export function readQuantities(param: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (param ?? "").split(",")) {
    const cut = part.lastIndexOf(":");
    const n = Number(part.slice(cut + 1));
    if (cut > 0 && Number.isInteger(n) && n > 0 && n <= 1000) out[part.slice(0, cut)] = n;
  }
  return out;
}

/** `?seats=s1-r1-4,s1-r1-5`: the seats picked. */
export function readSeats(param: string | null): string[] {
  return (param ?? "")
    .split(",")
    .filter((id) => id.length > 0 && id.length <= 64)
    .slice(0, 1000);
}

/** The sign-in page's address that comes back to `path` with `search` (the selection). */
export function signInFor(path: string, search: Record<string, string>): string {
  const query = new URLSearchParams(Object.entries(search).filter(([, v]) => v !== "")).toString();
  const next = query ? `${path}?${query}` : path;
  return `/login?next=${encodeURIComponent(next)}`;
}
