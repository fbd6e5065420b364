/** A small seated event for the core's seat tests (not exported from the package). */
import { eventConfig } from "./fixtures.ts";
import { initialState } from "./state.ts";
import type { EventConfig, EventState, SeatLayout } from "./types.ts";

/** Stalls: rows A and B of 4 seats (priced); balcony: one row of 3 (free). */
export const LAYOUT: SeatLayout = {
  sections: [
    {
      ticketTypeId: "st",
      rows: [
        { label: "A", seats: 4 },
        { label: "B", seats: 4 },
      ],
    },
    { ticketTypeId: "bal", rows: [{ label: "A", seats: 3 }] },
  ],
};

export const seat = (section: number, row: number, n: number) => `s${section}-r${row}-${n}`;

export function seatedConfig(overrides: Partial<EventConfig> = {}): EventConfig {
  return eventConfig({
    ticketTypes: [
      { id: "st", name: "Stalls", priceCents: 3_000, capacity: 8 },
      { id: "bal", name: "Balcony", priceCents: 0, capacity: 3 },
    ],
    ...overrides,
  });
}

export const seatedState = (
  config: EventConfig = seatedConfig(),
  layout: SeatLayout = LAYOUT,
): EventState =>
  initialState({ config, holds: [], bookings: [], idempotency: [], seating: layout });

/** Every seat's owner as a plain object: seat id → hold or booking id. */
export function ownersOf(state: EventState): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [n, owner] of state.seatOwners) out[state.seating?.ids[n] ?? `?${n}`] = owner;
  return out;
}
