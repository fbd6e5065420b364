/**
 * A sliding window of recent actions per key, in memory (one node): at most `max` in any
 * `windowMs`. Keys whose actions have all aged out are forgotten by `sweep`.
 */
export class RateWindow {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one action of `key` at `now`; false (and nothing counted) when over the limit. */
  take(key: string, now: number): boolean {
    const since = now - this.windowMs;
    const times = (this.recent.get(key) ?? []).filter((at) => at > since);
    if (times.length >= this.max) {
      this.recent.set(key, times);
      return false;
    }
    times.push(now);
    this.recent.set(key, times);
    return true;
  }

  /** Nothing counted for any key (or nothing swept since): every key may act. */
  get empty(): boolean {
    return this.recent.size === 0;
  }

  /** When `key` may act again (now if it may). */
  nextAllowedAt(key: string, now: number): number {
    const times = (this.recent.get(key) ?? []).filter((at) => at > now - this.windowMs);
    if (times.length < this.max) return now;
    return (times[times.length - this.max] ?? now) + this.windowMs;
  }

  sweep(now: number): void {
    const since = now - this.windowMs;
    for (const [key, times] of this.recent) {
      if (times.every((at) => at <= since)) this.recent.delete(key);
    }
  }
}
