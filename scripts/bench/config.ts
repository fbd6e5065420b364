import type { ThreadCpu } from "./load.ts";

/** What a run looks like: the same connections and duration for every load scenario. */
export interface BenchConfig {
  readonly quick: boolean;
  readonly connections: number;
  readonly durationS: number;
  /**
   * Unmeasured load before each measured run, so the JIT and the caches are warm. 3 s in the quick
   * run too: after 1 s the JIT was still compiling the booking path, and the first booking run
   * cost about twice the runtime threads' CPU per booking of the next (150–180 µs against 75–105).
   */
  readonly warmupS: number;
  /** Distinct load users (with sessions). */
  readonly users: number;
  readonly selloutCapacity: number;
  readonly selloutAttempts: number;
  readonly selloutRuns: number;
  /** Scenario 6: events loaded into actors (a multiple of `connections`). */
  readonly manyEvents: number;
  readonly waitForEviction: boolean;
  /** Scenario 7: events × bookings per event. */
  readonly restartEvents: number;
  readonly restartBookingsPerEvent: number;
  /** Scenario 2r: measured rounds of admitted buyers, and buyers per round (≤ 1,000). */
  readonly roomRounds: number;
  readonly roomRoundSize: number;
  /** Scenario 9: buyers in the on-sale room (the event has half as many tickets). */
  readonly roomBuyers: number;
  readonly cpuProfDir: string | null;
  readonly workDir: string;
}

export function benchConfig(
  quick: boolean,
  workDir: string,
  cpuProfDir: string | null,
): BenchConfig {
  const connections = 64;
  const roundUp = (n: number) => Math.ceil(n / connections) * connections;
  return {
    quick,
    connections,
    durationS: quick ? 3 : 10,
    warmupS: 3,
    users: 5_000,
    selloutCapacity: 1_000,
    selloutAttempts: 20_000,
    selloutRuns: quick ? 1 : 3,
    // 4,032 at least: below that, one-off growth of RSS swamps the actors' (README, Performance).
    manyEvents: roundUp(quick ? 4_000 : 10_000),
    waitForEviction: !quick,
    restartEvents: quick ? 100 : 1_000,
    restartBookingsPerEvent: 1_000,
    roomRounds: quick ? 4 : 8,
    roomRoundSize: 1_000,
    roomBuyers: quick ? 2_000 : 20_000,
    cpuProfDir,
    workDir,
  };
}

export interface Row {
  readonly id: string;
  readonly name: string;
  /** What the figures were measured at, when that is not the run's load shape (a size, a count). */
  readonly scale?: string;
  readonly rps: number | null;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
  readonly non2xx: number | null;
  readonly errors: number | null;
  /** The load generator that measured the row, and the cores it and the server kept busy. */
  readonly tool?: "wrk" | "autocannon";
  readonly toolCores?: number | null;
  readonly serverCores?: number | null;
  /** Cores the whole machine kept busy in the measured run (load generator and kernel included). */
  readonly machineCores?: number | null;
  /**
   * The server's CPU microseconds per response in the measured run, by thread: the one serving
   * requests, the workers it started (writer, checkpointer, mail renderer) and the runtime's own
   * (JIT compilers, collector helpers, allocator).
   */
  readonly cpuUsPerRequest?: ThreadCpu | null;
  /**
   * The group-commit writer in the measured run: transactions (fsyncs) per second, actor batches
   * per transaction, milliseconds per transaction (fsync included), and the share of the run it
   * spent committing (1: the disk is the bottleneck; well below: the requests' own path is).
   */
  readonly writer?: {
    readonly groupsPerSecond: number;
    readonly submissionsPerGroup: number;
    readonly meanCommitMs: number;
    readonly busy: number;
  } | null;
  readonly note: string;
}

export const skippedRow = (id: string, name: string, note: string, scale?: string): Row => ({
  id,
  name,
  ...(scale === undefined ? {} : { scale }),
  rps: null,
  p50Ms: null,
  p99Ms: null,
  maxMs: null,
  non2xx: null,
  errors: null,
  note,
});
