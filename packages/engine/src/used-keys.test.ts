import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import { UsedKeys } from "./used-keys.ts";

const MAX_KEY = 2 ** 52 - 1;

type Op =
  | { readonly kind: "add"; readonly key: number; readonly expiresAt: number }
  | { readonly kind: "sweep"; readonly now: number };

/** Keys from a small pool (so that repeats happen) or anywhere in the range, slot clashes included. */
const key = fc.oneof(
  fc.integer({ min: 0, max: 40 }),
  fc.integer({ min: 0, max: 40 }).map((n) => n * 1024),
  fc.integer({ min: 0, max: MAX_KEY }),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      key,
      expiresAt: fc.integer({ min: 1, max: 100 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("sweep" as const),
      now: fc.integer({ min: 0, max: 100 }),
    }),
  },
);

describe("UsedKeys", () => {
  it("adds a key once, and says so, like a map of keys to expiries", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const used = new UsedKeys(1_000_000, 16);
        const model = new Map<number, number>();
        for (const o of ops) {
          if (o.kind === "add") {
            const added = used.addIfAbsent(o.key, o.expiresAt, 0);
            expect(added).toBe(!model.has(o.key));
            if (added) model.set(o.key, o.expiresAt);
          } else {
            used.sweep(o.now);
            for (const [k, expiresAt] of model) if (expiresAt <= o.now) model.delete(k);
          }
          expect(used.size).toBe(model.size);
        }
        for (const k of model.keys()) expect(used.has(k)).toBe(true);
      }),
    );
  });

  it("keeps at most maxSize keys, dropping those that expire soonest first", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: MAX_KEY }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 4, max: 64 }),
        (keys, maxSize) => {
          const used = new UsedKeys(maxSize, 16);
          keys.forEach((k, i) => {
            // Each added key expires later than every one before it.
            expect(used.addIfAbsent(k, 1_000 + i, 0)).toBe(true);
            expect(used.size).toBeLessThanOrEqual(maxSize);
            expect(used.has(k)).toBe(true);
          });
          // Whatever was dropped expired no later than whatever was kept.
          const kept = keys.map((k) => used.has(k));
          const firstKept = kept.indexOf(true);
          expect(kept.slice(firstKept).every(Boolean)).toBe(true);
        },
      ),
    );
  });

  it("first drops the keys already expired when full", () => {
    const used = new UsedKeys(3, 16);
    used.addIfAbsent(1, 10, 0);
    used.addIfAbsent(2, 50, 0);
    used.addIfAbsent(3, 50, 0);
    expect(used.addIfAbsent(4, 60, 20)).toBe(true);
    expect([1, 2, 3, 4].map((k) => used.has(k))).toEqual([false, true, true, true]);
  });

  it("takes 0 and 2^52 - 1, and refuses what is not a key", () => {
    const used = new UsedKeys(10);
    expect(used.addIfAbsent(0, 1, 0)).toBe(true);
    expect(used.addIfAbsent(MAX_KEY, 1, 0)).toBe(true);
    expect(used.addIfAbsent(0, 1, 0)).toBe(false);
    expect(used.addIfAbsent(MAX_KEY, 1, 0)).toBe(false);
    for (const bad of [-1, 0.5, Number.NaN, 2 ** 53]) {
      expect(() => used.addIfAbsent(bad, 1, 0)).toThrow(RangeError);
    }
  });
});
