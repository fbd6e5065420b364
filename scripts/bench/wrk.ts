/**
 * Load through wrk (a C load generator: `apt-get install wrk`), driven by a generated Lua script.
 * wrk costs far less CPU than a JavaScript generator, which matters on a 2-core machine where the
 * generator and the server share the cores. Each request comes from the next user in a rotation,
 * with its own bearer token; a "chain" sends a hold, then confirms it with the holdId it returned.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoadResult, LoadShape, ThreadCpu } from "./load.ts";
import { progress } from "./progress.ts";

/** What a scenario sends, in a form both generators can run. */
export type LoadSpec =
  /** POST /trpc/<path> with the next user's token and the same JSON input every time. */
  | {
      readonly kind: "rotate";
      readonly path: string;
      readonly tokens: readonly string[];
      readonly input: unknown;
    }
  /** bookings.hold with `input`, then bookings.confirm of the hold it returned, by the same user. */
  | { readonly kind: "holdConfirm"; readonly tokens: readonly string[]; readonly input: unknown };

/** The path of wrk, or null when it is not installed. */
export function wrkPath(): string | null {
  if (process.env.BENCH_LOAD === "autocannon") return null;
  return Bun.which("wrk");
}

const luaString = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/**
 * The Lua script. A rotation spec runs on one wrk thread with all connections. A chain needs
 * each response matched with the user who sent the request; wrk's Lua state is per thread, not per
 * connection, so a chain runs one connection per thread.
 */
function script(spec: LoadSpec, tokensFile: string): string {
  const common = `
local tokens = {}
for line in io.lines(${luaString(tokensFile)}) do tokens[#tokens + 1] = line end
local threads = {}
local nextOffset = 0
function setup(thread)
  thread:set("offset", nextOffset)
  nextOffset = nextOffset + 7919
  threads[#threads + 1] = thread
end
offset = 0
local i = 0
counts = {}
confirmed = 0
local function nextToken()
  i = i + 1
  return tokens[(offset + i) % #tokens + 1]
end
local function post(path, token, body)
  return wrk.format("POST", "/trpc/" .. path, {
    ["content-type"] = "application/json",
    ["authorization"] = "Bearer " .. token,
  }, body)
end
local function tally(status, body)
  local key = tostring(status)
  if status < 200 or status >= 300 then
    local reason = body and (body:match('"reason":"([^"]+)"') or body:match('"code":"([^"]+)"'))
    key = key .. " " .. (reason or "?")
  end
  counts[key] = (counts[key] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  local confirmedTotal = 0
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("counts")) do total[key] = (total[key] or 0) + n end
    confirmedTotal = confirmedTotal + thread:get("confirmed")
  end
  local parts = {}
  for key, n in pairs(total) do parts[#parts + 1] = string.format('"%s":%d', key, n) end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"durationUs":%d,"errors":%d,"timeouts":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d,"confirmed":%d,"counts":{%s}}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, confirmedTotal, table.concat(parts, ",")))
end
`;
  if (spec.kind === "rotate") {
    return `${common}
local body = ${luaString(JSON.stringify(spec.input))}
function request() return post(${luaString(spec.path)}, nextToken(), body) end
function response(status, headers, body) tally(status, body) end
`;
  }
  return `${common}
local holdBody = ${luaString(JSON.stringify(spec.input))}
local token = nil
local holdId = nil
function request()
  if holdId then
    local id = holdId
    holdId = nil
    return post("bookings.confirm", token, '{"holdId":"' .. id .. '"}')
  end
  token = nextToken()
  return post("bookings.hold", token, holdBody)
end
local confirming = false
function response(status, headers, body)
  tally(status, body)
  if confirming then
    if status == 200 then confirmed = confirmed + 1 end
    confirming = false
  elseif status == 200 then
    holdId = body:match('"data":{"id":"([^"]+)"')
    confirming = holdId ~= nil
  end
end
`;
}

/** CPU seconds (user + system) of a stat(5) line: fields 14 and 15, in ticks of 1/100 s. */
function statCpuSeconds(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds a process has used so far, from /proc (Linux), or null. */
export async function cpuSecondsOf(pid: number): Promise<number | null> {
  try {
    return statCpuSeconds(await Bun.file(`/proc/${pid}/stat`).text());
  } catch {
    return null;
  }
}

/**
 * The server's CPU seconds so far by kind of thread (/proc, Linux), or null. `runtime` is the
 * process's whole (which keeps the time of threads that have ended) less the main thread and the
 * live workers: the engine starts and ends its helper threads as it pleases, and summing only the
 * threads alive at each reading made a run's runtime share negative when one ended meanwhile
 * (row 1d of a quick run: -103 µs a response). A worker that ends counts as runtime from then on.
 */
export async function threadCpuSecondsOf(pid: number): Promise<ThreadCpu | null> {
  try {
    let main = 0;
    let workers = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      // A thread may end between the listing and the read: the process's whole still has it.
      const stat = await Bun.file(`/proc/${pid}/task/${tid}/stat`)
        .text()
        .catch(() => null);
      if (stat === null) continue;
      const seconds = statCpuSeconds(stat);
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (tid === String(pid)) main += seconds;
      else if (name === "Worker") workers += seconds;
    }
    // Read after the threads, so that it covers at least what they said.
    const whole = await cpuSecondsOf(pid);
    if (whole === null) return null;
    return { main, workers, runtime: Math.max(0, whole - main - workers) };
  } catch {
    return null;
  }
}

/** CPU seconds every core of the machine spent busy so far (/proc/stat, Linux), or null. */
export async function machineBusySeconds(): Promise<number | null> {
  try {
    const first = (await Bun.file("/proc/stat").text()).split("\n", 1)[0] ?? "";
    // cpu user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    const [user, nice, system, , , irq, softirq, steal] = first
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>(
      (sum, n) => sum + (n ?? 0),
      0,
    );
    return busy / 100;
  } catch {
    return null;
  }
}

/** Runs wrk for a duration; `confirmed` is the number of confirms that succeeded (chains only). */
export async function runWrk(
  wrk: string,
  label: string,
  url: string,
  shape: LoadShape,
  spec: LoadSpec,
): Promise<LoadResult & { confirmed: number }> {
  const dir = mkdtempSync(join(tmpdir(), "boxoffice-wrk-"));
  try {
    const tokensFile = join(dir, "tokens.txt");
    writeFileSync(tokensFile, `${spec.tokens.join("\n")}\n`);
    const scriptFile = join(dir, "load.lua");
    writeFileSync(scriptFile, script(spec, tokensFile));
    const durationS = shape.durationS ?? 10;
    const threads = spec.kind === "rotate" ? 1 : shape.connections;
    const started = performance.now();
    const proc = Bun.spawn(
      [
        wrk,
        `-t${threads}`,
        `-c${shape.connections}`,
        `-d${durationS}s`,
        "--timeout",
        "30s",
        "-s",
        scriptFile,
        url,
      ],
      { stdout: "pipe", stderr: "pipe" },
    );
    const ticker = setInterval(() => {
      const elapsed = ((performance.now() - started) / 1000).toFixed(0);
      progress(`${label} (wrk): ${elapsed}s/${durationS}s`);
    }, 1000);
    const [out, err, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    clearInterval(ticker);
    const line = out.split("\n").find((l) => l.startsWith("WRK_RESULT "));
    if (code !== 0 || !line) throw new Error(`wrk failed (exit ${code}): ${err || out}`);
    const r = JSON.parse(line.slice("WRK_RESULT ".length)) as WrkResult;
    const usage = proc.resourceUsage();
    const toolCpuSeconds = usage
      ? Number(usage.cpuTime.user + usage.cpuTime.system) / 1_000_000
      : null;
    return resultOf(r, toolCpuSeconds);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface WrkResult {
  requests: number;
  durationUs: number;
  errors: number;
  timeouts: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  confirmed: number;
  counts: Record<string, number>;
}

function resultOf(r: WrkResult, toolCpuSeconds: number | null): LoadResult & { confirmed: number } {
  const seconds = r.durationUs / 1_000_000;
  let ok = 0;
  let non2xx = 0;
  const refusals: Record<string, number> = {};
  for (const [key, n] of Object.entries(r.counts)) {
    const status = Number(key.split(" ")[0]);
    if (status >= 200 && status < 300) ok += n;
    else {
      non2xx += n;
      refusals[key] = n;
    }
  }
  return {
    tool: "wrk",
    rps: (ok + non2xx) / seconds,
    okRps: ok / seconds,
    p50Ms: r.p50Us / 1000,
    p99Ms: r.p99Us / 1000,
    maxMs: r.maxUs / 1000,
    ok,
    non2xx,
    errors: r.errors,
    seconds,
    lastOkMs: seconds * 1000,
    refusals,
    toolCpuSeconds,
    confirmed: r.confirmed,
  };
}
