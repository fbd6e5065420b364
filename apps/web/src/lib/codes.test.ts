import { describe, expect, it } from "bun:test";
import {
  type CodeEffect,
  describeCode,
  discountedCents,
  normaliseCode,
  presaleOpen,
  priceWithCode,
} from "./codes.ts";

const names: Record<string, string> = { general: "General", crew: "Crew", vip: "VIP" };
const context = {
  currency: "USD",
  typeName: (id: string) => names[id],
  salesNotOpen: false,
  now: Date.parse("2030-06-01T12:00:00Z"),
  formatInstant: (iso: string) => iso,
};
const code = (over: Partial<CodeEffect>): CodeEffect => ({
  code: "PRESS",
  kind: "discount",
  discount: null,
  ticketTypeIds: null,
  unlocks: [],
  opensSalesAt: null,
  ...over,
});

describe("discountedCents", () => {
  it("rounds a percent discount's price down to the cent and never goes below zero", () => {
    expect(discountedCents(1999, { percent: 20 })).toBe(1599);
    expect(discountedCents(1000, { percent: 100 })).toBe(0);
    expect(discountedCents(500, { amountCents: 800 })).toBe(0);
    expect(discountedCents(500, null)).toBe(500);
  });

  it("discounts only the types the code applies to", () => {
    const c = { discount: { percent: 50 }, ticketTypeIds: ["vip"] };
    expect(priceWithCode({ id: "vip", priceCents: 1000 }, c)).toBe(500);
    expect(priceWithCode({ id: "general", priceCents: 1000 }, c)).toBe(1000);
    expect(priceWithCode({ id: "general", priceCents: 1000 }, null)).toBe(1000);
  });
});

describe("describeCode", () => {
  it("says what a discount does to which types", () => {
    expect(
      describeCode(code({ discount: { percent: 20 }, ticketTypeIds: ["general"] }), context),
    ).toBe("20 % off General.");
    expect(describeCode(code({ discount: { percent: 100 } }), context)).toBe(
      "Every ticket is free.",
    );
    expect(
      describeCode(
        code({ discount: { amountCents: 500 }, ticketTypeIds: ["general", "vip"] }),
        context,
      ),
    ).toBe("$5.00 off each General and VIP ticket.");
  });

  it("names the types an access code unlocks and a presale only while the sale is not open", () => {
    const access = code({
      kind: "access",
      unlocks: [{ id: "crew", name: "Crew" }],
      opensSalesAt: "2030-06-01T00:00:00Z",
    });
    expect(describeCode(access, context)).toBe("Unlocks Crew.");
    expect(describeCode(access, { ...context, salesNotOpen: true })).toBe(
      "Unlocks Crew. Presale: you can buy now.",
    );
    const later = code({ kind: "access", opensSalesAt: "2030-06-02T00:00:00Z" });
    expect(describeCode(later, { ...context, salesNotOpen: true })).toBe(
      "Presale: you can buy from 2030-06-02T00:00:00Z.",
    );
    expect(presaleOpen(later, context.now)).toBe(false);
    expect(presaleOpen(access, context.now)).toBe(true);
  });

  it("matches codes as the server does", () => {
    expect(normaliseCode("  press-2030 ")).toBe("PRESS-2030");
  });
});
