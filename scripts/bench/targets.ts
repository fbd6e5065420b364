/**
 * The targets of the benchmark issue, judged on one run's summary. Each says the scale it was
 * measured at: a quick run is scaled down, and a figure measured at 100,000 bookings says so
 * rather than borrowing the target's 1,000,000.
 */
import type { Summary, Target } from "./report.ts";

const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? "—"
    : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const kb = (bytes: number | null | undefined) =>
  bytes === null || bytes === undefined ? "—" : `${fmt(bytes / 1024, 1)} KB`;

const maybe = (value: number | null | undefined, ok: (v: number) => boolean) =>
  value === null || value === undefined || Number.isNaN(value) ? null : ok(value);

/** A slope judged only when a line fits its readings (r² ≥ 0.9); otherwise it is not a figure. */
const FIT = 0.9;

/**
 * "; server CPU per response 265 vs 110 µs (main 160 vs 105), machine 1.55 vs 1.90 cores": what
 * a row cost the server beside the ceiling's, where both were measured, else "".
 */
function cpuBeside(s: Summary, id: string, ceilingId: string): string {
  const row = s.rows.find((r) => r.id === id);
  const ceiling = s.rows.find((r) => r.id === ceilingId);
  const a = row?.cpuUsPerRequest;
  const b = ceiling?.cpuUsPerRequest;
  if (!a || !b) return "";
  const all = (c: typeof a) => c.main + c.workers + c.runtime;
  const machine =
    row?.machineCores == null || ceiling?.machineCores == null
      ? ""
      : `, machine ${fmt(row.machineCores, 2)} vs ${fmt(ceiling.machineCores, 2)} cores busy`;
  return `; server CPU per response ${fmt(all(a))} vs ${fmt(all(b))} µs (main ${fmt(a.main)} vs ${fmt(b.main)})${machine}`;
}

/** "8,900 (the ceiling around it: 9,100 and 8,700)": the mean of the ceiling runs beside a row. */
function around(pair: readonly [number, number] | null): string {
  if (!pair) return "—";
  const [before, after] = pair;
  return `${fmt((before + after) / 2)} (the ceiling around it: ${fmt(before)} and ${fmt(after)})`;
}

export function judge(s: Summary): Record<string, Target> {
  const quick = s.mode === "quick";
  const load = `${s.connections} connections, ${s.durationS} s after ${s.warmupS} s warm-up (${s.load.tool ?? "—"})`;
  const ratio = (
    target: string,
    value: number | null,
    min: number,
    detail: string,
    scale = load,
  ): Target => ({
    target,
    measured: `${fmt(value, 2)}× (${detail})`,
    met: maybe(value, (v) => v >= min),
    scale,
  });
  const r = s.roomRounds;
  return {
    hotVsCeiling: ratio(
      "hot-event book ≥ 0.8× system.noop",
      s.ratioToCeiling,
      0.8,
      `${fmt(s.hotBookRps)} vs ${around(s.ceilingAround.book)} rps${cpuBeside(s, "2", "1")}`,
    ),
    paidVsCeiling: ratio(
      "paid hot-event book (mock) ≥ 0.7× system.noop",
      s.paidToCeiling,
      0.7,
      `${fmt(s.hotBookPaidRps)} vs ${around(s.ceilingAround.paid)} rps${cpuBeside(s, "2b", "1c")}`,
    ),
    p99: {
      target: `book p99 ≤ 15 ms at ${s.connections} connections (FULL)`,
      measured: `${fmt(s.p99Ms, 1)} ms (p50 ${fmt(s.p50Ms, 1)} ms)`,
      met: maybe(s.p99Ms, (v) => v <= 15),
      scale: load,
    },
    groupCommit: ratio(
      "group commit ≥ 4× GROUP_COMMIT=0",
      s.groupCommitSpeedup,
      4,
      `${fmt(s.hotBookRps)} vs ${fmt(s.hotBookNoGroupCommitRps)} rps`,
    ),
    noopVsBare: ratio(
      "system.noop ≥ 0.15× bare Bun.serve",
      s.noopToBare,
      0.15,
      `${fmt(s.ceilingRps)} vs ${fmt(s.bareRps)} rps`,
    ),
    codes: ratio("hot event with a code per buyer ≥ 0.9× plain", s.codeVsPlain, 0.9, "booked rps"),
    questions: ratio(
      "hot event with questions answered ≥ 0.9× plain",
      s.questionsVsPlain,
      0.9,
      "booked rps",
    ),
    roomBooking: ratio(
      "hot event through the admitting room ≥ 0.9× plain",
      s.roomVsPlain,
      0.9,
      r
        ? `server CPU per booking, ${fmt(r.room.cpuMsPerBooking, 3)} vs ${fmt(r.plain.cpuMsPerBooking, 3)} ms; rate ${fmt(r.rpsVsPlain, 2)}×`
        : "not run",
      r
        ? `${r.rounds} rounds of ${fmt(r.roundSize)} admitted buyers at ${s.connections} connections (autocannon)`
        : "—",
    ),
    actorMemory: actorMemory(s, quick),
    roomBuyerMemory: roomBuyerMemory(s, quick),
    sellout: {
      target: "sellout exact every time",
      measured: `${s.selloutRuns.length} run(s), exact: ${s.selloutExact}`,
      met: s.selloutExact,
      scale: `${fmt(s.sellout.attempts)} attempts at ${fmt(s.sellout.capacity)} tickets, ${s.selloutRuns.length} run(s)`,
    },
    eviction: evictionTarget(s),
    restart: restartTarget(s, quick),
    seatMap: {
      target: "seat map of a 20,000-seat venue well under 1 s (≤ 250 ms, compact)",
      measured: `${fmt(s.seatMapMs, 1)} ms slowest (built anew, or first after restart)`,
      met: maybe(s.seatMapMs, (v) => v <= 250),
      scale: s.seatMap
        ? `${fmt(s.seatMap.seats)} seats, ${fmt(s.seatMap.booked + s.seatMap.held)} taken`
        : "—",
    },
    room: roomSellout(s, quick),
  };
}

function actorMemory(s: Summary, quick: boolean): Target {
  const m = s.manyEvents;
  const target = "≤ 10 KB RSS per idle loaded actor";
  if (!m) return { target, measured: "not run", met: null, scale: "—" };
  const fits = m.slope.rssR2 >= FIT;
  return {
    target,
    measured: `${fmt(m.bytesPerActor)} B RSS (${fmt(m.heapBytesPerActor)} B heap) per actor, slope over ${m.slope.points.length} readings, r² ${fmt(m.slope.rssR2, 2)}${fits ? "" : ": the readings do not fit a line, not judged"}; whole growth / actors: ${fmt(m.bytesPerActorOverall)} B`,
    met: fits ? maybe(m.bytesPerActor, (v) => v <= 10_240) : null,
    scale: `${fmt(m.loaded)} actors${quick ? " (quick run; the full run loads 10,048)" : ""}`,
  };
}

function roomBuyerMemory(s: Summary, quick: boolean): Target {
  const room = s.room;
  const target = "≤ 2 KB RSS per waiting buyer in the on-sale room";
  if (!room) return { target, measured: "not run", met: null, scale: "—" };
  const slope = room.memory.waitingSlope;
  const fits = slope.rssR2 >= FIT;
  return {
    target,
    measured: `${kb(room.memory.rssBytesPerWaiting)} RSS (${kb(room.memory.heapBytesPerWaiting)} heap) per buyer, slope over ${slope.points.length} readings, r² ${fmt(slope.rssR2, 2)}${fits ? "" : ": the readings do not fit a line, not judged"}`,
    met: fits ? maybe(room.memory.rssBytesPerWaiting, (v) => v <= 2_048) : null,
    scale: `${fmt(room.enter.entered)} buyers${quick ? " (quick run; the full run has 20,000)" : ""}`,
  };
}

/** Restart: the target is at 1,000,000 bookings; a quick run measures 100,000 and says so. */
function restartTarget(s: Summary, quick: boolean): Target {
  const bookings = s.restart?.bookingsInDb ?? null;
  const atTarget = bookings !== null && bookings >= 1_000_000;
  const scale =
    bookings === null
      ? "—"
      : `${fmt(bookings)} bookings${atTarget ? "" : `${quick ? " (quick run;" : " ("} the target is at 1,000,000)`}`;
  return {
    target: `restart to first booking ≤ 1 s with ${scale}`,
    measured: `${fmt(s.restartToFirstBookingMs)} ms`,
    met: maybe(s.restartToFirstBookingMs, (v) => v <= 1000),
    scale,
  };
}

/** The room's sale is exact: every ticket sold once, each through one spent token. */
function roomSellout(s: Summary, quick: boolean): Target {
  const r = s.room;
  const target = "on-sale room sells out exactly, one spent token per hold";
  if (!r) return { target, measured: "not run", met: null, scale: "—" };
  const soldOut = r.admission.secondsOpeningToSoldOut;
  return {
    target,
    measured: `exact: ${r.admission.exact}, sold out ${soldOut === null ? "never" : `${fmt(soldOut, 2)} s after opening`}`,
    met: r.admission.exact && r.admission.soldOut,
    scale: `${fmt(r.buyers)} buyers, ${fmt(r.tickets)} tickets${quick ? " (quick run; the full run has 20,000 buyers)" : ""}`,
  };
}

/** Eviction "returns it" when no actor is left and at least half the heap growth is gone. */
function evictionTarget(s: Summary): Target {
  const m = s.manyEvents;
  const target = "eviction returns the memory (actors → 0, heap back)";
  const scale = m ? `${fmt(m.loaded)} actors` : "—";
  if (!m?.evicted) return { target, measured: "not waited for (quick run)", met: null, scale };
  const evicted = m.evicted;
  const grown = (key: "rss" | "heapUsed") => (m.after.memory[key] - m.before.memory[key]) / 1024;
  const left = (key: "rss" | "heapUsed") => (evicted.memory[key] - m.before.memory[key]) / 1024;
  return {
    target,
    measured: `${evicted.actors} actors left; heap +${fmt(grown("heapUsed"))} KB → +${fmt(left("heapUsed"))} KB, RSS +${fmt(grown("rss"))} KB → +${fmt(left("rss"))} KB over baseline`,
    met: evicted.actors === 0 && left("heapUsed") <= grown("heapUsed") / 2,
    scale,
  };
}

/** One line a target: MET/MISS (n/a when not measured), the target, what was measured, at what. */
export function targetsText(targets: Record<string, Target>): string {
  return Object.values(targets)
    .map(
      (t) =>
        `${t.met === null ? "n/a " : t.met ? "MET " : "MISS"}  ${t.target}: ${t.measured}${t.scale && !t.target.includes(t.scale) ? ` [${t.scale}]` : ""}`,
    )
    .join("\n");
}
