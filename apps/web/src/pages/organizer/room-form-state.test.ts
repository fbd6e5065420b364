import { describe, expect, it } from "bun:test";
import { defaultRoomForm, readRoom, roomFormFrom } from "./room-form-state.ts";

const on = { ...defaultRoomForm(), enabled: true };

describe("the on-sale room's settings in the event form", () => {
  it("sends the defaults with an empty opening and no rate", () => {
    expect(readRoom(on, "Europe/Berlin")).toEqual({
      ok: true,
      onSaleRoom: {
        enabled: true,
        opensAt: null,
        admitPerMinute: null,
        tokenSeconds: 600,
        graceSeconds: 120,
        difficulty: 4,
      },
    });
  });

  it("reads the opening as the event zone's wall clock, and minutes as seconds", () => {
    const read = readRoom(
      { ...on, opensAt: "2030-06-01T19:00", tokenMinutes: "5", graceMinutes: "0.5" },
      "Europe/Berlin",
    );
    expect(read.ok && read.onSaleRoom).toMatchObject({
      opensAt: "2030-06-01T17:00:00.000Z",
      tokenSeconds: 300,
      graceSeconds: 30,
    });
  });

  it("names the fields it refuses, in the form's units", () => {
    const read = readRoom(
      { ...on, tokenMinutes: "0.5", graceMinutes: "61", admitPerMinute: "0", difficulty: "11" },
      "UTC",
    );
    expect(read.ok).toBe(false);
    expect(!read.ok && read.errors).toEqual({
      "room.tokenMinutes": "At least 1 minute",
      "room.graceMinutes": "At most 60 minutes",
      "room.admitPerMinute": "Must be at least 1",
      "room.difficulty": "Must be at most 10",
    });
  });

  it("says when the opening's wall clock does not exist in the zone", () => {
    const read = readRoom({ ...on, opensAt: "2030-03-31T02:30" }, "Europe/Berlin");
    expect(!read.ok && read.errors["room.opensAt"]).toContain("the clocks go forward");
  });

  it("switched off, saves off whatever the hidden fields say", () => {
    expect(readRoom({ ...defaultRoomForm(), tokenMinutes: "oops" }, "UTC")).toEqual({
      ok: true,
      onSaleRoom: { enabled: false },
    });
  });

  it("shows saved settings back in minutes and the event's wall clock", () => {
    const form = roomFormFrom(
      {
        enabled: true,
        opensAt: "2030-06-01T17:00:00.000Z",
        admitPerMinute: 120,
        tokenSeconds: 300,
        graceSeconds: 90,
        difficulty: 2,
      },
      "Europe/Berlin",
    );
    expect(form).toEqual({
      enabled: true,
      opensAt: "2030-06-01T19:00",
      admitPerMinute: "120",
      tokenMinutes: "5",
      graceMinutes: "1.5",
      difficulty: "2",
    });
  });
});
