import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import { RerootMap } from "./reroot-map.ts";

type Op =
  | { readonly kind: "set"; readonly from: number; readonly key: number; readonly value: number }
  | { readonly kind: "delete"; readonly from: number; readonly key: number }
  /** Reads a version (which makes it the one the shared table holds). */
  | { readonly kind: "read"; readonly from: number };

/** `from` picks any version made so far (modulo their count): old ones as often as new ones. */
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("set" as const),
      from: fc.nat(),
      key: fc.nat(12),
      value: fc.nat(3),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("delete" as const), from: fc.nat(), key: fc.nat(12) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("read" as const), from: fc.nat() }) },
);

const sorted = (entries: Iterable<[number, number]>) => [...entries].sort((a, b) => a[0] - b[0]);

describe("RerootMap", () => {
  it("answers like a native Map in every version, old ones included, whatever is read or changed in between", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(12), fc.nat(3)), { maxLength: 6 }),
        fc.array(op, { maxLength: 80 }),
        (initial, ops) => {
          const versions = [RerootMap.of<number, number>(initial)];
          const models = [new Map(initial)];
          const check = (i: number) => {
            const v = versions[i] as RerootMap<number, number>;
            const model = models[i] as Map<number, number>;
            expect(v.size).toBe(model.size);
            expect(sorted(v.entries())).toEqual(sorted(model.entries()));
            for (let key = 0; key <= 12; key++) {
              expect(v.get(key)).toBe(model.get(key));
              expect(v.has(key)).toBe(model.has(key));
            }
          };
          for (const o of ops) {
            const i = o.from % versions.length;
            const v = versions[i] as RerootMap<number, number>;
            const model = models[i] as Map<number, number>;
            if (o.kind === "read") {
              check(i);
              continue;
            }
            const next = o.kind === "set" ? v.set(o.key, o.value) : v.delete(o.key);
            const nextModel = new Map(model);
            if (o.kind === "set") nextModel.set(o.key, o.value);
            else nextModel.delete(o.key);
            versions.push(next);
            models.push(nextModel);
          }
          // Every version still says what it said when it was made, read in a shuffled order.
          for (let i = versions.length - 1; i >= 0; i -= 2) check(i);
          for (let i = 0; i < versions.length; i += 2) check(i);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("returns the same version for a change that changes nothing", () => {
    const a = RerootMap.of([["x", 1]]);
    expect(a.set("x", 1)).toBe(a);
    expect(a.delete("y")).toBe(a);
    expect(a.set("x", 2)).not.toBe(a);
  });

  it("keeps values that are undefined apart from keys that are absent", () => {
    const a = RerootMap.empty<string, number | undefined>();
    const b = a.set("k", undefined);
    expect(b.has("k")).toBe(true);
    expect(a.has("k")).toBe(false);
    expect(b.delete("k").has("k")).toBe(false);
    expect(b.has("k")).toBe(true);
  });

  it("copies the entries before a loop, so a loop may read other versions of the map", () => {
    const a = RerootMap.of([
      ["a", 1],
      ["b", 2],
    ]);
    const b = a.set("c", 3).delete("a");
    const seen: string[] = [];
    for (const [key] of a.entries()) {
      seen.push(key);
      expect(b.has("a")).toBe(false);
    }
    expect(seen.sort()).toEqual(["a", "b"]);
    expect([...b.keys()].sort()).toEqual(["b", "c"]);
  });

  it("shares one empty map among all, however a map became empty", () => {
    const one = RerootMap.of([["x", 1]]);
    const none = one.delete("x");
    expect(none).toBe(RerootMap.empty());
    expect(RerootMap.of([])).toBe(RerootMap.empty());
    expect(one.get("x")).toBe(1);
    expect(none.set("y", 2).get("y")).toBe(2);
    expect(RerootMap.empty<string, number>().has("y")).toBe(false);
    expect(one.has("y")).toBe(false);
  });

  it("does not make two maps made empty share their entries", () => {
    const a = RerootMap.empty<string, number>().set("x", 1);
    const b = RerootMap.empty<string, number>();
    expect(b.has("x")).toBe(false);
    expect(a.get("x")).toBe(1);
  });
});
