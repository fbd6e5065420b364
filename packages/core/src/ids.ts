/**
 * Every id and code Boxoffice mints, in one module (house style 12). WebCrypto only, so it runs
 * wherever core runs. The decider never calls these: callers draw ids and codes and pass them in
 * commands, which keeps `decide` deterministic.
 */

/** a-z and 2-9 without look-alikes (no l, o, 0, 1): 32 symbols, 5 bits each. */
export const ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

const POOL_BYTES = 4_096;
let pool = new Uint8Array(0);
let used = 0;

/**
 * Where `n` (≤ 4,096) fresh bytes start in `pool`, which is drawn from the platform's CSPRNG
 * 4 KB at a time: a booking mints several ids and codes, and a call (and an array) per id cost
 * more than the ids' other work. Each byte is handed out once.
 */
function take(n: number): number {
  if (n > POOL_BYTES) throw new RangeError(`At most ${POOL_BYTES} random bytes at once`);
  if (used + n > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    used = 0;
  }
  const start = used;
  used += n;
  return start;
}

/** `length` (≤ 4,096) symbols of ID_ALPHABET; the default 24 × 5 = 120 bits, as Lucia recommends. */
export function randomString(length = 24): string {
  const start = take(length);
  let out = "";
  for (let i = start; i < start + length; i += 1) out += ID_ALPHABET[(pool[i] as number) >> 3];
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
  question: "q",
  code: "cod",
  broadcast: "bc",
  roomEntry: "rm",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/** ID_ALPHABET's symbols in ASCII order: a time written with them sorts as the time does. */
const SORTED_ALPHABET = "23456789abcdefghijkmnpqrstuvwxyz";

/** Symbols of the time in an id: 9 × 5 = 45 bits of milliseconds, enough until the year 3084. */
const TIME_SYMBOLS = 9;

/** Random symbols after the time: 16 × 5 = 80 bits, so ids minted in one millisecond never meet. */
const ID_RANDOM_SYMBOLS = 16;

/**
 * A new id: the kind's prefix, the time of minting, then random symbols. Ids minted later sort
 * later, so a table's primary key (and the indexes that lead with it) grows at its end instead of
 * at random pages: a rush's commits write a few pages, not one per index per booking. Ids are
 * names, never secrets (sessions, order pages and tickets have secrets of their own).
 */
export function newId(kind: IdKind, now = Date.now()): string {
  const time = timeSymbols(Math.max(0, Math.floor(now)), SORTED_ALPHABET, TIME_SYMBOLS);
  return `${ID_PREFIXES[kind]}_${time}${randomString(ID_RANDOM_SYMBOLS)}`;
}

/**
 * `count` symbols of `sorted` (an alphabet in ASCII order) writing the whole number `n` in its
 * base, most significant first, so that the symbols sort as the numbers do (what `n` exceeds
 * drops off the front).
 */
function timeSymbols(n: number, sorted: string, count: number): string {
  let out = "";
  let rest = n;
  for (let i = 0; i < count; i += 1) {
    out = sorted[rest % sorted.length] + out;
    rest = Math.floor(rest / sorted.length);
  }
  return out;
}

/** The symbols of an order token's secret: 26 × 5 = 130 random bits. */
export const ORDER_SECRET_LENGTH = 26;

/**
 * An order page's token: `<bookingId>.<secret>`, a split token. The booking id finds the row by
 * its primary key and only the secret's SHA-256 is stored with it: a lookup by the hash of a whole
 * token needs an index of random keys, and at a rush every booking's entry in it dirtied a page
 * of its own (a sixth of the writer's work, and of the bytes each fsync waited for).
 */
export const orderToken = (bookingId: string): string =>
  `${bookingId}.${randomString(ORDER_SECRET_LENGTH)}`;

/**
 * The booking id and the secret of a token made by `orderToken`; null for anything else (a
 * token issued before split tokens is a bare secret).
 */
export function splitOrderToken(token: string): { bookingId: string; secret: string } | null {
  const dot = token.lastIndexOf(".");
  if (dot <= 0 || token.length - dot - 1 !== ORDER_SECRET_LENGTH) return null;
  return { bookingId: token.slice(0, dot), secret: token.slice(dot + 1) };
}

/**
 * What ticket codes are made of: capitals and digits without the look-alikes I, L, O, 0 and 1,
 * so a code read off a screen or paper is typed right (house style 12). 31 symbols.
 */
export const TICKET_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/** Random symbols in a ticket code: log2(31) × 20 ≈ 99 random bits, unguessable at the door. */
export const TICKET_CODE_RANDOM_SYMBOLS = 20;

/**
 * Symbols of the minting time at the front of a ticket code: milliseconds, wrapping every 31^4 ms
 * (about 15 minutes). Codes minted together share their start, so the unique index of codes
 * takes a rush's new codes on a few pages instead of one page each at random (a tenth more
 * bookings a second at a rush); the time says nothing that matters, and the wrap keeps the
 * code short.
 */
export const TICKET_CODE_TIME_SYMBOLS = 4;

/** 24 symbols: the time, then the random part. */
export const TICKET_CODE_LENGTH = TICKET_CODE_TIME_SYMBOLS + TICKET_CODE_RANDOM_SYMBOLS;

/** TICKET_CODE_ALPHABET's symbols in ASCII order, for the time: adjacent times, adjacent codes. */
const SORTED_CODE_ALPHABET = [...TICKET_CODE_ALPHABET].sort().join("");
const TICKET_CODE_WRAP_MS = SORTED_CODE_ALPHABET.length ** TICKET_CODE_TIME_SYMBOLS;

// Bytes at or above the largest multiple of 31 are drawn again, so every symbol is equally likely.
const CODE_BYTE_LIMIT = 256 - (256 % TICKET_CODE_ALPHABET.length);

/** `length` symbols of TICKET_CODE_ALPHABET, each equally likely. */
function alphabetCode(length: number): string {
  let out = "";
  while (out.length < length) {
    const start = take(length);
    for (let i = start; i < start + length; i += 1) {
      const byte = pool[i] as number;
      if (byte >= CODE_BYTE_LIMIT) continue;
      out += TICKET_CODE_ALPHABET[byte % TICKET_CODE_ALPHABET.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A ticket code: upper case to read out, grouped by four where people see it. */
export function ticketCode(now = Date.now()): string {
  const wrapped = Math.floor(now) % TICKET_CODE_WRAP_MS;
  const time = timeSymbols(wrapped, SORTED_CODE_ALPHABET, TICKET_CODE_TIME_SYMBOLS);
  return time + alphabetCode(TICKET_CODE_RANDOM_SYMBOLS);
}

/** Symbols after the prefix of a generated promo or access code: log2(31) × 10 ≈ 50 bits. */
export const PROMO_CODE_LENGTH = 10;

/** A generated promo or access code (docs/API.md "codes"): `prefix` and 10 symbols. */
export const promoCode = (prefix = ""): string => prefix + alphabetCode(PROMO_CODE_LENGTH);

/**
 * A code as typed at the door, in the form codes are stored: trimmed, upper case, without the
 * spaces and dashes people group codes with, and with the look-alikes people type for I (1, L)
 * read as I. Codes made before TICKET_CODE_ALPHABET may contain I but never 1, L, 0 or O, and
 * newer codes contain none of them, so the mapping finds every stored code and confuses none.
 */
export function normalizeTicketCode(typed: string): string {
  return typed
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, "")
    .replace(/[1L]/g, "I");
}

/**
 * A ticket code as people read it, on the web, in mails and on the PDF: in groups of four
 * (`K7PQ M4XD 9RWT H3VN 8ZBE`). `normalizeTicketCode` reads it back.
 */
export const spacedTicketCode = (code: string): string => code.replace(/(.{4})(?=.)/g, "$1 ");

export const ticketCodes = (count: number, now = Date.now()): string[] =>
  Array.from({ length: count }, () => ticketCode(now));
