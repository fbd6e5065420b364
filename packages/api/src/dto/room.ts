/** What the on-sale room says on the wire (docs/API.md "room"). Instants are ISO strings. */
import { DEFAULT_ROOM, type RoomConfig } from "@boxoffice/core";
import type { RoomStatsView, RoomStatusView } from "@boxoffice/engine";
import type { OnSaleRoomInput } from "../schemas/room.ts";

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export interface RoomStatusDto {
  readonly state: "none" | "waiting" | "admitted" | "expired" | "open";
  readonly position: number | null;
  readonly ahead: number | null;
  readonly queueLength: number;
  readonly opensAt: string | null;
  readonly admissionToken?: string;
  readonly tokenExpiresAt?: string;
  readonly spent: boolean;
  readonly estimatedWaitSeconds: number | null;
  readonly soldOut: boolean;
  /** From `room.enter` only: finds a guest's entry later. */
  readonly entryKey?: string;
}

export interface RoomStatsDto {
  readonly state: "off" | "before" | "queueing" | "open";
  readonly opensAt: string | null;
  readonly entrants: number;
  readonly waiting: number;
  readonly shopping: number;
  readonly admittedTotal: number;
  readonly admittedLastMinute: number;
  readonly lapsedTotal: number;
  readonly drawnAt: string | null;
  readonly seed: string | null;
  readonly doorsOpenAt: string | null;
}

export interface OnSaleRoomDto {
  readonly enabled: boolean;
  readonly opensAt: string | null;
  readonly admitPerMinute: number | null;
  readonly tokenSeconds: number;
  readonly graceSeconds: number;
  readonly difficulty: number;
}

/** An ALTCHA v2 challenge, as altcha-lib's `createChallenge` makes it and its widget reads it. */
export interface ChallengeDto {
  readonly parameters: {
    readonly algorithm: string;
    readonly nonce: string;
    readonly salt: string;
    readonly cost: number;
    readonly keyLength: number;
    readonly keyPrefix: string;
    readonly keySignature?: string;
    readonly expiresAt?: number;
    readonly data?: Record<string, string | number | boolean | null>;
  };
  readonly signature?: string;
}

/** The settings as the actor keeps them (instants as epoch milliseconds). */
export const roomConfigOf = (input: OnSaleRoomInput): RoomConfig => ({
  enabled: input.enabled,
  opensAt: input.opensAt == null ? null : Date.parse(input.opensAt),
  admitPerMinute: input.admitPerMinute ?? null,
  tokenSeconds: input.tokenSeconds,
  graceSeconds: input.graceSeconds,
  difficulty: input.difficulty,
});

/** `event.onSaleRoom`: every setting, the defaults where none was ever made. */
export function onSaleRoomDto(stored: RoomConfig | null | undefined): OnSaleRoomDto {
  const room = { ...DEFAULT_ROOM, ...stored };
  return {
    enabled: room.enabled,
    opensAt: isoOrNull(room.opensAt),
    admitPerMinute: room.admitPerMinute,
    tokenSeconds: room.tokenSeconds,
    graceSeconds: room.graceSeconds,
    difficulty: room.difficulty,
  };
}

/** A buyer's status on the wire: the token fields only while there is a token. */
export function roomStatusDto(view: RoomStatusView, entryKey?: string | null): RoomStatusDto {
  return {
    state: view.state,
    position: view.position,
    ahead: view.ahead,
    queueLength: view.queueLength,
    opensAt: isoOrNull(view.opensAt),
    ...(view.admissionToken !== null && view.tokenExpiresAt !== null
      ? {
          admissionToken: view.admissionToken,
          tokenExpiresAt: isoOrNull(view.tokenExpiresAt) ?? "",
        }
      : {}),
    spent: view.spent,
    estimatedWaitSeconds: view.estimatedWaitSeconds,
    soldOut: view.soldOut,
    ...(entryKey ? { entryKey } : {}),
  };
}

export const roomStatsDto = (view: RoomStatsView): RoomStatsDto => ({
  state: view.state,
  opensAt: isoOrNull(view.opensAt),
  entrants: view.entrants,
  waiting: view.waiting,
  shopping: view.shopping,
  admittedTotal: view.admittedTotal,
  admittedLastMinute: view.admittedLastMinute,
  lapsedTotal: view.lapsedTotal,
  drawnAt: isoOrNull(view.drawnAt),
  seed: view.seed,
  doorsOpenAt: isoOrNull(view.doorsOpenAt),
});
