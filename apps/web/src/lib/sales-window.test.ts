import { describe, expect, it } from "bun:test";
import { salesWindow, timeLeft } from "./sales-window.ts";

const at = (iso: string) => Date.parse(iso);

describe("salesWindow", () => {
  const window = { salesStartAt: "2030-06-01T08:00:00Z", salesEndAt: "2030-06-10T08:00:00Z" };

  it("is not open before the start, open in between, closed from the end", () => {
    expect(salesWindow(window, at("2030-06-01T07:59:59Z"))).toEqual({
      state: "not-open",
      opensAt: at("2030-06-01T08:00:00Z"),
    });
    expect(salesWindow(window, at("2030-06-01T08:00:00Z"))).toEqual({
      state: "open",
      closesAt: at("2030-06-10T08:00:00Z"),
    });
    expect(salesWindow(window, at("2030-06-10T08:00:00Z"))).toEqual({ state: "closed" });
  });

  it("is open without a window", () => {
    expect(salesWindow({ salesStartAt: null, salesEndAt: null }, 0)).toEqual({
      state: "open",
      closesAt: null,
    });
  });
});

describe("timeLeft", () => {
  it("counts days, hours, minutes and seconds, rounding up and never below zero", () => {
    expect(timeLeft(3 * 86_400_000 + 4 * 3_600_000 + 12 * 60_000 + 5_000)).toBe("3 days 04:12:05");
    expect(timeLeft(86_400_000 + 9_000)).toBe("1 day 00:00:09");
    expect(timeLeft(4 * 3_600_000 + 12 * 60_000 + 5_000)).toBe("4:12:05");
    expect(timeLeft(12 * 60_000 + 4_001)).toBe("12:05");
    expect(timeLeft(-5_000)).toBe("0:00");
  });
});
