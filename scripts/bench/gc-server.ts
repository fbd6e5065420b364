/**
 * The real server (apps/server/src/main.ts) with one addition for the memory scenarios: SIGUSR2
 * runs full garbage collections, so that a memory reading taken after them counts what is live
 * rather than what is waiting to be collected (which depends on when the collector last ran).
 * Twice, a tick apart: the collector scans the stack conservatively, and the first collection
 * can keep alive what a frame still pointed at.
 */
import { GC_HEAP_LINE } from "./gc-line.ts";

process.on("SIGUSR2", () => {
  Bun.gc(true);
  setTimeout(() => {
    Bun.gc(true);
    // The heap as the collection left it: read later (/healthz), it also counts what timers
    // and requests allocated meanwhile, which moved it by a megabyte between readings.
    console.log(`${GC_HEAP_LINE}${process.memoryUsage().heapUsed}`);
  }, 100);
});
await import("../../apps/server/src/main.ts");
