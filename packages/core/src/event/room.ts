/**
 * The on-sale room's half of the event actor's decider (docs/API.md "room"): entering, the
 * lottery at opening, admission from the front, tokens spent by the hold or booking they paid
 * for, and the doors opening when nobody waits any more. Pure like the rest of the decider: the
 * engine supplies the lottery's seed and who is absent on `Tick`.
 */
import { ConflictError, DomainError } from "../errors.ts";
import { personOf } from "./checkout.ts";
import { drawOrder } from "./room-draw.ts";
import { applyRoomTo } from "./room-evolve.ts";
import {
  DEFAULT_ROOM,
  type EnterRoom,
  ROOM_LIMITS,
  type RoomConfig,
  type RoomEntry,
  type RoomEvent,
  type RoomReply,
  type RoomState,
  type Tick,
} from "./room-types.ts";
import { type Decision, guestRefusal, refuse, salesEndOf } from "./rules.ts";
import { availability } from "./state.ts";
import type { EventConfig, EventEvent, EventState } from "./types.ts";

/** The organizer's room settings, or the defaults (disabled). */
export const roomOf = (config: EventConfig): RoomConfig => config.room ?? DEFAULT_ROOM;

/** When the lottery is drawn: the room's `opensAt`, else the sales start; null: at once. */
export const roomOpensAt = (config: EventConfig): number | null =>
  roomOf(config).opensAt ?? config.salesStartAt ?? null;

/**
 * Whether holds and bookings need an admission token now. `now` matters at the end only: once
 * sales have closed, the room neither queues nor refuses (buyers get SALES_CLOSED, not
 * NOT_ADMITTED), and it stops ticking.
 */
export function roomInUse(state: EventState, now: number): boolean {
  const { config, room } = state;
  return (
    roomOf(config).enabled &&
    config.status === "published" &&
    room.doorsOpenAt === null &&
    now < salesEndOf(config)
  );
}

/** Whether a `Tick` now would draw the lottery (the engine then supplies a seed). */
export function roomDrawDue(state: EventState, now: number): boolean {
  if (!roomInUse(state, now) || state.room.drawnAt !== null) return false;
  const opensAt = roomOpensAt(state.config);
  return opensAt === null || now >= opensAt;
}

/** The person's live entry (waiting or admitted), if any. */
export function entryOfPerson(room: RoomState, personKey: string): RoomEntry | undefined {
  const id = room.byPerson.get(personKey);
  return id === undefined ? undefined : (room.queue.get(id) ?? room.admitted.get(id));
}

export function enterRoom(state: EventState, cmd: EnterRoom, now: number): Decision<RoomReply> {
  if (!roomInUse(state, now)) return { events: [], reply: { state: "open" } };
  const guest = guestRefusal(state.config, cmd.userId);
  if (guest) return refuse(guest);
  const { room } = state;
  const mine = entryOfPerson(room, cmd.personKey);
  if (mine) return { events: [], reply: { state: "entry", entry: mine } };
  if (room.queue.has(cmd.entryId) || room.admitted.has(cmd.entryId)) {
    return refuse(new ConflictError("This room entry id is in use"));
  }
  const entry: RoomEntry = {
    id: cmd.entryId,
    userId: cmd.userId,
    personKey: cmd.personKey,
    seq: room.lastSeq + 1,
    enteredAt: now,
    // Before the draw nobody has a place; after it, a newcomer joins at the back.
    place: room.drawnAt === null ? null : room.lastPlace + 1,
    state: "waiting",
    admittedAt: null,
    tokenExpiresAt: null,
  };
  return { events: [{ type: "RoomEntered", entry }], reply: { state: "entry", entry } };
}

// ---------------------------------------------------------------------------------------------
// Tokens: checked by the quote, spent by the decision that used them.

/**
 * NOT_ADMITTED unless `owner.admission` names an admitted entry of this principal whose token is
 * still valid; null when the room is not in use (tokens are then neither needed nor checked).
 */
export function admissionRefusal(
  state: EventState,
  owner: { readonly userId: string; readonly personKey?: string; readonly admission?: string },
  now: number,
): DomainError | null {
  if (!roomInUse(state, now)) return null;
  const entry =
    owner.admission === undefined ? undefined : state.room.admitted.get(owner.admission);
  // Bound to the person, as the place is: a guest who signs in to the account with the same
  // email (or the other way round) keeps their turn; anyone else is refused.
  const valid =
    entry !== undefined &&
    entry.personKey === personOf(owner) &&
    entry.tokenExpiresAt !== null &&
    entry.tokenExpiresAt > now;
  if (valid) return null;
  const opensAt = roomOpensAt(state.config);
  return new DomainError("NOT_ADMITTED", "Wait for your turn in the on-sale room", {
    opensAt: opensAt === null ? null : new Date(opensAt).toISOString(),
  });
}

/**
 * A successful hold or booking (or the waitlist place a booking took instead) spends the token
 * it presented: `orderId` is what it bought. A refusal, or a room not in use, spends nothing.
 */
export function spendingToken<R>(
  state: EventState,
  admission: string | undefined,
  decision: Decision<R>,
  orderId: (reply: R) => string | null,
  now: number,
): Decision<R> {
  if (admission === undefined || decision.reply instanceof Error) return decision;
  if (decision.events.length === 0 || !roomInUse(state, now)) return decision;
  const id = orderId(decision.reply);
  if (id === null) return decision;
  const spent: EventEvent = { type: "RoomTokenSpent", entryId: admission, orderId: id, at: now };
  return { ...decision, events: [...decision.events, spent] };
}

// ---------------------------------------------------------------------------------------------
// The timer's room step.

/** Admissions in the 60 seconds up to `now`: the rate's window. */
export function admissionsInLastMinute(room: RoomState, now: number): number {
  const since = now - 60_000;
  // Oldest first: count from the newest end until one falls out of the window.
  let count = 0;
  for (let i = room.recentAdmissions.size - 1; i >= 0; i -= 1) {
    const at = room.recentAdmissions.get(i) ?? 0;
    if (at <= since || at > now) break;
    count += 1;
  }
  return count;
}

/** How many of the queue's front the room admits in this tick (docs/API.md "Admission"). */
export function admissionsDue(state: EventState, now: number): number {
  const { room } = state;
  const figures = availability(state);
  // Sold out with nothing held: nothing can free up for whoever would be admitted.
  if (figures.available === 0 && state.held === 0) return 0;
  const rate = roomOf(state.config).admitPerMinute;
  let n: number;
  if (rate !== null) {
    const left = rate - admissionsInLastMinute(room, now);
    n = Math.min(left, Math.ceil(rate / 60));
  } else {
    // Each unspent token will take at least one of the tickets left to hold; holds already
    // took theirs (`available` leaves them out), so they count against the bound only.
    const unspent = room.admitted.size;
    const openings = figures.available - unspent;
    const roomFor = ROOM_LIMITS.maxShopping - unspent - state.holds.size;
    n = Math.min(openings, roomFor, ROOM_LIMITS.maxPerTick);
  }
  return Math.max(0, Math.min(n, room.queue.size));
}

/** Waiting entries the engine reports absent, in queue order. */
const absentWaiting = (room: RoomState, absent: readonly string[] | undefined): string[] =>
  (absent ?? []).filter((id) => room.queue.has(id));

/** The draw, if it is due and the seed is at hand: those absent lose their place first. */
function drawStep(state: EventState, cmd: Tick, now: number): RoomEvent[] {
  if (!roomDrawDue(state, now) || cmd.seed === undefined) return [];
  const gone = absentWaiting(state.room, cmd.absent);
  const events: RoomEvent[] = [];
  if (gone.length > 0) events.push({ type: "RoomLapsed", entryIds: gone, at: now });
  const skip = new Set(gone);
  const entrants = [...state.room.queue.keys()].filter((id) => !skip.has(id));
  const order = drawOrder(cmd.seed, entrants);
  events.push({ type: "RoomDrawn", seed: cmd.seed, entrants, order, at: now });
  return events;
}

/** After the draw: lapse the absent, expire unspent tokens, admit from the front, open up. */
function queueStep(state: EventState, cmd: Tick, now: number, drewNow: boolean): RoomEvent[] {
  const { room } = state;
  const events: RoomEvent[] = [];
  const inUse = roomInUse(state, now);
  const gone = inUse && !drewNow ? absentWaiting(room, cmd.absent) : [];
  if (gone.length > 0) events.push({ type: "RoomLapsed", entryIds: gone, at: now });
  // Tokens run out even after the doors opened, so that every entry ends.
  const expired: string[] = [];
  for (const entry of room.admitted.values()) {
    if (entry.tokenExpiresAt !== null && entry.tokenExpiresAt <= now) expired.push(entry.id);
  }
  if (expired.length > 0) events.push({ type: "RoomTokensExpired", entryIds: expired, at: now });
  if (!inUse) return events;
  const after = events.reduce(applyRoomTo, state);
  const n = admissionsDue(after, now);
  if (n > 0) {
    const entryIds = after.room.queue.first(n);
    const tokenExpiresAt = now + roomOf(state.config).tokenSeconds * 1000;
    events.push({ type: "RoomAdmitted", entryIds, at: now, tokenExpiresAt });
  }
  if (after.room.queue.size === n) events.push({ type: "RoomDoorsOpened", at: now });
  return events;
}

/** The room's part of `Tick`, decided on the state the expired holds left. */
export function roomTick(state: EventState, cmd: Tick, now: number): RoomEvent[] {
  const drawn = drawStep(state, cmd, now);
  const after = drawn.reduce(applyRoomTo, state);
  if (after.room.drawnAt === null) return drawn;
  return [...drawn, ...queueStep(after, cmd, now, drawn.length > 0)];
}

/** The Room* events a Reconfigure adds: switching an in-use room off after its draw opens it. */
export function reconfiguredRoom(state: EventState, next: EventConfig, now: number): RoomEvent[] {
  const off = !roomOf(next).enabled;
  if (!off || !roomInUse(state, now) || state.room.drawnAt === null) return [];
  return [{ type: "RoomDoorsOpened", at: now }];
}

/**
 * When the room next needs a `Tick`: its opening while it waits for the draw (now, when that
 * has passed), every `tickMs` while anyone waits or holds an unspent token after the draw, else
 * never. An idle room (nobody queued, nobody admitted) asks for nothing, so it never spins.
 */
export function roomNextWake(state: EventState, now: number): number | null {
  const { room } = state;
  if (room.drawnAt === null) {
    if (!roomInUse(state, now)) return null;
    const opensAt = roomOpensAt(state.config);
    return opensAt === null || opensAt <= now ? now : opensAt;
  }
  const queueing = room.queue.size > 0 && roomInUse(state, now);
  return queueing || room.admitted.size > 0 ? now + ROOM_LIMITS.tickMs : null;
}
