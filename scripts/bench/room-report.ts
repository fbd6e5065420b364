/** Scenario 9's figures (scripts/bench/room.ts): the JSON's `room` and the printed rows. */
import type { Row } from "./config.ts";
import type { Health } from "./processes.ts";
import type { Timeline } from "./room-buyers.ts";
import type { MemorySlope } from "./slope.ts";

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits });

export interface RoomResult {
  readonly buyers: number;
  readonly tickets: number;
  readonly enter: {
    readonly solveMsPerChallenge: number;
    readonly challengesPerSecond: number;
    readonly perSecond: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly refused: Record<string, number>;
    readonly entered: number;
    readonly non2xx: number;
    readonly errors: number;
  };
  readonly memory: {
    readonly baseline: Health["memory"];
    readonly afterEnter: Health["memory"];
    readonly afterStreams: Health["memory"];
    /** Least-squares slope over the entering steps (slope.ts), bytes per waiting buyer. */
    readonly rssBytesPerWaiting: number;
    readonly heapBytesPerWaiting: number;
    readonly waitingSlope: MemorySlope;
    /** The whole growth over the buyers who entered, fixed costs included, for comparison. */
    readonly rssBytesPerWaitingOverall: number;
    readonly rssBytesPerStream: number;
    readonly heapBytesPerStream: number;
  };
  readonly streams: {
    readonly openFilesLimit: number | null;
    readonly real: number;
    /** Streams that said nothing in two minutes (closed; those buyers poll). */
    readonly silent: number;
    /** Buyers without a stream (over the open-files limit, or silent): they poll room.position. */
    readonly polling: number;
    readonly secondsToOpen: number;
  };
  readonly fanout: {
    readonly updates: number;
    readonly serverCpuMsPerUpdate: number | null;
    readonly deliverP50Ms: number;
    readonly deliverMaxMs: number;
    readonly messagesPerSecond: number;
  };
  readonly admission: {
    readonly secondsOpeningToSoldOut: number | null;
    /** Seconds after opening by which a tenth, half, nine tenths, all were admitted / confirmed. */
    readonly admittedSeconds: Timeline;
    readonly confirmedSeconds: Timeline;
    readonly admitted: number;
    readonly held: number;
    readonly confirmed: number;
    readonly refused: Record<string, number>;
    readonly streamMessagesPerSecond: number;
    readonly serverCpuMs: number | null;
    /** This process's CPU over the same time (streams, purchases): the client's share. */
    readonly benchCpuMs: number | null;
    readonly purchaseP50Ms: number;
    readonly db: { bookings: number; tickets: number; sold: number; spentTokens: number };
    /** Every ticket was sold within the scenario's wait (60 s plus 10 ms a buyer). */
    readonly soldOut: boolean;
    /** What was sold adds up: no oversell, the database agrees, one spent token per hold. */
    readonly exact: boolean;
  };
}

/** The scenario's rows: entering, the status streams, and the sale through the room. */
export function roomRows(r: RoomResult, quick: boolean): Row[] {
  const scale = `${fmt(r.buyers)} buyers${quick ? " (quick; full run 20,000)" : ""}`;
  const slope = r.memory.waitingSlope;
  const kb = (bytes: number) => `${fmt(bytes / 1024, 1)} KB`;
  const a = r.admission;
  const polled = r.streams.polling
    ? `, ${fmt(r.streams.polling)} more polling room.position (open files: ${fmt(r.streams.openFilesLimit ?? 0)}${r.streams.silent ? `; ${fmt(r.streams.silent)} streams silent` : ""})`
    : "";
  return [
    {
      id: "9",
      name: "room: enter",
      scale,
      rps: r.enter.perSecond,
      p50Ms: r.enter.p50Ms,
      p99Ms: r.enter.p99Ms,
      maxMs: null,
      non2xx: r.enter.non2xx,
      errors: r.enter.errors,
      note: `difficulty 1, solved here in ${fmt(r.enter.solveMsPerChallenge, 1)} ms each (${fmt(r.enter.challengesPerSecond)} challenges/s fetched+solved); waiting buyer: ${kb(r.memory.rssBytesPerWaiting)} RSS, ${kb(r.memory.heapBytesPerWaiting)} heap (least-squares slope over ${slope.points.length} entering steps after a warm-up step, each read after a full GC; RSS r² ${fmt(slope.rssR2, 2)}; whole growth / buyers: ${kb(r.memory.rssBytesPerWaitingOverall)})`,
    },
    {
      id: "9b",
      name: "room: status fan-out",
      scale: `${fmt(r.streams.real)} streams`,
      rps: r.fanout.messagesPerSecond,
      p50Ms: r.fanout.deliverP50Ms,
      p99Ms: null,
      maxMs: r.fanout.deliverMaxMs,
      non2xx: null,
      errors: null,
      note: `${fmt(r.streams.real)} real SSE streams${polled}; one change to all: ${r.fanout.serverCpuMsPerUpdate === null ? "—" : fmt(r.fanout.serverCpuMsPerUpdate)} ms server CPU (${r.fanout.updates} updates); stream: ${kb(r.memory.rssBytesPerStream)} RSS, ${kb(r.memory.heapBytesPerStream)} heap; rps = messages/s`,
    },
    {
      id: "9c",
      name: "room: opening to sold out",
      scale: `${scale}, ${fmt(r.tickets)} tickets`,
      rps: a.secondsOpeningToSoldOut ? a.confirmed / a.secondsOpeningToSoldOut : null,
      p50Ms: null,
      p99Ms: null,
      maxMs: null,
      non2xx: null,
      errors: null,
      note: `${a.exact ? "EXACT" : "NOT EXACT"}: ${a.secondsOpeningToSoldOut === null ? `NOT sold out after ${fmt(a.confirmedSeconds.last ?? 0)} s` : `sold out ${fmt(a.secondsOpeningToSoldOut, 2)} s after opening`}; ${fmt(a.admitted)} admitted, ${fmt(a.held)} held, ${fmt(a.confirmed)} confirmed; db ${a.db.bookings} bookings/${a.db.sold} sold/${a.db.spentTokens} tokens spent; ${fmt(a.streamMessagesPerSecond)} stream messages/s${
        Object.keys(a.refused).length
          ? `; ${Object.entries(a.refused)
              .map(([k, v]) => `${v} × ${k}`)
              .join(", ")}`
          : ""
      }`,
    },
  ];
}
