import { describe, expect, it } from "bun:test";
import { seatLabel } from "./seats.ts";
import type { SeatLayout } from "./types.ts";

const layout: SeatLayout = {
  sections: [
    {
      ticketTypeId: "tt_stalls",
      rows: [
        { label: "A", seats: 4 },
        { label: "B", seats: 6 },
        { label: "C", seats: 6 },
      ],
    },
    { ticketTypeId: "tt_balcony", rows: [{ label: "AA", seats: 2 }] },
  ],
};
const names = new Map([
  ["tt_stalls", "Stalls"],
  ["tt_balcony", "Balcony"],
]);
const name = (id: string) => names.get(id);

describe("seatLabel", () => {
  it.each([
    ["s1-r3-6", "Stalls row C seat 6"],
    ["s1-r1-1", "Stalls row A seat 1"],
    ["s2-r1-2", "Balcony row AA seat 2"],
  ])("names %s as %j", (seatId, label) => {
    expect(seatLabel(layout, seatId, name)).toBe(label);
  });

  it.each(["s1-r1-5", "s1-r4-1", "s3-r1-1", "s1-r1-0", "s0-r1-1", "bkg_x", "", "s1-r1-1x"])(
    "has no label for %j, which the layout does not have",
    (seatId) => {
      expect(seatLabel(layout, seatId, name)).toBeNull();
    },
  );

  it("names a section without a known type by its number rather than an id", () => {
    expect(seatLabel(layout, "s2-r1-1", () => undefined)).toBe("Section 2 row AA seat 1");
  });
});
