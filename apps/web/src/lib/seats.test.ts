import { describe, expect, it } from "bun:test";
import { TRPCClientError } from "@trpc/client";
import { unavailableSeatIds } from "./errors.ts";
import {
  applySeatChanges,
  type CompactSeatMap,
  rowIndex,
  seatLabeler,
  seatStatus,
  seatsTakenSentence,
  splitSeatId,
} from "./seats.ts";

const map: CompactSeatMap = {
  eventId: "evt_1",
  version: 3,
  sections: [
    {
      id: "tt_1",
      name: "Stalls",
      priceCents: 2500,
      rows: [
        { label: "A", seatIdPrefix: "s1-r1-", statuses: "ffff" },
        { label: "B", seatIdPrefix: "s1-r2-", statuses: "fhbf" },
      ],
    },
    {
      id: "tt_2",
      name: "Balcony",
      priceCents: 1000,
      rows: [{ label: "A", seatIdPrefix: "s2-r1-", statuses: "ff" }],
    },
  ],
};

describe("seat maps", () => {
  it("splits seat ids into row prefix and seat number", () => {
    expect(splitSeatId("s1-r2-17")).toEqual({ prefix: "s1-r2-", n: 17 });
    expect(splitSeatId("nonsense")).toBeNull();
    expect(splitSeatId("s1-r2-0")).toBeNull();
  });

  it("applies live changes, keeping every untouched row and section as it was", () => {
    const index = rowIndex(map);
    const next = applySeatChanges(
      map,
      [
        { seatId: "s1-r1-2", status: "held" },
        { seatId: "s1-r1-3", status: "booked" },
        { seatId: "s1-r2-2", status: "free" },
        { seatId: "s9-r9-1", status: "booked" },
      ],
      index,
      7,
    );
    expect(next.version).toBe(7);
    expect(next.sections[0]?.rows.map((r) => r.statuses)).toEqual(["fhbf", "ffbf"]);
    expect(next.sections[1]).toBe(map.sections[1] as never);
    expect(map.sections[0]?.rows[0]?.statuses).toBe("ffff");
    expect(seatStatus(next, index, "s1-r1-3")).toBe("booked");
    expect(seatStatus(next, index, "s1-r1-9")).toBeUndefined();
    const same = applySeatChanges(next, [{ seatId: "s1-r1-2", status: "held" }], index);
    expect(same.sections[0]?.rows[0]).toBe(next.sections[0]?.rows[0] as never);
  });

  it("names seats in words, and the seats a refusal names in a sentence", () => {
    const label = seatLabeler(map);
    expect(label("s1-r2-4")).toBe("Stalls row B seat 4");
    expect(label("s2-r1-1")).toBe("Balcony row A seat 1");
    expect(label("s7-r1-1")).toBe("s7-r1-1");
    expect(seatsTakenSentence(["Stalls row B seat 4"])).toBe(
      "Sorry, Stalls row B seat 4 was just taken by someone else. Please choose another seat.",
    );
    expect(seatsTakenSentence(["A 1", "A 2", "A 3"])).toStartWith(
      "Sorry, A 1, A 2 and A 3 were just taken",
    );
  });

  it("reads the seats out of a SEAT_UNAVAILABLE refusal only", () => {
    const refusal = (data: Record<string, unknown>) =>
      new TRPCClientError("taken", {
        result: { error: { message: "taken", code: -32009, data } },
      } as never);
    const taken = refusal({
      code: "CONFLICT",
      reason: "SEAT_UNAVAILABLE",
      details: { seatIds: ["s1-r1-5"] },
    });
    expect(unavailableSeatIds(taken)).toEqual(["s1-r1-5"]);
    expect(unavailableSeatIds(refusal({ code: "CONFLICT", reason: "SOLD_OUT" }))).toEqual([]);
    expect(unavailableSeatIds(new Error("x"))).toEqual([]);
  });
});
