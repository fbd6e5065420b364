/**
 * Scenario 9: the on-sale room (docs/API.md "room") at 20,000 buyers (quick: 2,000), on its own
 * database file (buyers inserted as in fixtures.ts) and server. Measured: the buyers' challenges
 * solved at difficulty 1 and `room.enter` at full speed; the server's memory per waiting buyer (the
 * slope of /healthz RSS and heap over five entering steps, each read after a full collection) and
 * per open status stream (the growth over the streams, read the same way); the status fan-out (one buyer enters, every stream is told: server CPU,
 * time until the last stream has it, messages a second); then the room opens with no rate set and
 * the admitted buyers hold and confirm, until the event (half as many tickets as buyers) sells out.
 */
import { closeDb, openDb } from "@boxoffice/db";
import type { BenchConfig } from "./config.ts";
import { type Client, freshDb, insertUsers, soldInDb } from "./fixtures.ts";
import type { LoadResult } from "./load.ts";
import { type Child, type Health, startServer } from "./processes.ts";
import { note, progress } from "./progress.ts";
import {
  type Buyer,
  buying,
  median,
  polling,
  solvedChallenge,
  timeline,
  trpc,
} from "./room-buyers.ts";
import { enterLoad, mergedLoads, solveAll } from "./room-enter.ts";
import type { RoomResult } from "./room-report.ts";
import { cpuMs, openFilesLimit, openStatusStream, type StatusMessage } from "./room-streams.ts";
import { inSteps, type MemoryPoint, memorySlope, pointOf, settledHealth } from "./slope.ts";

const DAY = 86_400_000;
/** Buyers entering before the baseline (JIT, the actor, the challenge secret) and one per fan-out. */
const WARM = 50;
const FANOUT_UPDATES = 5;
/** Open files kept for everything but the streams, in the server and here. */
const RESERVE_FILES = 512;

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits });

async function roomEvent(organizer: Client, tickets: number) {
  const room = {
    enabled: true,
    opensAt: new Date(Date.now() + DAY).toISOString(),
    admitPerMinute: null,
    tokenSeconds: 600,
    graceSeconds: 600,
    difficulty: 1,
  };
  const event = await organizer.events.create.mutate({
    title: "On-sale room bench",
    startsAt: new Date(Date.now() + 30 * DAY).toISOString(),
    ticketTypes: [{ name: "General", priceCents: 0, capacity: tickets }],
    onSaleRoom: room,
  });
  await organizer.events.publish.mutate({ eventId: event.id });
  const typeId = event.ticketTypes[0]?.id;
  if (!typeId) throw new Error("The room's event came back without its ticket type");
  return { eventId: event.id, typeId, room };
}

/** Fitted steps after the warm-up step when the buyers enter (five memory readings in all). */
const STEPS = 4;

/**
 * Every challenge solved first, then `room.enter` in steps: a first step that pays the fixed
 * costs, then `STEPS` equal steps, the server's memory read after a collection following each.
 * Memory per waiting buyer is the slope over those readings (slope.ts says why not one delta).
 */
async function enterAll(cfg: BenchConfig, server: Child, eventId: string, buyers: Buyer[]) {
  const solved = await solveAll(server.url, eventId, buyers);
  const setUp = performance.now();
  const loads: LoadResult[] = [];
  const points: MemoryPoint[] = [];
  let waiting = WARM;
  for (const [i, step] of inSteps(buyers, STEPS).entries()) {
    const label = `room.enter, step ${i + 1}/${STEPS + 1}`;
    const load = await enterLoad(label, server.url, eventId, step, cfg.connections);
    loads.push(load);
    waiting += load.ok;
    const health =
      i === 0 ? await settledHealth(server, setUp) : await server.collectedHealth(2_000);
    points.push(pointOf(waiting, health));
  }
  return { ...solved, load: mergedLoads(loads), slope: memorySlope(points) };
}

/**
 * Opens a status stream for each of `buyers`, 500 at a time, and waits (two minutes at most) for
 * each to say something. Returns the buyers whose stream stayed silent (or was refused): their
 * streams are closed, and they poll instead.
 */
async function openStreams(
  url: string,
  eventId: string,
  buyers: Buyer[],
  onStatus: (buyer: Buyer, status: StatusMessage) => void,
): Promise<Buyer[]> {
  const path = `/trpc/room.status?input=${encodeURIComponent(JSON.stringify({ eventId }))}`;
  for (let start = 0; start < buyers.length; start += 500) {
    await Promise.all(
      buyers.slice(start, start + 500).map(async (buyer) => {
        buyer.stream = await openStatusStream(url, path, buyer.token, (status) =>
          onStatus(buyer, status),
        );
      }),
    );
    progress(`room: ${Math.min(buyers.length, start + 500)}/${buyers.length} status streams`);
  }
  const deadline = performance.now() + 120_000;
  const silent = () => buyers.filter((b) => !b.stream?.last);
  while (silent().length > 0 && performance.now() < deadline) await Bun.sleep(100);
  const left = silent();
  if (left.length > 0) {
    const refused = new Set(left.map((b) => b.stream?.refused).filter(Boolean));
    note(
      `room: ${left.length} status streams said nothing in 2 minutes ${[...refused].join(", ")}`,
    );
  }
  for (const buyer of left) {
    buyer.stream?.close();
    buyer.stream = undefined;
  }
  return left;
}

/** One buyer enters; every stream must then show the longer queue. */
async function fanout(
  url: string,
  eventId: string,
  server: Child,
  streams: Buyer[],
  extra: Buyer[],
) {
  const cpu: number[] = [];
  const deliver: number[] = [];
  for (const [k, buyer] of extra.entries()) {
    await Bun.sleep(1_500); // past the one-a-second coalescing of the last message
    const target = Math.max(...streams.map((b) => b.stream?.last?.queueLength ?? 0)) + 1;
    const { payload } = await solvedChallenge(url, buyer.token, eventId);
    const cpuBefore = cpuMs(server.pid);
    const started = performance.now();
    await trpc(url, "room.enter", buyer.token, { eventId, solution: payload });
    while (streams.some((b) => (b.stream?.last?.queueLength ?? 0) < target)) await Bun.sleep(1);
    deliver.push(performance.now() - started);
    const cpuAfter = cpuMs(server.pid);
    if (cpuBefore !== null && cpuAfter !== null) cpu.push(cpuAfter - cpuBefore);
    progress(`room: fan-out ${k + 1}/${extra.length}, ${fmt(deliver.at(-1) ?? 0)} ms`);
  }
  const deliverP50Ms = median(deliver);
  return {
    updates: extra.length,
    serverCpuMsPerUpdate: cpu.length ? cpu.reduce((a, b) => a + b, 0) / cpu.length : null,
    deliverP50Ms,
    deliverMaxMs: Math.max(...deliver),
    messagesPerSecond: streams.length / (deliverP50Ms / 1000),
  };
}

function spentTokens(databasePath: string, eventId: string): number {
  const db = openDb(databasePath);
  try {
    const row = db.$client
      .prepare("select count(*) as n from room_entries where event_id = ? and state = 'spent'")
      .get(eventId) as { n: number };
    return row.n;
  } finally {
    closeDb(db);
  }
}

export async function roomScenario(
  cfg: BenchConfig,
  databasePath: string,
  organizerOf: (url: string) => Promise<Client>,
  started: (child: Promise<Child>) => Promise<Child>,
  stopped: (child: Child) => Promise<void>,
): Promise<RoomResult> {
  const n = cfg.roomBuyers;
  const tickets = Math.floor(n / 2);
  note(`9 on-sale room: ${fmt(n)} buyers, ${fmt(tickets)} tickets`);
  const db = freshDb(databasePath);
  const tokens = insertUsers(db, n + WARM + FANOUT_UPDATES, "r");
  closeDb(db);
  const all = tokens.map((token): Buyer => ({ token, admitted: false }));
  const warm = all.slice(0, WARM);
  const extra = all.slice(WARM, WARM + FANOUT_UPDATES);
  const buyers = all.slice(WARM + FANOUT_UPDATES);

  const server = await started(
    startServer({ databasePath, cpuProfDir: cfg.cpuProfDir, collectOnSignal: true }),
  );
  try {
    const organizer = await organizerOf(server.url);
    const { eventId, typeId, room } = await roomEvent(organizer, tickets);
    for (const buyer of warm) {
      const { payload } = await solvedChallenge(server.url, buyer.token, eventId);
      await trpc(server.url, "room.enter", buyer.token, { eventId, solution: payload });
    }
    const baseline = await server.collectedHealth(2_000);
    const entered = await enterAll(cfg, server, eventId, buyers);
    const afterEnter = await server.collectedHealth(0);

    // Every entrant listens (the warm-up's too: they are in the lottery), as far as open files go.
    const limit = openFilesLimit();
    const present = [...warm, ...buyers];
    const real = limit === null ? present.length : Math.min(present.length, limit - RESERVE_FILES);
    let streamed = present.slice(0, Math.max(0, real));
    const polled = present.slice(streamed.length);
    let onStatus = (_buyer: Buyer, _status: StatusMessage) => {};
    const listen = (buyer: Buyer, status: StatusMessage) => onStatus(buyer, status);
    const opening = performance.now();
    const silent = await openStreams(server.url, eventId, streamed, listen);
    const secondsToOpen = (performance.now() - opening) / 1000;
    streamed = streamed.filter((b) => b.stream);
    polled.push(...silent);
    const afterStreams = await server.collectedHealth(2_000);
    const streamsAtMeasure = streamed.length;
    const fan = await fanout(server.url, eventId, server, streamed, extra);
    // The fan-out's entrants listen too (or poll, over the limit), like everyone else.
    if (polled.length === 0) {
      polled.push(...(await openStreams(server.url, eventId, extra, listen)));
      streamed.push(...extra.filter((b) => b.stream));
    } else polled.push(...extra);

    note(
      `9 on-sale room: opening, ${fmt(streamed.length)} streams${polled.length ? `, ${fmt(polled.length)} polling` : ""}`,
    );
    const admission = await sell(server, organizer, { eventId, typeId, room }, tickets, {
      streamed,
      polled,
      listen: (admit) => {
        onStatus = admit;
      },
      deadlineMs: 60_000 + n * 10,
      databasePath,
    });
    const perBuyer = (key: "rss" | "heapUsed", from: Health, to: Health, count: number) =>
      (to.memory[key] - from.memory[key]) / Math.max(1, count);
    const enterLoad: LoadResult = entered.load;
    return {
      buyers: n,
      tickets,
      enter: {
        solveMsPerChallenge: entered.solveMsPerChallenge,
        challengesPerSecond: entered.challengesPerSecond,
        perSecond: enterLoad.okRps,
        p50Ms: enterLoad.p50Ms,
        p99Ms: enterLoad.p99Ms,
        refused: enterLoad.refusals,
        entered: enterLoad.ok,
        non2xx: enterLoad.non2xx,
        errors: enterLoad.errors,
      },
      memory: {
        baseline: baseline.memory,
        afterEnter: afterEnter.memory,
        afterStreams: afterStreams.memory,
        rssBytesPerWaiting: entered.slope.rssBytesPerItem,
        heapBytesPerWaiting: entered.slope.heapBytesPerItem,
        waitingSlope: entered.slope,
        rssBytesPerWaitingOverall: perBuyer("rss", baseline, afterEnter, enterLoad.ok),
        rssBytesPerStream: perBuyer("rss", afterEnter, afterStreams, streamsAtMeasure),
        heapBytesPerStream: perBuyer("heapUsed", afterEnter, afterStreams, streamsAtMeasure),
      },
      streams: {
        openFilesLimit: limit,
        real: streamed.length,
        silent: silent.length,
        polling: polled.length,
        secondsToOpen,
      },
      fanout: fan,
      admission,
    };
  } finally {
    await stopped(server);
  }
}

/**
 * Opens the room in 2 s (no rate set) and lets the admitted buy until the event is sold out or
 * `deadlineMs` has passed; the stream messages, CPU (server and here) and database over that time.
 */
async function sell(
  server: Child,
  organizer: Client,
  event: Awaited<ReturnType<typeof roomEvent>>,
  tickets: number,
  buyers: {
    streamed: Buyer[];
    polled: Buyer[];
    listen: (admit: (buyer: Buyer, status: StatusMessage) => void) => void;
    deadlineMs: number;
    databasePath: string;
  },
): Promise<RoomResult["admission"]> {
  const { eventId, typeId, room } = event;
  const { streamed, polled, databasePath } = buyers;
  const sale = buying(server.url, eventId, typeId, tickets);
  buyers.listen(sale.admit);
  const stopPolling = polling(server.url, eventId, polled, sale.admit);
  const messagesBefore = streamed.reduce((sum, b) => sum + (b.stream?.messages ?? 0), 0);
  const cpuBefore = cpuMs(server.pid);
  const benchCpuBefore = cpuMs(process.pid);
  const opensAt = Date.now() + 2_000;
  await organizer.events.update.mutate({
    eventId,
    onSaleRoom: { ...room, opensAt: new Date(opensAt).toISOString() },
  });
  const deadline = performance.now() + buyers.deadlineMs;
  while (!sale.done && performance.now() < deadline) {
    await Bun.sleep(250);
    const s = sale.sale;
    progress(
      `room: ${fmt(s.admitted)} admitted, ${fmt(s.held)} held, ${fmt(s.confirmed)}/${fmt(tickets)} confirmed`,
    );
  }
  const endedAt = Date.now();
  const cpuAfter = cpuMs(server.pid);
  const benchCpuAfter = cpuMs(process.pid);
  const messages = streamed.reduce((sum, b) => sum + (b.stream?.messages ?? 0), 0) - messagesBefore;
  await stopPolling();
  await sale.stop();
  for (const buyer of streamed) buyer.stream?.close();

  const s = sale.sale;
  const sold = soldInDb(databasePath, eventId);
  const spent = spentTokens(databasePath, eventId);
  const soldOutAt = s.confirmed >= tickets ? s.lastConfirmAt : null;
  const delta = (before: number | null, after: number | null) =>
    before === null || after === null ? null : after - before;
  return {
    secondsOpeningToSoldOut: soldOutAt === null ? null : (soldOutAt - opensAt) / 1000,
    admittedSeconds: timeline(s.admittedAt, opensAt),
    confirmedSeconds: timeline(s.confirmedAt, opensAt),
    admitted: s.admitted,
    held: s.held,
    confirmed: s.confirmed,
    refused: s.refused,
    streamMessagesPerSecond: messages / Math.max(0.001, (endedAt - opensAt) / 1000),
    serverCpuMs: delta(cpuBefore, cpuAfter),
    benchCpuMs: delta(benchCpuBefore, benchCpuAfter),
    purchaseP50Ms: median(s.purchaseMs),
    db: { ...sold, spentTokens: spent },
    soldOut: soldOutAt !== null,
    exact:
      sold.sold <= tickets &&
      sold.bookings === s.confirmed &&
      sold.tickets === s.confirmed &&
      sold.sold === s.confirmed &&
      spent === s.held,
  };
}
