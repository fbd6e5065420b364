/** What the on-sale room says on the wire (docs/API.md "room"). Instants are ISO strings. */
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
