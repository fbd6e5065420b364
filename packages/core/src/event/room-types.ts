/**
 * The on-sale room (docs/API.md "room"): a waiting room in front of an event's inventory. Buyers
 * enter before the on-sale; at opening everyone present gets a place by lottery, later arrivals
 * join at the back; the room admits from the front and each admission is a one-use token for one
 * hold (or booking). The room lives in the event's actor, so admissions, spent tokens and the
 * inventory they unlock are decided in one order and committed together.
 */
import type { Map as IMap, List } from "immutable";
import type { RoomQueue } from "./room-queue.ts";

/** What the organizer set (`onSaleRoom` on the wire). */
export interface RoomConfig {
  readonly enabled: boolean;
  /** When the lottery is drawn and admission starts; null: the event's `salesStartAt`. */
  readonly opensAt: number | null;
  /** At most this many admissions in any 60 seconds; null: as fast as tickets free up (bounded). */
  readonly admitPerMinute: number | null;
  /** How long an admission token is valid. */
  readonly tokenSeconds: number;
  /** How long a place is kept without a heartbeat (page closed, connection lost). */
  readonly graceSeconds: number;
  /** The proof-of-work difficulty of entering, 1 (trivial) .. 10 (about a minute on a phone). */
  readonly difficulty: number;
}

export const DEFAULT_ROOM: RoomConfig = {
  enabled: false,
  opensAt: null,
  admitPerMinute: null,
  tokenSeconds: 600,
  graceSeconds: 120,
  difficulty: 4,
};

/** The room's own bounds when the organizer set no rate: a limit on everything (house style). */
export const ROOM_LIMITS = {
  /** Admitted buyers shopping at once (unspent tokens plus live holds), at most. */
  maxShopping: 1_000,
  /** Admissions decided in one tick, at most. */
  maxPerTick: 500,
  /** How often an active room ticks (admits, lapses the absent, expires tokens). */
  tickMs: 1_000,
} as const;

export type RoomEntryState = "waiting" | "admitted" | "spent" | "expired" | "lapsed";

/** One buyer's place. In memory while waiting or admitted (token not yet spent or expired). */
export interface RoomEntry {
  readonly id: string;
  /** The principal that may spend the token: an account id, or `guest:<email>`. */
  readonly userId: string;
  /** One place per person: the account, or the normalised email (a guest's, or the account's). */
  readonly personKey: string;
  /** Order of arrival within the event (1, 2, ...): the queue's order for late arrivals. */
  readonly seq: number;
  readonly enteredAt: number;
  /** 1 for the front; null until the lottery is drawn (for those who entered before it). */
  readonly place: number | null;
  readonly state: RoomEntryState;
  readonly admittedAt: number | null;
  readonly tokenExpiresAt: number | null;
}

export interface RoomState {
  /** Waiting entries in queue order: arrival order before the draw, place order after it. */
  readonly queue: RoomQueue;
  /** Admitted entries whose token is neither spent nor expired. */
  readonly admitted: IMap<string, RoomEntry>;
  /** personKey → the id of that person's entry while it waits or is admitted. */
  readonly byPerson: IMap<string, string>;
  readonly lastSeq: number;
  /** The highest place handed out (the lottery's, then the late arrivals'). */
  readonly lastPlace: number;
  /** When the lottery was drawn (null: not yet), and its seed (hex), kept for audit. */
  readonly drawnAt: number | null;
  readonly seed: string | null;
  /** When the queue ran empty after opening and tokens stopped being needed; null: not yet. */
  readonly doorsOpenAt: number | null;
  /** Instants of the admissions of the last 60 seconds, oldest first (the rate's window). */
  readonly recentAdmissions: List<number>;
  /** Every admission so far. */
  readonly admittedTotal: number;
}

// ---------------------------------------------------------------------------------------------
// Commands, replies, events.

/** A buyer enters (or asks again: same place). Refused while the room is not in use. */
export interface EnterRoom {
  readonly type: "EnterRoom";
  readonly entryId: string;
  readonly userId: string;
  readonly personKey: string;
}

/**
 * The actor's timer: expires holds (as ExpireHolds) and moves the room on: draws the lottery at
 * opening, lapses the absent, admits from the front, expires unspent tokens, opens the doors.
 * The caller (the engine's `prepare`) supplies what the pure decider cannot know.
 */
export interface Tick {
  readonly type: "Tick";
  /** Ticket codes for an auto-mode waitlist, as for ExpireHolds. */
  readonly codes?: readonly string[];
  /** A secure random seed (hex) for the lottery, when it is due; without it the draw waits. */
  readonly seed?: string;
  /** Waiting entries whose buyer has not been seen for `graceSeconds`: they lose their place. */
  readonly absent?: readonly string[];
}

export type RoomReply =
  /** The room is not in use (disabled, or its doors have opened): buy without a token. */
  { readonly state: "open" } | { readonly state: "entry"; readonly entry: RoomEntry };

export type RoomEvent =
  | { readonly type: "RoomEntered"; readonly entry: RoomEntry }
  /** `order`: the entrants' ids in their new place order (place 1 first). */
  | {
      readonly type: "RoomDrawn";
      readonly seed: string;
      readonly entrants: readonly string[];
      readonly order: readonly string[];
      readonly at: number;
    }
  | { readonly type: "RoomLapsed"; readonly entryIds: readonly string[]; readonly at: number }
  | {
      readonly type: "RoomAdmitted";
      readonly entryIds: readonly string[];
      readonly at: number;
      readonly tokenExpiresAt: number;
    }
  /** Follows the HoldPlaced or BookingConfirmed (or WaitlistJoined) the token paid for. */
  | {
      readonly type: "RoomTokenSpent";
      readonly entryId: string;
      readonly orderId: string;
      readonly at: number;
    }
  | {
      readonly type: "RoomTokensExpired";
      readonly entryIds: readonly string[];
      readonly at: number;
    }
  | { readonly type: "RoomDoorsOpened"; readonly at: number };

/** What SQLite holds of a room, for `initialState`: live entries and the room's own row. */
export interface LoadedRoom {
  /** Waiting and admitted entries (tokens not yet spent or expired). */
  readonly entries: readonly RoomEntry[];
  readonly lastSeq: number;
  readonly lastPlace: number;
  readonly drawnAt: number | null;
  readonly seed: string | null;
  readonly doorsOpenAt: number | null;
  readonly admittedTotal: number;
  /** Admission instants of the last 60 seconds (from the entries' `admitted_at`). */
  readonly recentAdmissions: readonly number[];
}
