/** mail.* through createCaller (docs/API.md "mail"): broadcasts, settings, unsubscribing. */
import { afterEach, describe, expect, it } from "bun:test";
import { hashUnsubscribeToken } from "@boxoffice/db";
import { TRPCError } from "@trpc/server";
import fc from "fast-check";
import { errorExtras } from "../errors.ts";
import { confirmed, createTestWorld, type TestWorld } from "../testing.ts";

let world: TestWorld;

afterEach(async () => {
  await world.close();
});

const DAY = 86_400_000;

type Organizer = Awaited<ReturnType<TestWorld["signUp"]>>;

async function eventOf(organizer: Organizer, title = "Broadcasts") {
  const created = await organizer.caller.events.create({
    title,
    startsAt: new Date(Date.now() + 30 * DAY).toISOString(),
    ticketTypes: [
      { name: "General", priceCents: 0, capacity: 500 },
      { name: "VIP", priceCents: 0, capacity: 50 },
    ],
  });
  const event = await organizer.caller.events.publish({ eventId: created.id });
  const [general, vip] = event.ticketTypes;
  return { event, general: general!.id, vip: vip!.id };
}

/** A guest's booking, with the attendees named as given. */
function guestBooks(
  eventId: string,
  ticketTypeId: string,
  buyer: { email: string; name: string },
  attendees: { name: string; email?: string }[] = [],
) {
  return world.anonymous().bookings.book({
    eventId,
    items: [{ ticketTypeId, quantity: Math.max(1, attendees.length) }],
    buyer,
    ...(attendees.length > 0 ? { attendees } : {}),
  });
}

const failure = async (call: Promise<unknown>) => {
  const error = await call.catch((e: unknown) => e);
  if (!(error instanceof TRPCError)) throw new Error("expected a refusal");
  return { code: error.code, ...errorExtras(error) };
};

type OutboxRow = {
  kind: string;
  recipient_email: string;
  recipient_name: string;
  payload: string;
  broadcast_id: string;
};

const broadcastRows = (broadcastId: string) =>
  world.services.db.$client
    .prepare("select * from outbox where broadcast_id = ? order by id")
    .all(broadcastId) as OutboxRow[];

const message = { subject: "Doors open at 7", body: "Hello!\n\nDoors open at 7 pm." };

describe("broadcasts", () => {
  it("previews who would get a message, each address once, and the mail as they read it", async () => {
    world = await createTestWorld();
    const organizer = await world.signUp("organizer", "Ada Organizer");
    const { event, general } = await eventOf(organizer, "Jazz Night");
    // A named ticket with its own address goes there; one named without, to the buyer.
    await guestBooks(event.id, general, { email: "buyer@example.test", name: "Bea" }, [
      { name: "Ann", email: "ann@example.test" },
      { name: "Bob" },
    ]);
    // The same buyer again, and Ann again as somebody else's attendee: still once each.
    await guestBooks(event.id, general, { email: "buyer@example.test", name: "Bea" });
    await guestBooks(event.id, general, { email: "cy@example.test", name: "Cy" }, [
      { name: "Ann", email: "ANN@example.test" },
    ]);
    const account = await world.signUp();
    confirmed(
      await account.caller.bookings.book({
        eventId: event.id,
        items: [{ ticketTypeId: general, quantity: 1 }],
      }),
    );

    const preview = await organizer.caller.mail.broadcastPreview({
      eventId: event.id,
      ...message,
      to: "all",
    });
    // ann, buyer, and the account; cy's only ticket is Ann's.
    expect(preview).toMatchObject({ recipients: 3, unsubscribed: 0 });
    expect(preview.subject).toContain("Doors open at 7");
    expect(preview.text).toContain("Doors open at 7 pm.");
    expect(preview.html.length).toBeGreaterThan(0);
    // A preview writes nothing.
    expect(
      world.services.db.$client
        .prepare("select count(*) n from outbox where kind = 'broadcast'")
        .get(),
    ).toEqual({ n: 0 });
  });

  it("writes one mail per address in one go, and only the unsubscribe token's hash", async () => {
    world = await createTestWorld();
    const organizer = await world.signUp("organizer");
    const { event, general } = await eventOf(organizer);
    for (const n of [1, 2, 3]) {
      await guestBooks(event.id, general, { email: `p${n}@example.test`, name: `P${n}` });
    }
    const { broadcast } = await organizer.caller.mail.broadcast({
      eventId: event.id,
      ...message,
      to: "all",
    });
    expect(broadcast).toMatchObject({
      subject: message.subject,
      body: message.body,
      to: "all",
      recipients: 3,
      sent: 0,
      pending: 3,
      failed: 0,
      skipped: 0,
    });
    expect(broadcast.author.name).toContain("organizer");
    const rows = broadcastRows(broadcast.id);
    expect(rows.map((r) => r.recipient_email)).toEqual([
      "p1@example.test",
      "p2@example.test",
      "p3@example.test",
    ]);
    expect(rows.map((r) => r.recipient_name)).toEqual(["P1", "P2", "P3"]);
    const tokens = rows.map((r) => JSON.parse(r.payload).unsubscribeToken as string);
    expect(new Set(tokens).size).toBe(3);
    const stored = world.services.db.$client
      .prepare("select token_hash, email from unsubscribe_tokens order by email")
      .all() as { token_hash: string; email: string }[];
    expect(stored.map((s) => s.token_hash)).toEqual(tokens.map(hashUnsubscribeToken));
    expect(stored.some((s) => tokens.includes(s.token_hash))).toBe(false);
  });

  it("goes to holders of the chosen ticket types; unknown types and nobody are refused", async () => {
    world = await createTestWorld();
    const organizer = await world.signUp("organizer");
    const { event, general, vip } = await eventOf(organizer);
    await guestBooks(event.id, general, { email: "ga@example.test", name: "Ga" });
    await guestBooks(event.id, vip, { email: "vip@example.test", name: "Vip" });
    const input = { eventId: event.id, ...message };
    expect((await organizer.caller.mail.broadcastPreview({ ...input, to: [vip] })).recipients).toBe(
      1,
    );
    const { broadcast } = await organizer.caller.mail.broadcast({ ...input, to: [vip] });
    expect(broadcast.to).toEqual([vip]);
    expect(broadcastRows(broadcast.id).map((r) => r.recipient_email)).toEqual(["vip@example.test"]);

    const unknown = await failure(organizer.caller.mail.broadcast({ ...input, to: ["tt_nope"] }));
    expect(unknown.code).toBe("BAD_REQUEST");
    expect(unknown.issues?.[0]?.path).toBe("to.0");

    const other = await eventOf(organizer, "Nobody came");
    const nobody = await failure(
      organizer.caller.mail.broadcast({ eventId: other.event.id, ...message, to: "all" }),
    );
    expect(nobody).toMatchObject({ code: "PRECONDITION_FAILED", reason: "NO_RECIPIENTS" });
    expect(world.services.db.$client.prepare("select count(*) n from broadcasts").get()).toEqual({
      n: 1,
    });
  });

  it("lists an event's broadcasts newest first with where their mails stand", async () => {
    world = await createTestWorld();
    const organizer = await world.signUp("organizer");
    const { event, general } = await eventOf(organizer);
    await guestBooks(event.id, general, { email: "a@example.test", name: "A" });
    await guestBooks(event.id, general, { email: "b@example.test", name: "B" });
    const first = await organizer.caller.mail.broadcast({
      eventId: event.id,
      ...message,
      to: "all",
    });
    const db = world.services.db.$client;
    const [a, b] = broadcastRows(first.broadcast.id);
    db.prepare("update outbox set sent_at = 1 where recipient_email = ? and broadcast_id = ?").run(
      a!.recipient_email,
      first.broadcast.id,
    );
    db.prepare(
      "update outbox set failed_at = 1, skipped_at = 1 where recipient_email = ? and broadcast_id = ?",
    ).run(b!.recipient_email, first.broadcast.id);
    const second = await organizer.caller.mail.broadcast({
      eventId: event.id,
      subject: "Second",
      body: "Again",
      to: "all",
    });
    const list = await organizer.caller.mail.broadcasts({ eventId: event.id });
    expect(list.map((x) => x.id)).toEqual([second.broadcast.id, first.broadcast.id]);
    expect(list[1]).toMatchObject({ recipients: 2, sent: 1, pending: 0, failed: 0, skipped: 1 });
    expect(list[0]).toMatchObject({ recipients: 2, sent: 0, pending: 2 });
    expect(Date.parse(list[0]!.createdAt)).toBeGreaterThan(0);
  });

  it("is the event's organizer's (or an admin's) alone", async () => {
    world = await createTestWorld();
    const organizer = await world.signUp("organizer");
    const { event, general } = await eventOf(organizer);
    await guestBooks(event.id, general, { email: "a@example.test", name: "A" });
    const input = { eventId: event.id, ...message, to: "all" as const };
    const stranger = await world.signUp("organizer");
    expect((await failure(stranger.caller.mail.broadcast(input))).code).toBe("FORBIDDEN");
    expect((await failure(stranger.caller.mail.broadcasts({ eventId: event.id }))).code).toBe(
      "FORBIDDEN",
    );
    const attendee = await world.signUp();
    expect((await failure(attendee.caller.mail.broadcastPreview(input))).code).toBe("FORBIDDEN");
    expect((await failure(world.anonymous().mail.broadcast(input))).code).toBe("UNAUTHORIZED");
    const admin = await world.signUp("admin");
    expect((await admin.caller.mail.broadcast(input)).broadcast.recipients).toBe(1);
  });

  it("writes each address at most once per broadcast, however tickets name them", async () => {
    // Many guest bookings from one test "IP", and an event per run.
    world = await createTestWorld({
      limits: { guestHoldsPerIpPerMinute: 100_000, eventsPerOrganizerPerDay: 1_000 },
    });
    const organizer = await world.signUp("organizer");
    const pool = ["a", "b", "c", "d"].map((n) => `${n}@example.test`);
    const address = fc.constantFrom(...pool);
    const booking = fc.record({
      buyer: address,
      attendees: fc.array(fc.option(address, { nil: undefined }), { maxLength: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(booking, { minLength: 1, maxLength: 5 }), async (bookings) => {
        const { event, general } = await eventOf(organizer);
        const expected = new Set<string>();
        for (const b of bookings) {
          const attendees = b.attendees.map((email, i) => ({ name: `Guest ${i}`, email }));
          await guestBooks(event.id, general, { email: b.buyer, name: "Buyer" }, attendees);
          if (attendees.length === 0) expected.add(b.buyer);
          for (const a of attendees) expected.add(a.email ?? b.buyer);
        }
        const { broadcast } = await organizer.caller.mail.broadcast({
          eventId: event.id,
          ...message,
          to: "all",
        });
        const emails = broadcastRows(broadcast.id).map((r) => r.recipient_email);
        expect(new Set(emails).size).toBe(emails.length);
        expect(new Set(emails)).toEqual(expected);
        expect(broadcast.recipients).toBe(expected.size);
      }),
      { numRuns: 25 },
    );
  });
});

describe("unsubscribing", () => {
  it("leaves an unsubscribed address out from then on, until it resubscribes", async () => {
    world = await createTestWorld();
    const organizer = await world.signUp("organizer", "Ada Organizer");
    const { event, general } = await eventOf(organizer);
    await guestBooks(event.id, general, { email: "stay@example.test", name: "Stay" });
    await guestBooks(event.id, general, { email: "leave@example.test", name: "Leave" });
    const input = { eventId: event.id, ...message, to: "all" as const };
    const { broadcast } = await organizer.caller.mail.broadcast(input);
    const row = broadcastRows(broadcast.id).find(
      (r) => r.recipient_email === "leave@example.test",
    )!;
    const token = JSON.parse(row.payload).unsubscribeToken as string;

    const anonymous = world.anonymous();
    // Reading the link names whose messages it is about, and changes nothing.
    const before = { organizerName: "Ada Organizer", email: "l•••@example.test" };
    expect(await anonymous.mail.subscription({ token })).toEqual({
      ...before,
      unsubscribed: false,
    });
    expect((await organizer.caller.mail.broadcastPreview(input)).unsubscribed).toBe(0);
    expect(await anonymous.mail.unsubscribe({ token })).toEqual({
      organizerName: "Ada Organizer",
      email: "l•••@example.test",
      unsubscribed: true,
    });
    // Twice is the same as once.
    expect((await anonymous.mail.unsubscribe({ token })).unsubscribed).toBe(true);
    expect(await organizer.caller.mail.broadcastPreview(input)).toMatchObject({
      recipients: 1,
      unsubscribed: 1,
    });
    const next = await organizer.caller.mail.broadcast(input);
    expect(broadcastRows(next.broadcast.id).map((r) => r.recipient_email)).toEqual([
      "stay@example.test",
    ]);

    expect((await anonymous.mail.subscription({ token })).unsubscribed).toBe(true);
    expect((await anonymous.mail.resubscribe({ token })).unsubscribed).toBe(false);
    expect((await organizer.caller.mail.broadcastPreview(input)).recipients).toBe(2);
  });

  it("answers LINK_INVALID for a token nobody was given", async () => {
    world = await createTestWorld();
    for (const call of [
      world.anonymous().mail.subscription({ token: "abcdefghijkmnpqrstuvwxyz23" }),
      world.anonymous().mail.unsubscribe({ token: "abcdefghijkmnpqrstuvwxyz23" }),
      world.anonymous().mail.resubscribe({ token: "abcdefghijkmnpqrstuvwxyz23" }),
    ]) {
      expect(await failure(call)).toMatchObject({ code: "NOT_FOUND", reason: "LINK_INVALID" });
    }
  });
});

describe("organizer mail settings", () => {
  it("has everything on until the organizer changes it, one setting at a time", async () => {
    world = await createTestWorld();
    const organizer = await world.signUp("organizer");
    expect(await organizer.caller.mail.settings()).toEqual({
      saleDigest: "daily",
      soldOut: true,
      waitlistGrowing: true,
      refundFailed: true,
    });
    expect(await organizer.caller.mail.updateSettings({ saleDigest: "off" })).toEqual({
      saleDigest: "off",
      soldOut: true,
      waitlistGrowing: true,
      refundFailed: true,
    });
    await organizer.caller.mail.updateSettings({ soldOut: false, refundFailed: false });
    expect(await organizer.caller.mail.settings()).toEqual({
      saleDigest: "off",
      soldOut: false,
      waitlistGrowing: true,
      refundFailed: false,
    });
    // Someone else's are their own.
    const other = await world.signUp("organizer");
    expect((await other.caller.mail.settings()).saleDigest).toBe("daily");
    const attendee = await world.signUp();
    expect((await failure(attendee.caller.mail.settings())).code).toBe("FORBIDDEN");
  });
});
