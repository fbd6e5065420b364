/**
 * Load through autocannon, with per-request bodies and bearer tokens. Every run has the same
 * connection count; a run is bounded by a duration or by a number of requests.
 */
import type { WriterStats } from "@boxoffice/db";
import autocannon from "autocannon";
import { progress } from "./progress.ts";

export type Request = autocannon.Request;
export type RequestParams = autocannon.RequestParams;

export interface LoadShape {
  readonly connections: number;
  readonly durationS?: number;
  /** Total requests instead of a duration (the sellout's 20,000 attempts). */
  readonly amount?: number;
}

export interface LoadResult {
  /** Which load generator measured. */
  readonly tool: "wrk" | "autocannon";
  /** Responses per second, whatever their status. */
  readonly rps: number;
  /** 2xx responses per second. */
  readonly okRps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly ok: number;
  readonly non2xx: number;
  /** Connection errors, timeouts included. */
  readonly errors: number;
  readonly seconds: number;
  /** Milliseconds from the start to the last 2xx response. */
  readonly lastOkMs: number;
  /** Non-2xx responses by "status reason", e.g. "409 SOLD_OUT". */
  readonly refusals: Record<string, number>;
  /** CPU seconds the load generator itself used (autocannon: this whole bench process). */
  readonly toolCpuSeconds: number | null;
  /** CPU seconds the server under load used, when measured through `measure`. */
  readonly serverCpuSeconds?: number | null;
  /** The same by kind of thread (main, workers, runtime), likewise. */
  readonly serverThreadCpuSeconds?: ThreadCpu | null;
  /** Cores the whole machine kept busy meanwhile (server, load generator, kernel, neighbours). */
  readonly machineBusyCores?: number | null;
  /** What the server's group-commit writer did in the run (its /healthz, read around it). */
  readonly writer?: WriterStats | null;
}

/**
 * A server's CPU by kind of thread (seconds, or microseconds per response where a field says so):
 * `main` serves requests; `workers` are the threads it started
 * (the group-commit writer, the checkpointer, the mail renderer: Bun names them all "Worker");
 * `runtime` is the engine's own (JIT compilers, garbage-collector helpers, the allocator): the
 * process's whole less the other two, so threads that ended during a run still count.
 */
export interface ThreadCpu {
  readonly main: number;
  readonly workers: number;
  readonly runtime: number;
}

/** Rotates over a list so that consecutive requests come from distinct users (or events). */
export class Rotation<T> {
  private index = 0;
  constructor(private readonly items: readonly T[]) {
    if (items.length === 0) throw new Error("Nothing to rotate over");
  }
  next(): T {
    const item = this.items[this.index % this.items.length] as T;
    this.index += 1;
    return item;
  }
}

/** A tRPC mutation as autocannon sends it: POST /trpc/<path>, JSON input, bearer token. */
export function trpcPost(path: string, token: string, input: unknown): RequestParams {
  return {
    method: "POST",
    path: `/trpc/${path}`,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(input),
  };
}

/** `error.data.reason` (or the tRPC code) of an error response body. */
export function reasonOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { data?: { reason?: string; code?: string } } };
    return parsed.error?.data?.reason ?? parsed.error?.data?.code ?? "?";
  } catch {
    return "unparsable";
  }
}

/** Wraps requests so that every non-2xx response is tallied by status and reason. */
function tallying(requests: Request[], refusals: Record<string, number>): Request[] {
  return requests.map((request) => ({
    ...request,
    onResponse(status, body, context, headers) {
      if (status < 200 || status >= 300) {
        const key = `${status} ${reasonOf(body)}`;
        refusals[key] = (refusals[key] ?? 0) + 1;
      }
      request.onResponse?.(status, body, context, headers);
    },
  }));
}

export async function runLoad(
  label: string,
  url: string,
  shape: LoadShape,
  requests: Request[],
): Promise<LoadResult> {
  const refusals: Record<string, number> = {};
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let lastOkMs = 0;
  let lastResponseMs = 0;
  let responses = 0;
  const instance = autocannon({
    url,
    connections: shape.connections,
    ...(shape.amount ? { amount: shape.amount } : { duration: shape.durationS ?? 10 }),
    timeout: 30,
    requests: tallying(requests, refusals),
  });
  instance.on("response", (_client, status) => {
    responses += 1;
    lastResponseMs = performance.now() - started;
    if (status >= 200 && status < 300) lastOkMs = lastResponseMs;
  });
  instance.on("tick", () => {
    const elapsed = ((performance.now() - started) / 1000).toFixed(0);
    const of = shape.amount ? `${responses}/${shape.amount} requests` : `${responses} responses`;
    progress(
      `${label}: ${elapsed}s${shape.durationS && !shape.amount ? `/${shape.durationS}s` : ""}, ${of}`,
    );
  });
  const result = await instance;
  // A run bounded by a number of requests only ends at autocannon's next one-second tick: its
  // rate is over the time to the last response, not to that tick.
  const seconds = (shape.amount ? lastResponseMs : performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const total = result["2xx"] + result.non2xx;
  return {
    tool: "autocannon",
    rps: total / seconds,
    okRps: result["2xx"] / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors,
    seconds,
    lastOkMs,
    refusals,
    toolCpuSeconds: (cpu.user + cpu.system) / 1_000_000,
  };
}
