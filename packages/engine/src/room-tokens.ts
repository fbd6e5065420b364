/**
 * The on-sale room's signed strings (docs/API.md "room"): the admission token a buyer presents to
 * hold or book, and the entry key that finds a guest's place again. Both are HMAC-SHA256 over the
 * event and the entry with a server secret kept in `app_secrets`, read once per engine: checking
 * one is a hash and a comparison, never a query, since every hold of a busy on-sale checks one.
 */
import { createHmac, randomBytes } from "node:crypto";
import { sameSecret } from "@boxoffice/core";
import { appSecretOf, type Db } from "@boxoffice/db";

/** The names of the room's secrets in `app_secrets`. */
export const ROOM_SECRETS = { tokens: "room_tokens", challenges: "room_challenges" } as const;

/** A server secret by name: made (32 random bytes) and stored the first time, then cached. */
export function roomSecret(db: Db, name: string, now: number): string {
  return appSecretOf(db, name, () => randomBytes(32).toString("base64url"), now);
}

const ENTRY_ID = /^rm_[a-z2-9]{1,64}$/;

export interface AdmissionClaim {
  readonly entryId: string;
  readonly expiresAt: number;
}

export class RoomTokens {
  private key: Buffer | null = null;

  constructor(private readonly secret: () => string) {}

  /** `<entryId>.<expiresAt>.<mac>`: lets the entry's buyer hold or book once before expiresAt. */
  admissionToken(eventId: string, entryId: string, expiresAt: number): string {
    return `${entryId}.${expiresAt}.${this.mac("admission", eventId, entryId, String(expiresAt))}`;
  }

  /**
   * The entry a token admits, if it is this event's, signed by this server and not yet expired;
   * null otherwise (forged, altered, another event's, expired, or not a token at all). Whether
   * the entry is still admitted, unspent and the caller's is the actor's to say.
   */
  verifyAdmission(eventId: string, token: string, now: number): AdmissionClaim | null {
    const parts = token.split(".");
    if (parts.length !== 3) return null;
    const [entryId, expires, mac] = parts as [string, string, string];
    if (!ENTRY_ID.test(entryId) || !/^\d{1,15}$/.test(expires)) return null;
    const expiresAt = Number(expires);
    if (!this.macMatches(mac, "admission", eventId, entryId, expires)) return null;
    return expiresAt > now ? { entryId, expiresAt } : null;
  }

  /** `<entryId>.<mac>`: finds an entry again (a guest has no account to find it by). */
  entryKey(eventId: string, entryId: string): string {
    return `${entryId}.${this.mac("entry", eventId, entryId)}`;
  }

  /** The entry id an entry key names, if this server signed it for this event; else null. */
  verifyEntryKey(eventId: string, key: string): string | null {
    const parts = key.split(".");
    if (parts.length !== 2) return null;
    const [entryId, mac] = parts as [string, string];
    if (!ENTRY_ID.test(entryId)) return null;
    return this.macMatches(mac, "entry", eventId, entryId) ? entryId : null;
  }

  private mac(...fields: string[]): string {
    this.key ??= Buffer.from(this.secret(), "utf8");
    // NUL-separated, with the kind first: no admission token is ever a valid entry key.
    return createHmac("sha256", this.key).update(fields.join("\u0000")).digest("base64url");
  }

  private macMatches(mac: string, ...fields: string[]): boolean {
    return sameSecret(mac, this.mac(...fields));
  }
}
