/**
 * Promo and access codes over HTTP on a real server (docs/API.md "codes"): the actor decides
 * every use, so a scarce code is used exactly as often as it allows however many buyers race.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import {
  eventually,
  OffsetClock,
  publishedEvent,
  refusal,
  startTestServer,
  type TestServer,
} from "./testing.ts";

let ts: TestServer;
const clock = new OffsetClock();
const MISSES = 5;

beforeAll(async () => {
  ts = await startTestServer({ CODE_MISSES_PER_IP_PER_MINUTE: String(MISSES) }, { clock });
});

afterAll(async () => {
  await ts.stop();
});

type Organizer = Awaited<ReturnType<TestServer["register"]>>;

async function eventWithCode(
  organizer: Organizer,
  code: Record<string, unknown>,
  event: Record<string, unknown> = {},
) {
  const created = await publishedEvent(organizer.client, {
    holdSeconds: 60,
    ticketTypes: [{ name: "General", priceCents: 2_000, capacity: 500 }],
    ...event,
  });
  const made = await organizer.client.codes.create.mutate({
    eventId: created.id,
    kind: "discount",
    discount: { percent: 25 },
    ...code,
  } as Parameters<typeof organizer.client.codes.create.mutate>[0]);
  return { event: created, code: made, typeId: created.ticketTypes[0]!.id };
}

describe("codes over HTTP", () => {
  it("lets exactly maxUses of 200 racing buyers use a code, and exactly 3 more once 3 of those holds expire", async () => {
    const organizer = await ts.register("organizer");
    const { event, typeId } = await eventWithCode(organizer, { code: "RACE10", maxUses: 10 });
    const race = async (buyers: number) => {
      const outcomes = await Promise.all(
        Array.from({ length: buyers }, async () => {
          const buyer = ts.user();
          try {
            const hold = await buyer.client.bookings.hold.mutate({
              eventId: event.id,
              items: [{ ticketTypeId: typeId, quantity: 1 }],
              code: "race10",
            });
            return { buyer, hold, reason: null };
          } catch (e) {
            return {
              buyer,
              hold: null,
              reason: (e as { data?: { reason?: string } }).data?.reason,
            };
          }
        }),
      );
      return {
        held: outcomes.flatMap((o) => (o.hold ? [{ buyer: o.buyer, hold: o.hold }] : [])),
        reasons: new Set(outcomes.flatMap((o) => (o.reason ? [o.reason] : []))),
      };
    };
    const first = await race(200);
    expect(first.held).toHaveLength(10);
    expect([...first.reasons]).toEqual(["CODE_EXHAUSTED"]);
    expect(first.held.every(({ hold }) => hold.code?.code === "RACE10")).toBe(true);
    expect(first.held.every(({ hold }) => hold.totalCents === 1_500)).toBe(true);
    // Seven are paid for (their uses stay); three lapse and give theirs back.
    await Promise.all(
      first.held
        .slice(0, 7)
        .map(({ buyer, hold }) => buyer.client.bookings.confirm.mutate({ holdId: hold.id })),
    );
    clock.advance(61_000);
    const usesNow = async () =>
      (await organizer.client.codes.list.query({ eventId: event.id })).items[0]?.uses;
    await eventually(async () => (await usesNow()) === 7);
    const second = await race(50);
    expect(second.held).toHaveLength(3);
    expect([...second.reasons]).toEqual(["CODE_EXHAUSTED"]);
    expect(await usesNow()).toBe(10);
  });

  it("gives back exactly the uses of the holds that expire, keeping those confirmed", async () => {
    const organizer = await ts.register("organizer");
    const { event, typeId } = await eventWithCode(organizer, { code: "KEEP5", maxUses: 5 });
    const buyers = Array.from({ length: 5 }, () => ts.user());
    const holds = await Promise.all(
      buyers.map((b) =>
        b.client.bookings.hold.mutate({
          eventId: event.id,
          items: [{ ticketTypeId: typeId, quantity: 1 }],
          code: "KEEP5",
        }),
      ),
    );
    for (const [i, b] of buyers.slice(0, 2).entries()) {
      const booking = await b.client.bookings.confirm.mutate({ holdId: holds[i]!.id });
      expect(booking.code).toEqual({ id: holds[i]!.code!.id, code: "KEEP5" });
      expect(booking.items[0]).toMatchObject({ unitPriceCents: 1_500, listPriceCents: 2_000 });
    }
    clock.advance(61_000);
    await eventually(
      async () =>
        (await organizer.client.codes.list.query({ eventId: event.id })).items[0]?.uses === 2,
    );
    const again = await Promise.all(
      Array.from({ length: 10 }, () =>
        ts
          .user()
          .client.bookings.hold.mutate({
            eventId: event.id,
            items: [{ ticketTypeId: typeId, quantity: 1 }],
            code: "KEEP5",
          })
          .then(() => "held")
          .catch((e) => (e as { data?: { reason?: string } }).data?.reason),
      ),
    );
    expect(again.filter((r) => r === "held")).toHaveLength(3);
    expect(again.filter((r) => r === "CODE_EXHAUSTED")).toHaveLength(7);
  });

  it("counts a guest and an account with one email as one buyer for maxUsesPerBuyer", async () => {
    const organizer = await ts.register("organizer");
    const { event, typeId } = await eventWithCode(
      organizer,
      { code: "ONCE", maxUsesPerBuyer: 1 },
      { guestCheckout: true },
    );
    const account = await ts.register("attendee");
    await ts.client().bookings.hold.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 1 }],
      code: "ONCE",
      buyer: { email: account.email.toUpperCase(), name: "Ada" },
    });
    const refused = await refusal(
      account.client.bookings.hold.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: typeId, quantity: 1 }],
        code: "ONCE",
      }),
    );
    expect(refused).toMatchObject({ reason: "CODE_EXHAUSTED", httpStatus: 409 });
  });

  it("keeps a hidden type out of events.get and availability until a code unlocks it", async () => {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client, {
      ticketTypes: [
        { name: "General", priceCents: 2_000, capacity: 10 },
        { name: "Crew", priceCents: 0, capacity: 5, hidden: true },
      ],
    });
    const crew = (await organizer.client.events.get.query({ eventId: event.id })).ticketTypes.find(
      (t) => t.name === "Crew",
    )!;
    expect(crew.hidden).toBe(true);
    await organizer.client.codes.create.mutate({
      eventId: event.id,
      code: "CREW-2026",
      kind: "access",
      unlocksTicketTypeIds: [crew.id],
    });
    const pub = await ts.client().events.get.query({ eventId: event.id });
    expect(pub.ticketTypes.map((t) => t.name)).toEqual(["General"]);
    expect(pub.availability.capacity).toBe(10);
    const listed = await ts.client().events.list.query({});
    expect(listed.items.find((e) => e.id === event.id)?.minPriceCents).toBe(2_000);
    const buyer = ts.user();
    const hidden = await refusal(
      buyer.client.bookings.hold.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: crew.id, quantity: 1 }],
      }),
    );
    expect(hidden.code).toBe("BAD_REQUEST");
    const applied = await ts
      .client()
      .events.applyCode.query({ eventId: event.id, code: " crew-2026 " });
    expect(applied.unlocks.map((t) => t.name)).toEqual(["Crew"]);
    expect(applied.usesLeft).toBeNull();
    const hold = await buyer.client.bookings.hold.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: crew.id, quantity: 1 }],
      code: "crew-2026",
    });
    expect(hold.totalCents).toBe(0);
  });

  it("lets a presale code buy before the public opening, while others get SALES_NOT_OPEN", async () => {
    const organizer = await ts.register("organizer");
    const opens = new Date(Date.now() + 86_400_000).toISOString();
    const { event, typeId } = await eventWithCode(
      organizer,
      {
        code: "MEMBERS",
        kind: "access",
        discount: undefined,
        opensSalesAt: new Date(Date.now() - 60_000).toISOString(),
      },
      { salesStartAt: opens },
    );
    const other = await refusal(
      ts.user().client.bookings.hold.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: typeId, quantity: 1 }],
      }),
    );
    expect(other.reason).toBe("SALES_NOT_OPEN");
    const member = await ts.user().client.bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 1 }],
      code: "members",
    });
    expect(member.status).toBe("confirmed");
  });

  it("makes a free order of a 100 % code, and charges and refunds the discounted price", async () => {
    const organizer = await ts.register("organizer");
    const { event, typeId } = await eventWithCode(organizer, {
      code: "FREE",
      discount: { percent: 100 },
    });
    await organizer.client.codes.create.mutate({
      eventId: event.id,
      code: "QUARTER",
      kind: "discount",
      discount: { percent: 25 },
    });
    const buyer = ts.user();
    const free = await buyer.client.bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 2 }],
      code: "FREE",
    });
    if (free.status !== "confirmed") throw new Error("not booked");
    expect(free.booking.totalCents).toBe(0);
    const paid = await buyer.client.bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 2 }],
      code: "QUARTER",
    });
    if (paid.status !== "confirmed") throw new Error("not booked");
    expect(paid.booking.totalCents).toBe(3_000);
    const cancelled = await buyer.client.bookings.cancel.mutate({ bookingId: paid.booking.id });
    expect(cancelled.refundCents).toBe(3_000);
    const csv = await fetch(`${ts.url}/exports/events/${event.id}/attendees.csv`, {
      headers: { Authorization: `Bearer ${organizer.token}` },
    });
    const rows = (await csv.text()).replace("\uFEFF", "").trim().split("\r\n");
    const codeColumn = rows[0]!.split(",").indexOf("Code");
    expect(rows.slice(1).map((r) => r.split(",")[codeColumn])).toEqual([
      "FREE",
      "FREE",
      "QUARTER",
      "QUARTER",
    ]);
    const figures = await organizer.client.analytics.event.query({ eventId: event.id });
    expect(figures.codes).toEqual([
      {
        codeId: expect.any(String),
        code: "FREE",
        kind: "discount",
        uses: 1,
        tickets: 2,
        revenueCents: 0,
        discountCents: 4_000,
      },
    ]);
  });

  it("exports the codes as a formula-safe CSV to the organizer only", async () => {
    const organizer = await ts.register("organizer");
    const { event } = await eventWithCode(organizer, { code: "-SUM", maxUses: 3 });
    const generated = await organizer.client.codes.generate.mutate({
      eventId: event.id,
      count: 3,
      prefix: "spk-",
      kind: "discount",
      discount: { amountCents: 500 },
    });
    expect(generated.codes.map((c) => [c.code.slice(0, 4), c.code.length, c.maxUses])).toEqual([
      ["SPK-", 14, 1],
      ["SPK-", 14, 1],
      ["SPK-", 14, 1],
    ]);
    const response = await fetch(`${ts.url}/exports/events/${event.id}/codes.csv`, {
      headers: { Authorization: `Bearer ${organizer.token}` },
    });
    expect(response.status).toBe(200);
    const lines = (await response.text()).replace("\uFEFF", "").trim().split("\r\n");
    expect(lines[0]).toBe("Code,Kind,Discount,Max uses,Uses,Valid from,Valid until,Disabled");
    expect(lines[1]).toBe("'-SUM,discount,25%,3,0,,,no");
    expect(lines).toHaveLength(5);
    const stranger = await ts.register("organizer");
    const denied = await fetch(`${ts.url}/exports/events/${event.id}/codes.csv`, {
      headers: { Authorization: `Bearer ${stranger.token}` },
    });
    expect(denied.status).toBe(403);
  });

  it("refuses applyCode and code holds from an IP past its unknown codes for the minute", async () => {
    const organizer = await ts.register("organizer");
    const { event, typeId } = await eventWithCode(organizer, { code: "REAL" });
    for (let i = 0; i < MISSES; i += 1) {
      const miss = await refusal(
        ts.client().events.applyCode.query({ eventId: event.id, code: `NOPE${i}` }),
      );
      expect(miss).toMatchObject({ reason: "CODE_INVALID", httpStatus: 404 });
    }
    const limited = await refusal(
      ts.client().events.applyCode.query({ eventId: event.id, code: "REAL" }),
    );
    expect(limited).toMatchObject({ reason: "RATE_LIMITED", httpStatus: 429 });
    const hold = await refusal(
      ts.user().client.bookings.hold.mutate({
        eventId: event.id,
        items: [{ ticketTypeId: typeId, quantity: 1 }],
        code: "REAL",
      }),
    );
    expect(hold.reason).toBe("RATE_LIMITED");
    clock.advance(61_000);
    const ok = await ts.client().events.applyCode.query({ eventId: event.id, code: "real" });
    expect(ok).toMatchObject({ code: "REAL", kind: "discount", discount: { percent: 25 } });
  });
});
