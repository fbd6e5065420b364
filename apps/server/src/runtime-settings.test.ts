/**
 * The runtime settings the server starts with (runtime-settings.ts): what is missing from an
 * environment, and the real entry point starting itself again with them, same pid, with
 * JavaScriptCore reading them (its option dump says so).
 */
import { afterAll, describe, expect, it } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { acceptedByBun, missingRuntimeSettings, RUNTIME_SETTINGS } from "./runtime-settings.ts";
import { spawnServer } from "./testing.ts";

describe("missingRuntimeSettings", () => {
  it("names every setting an environment leaves unset, with the server's value", () => {
    expect(missingRuntimeSettings({})).toEqual({ BUN_JSC_useWarmUpMarkedBlocks: "0" });
    expect(missingRuntimeSettings({ PATH: "/usr/bin" })).toEqual(RUNTIME_SETTINGS);
  });

  it("leaves alone what the operator set, whatever the value", () => {
    expect(missingRuntimeSettings({ BUN_JSC_useWarmUpMarkedBlocks: "1" })).toEqual({});
    expect(missingRuntimeSettings({ BUN_JSC_useWarmUpMarkedBlocks: "0" })).toEqual({});
  });
});

describe("acceptedByBun", () => {
  it("keeps the options this Bun knows and drops one it would refuse to start with", () => {
    const tried = {
      BUN_JSC_useWarmUpMarkedBlocks: "0",
      BUN_JSC_noSuchOptionInAnyBun: "0",
      BUN_JSC_useConcurrentGC: "not a boolean",
    };
    expect(acceptedByBun(tried)).toEqual({ BUN_JSC_useWarmUpMarkedBlocks: "0" });
  });

  it("accepts every setting the server wants on this Bun (main.ts skips the trial on 1.4.5)", () => {
    expect(acceptedByBun(RUNTIME_SETTINGS)).toEqual(RUNTIME_SETTINGS);
  });
});

const dir = mkdtempSync(join(tmpdir(), "boxoffice-runtime-"));
const children: Subprocess[] = [];
afterAll(() => {
  for (const child of children) child.kill(9);
  rmSync(dir, { recursive: true, force: true });
});

/** The environment of a running process, as the kernel has it. */
function environOf(pid: number): Map<string, string> {
  const text = readFileSync(`/proc/${pid}/environ`, "utf8");
  const pairs = text.split("\0").filter(Boolean);
  return new Map(
    pairs.map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
  );
}

/**
 * Spawns main.ts with `env` over the test's own, JavaScriptCore asked to print the options that
 * differ from its defaults as it starts; once the server listens, what it answered, its
 * environment, and what it printed on stderr.
 */
async function started(
  name: string,
  env: Record<string, string | undefined>,
  bunFlags: readonly string[] = [],
) {
  const { proc, url } = await spawnServer(
    join(dir, `${name}.db`),
    { BUN_JSC_dumpOptions: "1", ...env },
    { bunFlags, stderr: "pipe" },
  );
  children.push(proc);
  const health = await fetch(`${url}/healthz`);
  const environ = environOf(proc.pid);
  proc.kill(9);
  await proc.exited;
  const stderr = await new Response(proc.stderr as ReadableStream<Uint8Array>).text();
  return { status: health.status, environ, stderr };
}

describe("the server's entry point", () => {
  it("starts again with the settings it wants, as the same process, and the runtime reads them", async () => {
    const run = await started("unset", { BUN_JSC_useWarmUpMarkedBlocks: undefined });
    // The pid that was spawned is the one serving: a supervisor's kill -9 still reaches it.
    expect(run.status).toBe(200);
    expect(run.environ.get("BUN_JSC_useWarmUpMarkedBlocks")).toBe("0");
    expect(run.environ.get("BOXOFFICE_STARTED_AGAIN")).toBe("1");
    // JavaScriptCore printed its options twice: as Bun first started, and after the new start,
    // with the setting read.
    expect(run.stderr.match(/Modified JSC options/g)).toHaveLength(2);
    expect(run.stderr).toContain("useWarmUpMarkedBlocks=false (default: true)");
  });

  it("keeps an operator's own value, and then does not start again", async () => {
    const run = await started("kept", { BUN_JSC_useWarmUpMarkedBlocks: "1" });
    expect(run.status).toBe(200);
    expect(run.environ.get("BUN_JSC_useWarmUpMarkedBlocks")).toBe("1");
    expect(run.environ.has("BOXOFFICE_STARTED_AGAIN")).toBe(false);
    expect(run.stderr.match(/Modified JSC options/g)).toHaveLength(1);
    expect(run.stderr).toContain("useWarmUpMarkedBlocks=true (default: true)");
  });

  it("does not start again a process that was started again already", async () => {
    const run = await started("again", {
      BUN_JSC_useWarmUpMarkedBlocks: undefined,
      BOXOFFICE_STARTED_AGAIN: "1",
    });
    expect(run.status).toBe(200);
    expect(run.environ.has("BUN_JSC_useWarmUpMarkedBlocks")).toBe(false);
    expect(run.stderr.match(/Modified JSC options/g)).toHaveLength(1);
  });

  it("is not started again under a profiler, whose signal would end it there, and says so", async () => {
    const flags = [
      "--cpu-prof-md",
      `--cpu-prof-dir=${join(dir, "profiles")}`,
      "--cpu-prof-interval=200",
    ];
    // Started again under the profiler, the process died of SIGPWR in 3 of 5 tries: try several.
    for (const i of [1, 2, 3]) {
      const run = await started(
        `profiled-${i}`,
        { BUN_JSC_useWarmUpMarkedBlocks: undefined },
        flags,
      );
      expect(run.status).toBe(200);
      expect(run.environ.has("BOXOFFICE_STARTED_AGAIN")).toBe(false);
      expect(run.stderr).toContain("Profiling: runtime settings left at Bun's defaults");
    }
  });
});
