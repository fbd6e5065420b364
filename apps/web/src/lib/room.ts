/**
 * The on-sale room in words and numbers, and what this tab keeps of a place in it: a guest's
 * `entryKey` (which finds their entry again after a reload), the email they entered with, and
 * the admission token while it is valid. Kept per event in sessionStorage: this tab only, gone
 * when it closes (the server keeps the place for its grace period either way).
 */
import type { RouterOutputs } from "./trpc.ts";

export type RoomStatus = RouterOutputs["room"]["position"];

export interface RoomPass {
  /** From `room.enter`: finds a guest's entry (an account's is found by the account). */
  entryKey?: string;
  /** The address a guest entered with: their turn belongs to it, so checkout uses it too. */
  email?: string;
  admissionToken?: string;
  tokenExpiresAt?: string;
  /** The first place this tab saw after the draw: where the progress bar starts. */
  firstPosition?: number;
}

const keyOf = (eventId: string) => `boxoffice.room.${eventId}`;

export function readRoomPass(eventId: string): RoomPass {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(keyOf(eventId)) ?? "null");
    if (!value || typeof value !== "object") return {};
    const pass: RoomPass = {};
    const v = value as Record<string, unknown>;
    for (const key of ["entryKey", "email", "admissionToken", "tokenExpiresAt"] as const) {
      if (typeof v[key] === "string") pass[key] = v[key];
    }
    if (typeof v.firstPosition === "number") pass.firstPosition = v.firstPosition;
    return pass;
  } catch {
    // Storage off or unreadable: as if this tab never entered.
    return {};
  }
}

export function writeRoomPass(eventId: string, pass: RoomPass): void {
  try {
    sessionStorage.setItem(keyOf(eventId), JSON.stringify(pass));
  } catch {
    // Storage off (private mode, quota): a reload asks the server again.
  }
}

/** The token this tab may still present: the server's, else a stored one not yet expired. */
export function usableToken(
  status: RoomStatus | null,
  pass: RoomPass,
  now: number,
): { token: string; expiresAt: number } | null {
  if (status?.admissionToken && status.tokenExpiresAt) {
    return { token: status.admissionToken, expiresAt: Date.parse(status.tokenExpiresAt) };
  }
  // The server said otherwise (spent, expired, waiting): its word wins over what was stored.
  if (status && status.state !== "admitted") return null;
  if (!pass.admissionToken || !pass.tokenExpiresAt) return null;
  const expiresAt = Date.parse(pass.tokenExpiresAt);
  return expiresAt > now ? { token: pass.admissionToken, expiresAt } : null;
}

/** What the buyer sees: the room's stages, from outside it to their turn. */
export type RoomStage =
  | "outside"
  | "waiting-for-draw"
  | "queued"
  | "admitted"
  | "spent"
  | "ended"
  | "open";

export function roomStage(status: RoomStatus): RoomStage {
  if (status.state === "open") return "open";
  if (status.state === "admitted" && !status.spent) return "admitted";
  if (status.spent) return "spent";
  if (status.state === "expired") return "ended";
  if (status.state === "waiting") return status.position === null ? "waiting-for-draw" : "queued";
  return "outside";
}

/**
 * An honest estimate in words: "less than a minute", "about 3 minutes", "about 2 hours"; null
 * when the server cannot tell (no admissions yet and no set rate).
 */
export function waitInWords(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 60) return "less than a minute";
  if (seconds < 90 * 60) {
    const minutes = Math.round(seconds / 60);
    return `about ${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  const hours = Math.round(seconds / 3600);
  return `about ${hours} hour${hours === 1 ? "" : "s"}`;
}

/** "2 minutes", "90 seconds", "1 hour": a setting's length in words. */
export function minutesInWords(seconds: number): string {
  if (seconds % 60 !== 0) return `${seconds} seconds`;
  const minutes = seconds / 60;
  if (minutes >= 60 && minutes % 60 === 0) {
    const hours = minutes / 60;
    return `${hours} hour${hours === 1 ? "" : "s"}`;
  }
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** "1 person", "12 people". */
export const people = (n: number) => `${n.toLocaleString()} ${n === 1 ? "person" : "people"}`;

/**
 * How far along the queue this buyer is, 0..1: from the first place this tab saw to the front.
 * The front itself (nobody ahead) is 1.
 */
export function queueProgress(position: number, firstPosition: number): number {
  const start = Math.max(firstPosition, position);
  if (start <= 1) return 1;
  return Math.min(1, Math.max(0, (start - position) / (start - 1)));
}

/** What was last said aloud about the buyer's place. */
export interface Spoken {
  readonly stage: RoomStage;
  readonly position: number | null;
  readonly at: number;
}

/**
 * Whether to say the buyer's place aloud: not at every change (a busy queue moves every second),
 * but at once when the stage changes, and a new place once 30 seconds have passed since the last
 * one said or when the front is near. The first status is on the page already: nothing to say.
 */
export function shouldAnnounce(status: RoomStatus, last: Spoken | null, now: number): boolean {
  if (!last) return false;
  const stage = roomStage(status);
  if (stage !== last.stage) return true;
  if (stage !== "queued" || status.position === last.position) return false;
  return (status.position ?? Number.POSITIVE_INFINITY) <= 3 || now - last.at >= 30_000;
}

export function spokenStatus(status: RoomStatus): string {
  switch (roomStage(status)) {
    case "queued":
      return `You are number ${status.position} in the queue, with ${people(status.ahead ?? 0)} ahead of you.`;
    case "waiting-for-draw":
      return "You are in the room. Places are drawn when it opens.";
    case "admitted":
      return "It's your turn. Choose your tickets.";
    case "spent":
      return "You have used your turn.";
    case "ended":
      return "Your place in the room has ended.";
    case "open":
      return "The room is open: tickets can be bought directly.";
    default:
      return "You are not in the room yet.";
  }
}
