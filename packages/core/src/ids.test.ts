import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import {
  ID_ALPHABET,
  newId,
  normalizeTicketCode,
  spacedTicketCode,
  TICKET_CODE_ALPHABET,
  TICKET_CODE_LENGTH,
  TICKET_CODE_RANDOM_SYMBOLS,
  TICKET_CODE_TIME_SYMBOLS,
  ticketCode,
  ticketCodes,
} from "./ids.ts";

describe("ticket codes", () => {
  it("use an alphabet without the look-alikes I, L, O, 0 and 1", () => {
    expect(TICKET_CODE_ALPHABET).toHaveLength(31);
    expect(new Set(TICKET_CODE_ALPHABET).size).toBe(31);
    for (const ch of "ILO01") expect(TICKET_CODE_ALPHABET).not.toContain(ch);
    for (const code of ticketCodes(500)) {
      expect(code).toHaveLength(TICKET_CODE_LENGTH);
      expect(code).toMatch(/^[A-HJKMNP-Z2-9]+$/);
    }
  });

  it("keep at least 96 random bits", () => {
    expect(
      TICKET_CODE_RANDOM_SYMBOLS * Math.log2(TICKET_CODE_ALPHABET.length),
    ).toBeGreaterThanOrEqual(96);
    expect(TICKET_CODE_LENGTH).toBe(TICKET_CODE_TIME_SYMBOLS + TICKET_CODE_RANDOM_SYMBOLS);
  });

  it("draw every random symbol about equally often", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2_000; i++) {
      for (const ch of ticketCode().slice(TICKET_CODE_TIME_SYMBOLS)) {
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
      }
    }
    // 40,000 symbols over 31: about 1,290 each; a bias of the modulo would show far beyond ±20 %.
    expect(counts.size).toBe(31);
    for (const n of counts.values()) expect(Math.abs(n - 40_000 / 31)).toBeLessThan(260);
  });
});

describe("ticket codes' time", () => {
  const WRAP = 31 ** TICKET_CODE_TIME_SYMBOLS;
  const start = (code: string) => code.slice(0, TICKET_CODE_TIME_SYMBOLS);

  it("starts codes minted in the same millisecond alike, and the rest differs", () => {
    const codes = ticketCodes(50, 1_796_309_002_437);
    expect(new Set(codes.map(start)).size).toBe(1);
    expect(new Set(codes).size).toBe(50);
  });

  it("orders the starts as the times within a wrap, and wraps every 31^4 ms", () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.nat(WRAP - 1), fc.nat(WRAP - 1), (cycle, a, b) => {
        const base = cycle * WRAP;
        const [x, y] = [start(ticketCode(base + a)), start(ticketCode(base + b))];
        expect(x < y).toBe(a < b);
        expect(x === y).toBe(a === b);
        expect(start(ticketCode(base + a + WRAP))).toBe(x);
      }),
    );
  });
});

describe("spacedTicketCode", () => {
  it("groups a code by four, and the door reads the grouped form back as the code", () => {
    expect(spacedTicketCode("K7PQM4XD9RWTH3VN8ZBE")).toBe("K7PQ M4XD 9RWT H3VN 8ZBE");
    expect(spacedTicketCode("ABCDEF")).toBe("ABCD EF");
    for (const code of ticketCodes(200))
      expect(normalizeTicketCode(spacedTicketCode(code))).toBe(code);
  });
});

describe("normalizeTicketCode", () => {
  it.each([
    [" abcd-efgh jkmn  ", "ABCDEFGHJKMN"],
    // Older codes had I; people read it as 1 or l.
    ["K1W1-P1ZZ", "KIWIPIZZ"],
    ["klwl plzz", "KIWIPIZZ"],
    ["KIWIPIZZ", "KIWIPIZZ"],
    ["2345\t6789", "23456789"],
  ])("reads %j as %j", (typed, stored) => {
    expect(normalizeTicketCode(typed)).toBe(stored);
  });

  it("leaves every code of the current alphabet as it is", () => {
    for (const code of ticketCodes(200)) expect(normalizeTicketCode(code)).toBe(code);
  });

  it("leaves every code of the old alphabet (upper-cased ids: I but no L, O, 0, 1) as it is", () => {
    const old = "abcdefghijkmnpqrstuvwxyz23456789".toUpperCase();
    expect(normalizeTicketCode(old)).toBe(old);
  });
});

describe("newId", () => {
  it("names its kind, then 25 symbols of the id alphabet", () => {
    const id = newId("booking");
    expect(id).toMatch(new RegExp(`^bkg_[${ID_ALPHABET}]{25}$`));
  });

  it("sorts ids in the order they were minted, whatever their random part (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 45 - 2 }),
        fc.integer({ min: 1, max: 10 ** 9 }),
        (earlier, gap) => {
          const later = Math.min(2 ** 45 - 1, earlier + gap);
          expect(newId("ticketType", earlier) < newId("ticketType", later)).toBe(true);
        },
      ),
    );
  });

  it("never repeats within one millisecond", () => {
    const ids = Array.from({ length: 10_000 }, () => newId("hold", 1_700_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
