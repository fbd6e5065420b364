import { describe, expect, it } from "bun:test";
import { untilIdle } from "./processes.ts";

const linux = process.platform === "linux";

/** A child that keeps a core busy for `busyMs`, then sleeps until it is killed. */
function busyThenIdle(busyMs: number) {
  return Bun.spawn(
    [
      process.execPath,
      "-e",
      `const end = performance.now() + ${busyMs}; while (performance.now() < end) {} setInterval(() => {}, 1000);`,
    ],
    { stdout: "ignore", stderr: "ignore" },
  );
}

describe.if(linux)("untilIdle", () => {
  it("waits while the process is busy and returns once it is idle", async () => {
    const child = busyThenIdle(1_500);
    try {
      const startedAt = performance.now();
      await untilIdle(child.pid, { maxMs: 10_000 });
      const waited = performance.now() - startedAt;
      // It saw the spin (not idle in its first window) and did not wait for the deadline.
      expect(waited).toBeGreaterThan(1_000);
      expect(waited).toBeLessThan(9_000);
    } finally {
      child.kill();
    }
  });

  it("gives up at its deadline on a process that never goes idle", async () => {
    const child = busyThenIdle(60_000);
    try {
      const startedAt = performance.now();
      await untilIdle(child.pid, { maxMs: 1_200 });
      const waited = performance.now() - startedAt;
      expect(waited).toBeGreaterThanOrEqual(1_200);
      expect(waited).toBeLessThan(4_000);
    } finally {
      child.kill();
    }
  });
});
