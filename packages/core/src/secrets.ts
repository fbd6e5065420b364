/**
 * Comparing a secret a caller sent with the one kept (a session's or an order token's hash, an
 * admission token's MAC, a Wallet pass's token): `===` stops at the first symbol that differs, so
 * its time tells a guesser how much of a guess was right. This looks at every symbol whatever it
 * finds. Lengths are not secret (every token of a kind has one length), so a length that differs
 * answers at once. A plain loop, no node:crypto, so it runs wherever core runs; a hash kept as
 * bytes is compared as a latin1 string (one character a byte).
 */

/** Whether `given` is `expected`, in time that depends only on their lengths. */
export function sameSecret(given: string, expected: string): boolean {
  if (given.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < given.length; i += 1) diff |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return diff === 0;
}
