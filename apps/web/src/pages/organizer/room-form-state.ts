/**
 * The event form's on-sale room settings (strings, as inputs hold them) and their translation to
 * `onSaleRoom`, checked with the server's own schema. Times are wall clocks in the event's zone;
 * token and grace lengths are entered in minutes (the API counts seconds).
 */
import { onSaleRoomInput } from "@boxoffice/api/schemas/room";
import type { z } from "zod";
import { type FieldErrors, fieldErrors } from "../../lib/forms.ts";
import type { RouterOutputs } from "../../lib/trpc.ts";
import { fromZonedInput, isTimeZone, toZonedInput } from "../../lib/zoned-time.ts";

export interface RoomForm {
  enabled: boolean;
  /** Wall clock in the event's zone; "" opens the room at sales start. */
  opensAt: string;
  /** "" admits as fast as tickets free up. */
  admitPerMinute: string;
  tokenMinutes: string;
  graceMinutes: string;
  difficulty: string;
}

/** As core's DEFAULT_ROOM: off, 10 minutes to buy, 2 minutes of grace, difficulty 4. */
export const defaultRoomForm = (): RoomForm => ({
  enabled: false,
  opensAt: "",
  admitPerMinute: "",
  tokenMinutes: "10",
  graceMinutes: "2",
  difficulty: "4",
});

type OnSaleRoom = RouterOutputs["events"]["get"]["onSaleRoom"];
export type OnSaleRoomSettings = z.input<typeof onSaleRoomInput>;

const minutes = (seconds: number) => String(Math.round((seconds / 60) * 100) / 100);

export function roomFormFrom(room: OnSaleRoom, zone: string): RoomForm {
  return {
    enabled: room.enabled,
    opensAt: toZonedInput(room.opensAt, zone),
    admitPerMinute: room.admitPerMinute === null ? "" : String(room.admitPerMinute),
    tokenMinutes: minutes(room.tokenSeconds),
    graceMinutes: minutes(room.graceSeconds),
    difficulty: String(room.difficulty),
  };
}

/** The API's field (`onSaleRoom.tokenSeconds`) → the form's (`room.tokenMinutes`). */
export const ROOM_FORM_KEYS: Record<string, string> = {
  "onSaleRoom.enabled": "room.enabled",
  "onSaleRoom.opensAt": "room.opensAt",
  "onSaleRoom.admitPerMinute": "room.admitPerMinute",
  "onSaleRoom.tokenSeconds": "room.tokenMinutes",
  "onSaleRoom.graceSeconds": "room.graceMinutes",
  "onSaleRoom.difficulty": "room.difficulty",
};

export const ROOM_LABELS: Record<string, string> = {
  "room.opensAt": "Room opens",
  "room.admitPerMinute": "Admissions per minute",
  "room.tokenMinutes": "Minutes to buy",
  "room.graceMinutes": "Minutes a closed page keeps its place",
  "room.difficulty": "Bot check difficulty",
};

/** Limits in the form's units: the token and the grace are entered in minutes. */
export function roomMessage(apiPath: string, message: string): string {
  if (apiPath !== "onSaleRoom.tokenSeconds" && apiPath !== "onSaleRoom.graceSeconds") {
    return message;
  }
  const bound = /(least|most|>=|<=)\s*(\d+)/.exec(message);
  if (!bound) return message;
  const m = Number(bound[2]) / 60;
  const amount = `${m} minute${m === 1 ? "" : "s"}`;
  return bound[1] === "least" || bound[1] === ">=" ? `At least ${amount}` : `At most ${amount}`;
}

const num = (text: string) => (text.trim() === "" ? undefined : Number(text));
const seconds = (text: string) => {
  const n = num(text);
  return n === undefined ? undefined : Math.round(n * 60);
};

/**
 * The settings to send, or the form's errors. A room switched off is sent off whatever its
 * other fields say (they are hidden then, and kept for next time only when valid).
 */
export function readRoom(
  room: RoomForm,
  zone: string,
): { ok: true; onSaleRoom: OnSaleRoomSettings } | { ok: false; errors: FieldErrors } {
  const opens = fromZonedInput(room.opensAt, isTimeZone(zone) ? zone : "UTC");
  const parsed = onSaleRoomInput.safeParse({
    enabled: room.enabled,
    opensAt: opens ? new Date(opens.ms).toISOString() : null,
    admitPerMinute: num(room.admitPerMinute) ?? null,
    tokenSeconds: seconds(room.tokenMinutes),
    graceSeconds: seconds(room.graceMinutes),
    difficulty: num(room.difficulty),
  });
  if (!room.enabled) {
    return { ok: true, onSaleRoom: parsed.success ? parsed.data : { enabled: false } };
  }
  const errors: FieldErrors = {};
  if (opens?.kind === "skipped") {
    errors["room.opensAt"] =
      `There is no ${room.opensAt.slice(11)} on that day in ${zone}: the clocks go forward. Choose another time`;
  }
  if (!parsed.success) {
    for (const [path, message] of Object.entries(fieldErrors(parsed.error))) {
      const key = ROOM_FORM_KEYS[`onSaleRoom.${path}`] ?? "room.enabled";
      errors[key] ??= roomMessage(`onSaleRoom.${path}`, message);
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, onSaleRoom: parsed.data };
}
