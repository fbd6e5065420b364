import { afterEach, describe, expect, it } from "bun:test";
import { refundOf } from "@boxoffice/db";
import { createMockPaymentProvider, type PaymentProvider } from "./payments.ts";
import { refundRetryDelay } from "./refunds.ts";
import { createEngineWorld, type EngineWorld } from "./testing.ts";

let world: EngineWorld;

afterEach(async () => {
  await world.close();
});

/** The mock provider, whose refunds fail while `down` is true. */
function flakyProvider() {
  const mock = createMockPaymentProvider();
  const state = { down: true, refunds: 0 };
  const provider: PaymentProvider = {
    charge: (request) => mock.charge(request),
    async refund(charge) {
      if (state.down) throw new Error("provider unavailable");
      state.refunds += 1;
      return mock.refund(charge);
    },
  };
  return { provider, state };
}

async function paidBooking(w: EngineWorld) {
  const { eventId, typeIds } = w.event({}, [{ priceCents: 2_000, capacity: 5 }]);
  const buyer = w.user();
  const booked = await w.engine.book({
    eventId,
    buyer: { kind: "user", userId: buyer },
    items: [{ ticketTypeId: typeIds[0] ?? "", quantity: 2 }],
    seatIds: [],
  });
  if (booked.status !== "created") throw new Error("expected a booking");
  return { eventId, buyer, bookingId: booked.booking.id };
}

describe("refunds after a cancellation", () => {
  it("keeps the cancellation when the provider fails, and retries the refund until it is sent", async () => {
    const flaky = flakyProvider();
    world = createEngineWorld({ payments: flaky.provider });
    const { eventId, buyer, bookingId } = await paidBooking(world);

    const cancelled = await world.engine.cancelBooking({
      bookingId,
      eventId,
      byUserId: buyer,
      byOrganizer: true,
    });
    expect(cancelled.refundCents).toBe(4_000);
    expect(refundOf(world.db, bookingId)).toEqual({ amountCents: 4_000, status: "pending" });

    // Not due yet: nothing is tried.
    flaky.state.down = false;
    await world.engine.housekeeping();
    expect(flaky.state.refunds).toBe(0);

    world.clock.advance(refundRetryDelay(1));
    await world.engine.housekeeping();
    expect(flaky.state.refunds).toBe(1);
    expect(refundOf(world.db, bookingId).status).toBe("sent");

    // Sent once: later upkeep leaves it alone.
    world.clock.advance(refundRetryDelay(5));
    await world.engine.housekeeping();
    expect(flaky.state.refunds).toBe(1);
  });

  it("refunds every booking of a cancelled event, retrying those the provider refused", async () => {
    const flaky = flakyProvider();
    world = createEngineWorld({ payments: flaky.provider });
    const { eventId, typeIds } = world.event({}, [{ priceCents: 1_000, capacity: 5 }]);
    const bookingIds: string[] = [];
    for (const quantity of [1, 3]) {
      const booked = await world.engine.book({
        eventId,
        buyer: { kind: "user", userId: world.user() },
        items: [{ ticketTypeId: typeIds[0] ?? "", quantity }],
        seatIds: [],
      });
      if (booked.status !== "created") throw new Error("expected a booking");
      bookingIds.push(booked.booking.id);
    }

    const { refundedBookings } = await world.engine.cancelEvent({
      eventId,
      reason: "Storm",
      byUserId: world.user(),
    });
    expect(refundedBookings).toBe(2);
    expect(bookingIds.map((id) => refundOf(world.db, id))).toEqual([
      { amountCents: 1_000, status: "pending" },
      { amountCents: 3_000, status: "pending" },
    ]);

    flaky.state.down = false;
    world.clock.advance(refundRetryDelay(1));
    await world.engine.housekeeping();
    expect(bookingIds.map((id) => refundOf(world.db, id).status)).toEqual(["sent", "sent"]);
    expect(flaky.state.refunds).toBe(2);
  });

  it("backs off from 30 seconds, doubling, to at most an hour", () => {
    expect([1, 2, 3, 8, 30].map(refundRetryDelay)).toEqual([
      30_000, 60_000, 120_000, 3_600_000, 3_600_000,
    ]);
  });
});
