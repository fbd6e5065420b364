/**
 * Memory per item (idle actor, waiting buyer) as the slope of the server's memory against the
 * item count, over several steps after a warm-up step. Dividing one delta by the count instead
 * would spread fixed costs (allocator arenas, JIT, first-use caches) over the items, so the
 * figure would shrink as the run grows (21 KB per actor at 1,024 actors, 8 KB at 10,048); the
 * slope does not carry them.
 */
import type { Child, Health } from "./processes.ts";

export interface MemoryPoint {
  /** Items in memory (actors loaded, buyers waiting) when the memory was read. */
  readonly count: number;
  readonly rss: number;
  readonly heapUsed: number;
}

export interface MemorySlope {
  /** Least-squares slope of RSS (and heap) against the count, in bytes per item. */
  readonly rssBytesPerItem: number;
  readonly heapBytesPerItem: number;
  /** Items added over the fitted steps (the warm-up step excluded). */
  readonly items: number;
  /** The points fitted: the first is read after the warm-up step. */
  readonly points: readonly MemoryPoint[];
  /** How well a line fits RSS (1: perfectly); low when the steps disagree. */
  readonly rssR2: number;
}

/** Least-squares slope of y on x, and the coefficient of determination. */
export function leastSquares(points: readonly { x: number; y: number }[]) {
  const n = points.length;
  if (n < 2) return { slope: Number.NaN, r2: Number.NaN };
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    sxx += (p.x - meanX) ** 2;
    sxy += (p.x - meanX) * (p.y - meanY);
    syy += (p.y - meanY) ** 2;
  }
  const slope = sxx === 0 ? Number.NaN : sxy / sxx;
  const r2 = sxx === 0 || syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, r2 };
}

export function memorySlope(points: readonly MemoryPoint[]): MemorySlope {
  const first = points[0];
  const last = points.at(-1);
  const rss = leastSquares(points.map((p) => ({ x: p.count, y: p.rss })));
  const heap = leastSquares(points.map((p) => ({ x: p.count, y: p.heapUsed })));
  return {
    rssBytesPerItem: rss.slope,
    heapBytesPerItem: heap.slope,
    items: first && last ? last.count - first.count : 0,
    points,
    rssR2: rss.r2,
  };
}

export const pointOf = (count: number, health: Health): MemoryPoint => ({
  count,
  rss: health.memory.rss,
  heapUsed: health.memory.heapUsed,
});

/** Splits `items` into a warm-up step and `steps` equal fitted steps (the last takes the rest). */
export function inSteps<T>(items: readonly T[], steps: number): T[][] {
  const size = Math.floor(items.length / (steps + 1));
  if (size === 0) throw new Error(`Too few items (${items.length}) for ${steps} steps`);
  return Array.from({ length: steps + 1 }, (_, i) =>
    items.slice(i * size, i === steps ? items.length : (i + 1) * size),
  );
}

/** How long after its last run set-up code has been dropped (see `settledHealth`). */
const CODE_AGING_MS = 25_000;

/**
 * /healthz after a collection, read every 2 s until RSS moves less than 1 MiB between two
 * readings (at most `tries`): the first many-item step is followed by one-off growth off the JS
 * heap a few seconds later (about 50 MB here), which must land before the first fitted reading.
 *
 * `setUpEndedAt` (a performance.now() instant): no reading before CODE_AGING_MS after it.
 * JavaScriptCore drops compiled code that has not run for a while at a collection ("code
 * aging"), so code that ran only while setting up (registering, creating the event, fetching
 * challenges) left the heap 15 to 28 s after it last ran, 2 MB at once in one reading, whatever
 * the number of items: a fitted step that happened to include it came out negative. 25 s after
 * the set-up, the heap held still.
 */
export async function settledHealth(
  server: Child,
  setUpEndedAt: number,
  tries = 8,
): Promise<Health> {
  const wait = setUpEndedAt + CODE_AGING_MS - performance.now();
  if (wait > 0) await Bun.sleep(wait);
  let last = await server.collectedHealth(2_000);
  for (let i = 1; i < tries; i += 1) {
    const next = await server.collectedHealth(2_000);
    if (Math.abs(next.memory.rss - last.memory.rss) < 2 ** 20) return next;
    last = next;
  }
  return last;
}
