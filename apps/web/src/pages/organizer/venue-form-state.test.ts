import { describe, expect, it } from "bun:test";
import {
  emptyVenue,
  letterLabel,
  nextRowLabels,
  validateVenue,
  venueSeats,
} from "./venue-form-state.ts";

describe("venue builder state", () => {
  it("labels rows A..Z, then AA", () => {
    expect([0, 1, 25, 26, 27].map(letterLabel)).toEqual(["A", "B", "Z", "AA", "AB"]);
  });

  it("continues after the labels in use, letters or numbers", () => {
    expect(nextRowLabels(["A", "B"], 3)).toEqual(["C", "D", "E"]);
    expect(nextRowLabels(["1", "2"], 2)).toEqual(["3", "4"]);
    expect(nextRowLabels([], 2)).toEqual(["A", "B"]);
    expect(nextRowLabels(["c"], 2)).toEqual(["A", "B"]);
  });

  it("validates with the server's schema, naming each field", () => {
    const draft = emptyVenue();
    draft.sections.push({
      key: 99,
      name: "stalls",
      price: "abc",
      rows: [
        { key: 100, label: "A", seats: "0" },
        { key: 101, label: "a", seats: "5" },
      ],
    });
    const result = validateVenue(draft);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual([
      "name",
      "sections.1.priceCents",
      "sections.1.rows.0.seats",
    ]);
    expect(result.errors["sections.1.rows.0.seats"]).toBe("Must be at least 1");
  });

  it("names repeated row labels and section names", () => {
    const draft = emptyVenue();
    draft.name = "Hall";
    draft.sections.push({
      key: 99,
      name: "stalls",
      price: "5",
      rows: [
        { key: 100, label: "A", seats: "3" },
        { key: 101, label: "a", seats: "5" },
      ],
    });
    const rows = validateVenue(draft);
    expect(rows.ok ? {} : rows.errors).toEqual({
      "sections.1.name": "Section names must differ",
      "sections.1.rows.1.label": "Row labels must differ within a section",
    });
    draft.sections[1]?.rows.pop();
    const names = validateVenue(draft);
    expect(names.ok ? {} : names.errors).toEqual({
      "sections.1.name": "Section names must differ",
    });
  });

  it("turns a good draft into the create input", () => {
    const draft = emptyVenue();
    draft.name = " Hall ";
    draft.sections[0] = {
      key: 1,
      name: "Stalls",
      price: "25.50",
      rows: [{ key: 2, label: "A", seats: "12" }],
    };
    const result = validateVenue(draft);
    expect(result).toEqual({
      ok: true,
      input: {
        name: "Hall",
        sections: [{ name: "Stalls", priceCents: 2550, rows: [{ label: "A", seats: 12 }] }],
      },
    });
    expect(venueSeats(draft)).toBe(12);
  });
});
