/** Scenarios 6–8: memory per loaded actor and its eviction, restart with a big database, seating. */
import type { BenchConfig } from "./config.ts";
import type { EventRef } from "./fixtures.ts";
import { type Request, Rotation, runLoad, trpcPost } from "./load.ts";
import { type Child, type Health, startServer } from "./processes.ts";
import { note, progress } from "./progress.ts";
import { oneTicket } from "./rush.ts";
import {
  inSteps,
  type MemoryPoint,
  type MemorySlope,
  memorySlope,
  pointOf,
  settledHealth,
} from "./slope.ts";

/**
 * hold then releaseHold, each chain on the next event: loads one actor per event, holding nothing.
 * A run bounded by a number of requests can stop a connection between its hold and its release:
 * `open` keeps those holds, for releaseOpen() after the run.
 */
function holdReleaseRequests(tokens: readonly string[], events: readonly EventRef[]) {
  const users = new Rotation(tokens);
  const targets = new Rotation(events);
  const open = new Map<string, string>();
  const requests: Request[] = [
    {
      setupRequest: (req, context) => {
        const token = users.next();
        context.token = token;
        return { ...req, ...trpcPost("bookings.hold", token, oneTicket(targets.next())) };
      },
      onResponse: (status, body, context) => {
        context.holdId =
          status === 200
            ? (JSON.parse(body) as { result: { data: { id: string } } }).result.data.id
            : null;
        if (typeof context.holdId === "string") open.set(context.holdId, context.token as string);
      },
    },
    {
      setupRequest: (req, context) =>
        typeof context.holdId === "string"
          ? {
              ...req,
              ...trpcPost("bookings.releaseHold", context.token as string, {
                holdId: context.holdId,
              }),
            }
          : null,
      onResponse: (status, _body, context) => {
        if (status === 200 && typeof context.holdId === "string") open.delete(context.holdId);
      },
    },
  ];
  return { requests, open };
}

/** Releases the holds a bounded run left between hold and release, so every actor is idle. */
async function releaseOpen(url: string, open: Map<string, string>): Promise<void> {
  for (const [holdId, token] of open) {
    const response = await fetch(`${url}/trpc/bookings.releaseHold`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ holdId }),
    });
    if (!response.ok) throw new Error(`releaseHold ${holdId}: HTTP ${response.status}`);
    open.delete(holdId);
  }
}

/** `pairs` hold/release chains over `events` in turn, with nothing left held after them. */
async function holdAndRelease(
  label: string,
  server: Child,
  connections: number,
  tokens: readonly string[],
  events: readonly EventRef[],
  pairs = events.length,
) {
  const { requests, open } = holdReleaseRequests(tokens, events);
  const load = await runLoad(label, server.url, { connections, amount: pairs * 2 }, requests);
  await releaseOpen(server.url, open);
  return load;
}

export interface ManyEventsResult {
  readonly loaded: number;
  readonly before: Health;
  readonly after: Health;
  readonly evicted: Health | null;
  /** Least-squares slope of RSS (heap) against loaded actors over the fitted steps. */
  readonly bytesPerActor: number;
  readonly heapBytesPerActor: number;
  readonly slope: MemorySlope;
  /** What dividing the whole growth by the actors gives (fixed costs included), for comparison. */
  readonly bytesPerActorOverall: number;
  readonly secondsToLoad: number;
  readonly errors: number;
  readonly non2xx: number;
}

/** Fitted steps after the warm-up step (five memory readings in all). */
const STEPS = 4;

/**
 * Warm-up: as many hold/release pairs on ONE event, so the heap has grown to what the traffic
 * itself needs; then the baseline. The events are then loaded into actors in steps (one
 * hold/release each): a first step that pays the fixed costs of many actors, then `STEPS` equal
 * steps. Every memory reading is taken 2 s after a full collection (the server runs through
 * gc-server.ts); memory per actor is the slope over the readings from the first step on.
 */
export async function manyEvents(
  cfg: BenchConfig,
  server: Child,
  tokens: readonly string[],
  warmup: EventRef,
  events: readonly EventRef[],
): Promise<ManyEventsResult> {
  note(
    `many events: warm-up on one event, then ${events.length} events loaded into actors in ${STEPS + 1} steps`,
  );
  const warming = "many events (warm-up)";
  await holdAndRelease(warming, server, cfg.connections, tokens, [warmup], events.length);
  const before = await server.collectedHealth(2_000);
  const setUp = performance.now();
  const points: MemoryPoint[] = [];
  let seconds = 0;
  let errors = 0;
  let non2xx = 0;
  for (const [i, step] of inSteps(events, STEPS).entries()) {
    const label = `many events, step ${i + 1}/${STEPS + 1}`;
    const load = await holdAndRelease(label, server, cfg.connections, tokens, step);
    seconds += load.seconds;
    errors += load.errors;
    non2xx += load.non2xx;
    const health =
      i === 0 ? await settledHealth(server, setUp) : await server.collectedHealth(2_000);
    points.push(pointOf(health.actors, health));
  }
  const after = await server.collectedHealth(0);
  const loaded = after.actors - before.actors;
  const slope = memorySlope(points);
  let evicted: Health | null = null;
  if (cfg.waitForEviction) evicted = await awaitEviction(server, before.actors);
  return {
    loaded,
    before,
    after,
    evicted,
    bytesPerActor: slope.rssBytesPerItem,
    heapBytesPerActor: slope.heapBytesPerItem,
    slope,
    bytesPerActorOverall: (after.memory.rss - before.memory.rss) / Math.max(1, loaded),
    secondsToLoad: seconds,
    errors,
    non2xx,
  };
}

/** Idle actors go after 60 s, swept every 15 s: polls /healthz for up to 100 s. */
async function awaitEviction(server: Child, baseline: number): Promise<Health> {
  const started = performance.now();
  let health = await server.health();
  while (health.actors > baseline && performance.now() - started < 100_000) {
    const waited = ((performance.now() - started) / 1000).toFixed(0);
    progress(
      `many events: waiting for idle eviction, ${waited}s, ${health.actors} actors in memory`,
    );
    await Bun.sleep(5_000);
    health = await server.health();
  }
  return server.collectedHealth(2_000);
}

export interface RestartResult {
  readonly bookingsInDb: number;
  readonly listeningMs: number;
  readonly firstBookingMs: number;
  readonly status: number;
}

/** Spawns the server on the big database and books as soon as it listens; retries until 200. */
export async function restartToFirstBooking(
  cfg: BenchConfig,
  databasePath: string,
  big: { token: string; eventId: string; ticketTypeId: string; bookings: number },
): Promise<{ result: RestartResult; server: Child }> {
  const server = await startServer({ databasePath, cpuProfDir: cfg.cpuProfDir });
  let status = 0;
  for (let attempt = 0; attempt < 50 && status !== 200; attempt += 1) {
    const response = await fetch(`${server.url}/trpc/bookings.book`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${big.token}` },
      body: JSON.stringify(oneTicket(big)),
    });
    status = response.status;
    await response.arrayBuffer();
  }
  const firstBookingMs = performance.now() - server.spawnedAt;
  return {
    result: {
      bookingsInDb: big.bookings,
      listeningMs: server.listeningAt - server.spawnedAt,
      firstBookingMs,
      status,
    },
    server,
  };
}
