/**
 * The room's buyers in scenario 9 (scripts/bench/room.ts), as scripts would be: plain tRPC over
 * fetch, the challenge solved with altcha-lib (README "On-sale room"), and once admitted (told by
 * their stream, or by polling) a hold with the token and its confirmation.
 */
import { roomSolution } from "@boxoffice/client";
import type { StatusMessage, StatusStream } from "./room-streams.ts";

/** Purchases (hold, then confirm) under way at once. */
const PURCHASE_WIDTH = 64;

export interface Buyer {
  readonly token: string;
  solution?: string;
  stream?: StatusStream;
  admitted: boolean;
}

export interface Timeline {
  readonly p10: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly last: number | null;
}

export function timeline(instants: readonly number[], from: number): Timeline {
  const sorted = [...instants].sort((a, b) => a - b);
  const at = (q: number) => {
    const instant = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return instant === undefined ? null : (instant - from) / 1000;
  };
  return { p10: at(0.1), p50: at(0.5), p90: at(0.9), last: at(1) };
}

export const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;

export async function trpc<T>(
  url: string,
  path: string,
  token: string,
  input: unknown,
  get = false,
) {
  const query = `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await fetch(`${url}/trpc/${path}${get ? query : ""}`, {
    method: get ? "GET" : "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: get ? undefined : JSON.stringify(input),
  });
  const body = (await response.json()) as {
    result?: { data: T };
    error?: { data?: { reason?: string; code?: string } };
  };
  if (!body.result) {
    const reason = body.error?.data?.reason ?? body.error?.data?.code ?? String(response.status);
    throw Object.assign(new Error(`${path}: ${reason}`), {
      reason: `${response.status} ${reason}`,
    });
  }
  return body.result.data;
}

type Challenge = Parameters<typeof roomSolution>[0];

/** A challenge fetched and solved as a script would (README "On-sale room"): the payload. */
export async function solvedChallenge(url: string, token: string, eventId: string) {
  const challenge = await trpc<Challenge>(url, "room.challenge", token, { eventId }, true);
  const started = performance.now();
  const payload = await roomSolution(challenge);
  return { payload, ms: performance.now() - started };
}

export async function pooled<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

interface Sale {
  admitted: number;
  held: number;
  confirmed: number;
  lastConfirmAt: number | null;
  readonly refused: Record<string, number>;
  /** Date.now() of each admission seen and each confirmation, for the sale's timeline. */
  readonly admittedAt: number[];
  readonly confirmedAt: number[];
  /** Milliseconds each hold + confirm took. */
  readonly purchaseMs: number[];
}

/** Admitted buyers (told by their stream, or by polling) hold with their token, then confirm. */
export function buying(url: string, eventId: string, typeId: string, tickets: number) {
  const sale: Sale = {
    admitted: 0,
    held: 0,
    confirmed: 0,
    lastConfirmAt: null,
    refused: {},
    admittedAt: [],
    confirmedAt: [],
    purchaseMs: [],
  };
  const due: { buyer: Buyer; token: string }[] = [];
  let wake: (() => void) | null = null;
  let done = false;
  const admit = (buyer: Buyer, status: StatusMessage) => {
    if (buyer.admitted || status.state !== "admitted" || !status.admissionToken) return;
    buyer.admitted = true;
    sale.admitted += 1;
    sale.admittedAt.push(Date.now());
    due.push({ buyer, token: status.admissionToken });
    wake?.();
  };
  const buy = async ({ buyer, token }: { buyer: Buyer; token: string }) => {
    const started = performance.now();
    try {
      const hold = await trpc<{ id: string }>(url, "bookings.hold", buyer.token, {
        eventId,
        items: [{ ticketTypeId: typeId, quantity: 1 }],
        admissionToken: token,
      });
      sale.held += 1;
      await trpc(url, "bookings.confirm", buyer.token, { holdId: hold.id });
      sale.confirmed += 1;
      sale.lastConfirmAt = Date.now();
      sale.confirmedAt.push(sale.lastConfirmAt);
      sale.purchaseMs.push(performance.now() - started);
      if (sale.confirmed >= tickets) done = true;
    } catch (error) {
      const reason = (error as { reason?: string }).reason ?? "error";
      sale.refused[reason] = (sale.refused[reason] ?? 0) + 1;
    }
  };
  const workers = Array.from({ length: PURCHASE_WIDTH }, async () => {
    while (!done) {
      const next = due.shift();
      if (next) await buy(next);
      else
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
    }
  });
  return {
    sale,
    admit,
    get done() {
      return done;
    },
    async stop() {
      done = true;
      await Promise.all(workers);
    },
  };
}

/** Buyers without a stream ask `room.position` every 2 s (presence, and their turn). */
export function polling(
  url: string,
  eventId: string,
  buyers: Buyer[],
  admit: (buyer: Buyer, status: StatusMessage) => void,
) {
  let stopped = false;
  const loop = (async () => {
    while (!stopped && buyers.length > 0) {
      const round = performance.now();
      await pooled(buyers, 16, async (buyer) => {
        if (buyer.admitted || stopped) return;
        try {
          admit(
            buyer,
            await trpc<StatusMessage>(url, "room.position", buyer.token, { eventId }, true),
          );
        } catch {
          // Counted by the sale's outcome; a poll that fails is tried again next round.
        }
      });
      await Bun.sleep(Math.max(0, 2_000 - (performance.now() - round)));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}
