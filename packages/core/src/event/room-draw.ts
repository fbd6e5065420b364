/**
 * The on-sale room's lottery, written so that anyone can replay a draw from its stored seed and
 * entrants (docs/API.md "room"):
 *
 * 1. The seed is 32 hex digits (128 bits), read as four big-endian 32-bit words a, b, c, d.
 * 2. They seed sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 32-bit variant, as in
 *    PractRand), whose first 15 outputs are discarded to mix the seed.
 * 3. A bounded integer below n is drawn by rejection, so that none is favoured: draw x (32 bits)
 *    until x < 2^32 - (2^32 mod n), then take x mod n.
 * 4. The entrants, in arrival order, are shuffled by Fisher–Yates (Durstenfeld): for i from the
 *    last index down to 1, swap position i with position j = bounded(i + 1).
 * The result lists the entrants in place order: place 1 first.
 */

const SEED = /^[0-9a-f]{32}$/i;
const TWO_32 = 0x1_0000_0000;

/** sfc32: returns a function giving the next unsigned 32-bit output. */
export function sfc32(seedA: number, seedB: number, seedC: number, seedD: number): () => number {
  let a = seedA | 0;
  let b = seedB | 0;
  let c = seedC | 0;
  let d = seedD | 0;
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
}

/** The generator a draw uses: sfc32 seeded from the 128-bit hex seed, 15 outputs discarded. */
export function drawRandom(seed: string): () => number {
  if (!SEED.test(seed)) throw new Error("A draw's seed is 32 hex digits (128 bits)");
  const word = (i: number) => Number.parseInt(seed.slice(i * 8, i * 8 + 8), 16);
  const next = sfc32(word(0), word(1), word(2), word(3));
  for (let i = 0; i < 15; i += 1) next();
  return next;
}

/** An unbiased integer in [0, n), n ≤ 2^32, by rejection of the uneven top of the range. */
export function boundedInt(next: () => number, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > TWO_32) throw new Error("Bound out of range");
  const limit = TWO_32 - (TWO_32 % n);
  let x = next();
  while (x >= limit) x = next();
  return x % n;
}

/** The lottery: `entrants` (arrival order) shuffled into place order by the seeded generator. */
export function drawOrder(seed: string, entrants: readonly string[]): string[] {
  const next = drawRandom(seed);
  const order = [...entrants];
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = boundedInt(next, i + 1);
    const swap = order[i] as string;
    order[i] = order[j] as string;
    order[j] = swap;
  }
  return order;
}
