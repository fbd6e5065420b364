/**
 * patches/@trpc%2Fserver@11.25.2.patch replaces the object-spread helper tRPC's build inlines,
 * and assigns the plain literals of its per-call spreads (patches/README.md). These tests fail if the installed tRPC lacks the patch (an upgrade, an
 * install that skipped it) or if the patched helper ever spreads differently from the language.
 */
import { describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import fc from "fast-check";

const dist = join(dirname(require.resolve("@trpc/server/package.json")), "dist");
const helperModule = join(dist, "getErrorShape-B5jPKHJ3.mjs");
// The chunk exports the helper as `n` (its minified export name in 11.25.2).
const { n: objectSpread2 } = (await import(helperModule)) as {
  n: (target: object, ...sources: unknown[]) => object;
};

/** Everything that makes two objects different: own keys in order, descriptors, prototype. */
const shapeOf = (o: object) => ({
  keys: Reflect.ownKeys(o),
  descriptors: Object.getOwnPropertyDescriptors(o),
  prototype: Object.getPrototypeOf(o),
});

const symbolA = Symbol("a");
const symbolB = Symbol("b");
const key = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "toString", "ctx", "input", "0", "1"),
  fc.string({ maxLength: 6 }),
);
const source = fc
  .tuple(
    fc.dictionary(key, fc.anything({ maxDepth: 1 }), { maxKeys: 8 }),
    fc.option(fc.constantFrom(symbolA, symbolB)),
    fc.boolean(),
  )
  .map(([entries, symbol, hiddenSymbol]) => {
    const object: Record<PropertyKey, unknown> = {};
    // defineProperty, so that a "__proto__" key is an own property as JSON.parse would make it.
    for (const [k, v] of Object.entries(entries)) {
      Object.defineProperty(object, k, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    if (symbol) {
      Object.defineProperty(object, symbol, {
        value: 1,
        enumerable: !hiddenSymbol,
        configurable: true,
      });
    }
    return object;
  });

describe("tRPC's patched object spread", () => {
  it("is the one installed", () => {
    expect(readFileSync(helperModule, "utf8")).toContain("Boxoffice patch");
    expect(readFileSync(join(dist, "getErrorShape-BAuHhNuh.cjs"), "utf8")).toContain(
      "Boxoffice patch",
    );
  });

  it("assigns the plain literals of a middleware call and a response, in both builds", () => {
    // callRecursive (each middleware level) and transformTRPCResponseItem (each response).
    for (const file of [
      "initTRPC-DPoVGUwX.mjs",
      "initTRPC-yeYwDikA.cjs",
      "asyncGeneratorDelegate-JWx0LJUD.mjs",
      "asyncGeneratorDelegate-CMdmcplC.cjs",
    ]) {
      const text = readFileSync(join(dist, file), "utf8");
      expect(text).toContain("Boxoffice patch");
      expect(text).toContain("Object.assign(");
    }
  });

  it("builds by assigning a literal of plain data what defining it built (property)", () => {
    // What the call-site patch relies on: helper(helper({}, a), {}, literal) and
    // Object.assign(helper({}, a), literal) agree for any literal without accessors.
    const literal = fc
      .dictionary(
        fc.constantFrom("meta", "input", "ctx", "next", "getRawInput", "result", "data", "0"),
        fc.anything({ maxDepth: 1 }),
        { maxKeys: 4 },
      )
      .map((entries) => ({ ...entries }));
    fc.assert(
      fc.property(source, literal, (spread, plain) => {
        const defined = objectSpread2(objectSpread2({}, spread), {}, plain);
        const assigned = Object.assign(objectSpread2({}, spread), plain);
        expect(shapeOf(assigned)).toEqual(shapeOf(defined));
      }),
      { numRuns: 500 },
    );
  });

  it("builds exactly what the language's spread and literals build (property)", () => {
    // The compiler emits `{ ...a, ...b }` as helper(helper({}, a), b), spreads at odd positions, and
    // `{ ...a, x }` as helper(helper({}, a), {}, { x }): at an even position, an object whose
    // properties are defined as they are. The oracle is that definition, in the language's terms.
    const oracle = (...sources: object[]) => {
      const target = {};
      for (const [i, s] of sources.entries()) {
        if (i % 2 === 1) {
          Object.defineProperties(target, Object.getOwnPropertyDescriptors(s));
          continue;
        }
        const spread: Record<PropertyKey, unknown> = { ...s };
        for (const k of Reflect.ownKeys(spread)) {
          Object.defineProperty(target, k, {
            value: spread[k],
            writable: true,
            enumerable: true,
            configurable: true,
          });
        }
      }
      return target;
    };
    fc.assert(
      fc.property(fc.array(source, { maxLength: 5 }), (sources) => {
        expect(shapeOf(objectSpread2({}, ...sources))).toEqual(shapeOf(oracle(...sources)));
      }),
      { numRuns: 500 },
    );
  });

  it("copies getters' values, and a non-empty separator exactly", () => {
    let reads = 0;
    const withGetter = {
      get value() {
        reads += 1;
        return reads;
      },
    };
    const spread = objectSpread2({}, withGetter) as { value: number };
    expect(Object.getOwnPropertyDescriptor(spread, "value")).toEqual({
      value: 1,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    const separator = Object.defineProperty({}, "hidden", { value: 2, enumerable: false });
    // An odd position is a spread (own enumerable keys only); an even one is the compiler's
    // separator, whose every property the original helper defined as it is.
    const spreadOnly = objectSpread2({}, separator);
    expect(Object.getOwnPropertyDescriptor(spreadOnly, "hidden")).toBeUndefined();
    const copied = objectSpread2({}, { a: 1 }, separator);
    expect(Object.getOwnPropertyDescriptor(copied, "hidden")).toEqual({
      value: 2,
      writable: false,
      enumerable: false,
      configurable: false,
    });
  });
});
