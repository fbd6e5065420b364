import { describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeDb } from "@boxoffice/db";
import { freshDb } from "./fixtures.ts";
import { startServer, untilIdle } from "./processes.ts";

const linux = process.platform === "linux";

/**
 * Milliseconds `untilIdle` waited, with at most `maxMs`, on a child that keeps a core busy for
 * `busyMs`, then sleeps until it is killed.
 */
async function waitedOn(busyMs: number, maxMs: number): Promise<number> {
  const child = Bun.spawn(
    [
      process.execPath,
      "-e",
      `const end = performance.now() + ${busyMs}; while (performance.now() < end) {} setInterval(() => {}, 1000);`,
    ],
    { stdout: "ignore", stderr: "ignore" },
  );
  try {
    const startedAt = performance.now();
    await untilIdle(child.pid, { maxMs });
    return performance.now() - startedAt;
  } finally {
    child.kill();
  }
}

describe.if(linux)("untilIdle", () => {
  it("waits while the process is busy and returns once it is idle", async () => {
    const waited = await waitedOn(1_500, 10_000);
    // It saw the spin (not idle in its first window) and did not wait for the deadline.
    expect(waited).toBeGreaterThan(1_000);
    expect(waited).toBeLessThan(9_000);
  });

  it("gives up at its deadline on a process that never goes idle", async () => {
    const waited = await waitedOn(60_000, 1_200);
    expect(waited).toBeGreaterThanOrEqual(1_200);
    expect(waited).toBeLessThan(4_000);
  });
});

describe("collectedHealth", () => {
  it("reads the heap as the server's collections left it, once per signal", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-gc-"));
    const databasePath = join(dir, "gc.db");
    closeDb(freshDb(databasePath));
    const server = await startServer({ databasePath, collectOnSignal: true });
    try {
      for (let i = 0; i < 2; i++) {
        const health = await server.collectedHealth(0);
        // The server's own line, parsed: a heap of megabytes, well under its resident memory.
        expect(health.memory.heapUsed).toBeGreaterThan(1_000_000);
        expect(health.memory.heapUsed).toBeLessThan(health.memory.rss);
        expect(health.status).toBe("ok");
      }
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
