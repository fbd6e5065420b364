import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import {
  formatInZone,
  fromZonedInput,
  isTimeZone,
  offsetAt,
  timeZoneNames,
  toZonedInput,
  zoneLabel,
} from "./zoned-time.ts";

const zones = timeZoneNames();
const zone = fc.constantFrom(...zones);
// Whole minutes between 1980 and 2100: the inputs have minutes, and zones' rules are settled.
const FROM = Date.UTC(1980, 0, 1);
const TO = Date.UTC(2100, 0, 1);
const instant = fc.integer({ min: FROM / 60_000, max: TO / 60_000 }).map((m) => m * 60_000);

/** What Intl itself says the wall clock is (the reference the conversion is checked against). */
function intlWall(ms: number, tz: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    })
      .formatToParts(ms)
      .map((part) => [part.type, part.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

describe("wall clock in a zone ↔ instant", () => {
  it("reads an instant's wall clock exactly as Intl shows it", () => {
    fc.assert(
      fc.property(instant, zone, (ms, tz) => {
        expect(toZonedInput(ms, tz)).toBe(intlWall(ms, tz));
      }),
      { numRuns: 2000 },
    );
  });

  it("round-trips: the wall clock of an instant converts back to it (the earlier of two)", () => {
    fc.assert(
      fc.property(instant, zone, (ms, tz) => {
        const wall = toZonedInput(ms, tz);
        const back = fromZonedInput(wall, tz);
        expect(back).not.toBeNull();
        if (!back) return;
        expect(back.kind).not.toBe("skipped");
        expect(intlWall(back.ms, tz)).toBe(wall);
        // An ambiguous wall clock reads as the earlier of its two instants: the instant itself
        // when it was the first pass through the repeated hour, an hour before it on the second.
        if (back.kind === "exact") expect(back.ms).toBe(ms);
        else expect(back.ms).toBeLessThanOrEqual(ms);
      }),
      { numRuns: 2000 },
    );
  });

  it("turns any wall clock into an instant that Intl shows as that wall clock, unless skipped", () => {
    const wall = fc
      .record({
        y: fc.integer({ min: 1980, max: 2099 }),
        mo: fc.integer({ min: 1, max: 12 }),
        d: fc.integer({ min: 1, max: 28 }),
        h: fc.integer({ min: 0, max: 23 }),
        mi: fc.integer({ min: 0, max: 59 }),
      })
      .map(({ y, mo, d, h, mi }) => {
        const p = (n: number) => String(n).padStart(2, "0");
        return `${y}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}`;
      });
    fc.assert(
      fc.property(wall, zone, (text, tz) => {
        const result = fromZonedInput(text, tz);
        expect(result).not.toBeNull();
        if (!result) return;
        if (result.kind === "skipped") {
          // Moved forward over the gap: later than asked, and the minute before the result is
          // on the other side of the change, before what was asked.
          expect(intlWall(result.ms, tz) > text).toBe(true);
          expect(offsetAt(result.ms, tz)).toBeGreaterThan(offsetAt(result.ms - 86_400_000, tz));
        } else {
          expect(intlWall(result.ms, tz)).toBe(text);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("finds the skipped and the doubled hours at daylight-saving changes", () => {
    // Berlin: 02:00 → 03:00 on 29 March 2026; 03:00 → 02:00 on 25 October 2026.
    expect(fromZonedInput("2026-03-29T02:30", "Europe/Berlin")).toEqual({
      ms: Date.parse("2026-03-29T01:30:00Z"),
      kind: "skipped",
    });
    expect(toZonedInput(Date.parse("2026-03-29T01:30:00Z"), "Europe/Berlin")).toBe(
      "2026-03-29T03:30",
    );
    expect(fromZonedInput("2026-10-25T02:30", "Europe/Berlin")).toEqual({
      ms: Date.parse("2026-10-25T00:30:00Z"),
      kind: "ambiguous",
    });
    // Both passes through Berlin's repeated 02:30 read back as the first one.
    expect(toZonedInput(Date.parse("2026-10-25T00:30:00Z"), "Europe/Berlin")).toBe(
      "2026-10-25T02:30",
    );
    expect(toZonedInput(Date.parse("2026-10-25T01:30:00Z"), "Europe/Berlin")).toBe(
      "2026-10-25T02:30",
    );
    // Los Angeles: 02:00 → 03:00 on 8 March 2026; 02:00 → 01:00 on 1 November 2026.
    expect(fromZonedInput("2026-03-08T02:15", "America/Los_Angeles")?.kind).toBe("skipped");
    expect(fromZonedInput("2026-11-01T01:30", "America/Los_Angeles")).toEqual({
      ms: Date.parse("2026-11-01T08:30:00Z"),
      kind: "ambiguous",
    });
  });

  it("means 19:00 in the event's zone, whatever zone the browser is in", () => {
    const berlin = fromZonedInput("2030-06-01T19:00", "Europe/Berlin");
    expect(berlin).toEqual({ ms: Date.parse("2030-06-01T17:00:00Z"), kind: "exact" });
    expect(toZonedInput("2030-06-01T17:00:00Z", "Europe/Berlin")).toBe("2030-06-01T19:00");
    expect(toZonedInput("2030-06-01T17:00:00Z", "America/Los_Angeles")).toBe("2030-06-01T10:00");
    expect(fromZonedInput("2030-01-15T19:00", "Asia/Kolkata")?.ms).toBe(
      Date.parse("2030-01-15T13:30:00Z"),
    );
  });

  it("refuses what is no date, or no zone", () => {
    expect(fromZonedInput("", "Europe/Berlin")).toBeNull();
    expect(fromZonedInput("2030-02-30T19:00", "Europe/Berlin")).toBeNull();
    expect(fromZonedInput("2030-06-01T24:00", "Europe/Berlin")).toBeNull();
    expect(fromZonedInput("2030-06-01T19:00", "Mars/Olympus")).toBeNull();
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("europe/berlin")).toBe(true);
    expect(toZonedInput(null, "UTC")).toBe("");
  });
});

describe("zone names", () => {
  const summer = Date.parse("2030-06-01T17:00:00Z");
  const winter = Date.parse("2030-12-01T17:00:00Z");

  it("says PST, CEST or a long name, never a bare offset", () => {
    expect(zoneLabel(winter, "America/Los_Angeles", "en-US")).toBe("PST");
    expect(zoneLabel(summer, "Europe/Berlin", "en-US")).toBe("CEST");
    expect(zoneLabel(winter, "Europe/Berlin", "en-GB")).toBe("CET");
    expect(zoneLabel(summer, "Asia/Tokyo", "en-US")).toBe("Japan Standard Time");
    expect(zoneLabel(summer, "UTC", "en-US")).toBe("UTC");
    expect(zoneLabel(summer, "Africa/Casablanca", "en-US")).toBe("Casablanca time");
  });

  it("labels every zone with something that is not an offset, in English", () => {
    for (const tz of zones.filter((z) => !z.startsWith("Etc/"))) {
      expect(zoneLabel(summer, tz, "en-US")).not.toMatch(/^(GMT|UTC)[+\-−]/);
    }
  });

  it("formats an event time in the event's zone with its label", () => {
    const text = formatInZone("2030-06-01T17:00:00Z", "Europe/Berlin");
    expect(text).toContain("7:00");
    expect(text).toEndWith("CEST");
  });
});
