import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import { sameSecret } from "./secrets.ts";

describe("sameSecret", () => {
  it("is string equality, for any two strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string(), (a, b) => {
        expect(sameSecret(a, b)).toBe(a === b);
        expect(sameSecret(a, a)).toBe(true);
      }),
    );
  });

  it("tells apart strings that differ in one symbol anywhere, the last included", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.nat(),
        fc.integer({ min: 1, max: 0xffff }),
        (s, at, delta) => {
          const i = at % s.length;
          const changed =
            s.slice(0, i) +
            String.fromCharCode((s.charCodeAt(i) + delta) % 0x10000) +
            s.slice(i + 1);
          expect(sameSecret(changed, s)).toBe(changed === s);
          expect(sameSecret(s, s.slice(0, -1))).toBe(false);
        },
      ),
    );
  });
});
