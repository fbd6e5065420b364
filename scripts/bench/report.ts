/** The readable table at the end, the JSON summary, and the targets each run is held to. */
import { cpus, platform, release, totalmem } from "node:os";
import type { BenchConfig, Row } from "./config.ts";

export interface Summary {
  mode: "quick" | "full";
  connections: number;
  durationS: number;
  bareRps: number | null;
  ceilingRps: number | null;
  hotBookRps: number | null;
  hotBookPaidRps: number | null;
  hotBookNoGroupCommitRps: number | null;
  ratioToCeiling: number | null;
  groupCommitSpeedup: number | null;
  /** Hot event where every buyer books with a code, over the plain hot event (same run). */
  codeVsPlain: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  selloutExact: boolean | null;
  selloutSeconds: number | null;
  selloutRuns: unknown[];
  holdConfirmRps: number | null;
  bytesPerActor: number | null;
  heapBytesPerActor: number | null;
  manyEvents: unknown;
  restartToFirstBookingMs: number | null;
  restart: unknown;
  /** Scenario 8: the slowest compact seat map request of a 20,000-seat venue (ms). */
  seatMapMs: number | null;
  seatMap: unknown;
  /** Scenario 9: the on-sale room (scripts/bench/room.ts RoomResult). */
  room: unknown;
  usersNote: string;
  machine: ReturnType<typeof machine>;
  targets?: Record<string, { target: string; measured: string; met: boolean | null }>;
  rows: Row[];
}

export function emptySummary(cfg: BenchConfig, usersNote: string): Summary {
  return {
    mode: cfg.quick ? "quick" : "full",
    connections: cfg.connections,
    durationS: cfg.durationS,
    bareRps: null,
    ceilingRps: null,
    hotBookRps: null,
    hotBookPaidRps: null,
    hotBookNoGroupCommitRps: null,
    ratioToCeiling: null,
    groupCommitSpeedup: null,
    codeVsPlain: null,
    p50Ms: null,
    p99Ms: null,
    selloutExact: null,
    selloutSeconds: null,
    selloutRuns: [],
    holdConfirmRps: null,
    bytesPerActor: null,
    heapBytesPerActor: null,
    manyEvents: null,
    restartToFirstBookingMs: null,
    restart: null,
    seatMapMs: null,
    seatMap: null,
    room: null,
    usersNote,
    machine: machine(),
    rows: [],
  };
}

export function machine() {
  const cpu = cpus();
  return {
    cores: cpu.length,
    cpuModel: cpu[0]?.model ?? "unknown",
    memoryBytes: totalmem(),
    bunVersion: Bun.version,
    platform: `${platform()} ${release()}`,
    date: new Date().toISOString(),
  };
}

const fmt = (n: number | null, digits = 0) =>
  n === null
    ? "—"
    : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function table(rows: readonly Row[]): string {
  const header = [
    "#",
    "scenario",
    "rps",
    "p50 ms",
    "p99 ms",
    "max ms",
    "non-2xx",
    "errors",
    "load (cores)",
    "note",
  ];
  const body = rows.map((r) => [
    r.id,
    r.name,
    fmt(r.rps),
    fmt(r.p50Ms, 1),
    fmt(r.p99Ms, 1),
    fmt(r.maxMs, 1),
    fmt(r.non2xx),
    fmt(r.errors),
    r.tool
      ? `${r.tool} ${fmt(r.toolCores ?? null, 2)}, server ${fmt(r.serverCores ?? null, 2)}`
      : "",
    r.note,
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...body.map((cells) => (cells[i] ?? "").length)),
  );
  const right = new Set([2, 3, 4, 5, 6, 7]);
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const width = i === cells.length - 1 ? 0 : (widths[i] ?? 0);
        return right.has(i) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join(" | ")
      .trimEnd();
  const rule = widths
    .map((w, i) => "-".repeat(i === widths.length - 1 ? Math.min(w, 40) : w))
    .join("-|-");
  return [line(header), rule, ...body.map(line)].join("\n");
}

/** The issue's targets, judged on this run's numbers (quick runs are scaled down: indicative). */
export function judge(s: Summary): NonNullable<Summary["targets"]> {
  const maybe = (value: number | null, ok: (v: number) => boolean) =>
    value === null ? null : ok(value);
  return {
    hotVsCeiling: {
      target: "hot-event book ≥ 0.8× ceiling",
      measured: `${fmt(s.ratioToCeiling, 2)}× (${fmt(s.hotBookRps)} vs ${fmt(s.ceilingRps)} rps)`,
      met: maybe(s.ratioToCeiling, (v) => v >= 0.8),
    },
    p99: {
      target: "p99 ≤ 15 ms at 64 connections (FULL)",
      measured: `${fmt(s.p99Ms, 1)} ms`,
      met: maybe(s.p99Ms, (v) => v <= 15),
    },
    groupCommit: {
      target: "group commit ≥ 4× per-command commits",
      measured: `${fmt(s.groupCommitSpeedup, 2)}×`,
      met: maybe(s.groupCommitSpeedup, (v) => v >= 4),
    },
    codes: {
      target: "hot event with a code per buyer within 10 % of the plain hot event",
      measured: `${fmt(s.codeVsPlain, 2)}×`,
      met: maybe(s.codeVsPlain, (v) => v >= 0.9),
    },
    sellout: {
      target: "sellout exact every time",
      measured: `${s.selloutRuns.length} run(s), exact: ${s.selloutExact}`,
      met: s.selloutExact,
    },
    actorMemory: {
      target: "≤ 10 KB RSS per idle loaded actor",
      measured: `${fmt(s.bytesPerActor)} B RSS/actor (${fmt(s.heapBytesPerActor)} B heap)`,
      met: maybe(s.bytesPerActor, (v) => v <= 10_240),
    },
    eviction: evictionTarget(s.manyEvents as ManyEvents | null),
    restart: {
      target: "restart to first booking ≤ 1 s with 1,000,000 bookings",
      measured: `${fmt(s.restartToFirstBookingMs)} ms`,
      met: maybe(s.restartToFirstBookingMs, (v) => v <= 1000),
    },
    seatMap: {
      target: "seat map of a 20,000-seat venue well under 1 s (≤ 250 ms, compact)",
      measured: `${fmt(s.seatMapMs, 1)} ms slowest (built anew, or first after restart)`,
      met: maybe(s.seatMapMs, (v) => v <= 250),
    },
    room: roomTarget(s.room as RoomFigures | null),
  };
}

interface RoomFigures {
  buyers: number;
  admission: { exact: boolean; soldOut: boolean; secondsOpeningToSoldOut: number | null };
}

/** The room's sale is exact: every ticket sold once, each through one spent token. */
function roomTarget(r: RoomFigures | null) {
  const target = "on-sale room sells out exactly, one spent token per hold";
  if (!r) return { target, measured: "not run", met: null };
  const soldOut = r.admission.secondsOpeningToSoldOut;
  return {
    target,
    measured: `${fmt(r.buyers)} buyers, exact: ${r.admission.exact}, sold out ${soldOut === null ? "never" : `${fmt(soldOut, 2)} s after opening`}`,
    met: r.admission.exact && r.admission.soldOut,
  };
}

export function targetsText(targets: NonNullable<Summary["targets"]>): string {
  return Object.values(targets)
    .map((t) => `${t.met === null ? "n/a " : t.met ? "MET " : "MISS"}  ${t.target}: ${t.measured}`)
    .join("\n");
}

interface ManyEvents {
  before: Health;
  after: Health;
  evicted: Health | null;
}
interface Health {
  actors: number;
  memory: { rss: number; heapUsed: number };
}

/** Eviction "returns it" when no actor is left and at least half the heap growth is gone. */
function evictionTarget(m: ManyEvents | null) {
  const target = "eviction returns the memory (actors → 0, heap back)";
  if (!m?.evicted) return { target, measured: "not waited for", met: null };
  const grown = (key: "rss" | "heapUsed") => (m.after.memory[key] - m.before.memory[key]) / 1024;
  const left = (key: "rss" | "heapUsed") => (m.evicted!.memory[key] - m.before.memory[key]) / 1024;
  return {
    target,
    measured: `${m.evicted.actors} actors left; heap +${fmt(grown("heapUsed"))} KB → +${fmt(left("heapUsed"))} KB, RSS +${fmt(grown("rss"))} KB → +${fmt(left("rss"))} KB over baseline`,
    met: m.evicted.actors === 0 && left("heapUsed") <= grown("heapUsed") / 2,
  };
}
