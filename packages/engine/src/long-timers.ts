/**
 * Timers of any length on a clock whose timers may not reach that far. `setTimeout` takes at
 * most 2^31 - 1 ms (about 24.8 days) and fires at once beyond: a room opening in a month would
 * wake its actor over and over. Long timers are chained in steps of at most `maxStepMs`.
 */
import type { Clock, Timer } from "@boxoffice/core";

const MAX_STEP_MS = 2 ** 31 - 1;

export function withLongTimers(clock: Clock, maxStepMs = MAX_STEP_MS): Clock {
  return {
    now: () => clock.now(),
    setTimer(at: number, fn: () => void): Timer {
      let current: Timer;
      const arm = () => {
        const step = clock.now() + maxStepMs;
        current = at <= step ? clock.setTimer(at, fn) : clock.setTimer(step, arm);
      };
      arm();
      return { cancel: () => current.cancel() };
    },
  };
}
