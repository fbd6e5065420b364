/** Time and timers, injected so that actors and their tests never touch the real clock. */
export interface Clock {
  now(): number;
  setTimer(at: number, fn: () => void): Timer;
}

export interface Timer {
  cancel(): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(at, fn) {
    const handle = setTimeout(fn, Math.max(0, at - Date.now()));
    // A pending expiry must not keep a stopping process alive.
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  },
};

/** A clock that only moves when told to: for deterministic tests of expiry. */
export class ManualClock implements Clock {
  private timers: { at: number; fn: () => void; cancelled: boolean }[] = [];

  constructor(private current = 0) {}

  now(): number {
    return this.current;
  }

  setTimer(at: number, fn: () => void): Timer {
    const timer = { at, fn, cancelled: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Timers set and neither fired nor cancelled. */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** Moves time forward, firing due timers in order of their instants. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => !t.cancelled && t.at <= target)
        .sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.cancelled = true;
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.timers = this.timers.filter((t) => !t.cancelled);
    this.current = target;
  }
}
