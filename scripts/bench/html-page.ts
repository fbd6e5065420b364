/** The HTML report's style and the script that draws its charts (html.ts puts them together). */

export const STYLE = `
:root { color-scheme: light; --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --bg: #f9fafb; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 24px; }
h1 { margin: 0; font-size: 26px; }
h2 { margin: 0 0 4px; font-size: 18px; }
.when { margin: 2px 0 12px; color: var(--muted); }
dl { margin: 0; display: grid; gap: 4px 16px; grid-template-columns: 1fr; }
dl div { display: grid; grid-template-columns: 130px 1fr; gap: 8px; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
section { margin: 24px 0; padding: 16px; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
.hint { margin: 0 0 12px; color: var(--muted); font-size: 14px; }
.chart { position: relative; width: 100%; }
.ratios { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 12px; }
.ratio { display: flex; flex-direction: column; }
.ratio .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.ratio .label { color: var(--muted); font-size: 13px; }
.ratio { border-left: 4px solid #d1d5db; padding-left: 8px; }
.ratio.met { border-color: #16a34a; }
.ratio.miss { border-color: #dc2626; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { color: var(--muted); font-weight: 600; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.scale { color: #374151; min-width: 140px; }
table.rows td.note { min-width: 320px; color: #374151; }
table.rows td:nth-child(2) { min-width: 160px; }
table.targets td:nth-child(2) { min-width: 180px; }
table.targets td:nth-child(3) { min-width: 220px; }
.badge { display: inline-block; min-width: 44px; padding: 1px 6px; border-radius: 4px; font-weight: 700; font-size: 12px; text-align: center; }
.badge.met { background: #dcfce7; color: #166534; }
.badge.miss { background: #fee2e2; color: #991b1b; }
.badge.na { background: #f3f4f6; color: #4b5563; }
code { font-size: 0.92em; }
footer { padding-bottom: 32px; color: var(--muted); font-size: 13px; }
@media (max-width: 600px) {
  header, main, footer { padding: 0 10px; }
  header { padding-top: 16px; }
  section { padding: 12px 10px; margin: 16px 0; }
  dl div { grid-template-columns: 1fr; gap: 0; }
  .ratios { grid-template-columns: repeat(2, 1fr); }
  /* Tables become one card per row: a label before each figure, nothing to scroll sideways. */
  table, thead, tbody, tr, td { display: block; width: 100%; }
  thead { display: none; }
  tr { padding: 8px 0; border-bottom: 1px solid var(--line); }
  td { border: 0; padding: 2px 0; min-width: 0 !important; text-align: left !important; white-space: normal !important; }
  td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); }
  table.rows td.id, table.rows td.name { display: inline; font-weight: 600; }
  table.rows td.id::after { content: " "; }
  table.rows td.num { display: inline-block; width: auto; margin-right: 12px; }
  table.targets td.status { float: left; width: auto; margin-right: 8px; }
  table.targets td.target { font-weight: 600; }
}
`;

/**
 * Draws the two charts from #bench-data with the global Chart (Chart.js's UMD build), then
 * records on <body> how many were drawn and how many of their pixels are not blank, so a test
 * (or a person with the inspector) can tell that they were.
 */
export const chartScript = `
(function () {
  var data = JSON.parse(document.getElementById("bench-data").textContent);
  var narrow = window.innerWidth < 600;
  var fmt = function (n, digits) {
    return n === null || n === undefined ? "—" : n.toLocaleString("en-US", { maximumFractionDigits: digits || 0 });
  };
  var label = function (r) {
    if (narrow) return r.id + " " + r.short;
    var lines = [r.id + " " + r.name.replace(/^hot event: /, "").replace(/^ceiling: /, "")];
    if (r.scale) lines.push(r.scale);
    return lines;
  };
  var colour = function (r) {
    if (r.id === "0") return "#9ca3af";
    if (r.id === "1") return "#1d4ed8";
    if (/^2/.test(r.id)) return "#0f766e";
    return "#64748b";
  };
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = narrow ? 11 : 12;
  Chart.defaults.color = "#374151";

  /** A dashed vertical line at a value of the x axis, with a caption at its top. */
  var lineAt = function (id, value, caption) {
    return {
      id: id,
      beforeDatasetsDraw: function (chart) {
        if (value === null || value === undefined) return;
        var x = chart.scales.x.getPixelForValue(value);
        var area = chart.chartArea;
        if (x < area.left || x > area.right) return;
        var ctx = chart.ctx;
        ctx.save();
        ctx.strokeStyle = "#1d4ed8";
        ctx.setLineDash([5, 4]);
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.moveTo(x, area.top);
        ctx.lineTo(x, area.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = "#1d4ed8";
        ctx.font = "600 11px " + Chart.defaults.font.family;
        ctx.textAlign = x + 4 + ctx.measureText(caption).width > area.right ? "right" : "left";
        ctx.fillText(caption, x + (ctx.textAlign === "right" ? -4 : 4), area.top - 5);
        ctx.restore();
      },
    };
  };

  /** Each bar's value at its end (inside it when it would leave the chart). */
  var values = function (text) {
    return {
      id: "values",
      afterDatasetsDraw: function (chart) {
        var ctx = chart.ctx;
        ctx.save();
        ctx.font = (narrow ? "10px " : "11px ") + Chart.defaults.font.family;
        ctx.textBaseline = "middle";
        chart.data.datasets.forEach(function (dataset, d) {
          chart.getDatasetMeta(d).data.forEach(function (bar, i) {
            var t = text(dataset, d, i);
            if (!t) return;
            var w = ctx.measureText(t).width;
            var end = Math.min(bar.x, chart.chartArea.right);
            var inside = end + 4 + w > chart.chartArea.right;
            var x = inside ? end - 4 : end + 4;
            ctx.textAlign = inside ? "right" : "left";
            if (!inside) {
              ctx.strokeStyle = "rgba(255,255,255,0.9)";
              ctx.lineWidth = 3;
              ctx.strokeText(t, x, bar.y);
            }
            ctx.fillStyle = inside ? "#fff" : "#111827";
            ctx.fillText(t, x, bar.y);
          });
        });
        ctx.restore();
      },
    };
  };

  var rows = data.rows;
  var ceiling = data.ceilingRps;
  // Bare Bun.serve can be ten times the rest: the axis ends past the others and the ceiling, and
  // its bar runs off the edge (its value is written on it).
  var others = rows.filter(function (r) { return r.id !== "0"; }).map(function (r) { return r.rps; });
  var top = Math.max.apply(null, others.concat([ceiling || 0]));
  var bare = rows.filter(function (r) { return r.id === "0"; })[0];
  var nice = function (v) {
    var step = Math.pow(10, Math.floor(Math.log10(v))) / 2;
    return Math.ceil(v / step) * step;
  };
  var xMax = bare && bare.rps > top * 1.6 ? nice(top * 1.2) : undefined;
  var common = {
    indexAxis: "y",
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    layout: { padding: { right: 8, top: 16 } },
  };
  var charts = [];
  charts.push(new Chart(document.getElementById("throughput"), {
    type: "bar",
    data: {
      labels: rows.map(label),
      datasets: [{ label: "responses/s", data: rows.map(function (r) { return r.rps; }), backgroundColor: rows.map(colour), barPercentage: 0.8 }],
    },
    options: Object.assign({}, common, {
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: function (c) { return fmt(c.raw) + " responses/s"; } } },
      },
      scales: {
        x: { beginAtZero: true, max: xMax, title: { display: true, text: "responses a second" }, ticks: { maxTicksLimit: narrow ? 4 : 10, callback: function (v) { return fmt(v); } } },
        y: { ticks: { autoSkip: false } },
      },
    }),
    plugins: [
      lineAt("ceiling", ceiling, "ceiling " + fmt(ceiling)),
      values(function (dataset, d, i) {
        var r = rows[i];
        var v = fmt(r.rps);
        if (r.id === "0" && xMax !== undefined) return v + " (off the scale)";
        return ceiling && r.id !== "1" && r.id !== "0" ? v + " (" + (r.rps / ceiling).toFixed(2) + "×)" : v;
      }),
    ],
  }));
  charts.push(new Chart(document.getElementById("latency"), {
    type: "bar",
    data: {
      labels: rows.map(label),
      datasets: [
        { label: "p50", data: rows.map(function (r) { return r.p50Ms; }), backgroundColor: "#60a5fa" },
        { label: "p99", data: rows.map(function (r) { return r.p99Ms; }), backgroundColor: "#1e3a8a" },
      ],
    },
    options: Object.assign({}, common, {
      plugins: { legend: { position: "top", align: "start" } },
      scales: {
        x: { type: "logarithmic", title: { display: true, text: "milliseconds (log scale)" }, ticks: { maxRotation: 0, callback: function (v) { return (narrow ? [1, 10, 100, 1000] : [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]).indexOf(v) >= 0 ? fmt(v) : ""; } } },
        y: { ticks: { autoSkip: false } },
      },
    }),
    plugins: [
      lineAt("target", data.p99TargetMs, "p99 target " + data.p99TargetMs + " ms"),
      values(function (dataset, d, i) { var v = d === 1 ? rows[i].p99Ms : rows[i].p50Ms; return v ? fmt(v, 1) : null; }),
    ],
  }));

  var ink = charts.map(function (chart) {
    var c = chart.canvas;
    var pixels = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    var n = 0;
    for (var i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) n += 1;
    return n;
  });
  document.body.dataset.charts = String(charts.length);
  document.body.dataset.ink = ink.join(",");
})();
`;
