import { describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import { withLongTimers } from "./long-timers.ts";

describe("long timers", () => {
  it("fires a timer beyond the underlying clock's reach at its time, not before", () => {
    const clock = new ManualClock(0);
    const long = withLongTimers(clock, 1_000);
    const fired: number[] = [];
    long.setTimer(3_500, () => fired.push(clock.now()));
    clock.advance(3_499);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([3_500]);
  });

  it("cancels a chained timer at any step", () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    const timer = withLongTimers(clock, 1_000).setTimer(3_500, () => fired.push(clock.now()));
    clock.advance(1_500);
    timer.cancel();
    clock.advance(5_000);
    expect(fired).toEqual([]);
  });

  it("waits a month on setTimeout without firing early", async () => {
    const long = withLongTimers({
      now: () => Date.now(),
      setTimer(at, fn) {
        const handle = setTimeout(fn, Math.max(0, at - Date.now()));
        return { cancel: () => clearTimeout(handle) };
      },
    });
    let fired = false;
    const timer = long.setTimer(Date.now() + 30 * 86_400_000, () => {
      fired = true;
    });
    await Bun.sleep(50);
    timer.cancel();
    expect(fired).toBe(false);
  });
});
