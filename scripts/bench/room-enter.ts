/**
 * Buyers entering an on-sale room before it opens (scenarios 2r and 9): every challenge fetched
 * and solved here first, then `room.enter` at full speed through autocannon, so the proof of
 * work (the bench's CPU) is not part of what the server is timed on.
 */
import { type LoadResult, Rotation, runLoad, trpcPost } from "./load.ts";
import { progress } from "./progress.ts";
import { type Buyer, median, pooled, solvedChallenge } from "./room-buyers.ts";

/** Fetches and solves a challenge for each buyer (16 at a time); `buyer.solution` is set. */
export async function solveAll(url: string, eventId: string, buyers: readonly Buyer[]) {
  const solveMs: number[] = [];
  const fetching = performance.now();
  await pooled(buyers, 16, async (buyer) => {
    const { payload, ms } = await solvedChallenge(url, buyer.token, eventId);
    buyer.solution = payload;
    solveMs.push(ms);
    if (solveMs.length % 500 === 0) progress(`room: ${solveMs.length} challenges solved`);
  });
  return {
    solveMsPerChallenge: median(solveMs),
    challengesPerSecond: buyers.length / ((performance.now() - fetching) / 1000),
  };
}

/** `room.enter` of every buyer (solved first), once each, at `connections` connections. */
export function enterLoad(
  label: string,
  url: string,
  eventId: string,
  buyers: readonly Buyer[],
  connections: number,
): Promise<LoadResult> {
  const queue = new Rotation(buyers);
  return runLoad(label, url, { connections, amount: buyers.length }, [
    {
      setupRequest: (req) => {
        const buyer = queue.next();
        return {
          ...req,
          ...trpcPost("room.enter", buyer.token, { eventId, solution: buyer.solution }),
        };
      },
    },
  ]);
}

/** Several runs of one load as one: counts and times added, p50 the median, p99 and max the worst. */
export function mergedLoads(loads: readonly LoadResult[]): LoadResult {
  const sum = (f: (l: LoadResult) => number) => loads.reduce((total, l) => total + f(l), 0);
  const seconds = sum((l) => l.seconds);
  const refusals: Record<string, number> = {};
  for (const load of loads)
    for (const [key, n] of Object.entries(load.refusals)) refusals[key] = (refusals[key] ?? 0) + n;
  const toolCpu = loads.every((l) => l.toolCpuSeconds !== null)
    ? sum((l) => l.toolCpuSeconds ?? 0)
    : null;
  const serverCpu = loads.every((l) => typeof l.serverCpuSeconds === "number")
    ? sum((l) => l.serverCpuSeconds ?? 0)
    : null;
  return {
    tool: loads[0]?.tool ?? "autocannon",
    rps: sum((l) => l.ok + l.non2xx) / seconds,
    okRps: sum((l) => l.ok) / seconds,
    p50Ms: median(loads.map((l) => l.p50Ms)),
    p99Ms: Math.max(...loads.map((l) => l.p99Ms)),
    maxMs: Math.max(...loads.map((l) => l.maxMs)),
    ok: sum((l) => l.ok),
    non2xx: sum((l) => l.non2xx),
    errors: sum((l) => l.errors),
    seconds,
    lastOkMs: seconds * 1000,
    refusals,
    toolCpuSeconds: toolCpu,
    serverCpuSeconds: serverCpu,
  };
}
