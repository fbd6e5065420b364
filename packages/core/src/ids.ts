/**
 * Every id and code Boxoffice mints, in one module (house style 12). WebCrypto only, so it runs
 * wherever core runs. The decider never calls these: callers draw ids and codes and pass them in
 * commands, which keeps `decide` deterministic.
 */

/** a-z and 2-9 without look-alikes (no l, o, 0, 1): 32 symbols, 5 bits each. */
export const ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

/** `length` symbols of ID_ALPHABET; the default 24 × 5 = 120 bits, as Lucia recommends. */
export function randomString(length = 24): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  for (const byte of bytes) out += ID_ALPHABET[byte >> 3];
  return out;
}

/** What each kind of record's id starts with, so that an id says what it names. */
export const ID_PREFIXES = {
  user: "usr",
  event: "evt",
  ticketType: "tt",
  venue: "ven",
  hold: "hld",
  booking: "bkg",
  waitlistEntry: "wl",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

export const newId = (kind: IdKind): string => `${ID_PREFIXES[kind]}_${randomString()}`;

/** A ticket code: 20 symbols = 100 random bits, unguessable at the door; upper case to read out. */
export const ticketCode = (): string => randomString(20).toUpperCase();

export const ticketCodes = (count: number): string[] => Array.from({ length: count }, ticketCode);
