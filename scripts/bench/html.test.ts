import { describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchConfig, type Row } from "./config.ts";
import { ceilingNote, overAround } from "./hot.ts";
import { htmlReport } from "./html.ts";
import {
  emptySummary,
  loadSummary,
  runtimeSettingsOf,
  runtimeSettingsText,
  type Summary,
  table,
} from "./report.ts";
import { judge } from "./targets.ts";

const timed = (id: string, name: string, rps: number, p50Ms: number, p99Ms: number): Row => ({
  id,
  name,
  rps,
  p50Ms,
  p99Ms,
  maxMs: p99Ms * 2,
  non2xx: 0,
  errors: 0,
  tool: "wrk",
  toolCores: 0.3,
  serverCores: 1,
  note: `note of ${id} <with> "markup"`,
});

function fixture(): Summary {
  const s = emptySummary(benchConfig(true, tmpdir(), null), "5,000 fixture users");
  s.rows.push(
    timed("0", "bare Bun.serve", 40_000, 1.2, 3),
    {
      ...timed("1", "ceiling: system.noop", 6_000, 9, 20),
      machineCores: 1.9,
      cpuUsPerRequest: { main: 105, workers: 0, runtime: 5 },
    },
    {
      ...timed("2", "hot event: book, free", 4_900, 12, 14),
      machineCores: 1.55,
      cpuUsPerRequest: { main: 160.4, workers: 80, runtime: 25 },
    },
    timed("2q", "hot event: book with questions answered", 4_700, 12, 16),
    {
      ...timed("2r", "hot event: book through the on-sale room", 2_000, 20, 60),
      tool: "autocannon",
      scale: "4 rounds × 1,000 bookings",
    },
    { ...timed("4.1", "sellout", 5_000, 10, 30), tool: "autocannon", scale: "20,000 attempts" },
    {
      id: "7",
      name: "restart to first booking",
      scale: "100,000 bookings (quick run; the target is at 1,000,000)",
      rps: null,
      p50Ms: null,
      p99Ms: null,
      maxMs: null,
      non2xx: null,
      errors: null,
      note: "first booking after 300 ms",
    },
  );
  Object.assign(s, {
    bareRps: 40_000,
    ceilingRps: 6_000,
    hotBookRps: 4_900,
    ceilingAround: { book: [6_000, 8_000], paid: null },
    ratioToCeiling: overAround(4_900, [6_000, 8_000]),
    noopToBare: 6_000 / 40_000,
    p50Ms: 12,
    p99Ms: 14,
    restartToFirstBookingMs: 300,
    restart: { bookingsInDb: 100_000, listeningMs: 200, firstBookingMs: 300, status: 200 },
  });
  s.load = loadSummary(s.rows);
  s.targets = judge(s);
  return s;
}

describe("the HTML report", () => {
  it("is one self-contained file: no external script, style or link, and a CSP that forbids the network", () => {
    const html = htmlReport(fixture());
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|sourceMappingURL/);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain("Chart.js v4");
    // Notes are text, never markup.
    expect(html).toContain("note of 2 &lt;with&gt; &quot;markup&quot;");
  });

  it("names the runtime's tuning the servers ran with: the bench's own and the server's", () => {
    const env = {
      PATH: "/usr/bin",
      BUN_JSC_useConcurrentGC: "0",
      MIMALLOC_VERBOSE: "1",
      MIMALLOC_PURGE_HOLES: "0",
      DB_SYNCHRONOUS: "FULL",
    };
    const settings = runtimeSettingsOf(env);
    // The server sets the warm-up setting itself where the environment leaves it unset.
    expect(settings).toEqual({
      BUN_JSC_useConcurrentGC: "0",
      BUN_JSC_useWarmUpMarkedBlocks: "0",
      MIMALLOC_PURGE_HOLES: "0",
    });
    const text = "BUN_JSC_useConcurrentGC=0 BUN_JSC_useWarmUpMarkedBlocks=0 MIMALLOC_PURGE_HOLES=0";
    expect(runtimeSettingsText(settings)).toBe(text);
    const s = fixture();
    s.machine.runtimeSettings = settings;
    expect(htmlReport(s)).toContain(`<dt>runtime settings</dt><dd>${text}</dd>`);
    // An operator's value wins over the server's.
    expect(runtimeSettingsOf({ BUN_JSC_useWarmUpMarkedBlocks: "1" })).toEqual({
      BUN_JSC_useWarmUpMarkedBlocks: "1",
    });
    s.machine.runtimeSettings = {};
    expect(htmlReport(s)).toContain("<dt>runtime settings</dt><dd>none (Bun&#39;s defaults)</dd>");
  });

  it("says what each timed row cost the server by thread, and how busy the machine was", () => {
    const s = fixture();
    const shown =
      "server 1.00, machine 1.55 cores; CPU µs per response: main 160, workers 80, runtime 25";
    expect(htmlReport(s)).toContain(shown);
    expect(table(s.rows)).toContain(shown);
    // The book target compares the booking's cost with the ceiling's.
    expect(s.targets?.hotVsCeiling?.measured).toContain(
      "server CPU per response 265 vs 110 µs (main 160 vs 105), machine 1.55 vs 1.90 cores busy",
    );
    // A row measured without them says only what it has.
    expect(table(s.rows)).toMatch(/\| wrk 0\.30, server 1\.00 cores +\| note of 2q /);
  });

  it("judges the booking against the ceiling measured around it, not the first ceiling alone", () => {
    const s = fixture();
    // 4,900 over the mean of 6,000 and 8,000: 0.7, where the first ceiling alone would say 0.82.
    expect(s.ratioToCeiling).toBeCloseTo(0.7, 10);
    expect(s.targets?.hotVsCeiling?.measured).toStartWith(
      "0.70× (4,900 vs 7,000 (the ceiling around it: 6,000 and 8,000) rps",
    );
    expect(s.targets?.hotVsCeiling?.met).toBe(false);
    expect(ceilingNote(0.7, [6_000, 8_000])).toBe(
      "0.7× ceiling (ceiling around it: 6,000 and 8,000 rps)",
    );
    // Not measured: said so, never judged against a ceiling that was not there.
    expect(s.targets?.paidVsCeiling?.measured).toContain("vs — rps");
    expect(s.targets?.paidVsCeiling?.met).toBeNull();
  });

  it("labels the restart target with the bookings it was measured at", () => {
    const html = htmlReport(fixture());
    expect(html).toContain(
      "restart to first booking ≤ 1 s with 100,000 bookings (quick run; the target is at 1,000,000)",
    );
  });

  const chromium = Bun.which("chromium");
  it.skipIf(!chromium)(
    "draws both charts in headless Chromium, and the page tries to load nothing",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "bench-html-"));
      try {
        const file = join(dir, "r.html");
        writeFileSync(file, htmlReport(fixture()));
        const proc = Bun.spawn(
          [
            chromium as string,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            `--user-data-dir=${join(dir, "profile")}`,
            "--window-size=1280,2000",
            "--virtual-time-budget=3000",
            "--dump-dom",
            `file://${file}`,
          ],
          { stdout: "pipe", stderr: "ignore" },
        );
        const dom = await new Response(proc.stdout).text();
        await proc.exited;
        const body = /<body([^>]*)>/.exec(dom)?.[1] ?? "";
        expect(body).toContain('data-charts="2"');
        // The page's CSP forbids every load from anywhere, and the page counts each attempt it
        // blocks (Chromium's own background traffic is not the page's, so a proxy cannot tell).
        expect(body).toContain('data-blocked="0"');
        const ink = /data-ink="(\d+),(\d+)"/.exec(body);
        expect(Number(ink?.[1])).toBeGreaterThan(1_000);
        expect(Number(ink?.[2])).toBeGreaterThan(1_000);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    20_000,
  );
});
