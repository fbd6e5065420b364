/**
 * patches/immutable@5.2.1.patch hashes every string key the same way, without Immutable's cache
 * of long strings' hashes (patches/README.md). These tests fail if the installed Immutable lacks
 * the patch (an upgrade, an install that skipped it), or if a hash or a map ever differs from
 * what the unpatched library gives.
 */
import { describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { hash, Map as IMap } from "immutable";

const dist = join(dirname(require.resolve("immutable/package.json")), "dist");

/** The hash Immutable documents for a string (the JVM's), folded to a small integer as it does. */
function jvmHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (31 * h + s.charCodeAt(i)) | 0;
  return ((h >>> 1) & 0x40000000) | (h & 0xbfffffff);
}

describe("Immutable's patched string hash", () => {
  it("is the one installed, in both builds", () => {
    for (const file of ["immutable.js", "immutable.es.js"]) {
      const source = readFileSync(join(dist, file), "utf8");
      expect(source).toContain("boxoffice: no string cache");
      expect(source).not.toMatch(/\? cachedHashString\(v\)/);
    }
  });

  it("hashes short and long strings as the unpatched library does", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        expect(hash(s)).toBe(jvmHash(s));
      }),
      { numRuns: 500 },
    );
  });

  it("keeps maps keyed by long strings exact", () => {
    // Ids as the server makes them: longer than the 16 characters above which the cache was used.
    const key = fc.string({ minLength: 17, maxLength: 40 });
    fc.assert(
      fc.property(
        fc.uniqueArray(key, { maxLength: 300 }),
        fc.array(key, { maxLength: 50 }),
        (keys, others) => {
          let map = IMap<string, number>();
          keys.forEach((k, i) => {
            map = map.set(k, i);
          });
          expect(map.size).toBe(keys.length);
          for (const [i, k] of keys.entries()) expect(map.get(k)).toBe(i);
          for (const k of others) expect(map.has(k)).toBe(keys.includes(k));
        },
      ),
      { numRuns: 100 },
    );
  });
});
