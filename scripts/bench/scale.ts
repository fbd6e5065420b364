/** Scenarios 6–8: memory per loaded actor and its eviction, restart with a big database, seating. */
import type { BenchConfig } from "./config.ts";
import type { EventRef } from "./fixtures.ts";
import { type Request, Rotation, runLoad, trpcPost } from "./load.ts";
import { type Child, type Health, startServer } from "./processes.ts";
import { note, progress } from "./progress.ts";
import { oneTicket } from "./rush.ts";

/** hold then releaseHold, each chain on the next event: loads one actor per event, holding nothing. */
function holdReleaseRequests(tokens: readonly string[], events: readonly EventRef[]): Request[] {
  const users = new Rotation(tokens);
  const targets = new Rotation(events);
  return [
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
    },
  ];
}

export interface ManyEventsResult {
  readonly loaded: number;
  readonly before: Health;
  readonly after: Health;
  readonly evicted: Health | null;
  readonly bytesPerActor: number;
  readonly heapBytesPerActor: number;
  readonly secondsToLoad: number;
  readonly errors: number;
  readonly non2xx: number;
}

/**
 * Warm-up: as many hold/release pairs on ONE event, so the heap has grown to what the traffic
 * itself needs; then the baseline, then one hold/release on each of `events`.
 */
export async function manyEvents(
  cfg: BenchConfig,
  server: Child,
  tokens: readonly string[],
  warmup: EventRef,
  events: readonly EventRef[],
): Promise<ManyEventsResult> {
  const amount = events.length * 2;
  const shape = { connections: cfg.connections, amount };
  note(`many events: warm-up on one event, then ${events.length} events loaded into actors`);
  await runLoad("many events (warm-up)", server.url, shape, holdReleaseRequests(tokens, [warmup]));
  await Bun.sleep(2_000);
  const before = await server.health();
  const load = await runLoad("many events", server.url, shape, holdReleaseRequests(tokens, events));
  await Bun.sleep(2_000);
  const after = await server.health();
  const loaded = after.actors - before.actors;
  let evicted: Health | null = null;
  if (cfg.waitForEviction) evicted = await awaitEviction(server, before.actors);
  return {
    loaded,
    before,
    after,
    evicted,
    bytesPerActor: (after.memory.rss - before.memory.rss) / Math.max(1, loaded),
    heapBytesPerActor: (after.memory.heapUsed - before.memory.heapUsed) / Math.max(1, loaded),
    secondsToLoad: load.seconds,
    errors: load.errors,
    non2xx: load.non2xx,
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
  return health;
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
