/** codes.* through createCaller (docs/API.md "codes"): the organizer's side of codes. */
import { afterEach, describe, expect, it } from "bun:test";
import { TRPCError } from "@trpc/server";
import { errorExtras } from "../errors.ts";
import { confirmed, createTestWorld, type TestWorld } from "../testing.ts";

let world: TestWorld;

afterEach(async () => {
  await world.close();
});

async function organizerWithEvent() {
  world = await createTestWorld();
  const organizer = await world.signUp("organizer");
  const created = await organizer.caller.events.create({
    title: "Codes",
    startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    ticketTypes: [
      { name: "General", priceCents: 2_000, capacity: 100 },
      { name: "Crew", priceCents: 0, capacity: 10, hidden: true },
    ],
  });
  const event = await organizer.caller.events.publish({ eventId: created.id });
  const [general, crew] = event.ticketTypes;
  return { organizer, event, general: general!, crew: crew! };
}

const failure = async (call: Promise<unknown>) => {
  const error = await call.catch((e: unknown) => e);
  if (!(error instanceof TRPCError)) throw new Error("expected a refusal");
  return { code: error.code, ...errorExtras(error) };
};

describe("codes", () => {
  it("generates 10,000 single-use codes in one go, quickly, without look-alikes", async () => {
    const { organizer, event } = await organizerWithEvent();
    const started = performance.now();
    const { codes } = await organizer.caller.codes.generate({
      eventId: event.id,
      count: 10_000,
      prefix: "sp-",
      kind: "discount",
      discount: { percent: 10 },
    });
    const ms = performance.now() - started;
    expect(codes).toHaveLength(10_000);
    expect(new Set(codes.map((c) => c.code)).size).toBe(10_000);
    expect(codes.every((c) => /^SP-[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{10}$/.test(c.code))).toBe(true);
    expect(codes.every((c) => c.maxUses === 1 && c.uses === 0)).toBe(true);
    expect(ms).toBeLessThan(5_000);
  });

  it("lists codes newest first, by prefix, a page at a time", async () => {
    const { organizer, event } = await organizerWithEvent();
    for (const code of ["ALPHA1", "ALPHA2", "BETA1"]) {
      await organizer.caller.codes.create({
        eventId: event.id,
        code,
        kind: "discount",
        discount: { amountCents: 500 },
      });
    }
    const first = await organizer.caller.codes.list({
      eventId: event.id,
      search: "alpha",
      limit: 1,
    });
    expect(first.items.map((c) => c.code)).toEqual(["ALPHA2"]);
    const second = await organizer.caller.codes.list({
      eventId: event.id,
      search: "alpha",
      limit: 1,
      cursor: first.nextCursor ?? undefined,
    });
    expect(second.items.map((c) => c.code)).toEqual(["ALPHA1"]);
    expect(second.nextCursor).toBeNull();
  });

  it("refuses a code text the event already has, in any case, with CODE_TAKEN", async () => {
    const { organizer, event } = await organizerWithEvent();
    const make = (code: string) =>
      organizer.caller.codes.create({
        eventId: event.id,
        code,
        kind: "discount",
        discount: { percent: 5 },
      });
    await make("EARLY");
    expect(await failure(make("early"))).toMatchObject({ code: "CONFLICT", reason: "CODE_TAKEN" });
  });

  it("unlocks hidden types only, and refuses unknown types, naming the field", async () => {
    const { organizer, event, general, crew } = await organizerWithEvent();
    const notHidden = await failure(
      organizer.caller.codes.create({
        eventId: event.id,
        kind: "access",
        unlocksTicketTypeIds: [general.id],
      }),
    );
    expect(notHidden).toMatchObject({ code: "BAD_REQUEST" });
    expect(notHidden.issues?.[0]?.path).toBe("unlocksTicketTypeIds.0");
    const unknown = await failure(
      organizer.caller.codes.create({
        eventId: event.id,
        kind: "discount",
        discount: { percent: 5 },
        ticketTypeIds: ["tt_nope"],
      }),
    );
    expect(unknown.issues?.[0]?.path).toBe("ticketTypeIds.0");
    const access = await failure(
      organizer.caller.codes.create({ eventId: event.id, kind: "access" }),
    );
    expect(access.issues?.[0]?.path).toBe("kind");
    const made = await organizer.caller.codes.create({
      eventId: event.id,
      kind: "access",
      unlocksTicketTypeIds: [crew.id],
    });
    expect(made.code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{10}$/);
  });

  it("updates a code (null clears) and disables it for new holds only", async () => {
    const { organizer, event, general } = await organizerWithEvent();
    const code = await organizer.caller.codes.create({
      eventId: event.id,
      code: "TEN",
      kind: "discount",
      discount: { percent: 10 },
      maxUses: 5,
    });
    const buyer = await world.signUp();
    const hold = await buyer.caller.bookings.hold({
      eventId: event.id,
      items: [{ ticketTypeId: general.id, quantity: 1 }],
      code: "ten",
    });
    expect(hold.code).toEqual({ id: code.id, code: "TEN" });
    expect(hold.items).toEqual([
      {
        ticketTypeId: general.id,
        ticketTypeName: "General",
        quantity: 1,
        unitPriceCents: 1_800,
        listPriceCents: 2_000,
      },
    ]);
    const updated = await organizer.caller.codes.update({
      eventId: event.id,
      codeId: code.id,
      maxUses: null,
      discount: { percent: 50 },
    });
    expect(updated).toMatchObject({ maxUses: null, discount: { percent: 50 }, uses: 1 });
    const disabled = await organizer.caller.codes.disable({ eventId: event.id, codeId: code.id });
    expect(disabled.disabled).toBe(true);
    const refused = await failure(
      buyer.caller.bookings.hold({
        eventId: event.id,
        items: [{ ticketTypeId: general.id, quantity: 1 }],
        code: "TEN",
      }),
    );
    expect(refused).toMatchObject({ code: "NOT_FOUND", reason: "CODE_INVALID" });
    // The hold that carries it keeps it, at its price.
    const booking = await buyer.caller.bookings.confirm({ holdId: hold.id });
    expect([booking.totalCents, booking.code?.code]).toEqual([1_800, "TEN"]);
    const kindless = await failure(
      organizer.caller.codes.update({ eventId: event.id, codeId: code.id, discount: null }),
    );
    expect(kindless.issues?.[0]?.path).toBe("discount");
  });

  it("tells a signed-in buyer the uses left to them, the smaller of overall and per person", async () => {
    const { organizer, event, general } = await organizerWithEvent();
    await organizer.caller.codes.create({
      eventId: event.id,
      code: "TWICE",
      kind: "discount",
      discount: { percent: 10 },
      maxUses: 5,
      maxUsesPerBuyer: 2,
    });
    const buyer = await world.signUp();
    const before = await buyer.caller.events.applyCode({ eventId: event.id, code: "twice" });
    expect(before.usesLeft).toBe(2);
    await buyer.caller.bookings.hold({
      eventId: event.id,
      items: [{ ticketTypeId: general.id, quantity: 1 }],
      code: "TWICE",
    });
    expect(
      (await buyer.caller.events.applyCode({ eventId: event.id, code: "TWICE" })).usesLeft,
    ).toBe(1);
    // Signed out, only the overall figure: 5 less the one use held.
    const anonymous = world.anonymous();
    expect((await anonymous.events.applyCode({ eventId: event.id, code: "TWICE" })).usesLeft).toBe(
      4,
    );
  });

  it("refuses hiding a seated event's section, naming the field: the map shows every section", async () => {
    world = await createTestWorld();
    const organizer = await world.signUp("organizer");
    const venue = await organizer.caller.venues.create({
      name: "Hall",
      sections: [{ name: "Stalls", priceCents: 100, rows: [{ label: "A", seats: 2 }] }],
    });
    const seated = await organizer.caller.events.create({
      title: "Seated",
      startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      venueId: venue.id,
    });
    const refused = await failure(
      organizer.caller.events.update({
        eventId: seated.id,
        ticketTypes: [{ id: seated.ticketTypes[0]!.id, hidden: true }],
      }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.issues?.map((i) => i.path)).toContain("ticketTypes.0.hidden");
  });

  it("names a hidden type in a buyer's holds, bookings and order, though events.get hides it", async () => {
    const { organizer, event, crew } = await organizerWithEvent();
    await organizer.caller.codes.create({
      eventId: event.id,
      code: "CREW",
      kind: "access",
      unlocksTicketTypeIds: [crew.id],
    });
    const buyer = await world.signUp();
    const seen = await buyer.caller.events.get({ eventId: event.id });
    expect(seen.ticketTypes.map((t) => t.name)).toEqual(["General"]);
    const named = [expect.objectContaining({ ticketTypeId: crew.id, ticketTypeName: "Crew" })];

    const hold = await buyer.caller.bookings.hold({
      eventId: event.id,
      items: [{ ticketTypeId: crew.id, quantity: 2 }],
      code: "CREW",
    });
    expect(hold.items).toEqual(named);
    expect((await buyer.caller.bookings.getHold({ holdId: hold.id })).items).toEqual(named);
    expect((await buyer.caller.bookings.myHolds({}))[0]?.items).toEqual(named);
    const booking = await buyer.caller.bookings.confirm({ holdId: hold.id });
    expect(booking.items).toEqual(named);
    expect((await buyer.caller.bookings.get({ bookingId: booking.id })).items).toEqual(named);
    expect((await buyer.caller.bookings.mine({})).items[0]?.items).toEqual(named);

    const guest = world.anonymous();
    const order = confirmed(
      await guest.bookings.book({
        eventId: event.id,
        items: [{ ticketTypeId: crew.id, quantity: 1 }],
        code: "CREW",
        buyer: { email: "guest@example.com", name: "Guest" },
      }),
    );
    expect(order.items).toEqual(named);
    const { booking: fromOrder } = await guest.orders.get({ orderToken: order.orderToken ?? "" });
    expect(fromOrder.items).toEqual(named);
  });
});
