/**
 * Scenarios 0–5: the on-sale rush measured against the stack's own ceiling. Every request comes
 * from the next user in a rotation, with its own bearer token and body.
 */

import type { WriterStats } from "@boxoffice/db";
import type { BenchConfig, Row } from "./config.ts";
import type { EventRef } from "./fixtures.ts";
import {
  type LoadResult,
  type Request,
  Rotation,
  runLoad,
  type ThreadCpu,
  trpcPost,
} from "./load.ts";
import { note } from "./progress.ts";
import {
  cpuSecondsOf,
  type LoadSpec,
  machineBusySeconds,
  runWrk,
  threadCpuSecondsOf,
  wrkPath,
} from "./wrk.ts";

export const oneTicket = (ref: EventRef) => ({
  eventId: ref.eventId,
  items: [{ ticketTypeId: ref.ticketTypeId, quantity: 1 }],
});

export function rowOf(id: string, name: string, load: LoadResult, extra = ""): Row {
  const refusals = Object.entries(load.refusals)
    .map(([key, n]) => `${n} × ${key}`)
    .join(", ");
  return {
    id,
    name,
    rps: load.rps,
    p50Ms: load.p50Ms,
    p99Ms: load.p99Ms,
    maxMs: load.maxMs,
    non2xx: load.non2xx,
    errors: load.errors,
    tool: load.tool,
    toolCores: load.toolCpuSeconds === null ? null : load.toolCpuSeconds / load.seconds,
    serverCores:
      load.serverCpuSeconds === undefined || load.serverCpuSeconds === null
        ? null
        : load.serverCpuSeconds / load.seconds,
    machineCores: load.machineBusyCores ?? null,
    // What one request cost the server in CPU, by thread: comparable across rows however busy
    // the machine was.
    cpuUsPerRequest: perRequest(load.serverThreadCpuSeconds ?? null, load.rps * load.seconds),
    writer: load.writer ? writerRow(load.writer, load.seconds) : null,
    note: [extra, refusals].filter(Boolean).join("; "),
  };
}

/** CPU seconds by thread over a run as microseconds per response. */
function perRequest(cpu: ThreadCpu | null, responses: number): ThreadCpu | null {
  if (!cpu || responses <= 0) return null;
  const us = (seconds: number) => (seconds * 1e6) / responses;
  return { main: us(cpu.main), workers: us(cpu.workers), runtime: us(cpu.runtime) };
}

/** A run's writer counts as rates: how busy the disk kept it, and how well it grouped. */
export function writerRow(counts: WriterStats, seconds: number): NonNullable<Row["writer"]> {
  return {
    groupsPerSecond: counts.groups / seconds,
    submissionsPerGroup: counts.groups === 0 ? 0 : counts.submissions / counts.groups,
    meanCommitMs: counts.groups === 0 ? 0 : (counts.commitSeconds * 1000) / counts.groups,
    busy: counts.commitSeconds / seconds,
  };
}

/** The server's /healthz `writer`, or null (the bare server has none). */
async function writerCounts(url: string): Promise<WriterStats | null> {
  try {
    const response = await fetch(`${url}/healthz`);
    if (!response.ok) return null;
    const body = (await response.json()) as { writer?: WriterStats };
    return body.writer ?? null;
  } catch {
    return null;
  }
}

/** Warms up unmeasured, then measures, with the same load; wrk when installed. */
export async function measure(
  cfg: BenchConfig,
  label: string,
  server: { readonly url: string; readonly pid: number },
  spec: LoadSpec,
): Promise<LoadResult & { confirmed: number }> {
  const wrk = wrkPath();
  const tool = wrk ? "wrk" : "autocannon";
  note(
    `${label}: warm-up ${cfg.warmupS}s, then ${cfg.durationS}s at ${cfg.connections} connections (${tool})`,
  );
  const run = async (what: string, durationS: number) => {
    const shape = { connections: cfg.connections, durationS };
    if (wrk) return runWrk(wrk, what, server.url, shape, spec);
    const confirmed = { n: 0 };
    const load = await runLoad(what, server.url, shape, requestsOf(spec, confirmed));
    return { ...load, confirmed: confirmed.n };
  };
  await run(`${label} (warm-up)`, cfg.warmupS);
  const writerBefore = await writerCounts(server.url);
  const before = await cpuSecondsOf(server.pid);
  const threadsBefore = await threadCpuSecondsOf(server.pid);
  const machineBefore = await machineBusySeconds();
  const load = await run(label, cfg.durationS);
  const machineAfter = await machineBusySeconds();
  const after = await cpuSecondsOf(server.pid);
  const threadsAfter = await threadCpuSecondsOf(server.pid);
  const writerAfter = await writerCounts(server.url);
  return {
    ...load,
    serverCpuSeconds: before === null || after === null ? null : after - before,
    serverThreadCpuSeconds: grown(threadsBefore, threadsAfter),
    machineBusyCores:
      machineBefore === null || machineAfter === null
        ? null
        : (machineAfter - machineBefore) / load.seconds,
    writer: grown(writerBefore, writerAfter),
  };
}

/** Counters read before and after a run, as what they grew by; null if either was not read. */
function grown<T extends { readonly [K in keyof T]: number }>(
  before: T | null,
  after: T | null,
): T | null {
  if (!before || !after) return null;
  const entries = Object.entries(after) as [keyof T & string, number][];
  return Object.fromEntries(entries.map(([key, value]) => [key, value - before[key]])) as T;
}

/** The same load as autocannon requests (when wrk is not installed). */
function requestsOf(spec: LoadSpec, confirmed: { n: number }): Request[] {
  const users = new Rotation(spec.tokens);
  if (spec.kind === "rotate") {
    return [
      { setupRequest: (req) => ({ ...req, ...trpcPost(spec.path, users.next(), spec.input) }) },
    ];
  }
  return [
    {
      setupRequest: (req, context) => {
        const token = users.next();
        context.token = token;
        return { ...req, ...trpcPost("bookings.hold", token, spec.input) };
      },
      onResponse: (status, body, context) => {
        context.holdId = status === 200 ? (JSON.parse(body) as HoldResponse).result.data.id : null;
      },
    },
    {
      setupRequest: (req, context) =>
        typeof context.holdId === "string"
          ? {
              ...req,
              ...trpcPost("bookings.confirm", context.token as string, { holdId: context.holdId }),
            }
          : null,
      onResponse: (status) => {
        if (status === 200) confirmed.n += 1;
      },
    },
  ];
}

/** system.noop; also what the bare server gets, so the load generator's own work is the same. */
export const noopLoad = (tokens: readonly string[], eventId: string): LoadSpec => ({
  kind: "rotate",
  path: "system.noop",
  tokens,
  input: { eventId },
});

/** bookings.book of one ticket, optionally with a code or extra input fields. */
export const bookLoad = (
  tokens: readonly string[],
  ref: EventRef,
  extra: Record<string, unknown> = {},
): LoadSpec => ({
  kind: "rotate",
  path: "bookings.book",
  tokens,
  input: { ...oneTicket(ref), ...extra },
});

/** hold, then confirm with the holdId the hold returned, by the same user. */
export const holdConfirmLoad = (tokens: readonly string[], ref: EventRef): LoadSpec => ({
  kind: "holdConfirm",
  tokens,
  input: oneTicket(ref),
});

/** The sellout's requests (autocannon: it is bounded by a number of requests, not a duration). */
export function bookRequests(tokens: readonly string[], ref: EventRef): Request[] {
  return requestsOf(bookLoad(tokens, ref), { n: 0 });
}

interface HoldResponse {
  result: { data: { id: string } };
}

export interface SelloutRun {
  readonly exact: boolean;
  readonly confirmed: number;
  readonly db: { bookings: number; tickets: number; sold: number };
  readonly refusals: Record<string, number>;
  readonly errors: number;
  readonly secondsToSoldOut: number;
  readonly secondsTotal: number;
  readonly load: LoadResult;
}

/** 20,000 attempts at 1,000 tickets as fast as the connections go; then the database is asked. */
export async function sellout(
  cfg: BenchConfig,
  url: string,
  tokens: readonly string[],
  ref: EventRef,
  run: number,
  countInDb: (eventId: string) => { bookings: number; tickets: number; sold: number },
): Promise<SelloutRun> {
  const load = await runLoad(
    `sellout ${run}/${cfg.selloutRuns}`,
    url,
    { connections: cfg.connections, amount: cfg.selloutAttempts },
    bookRequests(tokens, ref),
  );
  const db = countInDb(ref.eventId);
  const onlySoldOut = Object.keys(load.refusals).every((key) => key === "409 SOLD_OUT");
  const capacity = cfg.selloutCapacity;
  const exact =
    load.ok === capacity &&
    db.bookings === capacity &&
    db.tickets === capacity &&
    db.sold === capacity &&
    onlySoldOut &&
    load.errors === 0 &&
    load.ok + load.non2xx === cfg.selloutAttempts;
  return {
    exact,
    confirmed: load.ok,
    db,
    refusals: load.refusals,
    errors: load.errors,
    secondsToSoldOut: load.lastOkMs / 1000,
    secondsTotal: load.seconds,
    load,
  };
}
