import { describe, expect, it } from "bun:test";
import {
  minutesInWords,
  queueProgress,
  type RoomStatus,
  roomStage,
  shouldAnnounce,
  spokenStatus,
  usableToken,
  waitInWords,
} from "./room.ts";

const status = (patch: Partial<RoomStatus>): RoomStatus => ({
  state: "waiting",
  position: null,
  ahead: null,
  queueLength: 10,
  opensAt: "2030-06-01T10:00:00.000Z",
  spent: false,
  estimatedWaitSeconds: null,
  soldOut: false,
  ...patch,
});

describe("the room's stages", () => {
  it.each([
    [status({ state: "none" }), "outside"],
    [status({ state: "waiting" }), "waiting-for-draw"],
    [status({ state: "waiting", position: 3, ahead: 2 }), "queued"],
    [status({ state: "admitted", admissionToken: "t" }), "admitted"],
    [status({ state: "admitted", spent: true }), "spent"],
    [status({ state: "expired", spent: true }), "spent"],
    [status({ state: "expired" }), "ended"],
    [status({ state: "open" }), "open"],
  ] as const)("%o is %s", (s, stage) => {
    expect(roomStage(s)).toBe(stage);
  });
});

describe("the wait in words", () => {
  it.each([
    [null, null],
    [20, "less than a minute"],
    [80, "about 1 minute"],
    [200, "about 3 minutes"],
    [89 * 60, "about 89 minutes"],
    [2 * 3600 + 100, "about 2 hours"],
  ])("%p seconds: %p", (seconds, words) => {
    expect(waitInWords(seconds)).toBe(words);
  });

  it("says settings' lengths in minutes, hours or seconds", () => {
    expect(minutesInWords(120)).toBe("2 minutes");
    expect(minutesInWords(60)).toBe("1 minute");
    expect(minutesInWords(3600)).toBe("1 hour");
    expect(minutesInWords(90)).toBe("90 seconds");
  });
});

describe("queue progress", () => {
  it("runs from the first place seen to the front", () => {
    expect(queueProgress(10, 10)).toBe(0);
    expect(queueProgress(1, 10)).toBe(1);
    expect(queueProgress(4, 7)).toBeCloseTo(0.5);
    // Alone at the front from the start: there.
    expect(queueProgress(1, 1)).toBe(1);
    // A later place than the first seen (never happens, but never below 0).
    expect(queueProgress(12, 10)).toBe(0);
  });
});

describe("the token this tab may present", () => {
  const now = Date.parse("2030-06-01T10:05:00Z");
  const stored = { admissionToken: "stored", tokenExpiresAt: "2030-06-01T10:10:00.000Z" };

  it("is the server's while it gives one", () => {
    const s = status({
      state: "admitted",
      admissionToken: "fresh",
      tokenExpiresAt: "2030-06-01T10:15:00.000Z",
    });
    expect(usableToken(s, stored, now)).toEqual({
      token: "fresh",
      expiresAt: Date.parse("2030-06-01T10:15:00Z"),
    });
  });

  it("is the stored one before the server has spoken, while it lasts", () => {
    expect(usableToken(null, stored, now)?.token).toBe("stored");
    expect(usableToken(null, stored, Date.parse("2030-06-01T10:10:01Z"))).toBeNull();
  });

  it("is none once the server says the turn is over", () => {
    expect(usableToken(status({ state: "expired" }), stored, now)).toBeNull();
    expect(usableToken(status({ state: "waiting", position: 2 }), stored, now)).toBeNull();
  });
});

describe("what a screen reader hears", () => {
  const queued = (position: number) => status({ position, ahead: position - 1 });
  const at = 1_000_000;

  it("says nothing for the first status (it is on the page)", () => {
    expect(shouldAnnounce(queued(5), null, at)).toBe(false);
  });

  it("says a change of stage at once", () => {
    const last = { stage: "waiting-for-draw" as const, position: null, at };
    expect(shouldAnnounce(queued(5), last, at + 10)).toBe(true);
    const admitted = status({ state: "admitted", admissionToken: "t" });
    expect(shouldAnnounce(admitted, { stage: "queued", position: 1, at }, at + 10)).toBe(true);
  });

  it("says a new place only every 30 seconds, or near the front", () => {
    const last = { stage: "queued" as const, position: 40, at };
    expect(shouldAnnounce(queued(39), last, at + 5_000)).toBe(false);
    expect(shouldAnnounce(queued(30), last, at + 30_000)).toBe(true);
    expect(shouldAnnounce(queued(3), last, at + 1_000)).toBe(true);
    expect(shouldAnnounce(queued(40), last, at + 60_000)).toBe(false);
  });

  it("speaks in sentences", () => {
    expect(spokenStatus(queued(3))).toBe(
      "You are number 3 in the queue, with 2 people ahead of you.",
    );
    expect(spokenStatus(queued(2))).toBe(
      "You are number 2 in the queue, with 1 person ahead of you.",
    );
  });
});
