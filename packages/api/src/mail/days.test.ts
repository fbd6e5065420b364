import { describe, expect, it } from "bun:test";
import { dayStart, localDay, nextDay, previousDay } from "./days.ts";

describe("days of an event's zone", () => {
  it("starts a day at its local midnight, whatever the offset", () => {
    const cases: [string, string, string][] = [
      ["2026-06-02", "America/New_York", "2026-06-02T04:00:00.000Z"],
      ["2026-03-29", "Europe/Berlin", "2026-03-28T23:00:00.000Z"],
      ["2026-06-02", "Pacific/Kiritimati", "2026-06-01T10:00:00.000Z"],
      ["2026-06-02", "Pacific/Pago_Pago", "2026-06-02T11:00:00.000Z"],
      // Chile moves its clocks at midnight: that day starts at 01:00.
      ["2026-09-06", "America/Santiago", "2026-09-06T04:00:00.000Z"],
    ];
    for (const [day, zone, instant] of cases) {
      const start = dayStart(day, zone);
      expect(new Date(start).toISOString()).toBe(instant);
      expect(localDay(start, zone)).toBe(day);
      expect(localDay(start - 1, zone)).toBe(previousDay(day));
    }
  });

  it("steps across months and years", () => {
    expect(previousDay("2027-01-01")).toBe("2026-12-31");
    expect(nextDay("2028-02-28")).toBe("2028-02-29");
  });
});
