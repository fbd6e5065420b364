/**
 * Scenarios 0–5: the on-sale rush measured against the stack's own ceiling. Every request comes
 * from the next user in a rotation, with its own bearer token and body.
 */
import type { BenchConfig, Row } from "./config.ts";
import type { EventRef } from "./fixtures.ts";
import { type LoadResult, type Request, Rotation, runLoad, trpcPost } from "./load.ts";
import { note } from "./progress.ts";

export const oneTicket = (ref: EventRef) => ({
  eventId: ref.eventId,
  items: [{ ticketTypeId: ref.ticketTypeId, quantity: 1 }],
});

/** Every buyer books one ticket with `code` (the hot path's extra: a lookup and a counter). */
export function bookWithCodeRequests(
  tokens: readonly string[],
  ref: EventRef,
  code: string,
): Request[] {
  const users = new Rotation(tokens);
  const input = { ...oneTicket(ref), code };
  return [
    { setupRequest: (req) => ({ ...req, ...trpcPost("bookings.book", users.next(), input) }) },
  ];
}

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
    note: [extra, refusals].filter(Boolean).join("; "),
  };
}

/** Warms up unmeasured, then measures, with the same request generator. */
export async function measure(
  cfg: BenchConfig,
  label: string,
  url: string,
  requests: () => Request[],
): Promise<LoadResult> {
  note(
    `${label}: warm-up ${cfg.warmupS}s, then ${cfg.durationS}s at ${cfg.connections} connections`,
  );
  await runLoad(
    `${label} (warm-up)`,
    url,
    { connections: cfg.connections, durationS: cfg.warmupS },
    requests(),
  );
  return runLoad(
    label,
    url,
    { connections: cfg.connections, durationS: cfg.durationS },
    requests(),
  );
}

/** system.noop; also what the bare server gets, so the load generator's own work is the same. */
export function noopRequests(tokens: readonly string[], eventId: string): Request[] {
  const users = new Rotation(tokens);
  return [
    { setupRequest: (req) => ({ ...req, ...trpcPost("system.noop", users.next(), { eventId }) }) },
  ];
}

export function bookRequests(tokens: readonly string[], ref: EventRef): Request[] {
  const users = new Rotation(tokens);
  const input = oneTicket(ref);
  return [
    { setupRequest: (req) => ({ ...req, ...trpcPost("bookings.book", users.next(), input) }) },
  ];
}

/** hold, then confirm with the holdId the hold returned (the chain restarts when a hold fails). */
export function holdConfirmRequests(
  tokens: readonly string[],
  ref: EventRef,
  confirmed: { n: number },
): Request[] {
  const users = new Rotation(tokens);
  const input = oneTicket(ref);
  return [
    {
      setupRequest: (req, context) => {
        const token = users.next();
        context.token = token;
        return { ...req, ...trpcPost("bookings.hold", token, input) };
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
