/** The JSON summary and the readable table at the end (targets.ts judges the summary). */
import { cpus, platform, release, totalmem } from "node:os";
import { missingRuntimeSettings } from "../../apps/server/src/runtime-settings.ts";
import type { BenchConfig, Row } from "./config.ts";
import type { RoomResult } from "./room-report.ts";
import type { RoomRoundsResult } from "./room-rounds.ts";
import type { ManyEventsResult, RestartResult } from "./scale.ts";
import type { SeatMapResult } from "./seats.ts";

export interface Summary {
  mode: "quick" | "full";
  connections: number;
  durationS: number;
  warmupS: number;
  bareRps: number | null;
  ceilingRps: number | null;
  hotBookRps: number | null;
  hotBookPaidRps: number | null;
  hotBookNoGroupCommitRps: number | null;
  /**
   * Hot event's booked rps over system.noop's rps (the ceiling), same server and run: over the
   * mean of the ceiling runs right before and after it (`ceilingAround.book`).
   */
  ratioToCeiling: number | null;
  /** The paid hot event's booked rps over the mean of the ceiling runs around it. */
  paidToCeiling: number | null;
  /**
   * The ceiling's rps in the runs right before and after the free booking (2) and the paid one
   * (2b). This machine's speed drifts by a third and more within minutes, so each ratio is taken
   * over the ceiling measured beside it, not over the first ceiling run alone.
   */
  ceilingAround: {
    book: readonly [before: number, after: number] | null;
    paid: readonly [before: number, after: number] | null;
  };
  /** The ceiling over bare Bun.serve: the framework's own share (context, middleware, zod). */
  noopToBare: number | null;
  groupCommitSpeedup: number | null;
  /** Hot event where every buyer books with a code, over the plain hot event (same run). */
  codeVsPlain: number | null;
  /** Hot event where every buyer answers two required questions, over the plain hot event. */
  questionsVsPlain: number | null;
  /** Server CPU per plain booking over per booking through the admitting room (room-rounds.ts). */
  roomVsPlain: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** The load generator of the timed rows, and the most CPU (in cores) it used in any of them. */
  load: LoadSummary;
  selloutExact: boolean | null;
  selloutSeconds: number | null;
  sellout: { attempts: number; capacity: number };
  selloutRuns: unknown[];
  holdConfirmRps: number | null;
  /** Memory per idle actor: the slope over the loading steps (slope.ts), not one delta. */
  bytesPerActor: number | null;
  heapBytesPerActor: number | null;
  manyEvents: (ManyEventsResult & { evictedActors: number | null }) | null;
  restartToFirstBookingMs: number | null;
  restart: (RestartResult & { bookingsOfEventAfter: number }) | null;
  /** Scenario 8: the slowest compact seat map request of a 20,000-seat venue (ms). */
  seatMapMs: number | null;
  seatMap: SeatMapResult | null;
  /** Scenario 9: the on-sale room (scripts/bench/room.ts RoomResult). */
  room: RoomResult | null;
  /** Scenario 2r: bookings through the admitting room beside plain ones (room-rounds.ts). */
  roomRounds: RoomRoundsResult | null;
  usersNote: string;
  machine: ReturnType<typeof machine>;
  targets?: Record<string, Target>;
  rows: Row[];
}

export interface Target {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | null;
  /** What the figure was measured at (a size, a count, the load), when it depends on one. */
  readonly scale: string;
}

export interface LoadSummary {
  tool: "wrk" | "autocannon" | null;
  toolCoresMax: number | null;
  /** The row where the timed rows' tool used the most CPU. */
  toolCoresMaxRow: string | null;
  /** Rows driven by autocannon even with wrk installed (bounded by a count, or per-request bodies). */
  otherRows: { id: string; tool: "wrk" | "autocannon"; toolCores: number | null }[];
}

export function emptySummary(cfg: BenchConfig, usersNote: string): Summary {
  return {
    mode: cfg.quick ? "quick" : "full",
    connections: cfg.connections,
    durationS: cfg.durationS,
    warmupS: cfg.warmupS,
    bareRps: null,
    ceilingRps: null,
    hotBookRps: null,
    hotBookPaidRps: null,
    hotBookNoGroupCommitRps: null,
    ratioToCeiling: null,
    paidToCeiling: null,
    ceilingAround: { book: null, paid: null },
    noopToBare: null,
    groupCommitSpeedup: null,
    codeVsPlain: null,
    questionsVsPlain: null,
    roomVsPlain: null,
    p50Ms: null,
    p99Ms: null,
    load: { tool: null, toolCoresMax: null, toolCoresMaxRow: null, otherRows: [] },
    selloutExact: null,
    selloutSeconds: null,
    sellout: { attempts: cfg.selloutAttempts, capacity: cfg.selloutCapacity },
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
    roomRounds: null,
    usersNote,
    machine: machine(),
    rows: [],
  };
}

/**
 * The timed rows' tool is the one that measured the ceiling (wrk when installed); rows any other
 * tool drove are listed, each with its own CPU.
 */
export function loadSummary(rows: readonly Row[]): LoadSummary {
  const tool = rows.find((r) => r.id === "1")?.tool ?? rows.find((r) => r.tool)?.tool ?? null;
  let toolCoresMax: number | null = null;
  let toolCoresMaxRow: string | null = null;
  for (const row of rows) {
    if (row.tool !== tool || row.toolCores === undefined || row.toolCores === null) continue;
    if (toolCoresMax === null || row.toolCores > toolCoresMax) {
      toolCoresMax = row.toolCores;
      toolCoresMaxRow = row.id;
    }
  }
  const otherRows = rows
    .filter((r) => r.tool && r.tool !== tool)
    .map((r) => ({
      id: r.id,
      tool: r.tool as "wrk" | "autocannon",
      toolCores: r.toolCores ?? null,
    }));
  return { tool, toolCoresMax, toolCoresMaxRow, otherRows };
}

/**
 * The runtime's tuning the servers ran with: Bun's allocator (`MIMALLOC_*`, read as a process
 * starts) and JavaScriptCore (`BUN_JSC_*`), as the bench's environment sets them (every server
 * it starts inherits them), and those the server sets for itself where that environment leaves
 * them unset (apps/server/src/runtime-settings.ts). A run's figures say what they were measured
 * with, not only the defaults'.
 */
export function runtimeSettingsOf(env: Record<string, string | undefined>): Record<string, string> {
  const given = Object.entries(env)
    .filter((entry): entry is [string, string] => /^(MIMALLOC_|BUN_JSC_)/.test(entry[0]))
    .filter(([name]) => name !== "MIMALLOC_VERBOSE");
  const all = [...given, ...Object.entries(missingRuntimeSettings(env))];
  return Object.fromEntries(all.sort(([a], [b]) => a.localeCompare(b)));
}

/** "MIMALLOC_PURGE_HOLES=0", or what it means to have none. */
export function runtimeSettingsText(settings: Record<string, string>): string {
  const set = Object.entries(settings).map(([name, value]) => `${name}=${value}`);
  return set.length ? set.join(" ") : "none (Bun's defaults)";
}

export function machine() {
  const cpu = cpus();
  return {
    cores: cpu.length,
    cpuModel: cpu[0]?.model ?? "unknown",
    memoryBytes: totalmem(),
    bunVersion: Bun.version,
    runtimeSettings: runtimeSettingsOf(process.env),
    platform: `${platform()} ${release()}`,
    date: new Date().toISOString(),
  };
}

const fmt = (n: number | null, digits = 0) =>
  n === null
    ? "—"
    : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** "; writer 52 % busy, 178 commits/s of 4.6 ms": what the disk did in a timed row, or "". */
export function writerText(row: Row): string {
  const w = row.writer;
  if (!w || w.groupsPerSecond === 0) return "";
  return `; writer ${fmt(100 * w.busy)} % busy, ${fmt(w.groupsPerSecond)} commits/s of ${fmt(w.meanCommitMs, 1)} ms`;
}

/**
 * "wrk 0.31, server 1.02, machine 1.55 cores; CPU µs per response: main 160, workers 80, runtime
 * 25; writer …": who kept the cores busy in a timed row, and what one response cost the server.
 */
export function loadText(row: Row): string {
  if (!row.tool) return "";
  const cores = `${row.tool} ${fmt(row.toolCores ?? null, 2)}, server ${fmt(row.serverCores ?? null, 2)}${row.machineCores == null ? "" : `, machine ${fmt(row.machineCores, 2)}`} cores`;
  const cpu = row.cpuUsPerRequest;
  const per = cpu
    ? `; CPU µs per response: main ${fmt(cpu.main)}, workers ${fmt(cpu.workers)}, runtime ${fmt(cpu.runtime)}`
    : "";
  return `${cores}${per}${writerText(row)}`;
}

export function table(rows: readonly Row[]): string {
  const header = [
    "#",
    "scenario",
    "scale",
    "rps",
    "p50 ms",
    "p99 ms",
    "max ms",
    "non-2xx",
    "errors",
    "load",
    "note",
  ];
  const body = rows.map((r) => [
    r.id,
    r.name,
    r.scale ?? "",
    fmt(r.rps),
    fmt(r.p50Ms, 1),
    fmt(r.p99Ms, 1),
    fmt(r.maxMs, 1),
    fmt(r.non2xx),
    fmt(r.errors),
    loadText(r),
    r.note,
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...body.map((cells) => (cells[i] ?? "").length)),
  );
  const right = new Set([3, 4, 5, 6, 7, 8]);
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
