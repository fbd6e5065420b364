/**
 * Scenario 2r: booking through the on-sale room while it admits (every booking carries an
 * admission token), against the plain hot event, on the same server. Tokens are single-use and
 * the room admits at most 500 a second and 1,000 unspent at once (core's ROOM_LIMITS), so a
 * duration-bounded run at 64 connections cannot be fed tokens fast enough. What is compared
 * instead: rounds of `roundSize` admitted buyers, each round's bookings fired at once at 64
 * connections (autocannon, one request per buyer), beside a round of as many bookings by the same
 * buyers on the plain hot event just before it, over the server's CPU seconds per booking (and
 * the rate). The plain round runs while the room can admit nobody (the round's 1,000 tokens are
 * out, unspent); the room's round spends them, and the admissions that follow in its time are
 * the room path's own cost. A first round of each warms up unmeasured.
 *
 * Three rounds' worth of buyers enter before the room opens; after each round its buyers, their
 * tokens spent, enter again and join at the back, so the queue never runs empty (which would open
 * the doors, after which tokens are not checked). Entering (challenges solved here at difficulty
 * 1) is never inside a measured round. The order of the line is read from the database, so each
 * round polls `room.position` only for the buyers whose turn it is.
 */
import { closeDb, openDb } from "@boxoffice/db";
import type { BenchConfig, Row } from "./config.ts";
import { type Client, createEvent, type EventRef } from "./fixtures.ts";
import { type LoadResult, Rotation, runLoad, trpcPost } from "./load.ts";
import type { Child } from "./processes.ts";
import { note, progress } from "./progress.ts";
import { type Buyer, pooled, trpc } from "./room-buyers.ts";
import { enterLoad, mergedLoads, solveAll } from "./room-enter.ts";
import type { StatusMessage } from "./room-streams.ts";
import { oneTicket } from "./rush.ts";
import { cpuSecondsOf } from "./wrk.ts";

const DAY = 86_400_000;

export interface RoundsSide {
  readonly bookings: number;
  readonly non2xx: number;
  readonly refusals: Record<string, number>;
  readonly seconds: number;
  readonly okRps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly serverCpuSeconds: number | null;
  readonly cpuMsPerBooking: number | null;
  readonly toolCpuSeconds: number | null;
}

export interface RoomRoundsResult {
  readonly rounds: number;
  readonly roundSize: number;
  readonly entrants: number;
  readonly solveMsPerChallenge: number;
  readonly enterPerSecond: number;
  readonly room: RoundsSide;
  readonly plain: RoundsSide;
  /** Server CPU per plain booking over server CPU per booking through the room. */
  readonly roomVsPlain: number | null;
  /** Bookings a second through the room over the plain rounds'. */
  readonly rpsVsPlain: number;
}

interface Round {
  readonly room: LoadResult;
  readonly plain: LoadResult;
}

/** The next `n` live entries (waiting or admitted) in line, from the database (the bench's file). */
function nextInLine(databasePath: string, eventId: string, n: number): string[] {
  const db = openDb(databasePath);
  try {
    const rows = db.$client
      .prepare(
        `select user_id as userId from room_entries where event_id = ? and place is not null
          and state in ('waiting', 'admitted') order by place limit ?`,
      )
      .all(eventId, n) as { userId: string }[];
    return rows.map((r) => r.userId);
  } finally {
    closeDb(db);
  }
}

/** Waits for the draw: every entrant placed. */
async function drawn(databasePath: string, eventId: string, entrants: number): Promise<void> {
  const deadline = performance.now() + 30_000;
  for (;;) {
    const placed = nextInLine(databasePath, eventId, entrants).length;
    if (placed >= entrants) return;
    if (performance.now() > deadline) throw new Error(`Only ${placed} entrants were drawn`);
    await Bun.sleep(250);
  }
}

/** Asks `room.position` for each buyer until each holds an admission token. */
async function tokensOf(url: string, eventId: string, buyers: readonly Buyer[]) {
  const tokens = new Map<Buyer, string>();
  await pooled(buyers, 32, async (buyer) => {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const status = await trpc<StatusMessage>(
        url,
        "room.position",
        buyer.token,
        { eventId },
        true,
      );
      if (status.state === "admitted" && status.admissionToken) {
        tokens.set(buyer, status.admissionToken);
        return;
      }
      await Bun.sleep(250);
    }
    throw new Error(`A buyer was not admitted in 50 s (${buyer.token.slice(0, 6)}…)`);
  });
  return buyers.map((b) => ({ token: b.token, admissionToken: tokens.get(b) as string }));
}

/** One booking per entry of `inputs`, all at once at `connections`, with the server's CPU. */
async function round(
  label: string,
  server: Child,
  connections: number,
  inputs: readonly { token: string; input: unknown }[],
): Promise<LoadResult> {
  const queue = new Rotation(inputs);
  const before = await cpuSecondsOf(server.pid);
  const load = await runLoad(label, server.url, { connections, amount: inputs.length }, [
    {
      setupRequest: (req) => {
        const next = queue.next();
        return { ...req, ...trpcPost("bookings.book", next.token, next.input) };
      },
    },
  ]);
  const after = await cpuSecondsOf(server.pid);
  return { ...load, serverCpuSeconds: before === null || after === null ? null : after - before };
}

function sideOf(loads: readonly LoadResult[]): RoundsSide {
  const m = mergedLoads(loads);
  const cpu = m.serverCpuSeconds ?? null;
  return {
    bookings: m.ok,
    non2xx: m.non2xx,
    refusals: m.refusals,
    seconds: m.seconds,
    okRps: m.okRps,
    p50Ms: m.p50Ms,
    p99Ms: m.p99Ms,
    serverCpuSeconds: cpu,
    cpuMsPerBooking: cpu === null || m.ok === 0 ? null : (cpu * 1000) / m.ok,
    toolCpuSeconds: m.toolCpuSeconds,
  };
}

export async function roomRounds(
  cfg: BenchConfig,
  server: Child,
  organizer: Client,
  users: { tokens: readonly string[]; userIds: readonly string[] },
  plain: EventRef,
  databasePath: string,
): Promise<RoomRoundsResult> {
  const { roomRounds: rounds, roomRoundSize: size } = cfg;
  // Three groups take turns: one books, the next is being admitted, the last waits at the back.
  const entrants = 3 * size;
  if (entrants > users.tokens.length) throw new Error(`2r needs ${entrants} load users`);
  const room = {
    enabled: true,
    opensAt: new Date(Date.now() + DAY).toISOString(),
    admitPerMinute: null,
    tokenSeconds: 600,
    graceSeconds: 3_600,
    difficulty: 1,
  };
  const event = await createEvent(organizer, "Hot event through the room", 1_000_000, 0, {
    onSaleRoom: room,
  });
  const { eventId } = event;
  note(`2r room: ${entrants} buyers enter (difficulty 1), then ${rounds} rounds of ${size}`);
  const buyers = users.tokens
    .slice(0, entrants)
    .map((token): Buyer => ({ token, admitted: false }));
  const solved = await solveAll(server.url, eventId, buyers);
  const entered = await enterLoad("2r room.enter", server.url, eventId, buyers, cfg.connections);
  await organizer.events.update.mutate({
    eventId,
    onSaleRoom: { ...room, opensAt: new Date(Date.now() + 2_000).toISOString() },
  });
  await drawn(databasePath, eventId, entered.ok);
  const byUser = new Map(users.userIds.map((id, i) => [id, buyers[i]]));

  const measured: Round[] = [];
  for (let r = 0; r <= rounds; r += 1) {
    const turn = nextInLine(databasePath, eventId, size)
      .map((id) => byUser.get(id))
      .filter((b): b is Buyer => b !== undefined);
    progress(`2r room: round ${r}/${rounds}, waiting for ${turn.length} admissions`);
    const admitted = await tokensOf(server.url, eventId, turn);
    const through = admitted.map(({ token, admissionToken }) => ({
      token,
      input: { ...oneTicket(event), admissionToken },
    }));
    const plainInputs = admitted.map(({ token }) => ({ token, input: oneTicket(plain) }));
    const label = r === 0 ? "2r warm-up" : `2r round ${r}/${rounds}`;
    const plainRound = await round(`${label}, plain`, server, cfg.connections, plainInputs);
    const roomRound = await round(`${label}, room`, server, cfg.connections, through);
    if (r > 0) measured.push({ room: roomRound, plain: plainRound });
    // Their tokens spent, the round's buyers queue again at the back (new solutions).
    await solveAll(server.url, eventId, turn);
    await enterLoad(`2r re-enter ${r}`, server.url, eventId, turn, cfg.connections);
  }
  // The doors open for good: no more ticks for the rest of the bench on this server.
  await organizer.events.update.mutate({ eventId, onSaleRoom: { ...room, enabled: false } });

  const roomSide = sideOf(measured.map((m) => m.room));
  const plainSide = sideOf(measured.map((m) => m.plain));
  return {
    rounds,
    roundSize: size,
    entrants: entered.ok,
    solveMsPerChallenge: solved.solveMsPerChallenge,
    enterPerSecond: entered.okRps,
    room: roomSide,
    plain: plainSide,
    roomVsPlain:
      roomSide.cpuMsPerBooking && plainSide.cpuMsPerBooking
        ? plainSide.cpuMsPerBooking / roomSide.cpuMsPerBooking
        : null,
    rpsVsPlain: roomSide.okRps / plainSide.okRps,
  };
}

const fmt = (n: number | null, digits = 0) =>
  n === null ? "—" : n.toLocaleString("en-US", { maximumFractionDigits: digits });

/** Row 2r: the room's rounds, with the plain rounds beside them in the note. */
export function roomRoundsRow(r: RoomRoundsResult, connections: number): Row {
  const cores = (cpu: number | null) => (cpu === null ? null : cpu / r.room.seconds);
  const refused = Object.entries({ ...r.room.refusals })
    .map(([key, n]) => `${n} × ${key}`)
    .join(", ");
  return {
    id: "2r",
    name: "hot event: book through the on-sale room",
    scale: `${r.rounds} rounds × ${fmt(r.roundSize)} bookings`,
    rps: r.room.okRps,
    p50Ms: r.room.p50Ms,
    p99Ms: r.room.p99Ms,
    maxMs: null,
    non2xx: r.room.non2xx,
    errors: null,
    tool: "autocannon",
    toolCores: cores(r.room.toolCpuSeconds),
    serverCores: cores(r.room.serverCpuSeconds),
    note: [
      `${fmt(r.roomVsPlain, 2)}× plain in server CPU per booking (${fmt(r.room.cpuMsPerBooking, 3)} vs ${fmt(r.plain.cpuMsPerBooking, 3)} ms)`,
      `rate ${fmt(r.rpsVsPlain, 2)}× plain (${fmt(r.plain.okRps)} rps)`,
      `each round: ${fmt(r.roundSize)} admitted buyers' bookings at ${connections} connections, beside as many on the plain event`,
      refused,
    ]
      .filter(Boolean)
      .join("; "),
  };
}
