/**
 * The HTML report: one self-contained file (Chart.js's minified build inlined from node_modules,
 * no CDN, and a Content-Security-Policy that forbids any load from the network), with throughput
 * and latency per scenario beside the ceiling, the targets, the machine, the load generator and
 * its CPU share, and the scale of every figure. Tables are rendered here; the charts are drawn in
 * the page from the summary embedded as JSON.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Row } from "./config.ts";
import { chartScript, STYLE } from "./html-page.ts";
import { loadText, runtimeSettingsText, type Summary } from "./report.ts";

/** Chart.js's UMD build, without its source-map comment (nothing for the page to fetch). */
function chartJs(): string {
  const main = Bun.resolveSync("chart.js", import.meta.dir);
  const code = readFileSync(join(dirname(main), "chart.umd.min.js"), "utf8");
  return code
    .replace(/\n\/\/# sourceMappingURL=\S*\s*$/, "\n")
    .replaceAll("</script", "<\\/script");
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? "—"
    : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The rows drawn in the charts: those a load generator drove for a rate. */
export function chartRows(rows: readonly Row[]): Row[] {
  return rows.filter((r) => r.tool !== undefined && r.rps !== null);
}

function targetsTable(s: Summary): string {
  const rows = Object.values(s.targets ?? {}).map((t) => {
    const status = t.met === null ? "n/a" : t.met ? "MET" : "MISS";
    const kind = t.met === null ? "na" : t.met ? "met" : "miss";
    return `<tr><td class="status"><span class="badge ${kind}">${status}</span></td><td class="target">${escapeHtml(t.target)}</td><td class="measured" data-label="measured">${escapeHtml(t.measured)}</td><td class="scale" data-label="measured at">${escapeHtml(t.scale)}</td></tr>`;
  });
  return `<table class="targets"><thead><tr><th></th><th>target</th><th>measured</th><th>measured at</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function rowsTable(rows: readonly Row[], timedAt: string): string {
  const body = rows.map((r) => {
    const load = loadText(r);
    const scale = r.scale ?? (r.tool ? timedAt : "");
    const cells = [
      `<td class="id">${escapeHtml(r.id)}</td>`,
      `<td class="name">${escapeHtml(r.name)}</td>`,
      `<td class="scale" data-label="measured at">${escapeHtml(scale)}</td>`,
      `<td class="num" data-label="rps">${fmt(r.rps)}</td>`,
      `<td class="num" data-label="p50 ms">${fmt(r.p50Ms, 1)}</td>`,
      `<td class="num" data-label="p99 ms">${fmt(r.p99Ms, 1)}</td>`,
      `<td class="num" data-label="max ms">${fmt(r.maxMs, 1)}</td>`,
      `<td class="num" data-label="non-2xx">${fmt(r.non2xx)}</td>`,
      `<td class="load" data-label="load">${escapeHtml(load)}</td>`,
      `<td class="note">${escapeHtml(r.note)}</td>`,
    ];
    return `<tr>${cells.join("")}</tr>`;
  });
  const head = [
    "#",
    "scenario",
    "measured at",
    "rps",
    "p50 ms",
    "p99 ms",
    "max ms",
    "non-2xx",
    "load",
    "note",
  ]
    .map((h) => `<th>${h}</th>`)
    .join("");
  return `<table class="rows"><thead><tr>${head}</tr></thead><tbody>${body.join("")}</tbody></table>`;
}

function header(s: Summary): string {
  const m = s.machine;
  const l = s.load;
  const share =
    l.toolCoresMax === null
      ? "—"
      : `at most ${fmt(l.toolCoresMax, 2)} cores (row ${escapeHtml(l.toolCoresMaxRow ?? "—")}), ${fmt((100 * l.toolCoresMax) / m.cores)} % of the machine`;
  const others = l.otherRows.length
    ? `; autocannon drove ${l.otherRows.map((r) => `${escapeHtml(r.id)} (${fmt(r.toolCores, 2)} cores)`).join(", ")}: runs bounded by a number of requests`
    : "";
  const facts = [
    [
      "run",
      `${s.mode}: ${s.connections} connections, ${s.durationS} s per timed scenario after ${s.warmupS} s of warm-up`,
    ],
    [
      "machine",
      `${m.cores} cores (${escapeHtml(m.cpuModel)}), ${fmt(m.memoryBytes / 2 ** 30, 1)} GiB, Bun ${escapeHtml(m.bunVersion)}, ${escapeHtml(m.platform)}`,
    ],
    ["runtime settings", escapeHtml(runtimeSettingsText(m.runtimeSettings))],
    ["load generator", `${escapeHtml(l.tool ?? "—")}, ${share}${others}`],
    ["users", escapeHtml(s.usersNote)],
  ];
  const dl = facts.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join("");
  return `<header><h1>Boxoffice bench</h1><p class="when">${s.mode} run, ${escapeHtml(m.date.replace("T", " ").replace(/\.\d+Z$/, " UTC"))}</p><dl>${dl}</dl></header>`;
}

/** Chart labels where the page is narrow. */
const SHORT: Record<string, string> = {
  "0": "bare",
  "1": "noop",
  "2": "book",
  "2c": "code",
  "2q": "questions",
  "2r": "room",
  "2b": "paid",
  "3": "GROUP_COMMIT=0",
  "5": "hold+confirm",
};

/** What the page's script draws: the timed rows, and the lines to draw them against. */
function chartData(s: Summary) {
  return {
    rows: chartRows(s.rows).map((r) => ({
      id: r.id,
      name: r.name,
      short: SHORT[r.id] ?? (r.id.startsWith("4.") ? "sellout" : r.name.split(/[:,]/)[0]),
      scale: r.scale ?? null,
      rps: r.rps,
      p50Ms: r.p50Ms,
      p99Ms: r.p99Ms,
    })),
    ceilingRps: s.ceilingRps,
    bareRps: s.bareRps,
    p99TargetMs: 15,
  };
}

export function htmlReport(s: Summary): string {
  const data = JSON.stringify(chartData(s)).replace(/</g, "\\u003c");
  const rowsCount = chartRows(s.rows).length;
  const csp =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";
  const ratio = (label: string, v: number | null, target: string) => {
    const met = s.targets?.[target]?.met;
    const kind = met === undefined || met === null ? "na" : met ? "met" : "miss";
    return `<div class="ratio ${kind}"><span class="value">${fmt(v, 2)}×</span><span class="label">${label}</span></div>`;
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Boxoffice bench, ${s.mode} run, ${escapeHtml(s.machine.date.slice(0, 10))}</title>
<style>${STYLE}</style>
</head>
<body data-charts="0" data-blocked="0">
<script>document.addEventListener("securitypolicyviolation", function () { var b = document.body.dataset; b.blocked = String(Number(b.blocked) + 1); });</script>
${header(s)}
<main>
<section class="ratios">
${ratio("hot book / system.noop (≥ 0.8)", s.ratioToCeiling, "hotVsCeiling")}
${ratio("paid book / system.noop (≥ 0.7)", s.paidToCeiling, "paidVsCeiling")}
${ratio("system.noop / bare (≥ 0.15)", s.noopToBare, "noopVsBare")}
${ratio("group commit (≥ 4)", s.groupCommitSpeedup, "groupCommit")}
${ratio("code / plain (≥ 0.9)", s.codeVsPlain, "codes")}
${ratio("questions / plain (≥ 0.9)", s.questionsVsPlain, "questions")}
${ratio("room / plain, CPU (≥ 0.9)", s.roomVsPlain, "roomBooking")}
</section>
<section>
<h2>Throughput per scenario</h2>
<p class="hint">Responses a second at ${s.connections} connections (bookings: every one a 2xx; the sellout: mostly SOLD_OUT), beside the ceiling (<code>system.noop</code>, the dashed line) and bare <code>Bun.serve</code> (grey, past the edge when it is off the scale). In brackets: the fraction of the ceiling. What each row was measured at is in the tables below.</p>
<div class="chart" style="height:${rowsCount * 44 + 70}px"><canvas id="throughput" aria-label="Throughput per scenario" role="img"></canvas></div>
</section>
<section>
<h2>Latency per scenario</h2>
<p class="hint">p50 and p99 in milliseconds, on a logarithmic scale; the dashed line is the p99 target (15 ms, for <code>bookings.book</code>).</p>
<div class="chart" style="height:${rowsCount * 48 + 90}px"><canvas id="latency" aria-label="Latency per scenario" role="img"></canvas></div>
</section>
<section>
<h2>Targets</h2>
<div class="scroll">${targetsTable(s)}</div>
</section>
<section>
<h2>Every row</h2>
<div class="scroll">${rowsTable(s.rows, `${s.connections} connections, ${s.durationS} s`)}</div>
</section>
</main>
<footer>Written by <code>bun run bench</code> (scripts/bench.ts). Self-contained: Chart.js is inlined and the page loads nothing from the network.</footer>
<script type="application/json" id="bench-data">${data}</script>
<script>${chartJs()}</script>
<script>${chartScript}</script>
</body>
</html>
`;
}
