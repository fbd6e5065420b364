import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { publishedEvent, refusal, startTestServer, type TestServer } from "./testing.ts";

let ts: TestServer;

/** The booking of a `bookings.book` answer (these tests never sell out, so nobody is waitlisted). */
function confirmed<B>(answer: { status: string; booking?: B }): B {
  if (answer.status !== "confirmed" || answer.booking === undefined) {
    throw new Error(`Expected a confirmed booking, got ${answer.status}`);
  }
  return answer.booking;
}

beforeAll(async () => {
  ts = await startTestServer();
});

afterAll(async () => {
  await ts.stop();
});

async function eventWithTicket() {
  const organizer = await ts.register("organizer");
  const event = await publishedEvent(organizer.client);
  const buyer = await ts.register("attendee", "Grace Hopper");
  const booking = confirmed(
    await buyer.client.bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 1 }],
    }),
  );
  return { organizer, event, buyer, booking, code: booking.tickets[0]!.code };
}

describe("check-in at the door over HTTP", () => {
  it("admits a code scanned at several gates at the same instant exactly once", async () => {
    const { organizer, event, code } = await eventWithTicket();
    // One client per gate: separate HTTP requests, not one batch.
    const gates = Array.from({ length: 8 }, () => ts.client(organizer.token));
    const scans = await Promise.all(
      gates.map((gate) => gate.checkin.scan.mutate({ eventId: event.id, code })),
    );
    const ok = scans.filter((s) => s.result === "ok");
    const already = scans.filter((s) => s.result === "already");
    expect(ok).toHaveLength(1);
    expect(already).toHaveLength(7);
    // Every `already` carries the time of the one scan that got in.
    const times = scans.map((s) => ("checkedInAt" in s ? s.checkedInAt : null));
    expect(times[0]).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(new Set(times).size).toBe(1);
    expect(ok[0]).toMatchObject({ attendee: { name: "Grace Hopper" }, ticket: { code } });
    expect(await organizer.client.checkin.stats.query({ eventId: event.id })).toEqual({
      checkedIn: 1,
      total: 1,
    });
  });

  it("answers invalid for unknown codes and cancelled for a cancelled booking's ticket", async () => {
    const { organizer, event, buyer, booking, code } = await eventWithTicket();
    const scan = (c: string) =>
      organizer.client.checkin.scan.mutate({ eventId: event.id, code: c });
    expect(await scan("NOT-A-REAL-CODE")).toEqual({ result: "invalid" });
    await buyer.client.bookings.cancel.mutate({ bookingId: booking.id });
    expect((await scan(code.toLowerCase())).result).toBe("cancelled");
  });

  it("undoes a mistaken scan", async () => {
    const { organizer, event, code } = await eventWithTicket();
    const input = { eventId: event.id, code };
    await organizer.client.checkin.scan.mutate(input);
    expect(await organizer.client.checkin.undo.mutate(input)).toEqual({ result: "ok" });
    expect(await organizer.client.checkin.undo.mutate(input)).toEqual({
      result: "not_checked_in",
    });
    expect((await organizer.client.checkin.scan.mutate(input)).result).toBe("ok");
  });

  it("forbids attendees, ticket holders and other organizers from scanning", async () => {
    const { event, buyer, code } = await eventWithTicket();
    const rival = await ts.register("organizer");
    const input = { eventId: event.id, code };
    for (const client of [buyer.client, rival.client]) {
      expect(await refusal(client.checkin.scan.mutate(input))).toMatchObject({
        code: "FORBIDDEN",
        httpStatus: 403,
      });
    }
    expect(await refusal(rival.client.checkin.undo.mutate(input))).toMatchObject({
      httpStatus: 403,
    });
    expect(await refusal(ts.client().checkin.scan.mutate(input))).toMatchObject({
      httpStatus: 401,
    });
  });
});
