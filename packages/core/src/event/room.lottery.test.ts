/**
 * The lottery (docs/API.md "room"): a documented, replayable shuffle that is fair. The statistical
 * test uses fixed seeds, so it is deterministic: it cannot flake, and a change to the algorithm
 * that skews places fails it.
 */
import { describe, expect, it } from "bun:test";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { boundedInt, drawOrder, drawRandom, sfc32 } from "./room-draw.ts";

/** sfc32 as PractRand's C source states it, in BigInt arithmetic: an independent reference. */
function referenceSfc32(seed: readonly bigint[]): () => bigint {
  const M = 0xffff_ffffn;
  let [a, b, c, d] = seed as [bigint, bigint, bigint, bigint];
  return () => {
    const tmp = (a + b + d) & M;
    d = (d + 1n) & M;
    a = b ^ (b >> 9n);
    b = (c + (c << 3n)) & M;
    c = (((c << 21n) | (c >> 11n)) & M) + tmp;
    c &= M;
    return tmp;
  };
}

const seedOf = (i: number) => createHash("sha256").update(`draw-${i}`).digest("hex").slice(0, 32);

describe("the lottery's generator", () => {
  it("is sfc32 exactly as PractRand defines it", () => {
    const words = [0x00112233n, 0x44556677n, 0x8899aabbn, 0xccddeeffn];
    const ours = sfc32(...(words.map(Number) as [number, number, number, number]));
    const reference = referenceSfc32(words);
    for (let i = 0; i < 1_000; i += 1) expect(BigInt(ours())).toBe(reference());
  });

  it("reads the seed as four big-endian words and discards 15 outputs", () => {
    const reference = referenceSfc32([0x00112233n, 0x44556677n, 0x8899aabbn, 0xccddeeffn]);
    for (let i = 0; i < 15; i += 1) reference();
    const next = drawRandom("00112233445566778899AABBCCDDEEFF");
    for (let i = 0; i < 10; i += 1) expect(BigInt(next())).toBe(reference());
  });

  it("refuses a seed that is not 128 bits of hex", () => {
    for (const seed of ["", "abc", "g".repeat(32), "0".repeat(31), "0".repeat(33)]) {
      expect(() => drawRandom(seed)).toThrow();
    }
  });

  it("draws bounded integers without bias by rejecting the uneven top of the range", () => {
    // 2^32 mod 3 = 1: 4294967295 would favour 0, so it is drawn again.
    const outputs = [4_294_967_295, 4_294_967_294, 7];
    const next = () => outputs.shift() as number;
    expect(boundedInt(next, 3)).toBe(4_294_967_294 % 3);
    expect(outputs).toEqual([7]);
    expect(boundedInt(() => 123, 1)).toBe(0);
    expect(() => boundedInt(() => 0, 0)).toThrow();
  });
});

describe("drawOrder", () => {
  it("replays: the same seed and entrants give the same order (a pinned example)", () => {
    const entrants = ["a", "b", "c", "d", "e", "f", "g", "h"];
    expect(drawOrder("00112233445566778899aabbccddeeff", entrants)).toEqual([
      "h",
      "c",
      "f",
      "g",
      "a",
      "d",
      "e",
      "b",
    ]);
    expect(drawOrder("00112233445566778899aabbccddeeff", entrants)).toEqual(
      drawOrder("00112233445566778899aabbccddeeff", entrants),
    );
  });

  it("is a permutation of the entrants, whatever the seed", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9a-f]{32}$/),
        fc.uniqueArray(fc.string({ minLength: 1 }), { maxLength: 60 }),
        (seed, entrants) => {
          const order = drawOrder(seed, entrants);
          expect([...order].sort()).toEqual([...entrants].sort());
        },
      ),
    );
  });

  it("gives each entrant each place equally often (chi-square, 20,000 draws of 8)", () => {
    const n = 8;
    const draws = 20_000;
    const entrants = Array.from({ length: n }, (_, i) => `e${i}`);
    const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let i = 0; i < draws; i += 1) {
      drawOrder(seedOf(i), entrants).forEach((id, place) => {
        const row = counts[Number(id.slice(1))] as number[];
        row[place] = (row[place] ?? 0) + 1;
      });
    }
    const expected = draws / n;
    let total = 0;
    for (const row of counts) {
      const chi = row.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
      // 7 degrees of freedom per entrant: 24.32 is the 0.1% critical value.
      expect(chi).toBeLessThan(24.32);
      total += chi;
    }
    // The whole table, (8 - 1)² = 49 degrees of freedom: 85.35 is the 0.1% critical value.
    expect(total).toBeLessThan(85.35);
  });

  it("stays fair for seeds that differ in one bit (the discarded outputs mix them)", () => {
    const n = 4;
    const draws = 8_000;
    const firsts = new Array<number>(n).fill(0);
    for (let i = 0; i < draws; i += 1) {
      const seed = i.toString(16).padStart(32, "0");
      const [first] = drawOrder(seed, ["0", "1", "2", "3"]);
      firsts[Number(first)] = (firsts[Number(first)] ?? 0) + 1;
    }
    const expected = draws / n;
    const chi = firsts.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
    // 3 degrees of freedom: 16.27 is the 0.1% critical value.
    expect(chi).toBeLessThan(16.27);
  });
});
