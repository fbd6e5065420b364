import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createMockPaymentProvider } from "@boxoffice/engine";
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
/** The mock provider, watched by the test that counts charges. */
const payments = createMockPaymentProvider();

beforeAll(async () => {
  ts = await startTestServer({}, { clock, payments });
});

afterAll(async () => {
  await ts.stop();
});

describe("hold expiry over HTTP", () => {
  it("frees an expired hold's tickets for the next buyer, and its owner can no longer confirm it", async () => {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client, {
      holdSeconds: 60,
      ticketTypes: [{ name: "Paid", priceCents: 2000, capacity: 1 }],
    });
    const typeId = event.ticketTypes[0]!.id;
    const first = ts.user();
    const second = ts.user();
    const hold = await first.client.bookings.hold.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 1 }],
    });
    expect(
      (
        await refusal(
          second.client.bookings.hold.mutate({
            eventId: event.id,
            items: [{ ticketTypeId: typeId, quantity: 1 }],
          }),
        )
      ).reason,
    ).toBe("SOLD_OUT");

    clock.advance(61_000);
    await eventually(
      async () =>
        (await ts.client().events.get.query({ eventId: event.id })).ticketTypes[0]!.held === 0,
    );

    const expired = await refusal(first.client.bookings.confirm.mutate({ holdId: hold.id }));
    expect(expired).toMatchObject({ reason: "HOLD_EXPIRED", httpStatus: 409 });
    expect((await refusal(first.client.bookings.getHold.query({ holdId: hold.id }))).reason).toBe(
      "HOLD_EXPIRED",
    );
    const next = await second.client.bookings.hold.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: typeId, quantity: 1 }],
    });
    const booking = await second.client.bookings.confirm.mutate({ holdId: next.id });
    expect(booking.totalCents).toBe(2000);
  });

  it("charges nothing for a hold that expired before its confirmation arrived", async () => {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client, {
      holdSeconds: 60,
      ticketTypes: [{ name: "Paid", priceCents: 500, capacity: 5 }],
    });
    const buyer = ts.user();
    const hold = await buyer.client.bookings.hold.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: event.ticketTypes[0]!.id, quantity: 1 }],
    });
    let charges = 0;
    const countCharge = payments.charge.bind(payments);
    payments.charge = (request) => {
      charges += 1;
      return countCharge(request);
    };
    // Past the deadline but before the sweep has run: the actor itself must refuse.
    clock.advance(60_000);
    const result = await refusal(buyer.client.bookings.confirm.mutate({ holdId: hold.id }));
    expect(result.reason).toBe("HOLD_EXPIRED");
    expect(charges).toBe(0);
    const booked = ts.server.services.db.$client
      .prepare("select count(*) n from bookings where event_id = ?")
      .get(event.id) as { n: number };
    expect(booked.n).toBe(0);
  });
});
