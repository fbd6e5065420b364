import { describe, expect, it } from "bun:test";
import { formatInstant, zoneName } from "./format.ts";

const winter = Date.parse("2026-12-01T20:00:00Z");
const summer = Date.parse("2026-07-01T17:30:00Z");

describe("times in mails", () => {
  it("names the event's zone (PST, CET, BST), never a bare offset like GMT-8", () => {
    expect(formatInstant(winter, "America/Los_Angeles")).toBe("Tue, 1 Dec 2026, 12:00 PST");
    expect(formatInstant(winter, "Europe/Berlin")).toBe("Tue, 1 Dec 2026, 21:00 CET");
    expect(formatInstant(summer, "Europe/Berlin")).toBe("Wed, 1 Jul 2026, 19:30 CEST");
    expect(formatInstant(summer, "Europe/London")).toBe("Wed, 1 Jul 2026, 18:30 BST");
    expect(formatInstant(winter, "America/New_York")).toBe("Tue, 1 Dec 2026, 15:00 EST");
  });

  it("uses the long name where no abbreviation exists", () => {
    expect(zoneName(summer, "Asia/Tokyo")).toBe("Japan Standard Time");
    expect(zoneName(summer, "Asia/Kolkata")).toBe("India Standard Time");
    expect(zoneName(summer, "UTC")).toBe("UTC");
  });

  it("falls back to UTC, named, for a zone it does not know", () => {
    expect(formatInstant(winter, "Nowhere/Special")).toBe("Tue, 1 Dec 2026, 20:00 UTC");
  });
});
