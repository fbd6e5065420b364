import { describe, expect, it } from "bun:test";
import { cpuSecondsOf, machineBusySeconds, threadCpuSecondsOf } from "./wrk.ts";

/** Keeps the calling thread busy for `ms` of wall time. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {}
}

/** A Worker that has kept its thread busy for 300 ms of wall time, still running. */
async function spunWorker(): Promise<Worker> {
  const worker = new Worker(
    URL.createObjectURL(
      new Blob(
        [
          "self.onmessage = () => { const end = performance.now() + 300; while (performance.now() < end) {} self.postMessage('done'); };",
        ],
        { type: "application/javascript" },
      ),
    ),
  );
  await new Promise<void>((resolve) => {
    worker.onmessage = () => resolve();
    worker.postMessage("go");
  });
  return worker;
}

const linux = process.platform === "linux";

describe.if(linux)("CPU by thread (/proc)", () => {
  it("counts this thread as main and a Worker's spin under workers", async () => {
    const before = await threadCpuSecondsOf(process.pid);
    spin(300);
    const worker = await spunWorker();
    const after = await threadCpuSecondsOf(process.pid);
    worker.terminate();
    if (!before || !after) throw new Error("no /proc figures on Linux");
    // Ticks are 10 ms and the machine is shared: a third of the spin at least shows in each.
    expect(after.main - before.main).toBeGreaterThan(0.1);
    expect(after.workers - before.workers).toBeGreaterThan(0.1);
    // The parts make up the process's whole (which also keeps ended threads').
    const total = await cpuSecondsOf(process.pid);
    expect(after.main + after.workers + after.runtime).toBeLessThanOrEqual((total ?? 0) + 0.05);
  });

  it("keeps the time of a thread that ended between two readings, under runtime", async () => {
    const before = await threadCpuSecondsOf(process.pid);
    const worker = await spunWorker();
    worker.terminate();
    if (!before) throw new Error("no /proc figures on Linux");
    // Until its thread is gone from /proc (other tests' workers in this process may live on).
    let after = await threadCpuSecondsOf(process.pid);
    for (let i = 0; i < 100 && after && after.workers > before.workers + 0.05; i++) {
      await Bun.sleep(20);
      after = await threadCpuSecondsOf(process.pid);
    }
    if (!after) throw new Error("no /proc figures on Linux");
    expect(after.workers).toBeLessThan(before.workers + 0.05);
    // Its 300 ms are not lost with it: they count under runtime now.
    expect(after.runtime - before.runtime).toBeGreaterThan(0.1);
  });

  it("reads the machine's busy time, which grows while a core spins", async () => {
    const before = await machineBusySeconds();
    spin(300);
    const after = await machineBusySeconds();
    if (before === null || after === null) throw new Error("no /proc/stat on Linux");
    expect(after - before).toBeGreaterThan(0.1);
  });

  it("says null for a process that is not there", async () => {
    expect(await threadCpuSecondsOf(2 ** 22 + 12_345)).toBeNull();
  });
});
