/**
 * Builders for the core's tests (not exported from the package): a small published event and
 * commands with sensible defaults, plus `step`, which applies a command the way the actor does.
 */
import { type Decision, decide } from "./decide.ts";
import { evolve } from "./evolve.ts";
import {
  DEFAULT_ROOM,
  type EnterRoom,
  type LoadedRoom,
  type RoomConfig,
  type RoomState,
  type Tick,
} from "./room-types.ts";
import { initialState } from "./state.ts";
import type {
  BookTickets,
  CancelBooking,
  CodeConfig,
  ConfirmHold,
  EventCommand,
  EventConfig,
  EventState,
  ItemRequest,
  Payment,
  PlaceHold,
} from "./types.ts";

export const HOUR = 3_600_000;
/** Sales are open at `NOW`; the event starts two days later. */
export const NOW = 1_700_000_000_000;

export function eventConfig(overrides: Partial<EventConfig> = {}): EventConfig {
  return {
    id: "ev-1",
    organizerId: "org",
    status: "published",
    startsAt: NOW + 48 * HOUR,
    endsAt: null,
    salesStartAt: null,
    salesEndAt: null,
    capacity: null,
    maxPerOrder: 10,
    maxPerUser: null,
    holdSeconds: 600,
    currency: "USD",
    ticketTypes: [
      { id: "ga", name: "General", priceCents: 2_000, capacity: 5 },
      { id: "vip", name: "VIP", priceCents: 5_000, capacity: 2 },
      { id: "free", name: "Free", priceCents: 0, capacity: 3 },
    ],
    cancellationPolicy: {
      refundable: true,
      feeCents: 0,
      rules: [{ hoursBeforeStart: 0, refundPercent: 100 }],
    },
    waitlist: { enabled: false, mode: "offer", offerSeconds: 600 },
    ...overrides,
  };
}

/** A code of the event: 25 % off every type, unlimited, valid now (`overrides` change it). */
export function codeConfig(overrides: Partial<CodeConfig> = {}): CodeConfig {
  return {
    id: "cod-1",
    code: "SPRING",
    kind: "discount",
    discount: { percent: 25 },
    ticketTypeIds: null,
    maxUses: null,
    maxUsesPerBuyer: null,
    validFrom: null,
    validUntil: null,
    unlocksTicketTypeIds: [],
    opensSalesAt: null,
    disabled: false,
    createdAt: NOW,
    ...overrides,
  };
}

export const emptyState = (config: EventConfig = eventConfig()): EventState =>
  initialState({ config, holds: [], bookings: [], idempotency: [] });

let counter = 0;
const nextId = (prefix: string) => `${prefix}-${++counter}`;

export const items = (...pairs: [string, number][]): ItemRequest[] =>
  pairs.map(([ticketTypeId, quantity]) => ({ ticketTypeId, quantity }));

export const codes = (n: number): string[] => Array.from({ length: n }, () => nextId("code"));

export const pay = (amountCents: number): Payment => ({
  provider: "mock",
  ref: nextId("ref"),
  amountCents,
});

export function placeHold(userId: string, request: ItemRequest[], holdId = nextId("h")): PlaceHold {
  return { type: "PlaceHold", holdId, userId, items: request, seatIds: [] };
}

export function confirmHold(
  userId: string,
  holdId: string,
  payment: Payment | null,
  extra: Partial<ConfirmHold> = {},
): ConfirmHold {
  return {
    type: "ConfirmHold",
    holdId,
    bookingId: nextId("b"),
    userId,
    codes: codes(20),
    payment,
    idempotencyKey: null,
    requestHash: null,
    ...extra,
  };
}

export function bookTickets(
  userId: string,
  request: ItemRequest[],
  payment: Payment | null,
  extra: Partial<BookTickets> = {},
): BookTickets {
  return {
    type: "BookTickets",
    bookingId: nextId("b"),
    userId,
    items: request,
    seatIds: [],
    codes: codes(20),
    payment,
    idempotencyKey: null,
    requestHash: null,
    ...extra,
  };
}

export function cancelBooking(
  bookingId: string,
  byUserId: string,
  byOrganizer = false,
): CancelBooking {
  return { type: "CancelBooking", bookingId, byUserId, byOrganizer };
}

/** Decides and then evolves every event, as one command of an actor's batch. */
export function step<C extends EventCommand>(
  state: EventState,
  cmd: C,
  now = NOW,
): { state: EventState; decision: Decision<unknown> } {
  const decision = decide(state, cmd, now) as Decision<unknown>;
  return { state: decision.events.reduce(evolve, state), decision };
}

/** Applies commands that must all succeed; throws on the first refusal. */
export function given(state: EventState, cmds: readonly EventCommand[], now = NOW): EventState {
  let current = state;
  for (const cmd of cmds) {
    const { state: next, decision } = step(current, cmd, now);
    if (decision.reply instanceof Error) {
      throw new Error(`setup command ${cmd.type} was refused: ${decision.reply.message}`);
    }
    current = next;
  }
  return current;
}

// ---------------------------------------------------------------------------------------------
// The on-sale room.

/** A room switched on, opening at `NOW` unless told otherwise. */
export const roomConfig = (overrides: Partial<RoomConfig> = {}): RoomConfig => ({
  ...DEFAULT_ROOM,
  enabled: true,
  opensAt: NOW,
  ...overrides,
});

/** A published event with a room; sales open with it. */
export const roomEvent = (room: Partial<RoomConfig> = {}, overrides: Partial<EventConfig> = {}) =>
  emptyState(eventConfig({ room: roomConfig(room), ...overrides }));

export const SEED = "00112233445566778899aabbccddeeff";

export function enterRoom(userId: string, entryId = nextId("rm"), personKey = userId): EnterRoom {
  return { type: "EnterRoom", entryId, userId, personKey };
}

export const tick = (extra: Partial<Omit<Tick, "type">> = {}): Tick => ({ type: "Tick", ...extra });

/** What a store would load of `room` at `now`: its live entries, its row, the last minute. */
export function roomAsLoaded(room: RoomState, now: number): LoadedRoom {
  return {
    entries: [...room.queue.values(), ...room.admitted.values()],
    lastSeq: room.lastSeq,
    lastPlace: room.lastPlace,
    drawnAt: room.drawnAt,
    seed: room.seed,
    doorsOpenAt: room.doorsOpenAt,
    admittedTotal: room.admittedTotal,
    recentAdmissions: [...room.recentAdmissions].filter((at) => at > now - 60_000 && at <= now),
  };
}
