/**
 * Scenario 8: the seat map of a 20,000-seat venue, a quarter of it sold or held, fetched over
 * plain HTTP as a browser would. Times and bytes for the compact form (a status string per row)
 * and the API.md form (an object per seat): cold (first request after a change, so built anew),
 * warm (unchanged state, served from the per-state cache), after a booking each time, and the
 * first request after a restart (actor load included).
 */
import { createClient } from "@boxoffice/client";
import type { Client } from "./fixtures.ts";
import { type Child, startServer } from "./processes.ts";
import { note } from "./progress.ts";

const SECTIONS = 10;
const ROWS = 40;
const SEATS_PER_ROW = 50;
const DAY = 86_400_000;

export interface SeatMapResult {
  seats: number;
  booked: number;
  held: number;
  compact: Timings;
  full: Timings;
  /** First compact request after a restart: loading the actor from SQLite included. */
  afterRestartMs: number;
}

interface Timings {
  bytes: number;
  coldMs: number;
  warmP50Ms: number;
  warmMaxMs: number;
  afterChangeP50Ms: number;
  afterChangeMaxMs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;

async function fetchMap(url: string, eventId: string, compact: boolean) {
  const input = encodeURIComponent(JSON.stringify({ eventId }));
  const path = compact ? "events.seatMapCompact" : "events.seatMap";
  const started = performance.now();
  const response = await fetch(`${url}/trpc/${path}?input=${input}`);
  const body = await response.arrayBuffer();
  const ms = performance.now() - started;
  if (!response.ok) throw new Error(`seatMap answered ${response.status}`);
  return { ms, bytes: body.byteLength };
}

/** Seat ids of one row's run, e.g. section 1, row 3, seats 1..50. */
const run = (section: number, row: number, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `s${section}-r${row}-${from + i}`);

async function seatedEvent(organizer: Client) {
  const venue = await organizer.venues.create.mutate({
    name: "Bench Arena",
    sections: Array.from({ length: SECTIONS }, (_, s) => ({
      name: `Section ${s + 1}`,
      priceCents: 0,
      rows: Array.from({ length: ROWS }, (_, r) => ({ label: `R${r + 1}`, seats: SEATS_PER_ROW })),
    })),
  });
  const event = await organizer.events.create.mutate({
    title: "Seat map bench",
    startsAt: new Date(Date.now() + 30 * DAY).toISOString(),
    venueId: venue.id,
    maxPerOrder: 100,
  });
  await organizer.events.publish.mutate({ eventId: event.id });
  return { eventId: event.id, seats: venue.seatCount };
}

/** Books 5,000 seats and holds 1,000 (two rows per request, 100 seats), through the API. */
async function fill(url: string, tokens: readonly string[], eventId: string) {
  let booked = 0;
  let held = 0;
  const requests: Promise<unknown>[] = [];
  for (let i = 0; i < 60; i++) {
    const section = (i % SECTIONS) + 1;
    const row = Math.floor(i / SECTIONS) * 2 + 1;
    const seatIds = [...run(section, row, 1, 50), ...run(section, row + 1, 1, 50)];
    const client = createClient({ url, token: tokens[i % tokens.length], batch: false });
    if (i < 50) {
      requests.push(client.bookings.book.mutate({ eventId, seatIds }));
      booked += seatIds.length;
    } else {
      requests.push(client.bookings.hold.mutate({ eventId, seatIds }));
      held += seatIds.length;
    }
  }
  await Promise.all(requests);
  return { booked, held };
}

async function timings(
  url: string,
  eventId: string,
  compact: boolean,
  book: (n: number) => Promise<void>,
): Promise<Timings> {
  const cold = await fetchMap(url, eventId, compact);
  const warm: number[] = [];
  for (let i = 0; i < 20; i++) warm.push((await fetchMap(url, eventId, compact)).ms);
  const afterChange: number[] = [];
  for (let i = 0; i < 10; i++) {
    await book(i);
    afterChange.push((await fetchMap(url, eventId, compact)).ms);
  }
  return {
    bytes: cold.bytes,
    coldMs: cold.ms,
    warmP50Ms: median(warm),
    warmMaxMs: Math.max(...warm),
    afterChangeP50Ms: median(afterChange),
    afterChangeMaxMs: Math.max(...afterChange),
  };
}

export async function seatMapScenario(
  databasePath: string,
  cpuProfDir: string | null,
  tokens: readonly string[],
  organizerOf: (url: string) => Promise<Client>,
  started: (child: Promise<Child>) => Promise<Child>,
  stopped: (child: Child) => Promise<void>,
): Promise<SeatMapResult> {
  note(`8 seat map: ${SECTIONS * ROWS * SEATS_PER_ROW} seats, filling a quarter`);
  const server = await started(startServer({ databasePath, cpuProfDir }));
  const organizer = await organizerOf(server.url);
  const { eventId, seats } = await seatedEvent(organizer);
  const { booked, held } = await fill(server.url, tokens, eventId);
  const buyer = createClient({ url: server.url, token: tokens.at(-1), batch: false });
  // One seat booked between requests, so every "after change" request builds the map anew.
  let nextRow = 0;
  const book = async (n: number) => {
    nextRow += 1;
    await buyer.bookings.book.mutate({ eventId, seatIds: run(SECTIONS, ROWS, nextRow, 1) });
    void n;
  };
  const compact = await timings(server.url, eventId, true, book);
  const full = await timings(server.url, eventId, false, book);
  await stopped(server);

  const restarted = await started(startServer({ databasePath, cpuProfDir }));
  const afterRestart = await fetchMap(restarted.url, eventId, true);
  await stopped(restarted);
  return { seats, booked, held, compact, full, afterRestartMs: afterRestart.ms };
}
