/**
 * The one organizer check: every procedure built on eventOrganizerProcedure, and the attendee
 * CSV export, give a different organizer, an attendee and a stranger to the event the same
 * answer, and let the event's organizer and an admin in.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { appRouter, eventOrganizerInput } from "@boxoffice/api";
import { publishedEvent, startTestServer, type TestServer } from "./testing.ts";

let ts: TestServer;

beforeAll(async () => {
  ts = await startTestServer();
});

afterAll(async () => {
  await ts.stop();
});

interface ProcedureDef {
  type: "query" | "mutation" | "subscription";
  inputs: unknown[];
}

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>,
).map(([path, p]) => ({ path, type: p._def.type, inputs: p._def.inputs }));

/** Procedures whose first input is the organizer check's: the ones that must refuse others. */
const organizerOnly = procedures.filter((p) => p.inputs[0] === eventOrganizerInput);

/** Procedures that take an event id and are meant for the public, buyers or the event's users. */
const notOrganizerOnly = new Set([
  "events.get",
  "events.applyCode",
  "events.availability",
  "events.seatMap",
  "events.seatMapCompact",
  "events.seatMapChanges",
  "bookings.hold",
  "bookings.book",
  "waitlist.join",
  "waitlist.leave",
  "waitlist.status",
  "room.challenge",
  "room.enter",
  "room.position",
  "room.status",
  "system.noop",
]);

/**
 * A subscription's refusal over SSE: its `serialized-error` event (the response itself is 200),
 * with the status and code the error would have had as a call.
 */
async function subscribe(path: string, eventId: string, token: string) {
  const input = encodeURIComponent(JSON.stringify({ eventId }));
  const response = await fetch(`${ts.url}/trpc/${path}?input=${input}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let text = "";
  // Up to the first message after `connected`: an error, or data (then the call was let in).
  while (!/event: serialized-error\ndata: .*\n\n|(^|\n)id: .*\ndata: .*\n\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  await reader.cancel();
  const error = /event: serialized-error\ndata: (.*)\n/.exec(text)?.[1];
  if (!error) return { status: 200, code: undefined, message: undefined };
  const body = JSON.parse(error) as { message: string; data: { code: string; httpStatus: number } };
  return { status: body.data.httpStatus, code: body.data.code, message: body.message };
}

/** Calls a procedure over HTTP with only the event id: the check comes before other fields. */
async function call(path: string, type: string, eventId: string, token: string) {
  if (type === "subscription") return subscribe(path, eventId, token);
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const input = JSON.stringify({ eventId });
  const response =
    type === "query"
      ? await fetch(`${ts.url}/trpc/${path}?input=${encodeURIComponent(input)}`, { headers })
      : await fetch(`${ts.url}/trpc/${path}`, { method: "POST", headers, body: input });
  const body = (await response.json()) as { error?: { message: string; data: { code: string } } };
  return { status: response.status, code: body.error?.data.code, message: body.error?.message };
}

async function download(eventId: string, token: string, file = "attendees.csv") {
  const response = await fetch(`${ts.url}/exports/events/${eventId}/${file}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = response.ok ? null : ((await response.json()) as { error: string });
  return { status: response.status, message: body?.error };
}

describe("the one organizer check", () => {
  it("guards every procedure that takes an event id and is not meant for buyers", () => {
    expect(organizerOnly.map((p) => p.path).sort()).toEqual([
      "analytics.event",
      "bookings.forEvent",
      "checkin.scan",
      "checkin.stats",
      "checkin.undo",
      "codes.create",
      "codes.disable",
      "codes.generate",
      "codes.list",
      "codes.update",
      "events.cancel",
      "events.delete",
      "events.publish",
      "events.update",
      "mail.broadcast",
      "mail.broadcastPreview",
      "mail.broadcasts",
      "room.stats",
      "waitlist.entries",
      "waitlist.history",
      "waitlist.offerNext",
    ]);
    // Any other procedure with an event id must be one meant for the public or buyers.
    const takesEventId = procedures.filter((p) =>
      p.inputs.some((i) => {
        const shape = (i as { shape?: Record<string, unknown> }).shape;
        return shape !== undefined && "eventId" in shape;
      }),
    );
    for (const p of takesEventId) {
      if (!organizerOnly.includes(p)) expect(notOrganizerOnly).toContain(p.path);
    }
  });

  it("answers another organizer, an attendee and a buyer of the event alike, everywhere", async () => {
    const owner = await ts.register("organizer");
    const event = await publishedEvent(owner.client, {
      ticketTypes: [{ name: "GA", priceCents: 0, capacity: 10 }],
    });
    const buyer = ts.user();
    await buyer.client.bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 1 }],
    });
    const outsiders = [ts.user("organizer"), ts.user("attendee"), buyer];
    const refusal = { status: 403, message: "Only this event's organizer can do this" };
    for (const outsider of outsiders) {
      for (const p of organizerOnly) {
        expect({ path: p.path, ...(await call(p.path, p.type, event.id, outsider.token)) }).toEqual(
          { path: p.path, ...refusal, code: "FORBIDDEN" },
        );
      }
      expect(await download(event.id, outsider.token)).toEqual(refusal);
      expect(await download(event.id, outsider.token, "codes.csv")).toEqual(refusal);
    }
  });

  it("answers NOT_FOUND for an event that does not exist, and lets the organizer in", async () => {
    const owner = await ts.register("organizer");
    const event = await publishedEvent(owner.client);
    for (const p of organizerOnly) {
      const missing = await call(p.path, p.type, "evt_missing", owner.token);
      expect({ path: p.path, status: missing.status }).toEqual({ path: p.path, status: 404 });
    }
    expect((await download("evt_missing", owner.token)).status).toBe(404);
    expect((await download(event.id, owner.token)).status).toBe(200);
    expect((await download("evt_missing", owner.token, "codes.csv")).status).toBe(404);
    expect((await download(event.id, owner.token, "codes.csv")).status).toBe(200);
    expect((await call("checkin.stats", "query", event.id, owner.token)).status).toBe(200);
  });
});
