/**
 * The on-sale rush measured against the stack's own ceiling, on the real server in a child
 * process, loaded by wrk when it is installed (autocannon otherwise, and for the runs bounded by a
 * number of requests). `bun run bench [-- --quick] [--out FILE] [--html FILE] [--cpu-prof DIR]
 * [--keep]`: --out writes the JSON summary and, beside it, an HTML report (r.json → r.html;
 * --html names it); --cpu-prof runs every server under `bun --cpu-prof-md`; --keep leaves the
 * databases behind.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildBigDb } from "./bench/big-db.ts";
import { type BenchConfig, benchConfig, skippedRow } from "./bench/config.ts";
import {
  createEvent,
  registerOrganizer,
  seedDatabase,
  setAsidePendingMail,
  soldInDb,
} from "./bench/fixtures.ts";
import { type HotContext, hotEvent } from "./bench/hot.ts";
import { htmlReport } from "./bench/html.ts";
import { type Child, startBareServer, startServer } from "./bench/processes.ts";
import { note } from "./bench/progress.ts";
import {
  emptySummary,
  loadSummary,
  runtimeSettingsText,
  type Summary,
  table,
} from "./bench/report.ts";
import { roomScenario } from "./bench/room.ts";
import { roomRows } from "./bench/room-report.ts";
import { bookLoad, holdConfirmLoad, measure, noopLoad, rowOf, sellout } from "./bench/rush.ts";
import { manyEvents, restartToFirstBooking } from "./bench/scale.ts";
import { seatMapScenario } from "./bench/seats.ts";
import { judge, targetsText } from "./bench/targets.ts";
import { wrkPath } from "./bench/wrk.ts";

const { values: args } = parseArgs({
  args: Bun.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    quick: { type: "boolean", default: false },
    out: { type: "string" },
    html: { type: "string" },
    "cpu-prof": { type: "string" },
    keep: { type: "boolean", default: false },
  },
});

const workDir = mkdtempSync(join(tmpdir(), "boxoffice-bench-"));
const cpuProfDir = args["cpu-prof"] ?? null;
if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
const cfg = benchConfig(args.quick ?? false, workDir, cpuProfDir);
const dbPath = join(workDir, "bench.db");
const running = new Set<Child>();
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits });

async function started(child: Promise<Child>): Promise<Child> {
  const c = await child;
  running.add(c);
  return c;
}

async function stopped(child: Child): Promise<void> {
  await child.stop();
  running.delete(child);
}

const usersNote =
  `${fmt(cfg.users)} load users inserted directly into the database file (drizzle schema, sessions ` +
  "from createSessionStore) before the server started; organizers registered through auth.register";

/**
 * Before a new server starts on the bench database: the mails earlier scenarios left undelivered
 * are set aside, so that delivering them does not run inside this server's measurements.
 */
function quietOutbox(): string {
  const n = setAsidePendingMail(dbPath);
  if (n > 0) note(`${fmt(n)} undelivered mails of earlier scenarios set aside in the outbox`);
  return `${fmt(n)} undelivered mails of earlier scenarios set aside before it started`;
}

async function rush(s: Summary, seeded: { tokens: string[]; userIds: string[] }): Promise<void> {
  const { tokens } = seeded;
  const bare = await started(startBareServer());
  const bareLoad = await measure(cfg, "0 bare", bare, noopLoad(tokens, "evt_bare"));
  await stopped(bare);
  s.bareRps = bareLoad.rps;
  s.rows.push(rowOf("0", "bare Bun.serve", bareLoad, "fixed JSON body, same requests"));

  const server = await started(startServer({ databasePath: dbPath, cpuProfDir }));
  const organizer = await registerOrganizer(server.url);
  const noopEvent = await createEvent(organizer, "Ceiling", 10, 0);
  const ceiling = await measure(cfg, "1 ceiling", server, noopLoad(tokens, noopEvent.eventId));
  s.ceilingRps = ceiling.rps;
  s.noopToBare = ceiling.rps / bareLoad.rps;
  s.rows.push(
    rowOf(
      "1",
      "ceiling: system.noop",
      ceiling,
      `auth + middleware, no actor; ${fmt(s.noopToBare, 2)}× bare`,
    ),
  );

  const ctx: HotContext = {
    cfg,
    server,
    organizer,
    tokens,
    userIds: seeded.userIds,
    databasePath: dbPath,
    ceiling: (label) => measure(cfg, label, server, noopLoad(tokens, noopEvent.eventId)),
  };
  const { hotLoad } = await hotEvent(s, ctx, ceiling);

  const twoStep = await createEvent(organizer, "Hold and confirm", 1_000_000, 0);
  const hcLoad = await measure(cfg, "5 hold+confirm", server, holdConfirmLoad(tokens, twoStep));
  s.holdConfirmRps = hcLoad.confirmed / hcLoad.seconds;
  const hcNote = `${fmt(s.holdConfirmRps)} bookings/s (2 requests each)`;
  s.rows.push(rowOf("5", "hold + confirm", hcLoad, hcNote));

  await selloutRuns(s, server, organizer, tokens);
  await stopped(server);

  const setAside = quietOutbox();
  const perCommand = await started(
    startServer({ databasePath: dbPath, groupCommit: false, cpuProfDir }),
  );
  const gcOff = await createEvent(
    await registerOrganizer(perCommand.url),
    "Hot, no group commit",
    1_000_000,
    0,
  );
  const offLoad = await measure(cfg, "3 GROUP_COMMIT=0", perCommand, bookLoad(tokens, gcOff));
  await stopped(perCommand);
  s.hotBookNoGroupCommitRps = offLoad.okRps;
  s.groupCommitSpeedup = hotLoad.okRps / offLoad.okRps;
  s.rows.push(
    rowOf(
      "3",
      "hot event, GROUP_COMMIT=0",
      offLoad,
      `group commit: ${fmt(s.groupCommitSpeedup, 2)}×; ${setAside}`,
    ),
  );
  // Keep the table in the order things ran: 2 before 2b, 3 before 4 and 5.
  const order = ["0", "1", "2", "1b", "2c", "2q", "2r", "1c", "2b", "1d", "3"];
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  s.rows.sort(
    (a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id, "en", { numeric: true }),
  );
}

async function selloutRuns(
  s: Summary,
  server: Child,
  organizer: Awaited<ReturnType<typeof registerOrganizer>>,
  tokens: string[],
): Promise<void> {
  note(
    `sellout: ${fmt(cfg.selloutAttempts)} attempts at ${fmt(cfg.selloutCapacity)} tickets, ${cfg.selloutRuns} run(s)`,
  );
  let exact = true;
  let slowest = 0;
  for (let run = 1; run <= cfg.selloutRuns; run += 1) {
    const event = await createEvent(organizer, `Sellout ${run}`, cfg.selloutCapacity, 0);
    const result = await sellout(cfg, server.url, tokens, event, run, (id) => soldInDb(dbPath, id));
    exact &&= result.exact;
    slowest = Math.max(slowest, result.secondsToSoldOut);
    const { load, ...kept } = result;
    s.selloutRuns.push(kept);
    const db = `db: ${result.db.bookings} bookings/${result.db.tickets} tickets/sold ${result.db.sold}`;
    const soldOut = `sold out after ${fmt(result.secondsToSoldOut, 2)} s`;
    const verdict = result.exact ? "EXACT" : "NOT EXACT";
    s.rows.push({
      ...rowOf(
        `4.${run}`,
        "sellout",
        load,
        `${verdict}: ${result.confirmed} confirmed, ${db}, ${soldOut}`,
      ),
      scale: `${fmt(cfg.selloutAttempts)} attempts, ${fmt(cfg.selloutCapacity)} tickets`,
    });
  }
  s.selloutExact = exact;
  s.selloutSeconds = slowest;
}

async function scale(s: Summary, tokens: string[], many: ReturnType<typeof seedDatabase>["many"]) {
  const [warm, ...events] = many;
  if (!warm) throw new Error("No events were seeded for scenario 6");
  const setAside = quietOutbox();
  const server = await started(
    startServer({ databasePath: dbPath, cpuProfDir, collectOnSignal: true }),
  );
  const m = await manyEvents(cfg, server, tokens, warm, events);
  await stopped(server);
  s.bytesPerActor = m.bytesPerActor;
  s.heapBytesPerActor = m.heapBytesPerActor;
  s.manyEvents = { ...m, evictedActors: m.evicted?.actors ?? null };
  const evicted = m.evicted
    ? `after eviction: ${m.evicted.actors} actors, RSS ${fmt((m.evicted.memory.rss - m.before.memory.rss) / 1024)} KB, heap ${fmt((m.evicted.memory.heapUsed - m.before.memory.heapUsed) / 1024)} KB over baseline`
    : "eviction not waited for (--quick)";
  const actors = `${fmt(m.loaded)} actors${cfg.quick ? " (quick; full run 10,048)" : ""}`;
  s.rows.push({
    ...skippedRow("6", "many events: memory per idle actor", "", actors),
    rps: (events.length * 2) / m.secondsToLoad,
    non2xx: m.non2xx,
    errors: m.errors,
    note: `${fmt(m.bytesPerActor)} B RSS, ${fmt(m.heapBytesPerActor)} B heap per actor: least-squares slope over ${m.slope.points.length} readings (after a warm-up step, each after a full GC; RSS r² ${fmt(m.slope.rssR2, 2)}); whole growth / actors would say ${fmt(m.bytesPerActorOverall)} B; ${evicted}; ${setAside}`,
  });

  const bigPath = join(workDir, "big.db");
  note(
    `restart: building ${fmt(cfg.restartEvents * cfg.restartBookingsPerEvent)} bookings over ${fmt(cfg.restartEvents)} events`,
  );
  const big = buildBigDb(bigPath, cfg.restartEvents, cfg.restartBookingsPerEvent);
  const { result, server: restarted } = await restartToFirstBooking(cfg, bigPath, big);
  await stopped(restarted);
  const after = soldInDb(bigPath, big.eventId);
  s.restartToFirstBookingMs = result.status === 200 ? result.firstBookingMs : null;
  s.restart = { ...result, bookingsOfEventAfter: after.bookings };
  const scaled = big.bookings < 1_000_000 ? " (quick run; the target is at 1,000,000)" : "";
  s.rows.push({
    ...skippedRow("7", "restart to first booking", "", `${fmt(big.bookings)} bookings${scaled}`),
    note: `${fmt(big.bookings)} bookings: listening after ${fmt(result.listeningMs)} ms, first booking (HTTP ${result.status}) after ${fmt(result.firstBookingMs)} ms; event now has ${fmt(after.bookings)} bookings`,
  });
}

async function seatMap(s: Summary, tokens: string[]): Promise<void> {
  quietOutbox();
  const r = await seatMapScenario(dbPath, cpuProfDir, tokens, registerOrganizer, started, stopped);
  s.seatMap = r;
  s.seatMapMs = Math.max(r.compact.coldMs, r.compact.afterChangeMaxMs, r.afterRestartMs);
  const kb = (bytes: number) => `${fmt(bytes / 1024)} KB`;
  const ms = (v: number) => `${fmt(v, 1)} ms`;
  const fill = `${fmt(r.seats)} seats (${fmt(r.booked)} booked, ${fmt(r.held)} held)`;
  const seats = `${fmt(r.seats)} seats`;
  s.rows.push({
    ...skippedRow("8", "seat map, compact", "", seats),
    p50Ms: r.compact.afterChangeP50Ms,
    maxMs: r.compact.afterChangeMaxMs,
    note: `${fill}: ${kb(r.compact.bytes)}; built anew ${ms(r.compact.coldMs)} (after a booking p50 ${ms(r.compact.afterChangeP50Ms)}), cached p50 ${ms(r.compact.warmP50Ms)}; first after restart ${ms(r.afterRestartMs)}`,
  });
  s.rows.push({
    ...skippedRow("8b", "seat map, object per seat", "", seats),
    p50Ms: r.full.afterChangeP50Ms,
    maxMs: r.full.afterChangeMaxMs,
    note: `API.md form: ${kb(r.full.bytes)}; built anew ${ms(r.full.coldMs)} (after a booking p50 ${ms(r.full.afterChangeP50Ms)}), cached p50 ${ms(r.full.warmP50Ms)}`,
  });
}

async function onSaleRoom(s: Summary): Promise<void> {
  const roomDb = join(workDir, "room.db");
  const r = await roomScenario(cfg, roomDb, registerOrganizer, started, stopped);
  s.room = r;
  s.rows.push(...roomRows(r, cfg.quick));
}

async function main(config: BenchConfig): Promise<Summary> {
  const s = emptySummary(config, usersNote);
  note(`${config.quick ? "quick" : "full"} run in ${workDir}; ${usersNote}`);
  const seeded = seedDatabase(dbPath, config.users, config.manyEvents + 1);
  await rush(s, seeded);
  await scale(s, seeded.tokens, seeded.many);
  await seatMap(s, seeded.tokens);
  await onSaleRoom(s);
  s.load = loadSummary(s.rows);
  s.targets = judge(s);
  return s;
}

/** Which generator measured, and what it cost: on 2 cores the generator's CPU is the server's loss. */
function loadText(s: Summary): string {
  const l = s.load;
  const share =
    l.toolCoresMax === null
      ? ""
      : `, at most ${fmt(l.toolCoresMax, 2)} cores (row ${l.toolCoresMaxRow}) of ${s.machine.cores}`;
  const tool =
    l.tool === "autocannon"
      ? "autocannon (wrk is not installed: apt-get install -y wrk)"
      : (l.tool ?? "—");
  const others = l.otherRows.length
    ? `; autocannon drove ${l.otherRows.map((r) => r.id).join(", ")} (runs bounded by a number of requests)`
    : "";
  return `${tool}${share}${others}`;
}

note(
  `load generator: ${wrkPath() ? "wrk" : "autocannon (wrk is not installed: apt-get install -y wrk)"}`,
);
try {
  const summary = await main(cfg);
  const m = summary.machine;
  console.log(
    `\nBoxoffice bench (${summary.mode}), ${cfg.connections} connections, ${cfg.durationS}s per load scenario`,
  );
  console.log(
    `${m.cores} cores (${m.cpuModel}), ${fmt(m.memoryBytes / 2 ** 30, 1)} GiB, Bun ${m.bunVersion}, ${m.platform}, ${m.date}`,
  );
  console.log(`Runtime settings: ${runtimeSettingsText(m.runtimeSettings)}`);
  console.log(`Users: ${summary.usersNote}`);
  console.log(`Load: ${loadText(summary)}\n`);
  console.log(table(summary.rows));
  console.log(
    `\nTargets${summary.mode === "quick" ? " (quick run: scaled down, indicative only)" : ""}:`,
  );
  console.log(targetsText(summary.targets ?? {}));
  if (args.out) {
    writeFileSync(args.out, `${JSON.stringify(summary, null, 2)}\n`);
    console.log(`\nJSON written to ${args.out}`);
  }
  const html = args.html ?? (args.out ? args.out.replace(/(\.json)?$/, ".html") : null);
  if (html) {
    writeFileSync(html, htmlReport(summary));
    console.log(`HTML report written to ${html}`);
  }
} finally {
  await Promise.all([...running].map((child) => child.stop()));
  if (args.keep) console.log(`Databases kept in ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
}
