/**
 * Demo data through the public API, against a running server: `bun run seed`
 * (SEED_URL=http://host:port to aim elsewhere). It makes what the README's tour shows: organizers
 * and attendees, events at sensible local times in their own zones, a seated event with some
 * seats sold, a sold-out event with someone on its waitlist, and, when it may (the server's
 * BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD are set for the seed too), an admin. Then it
 * prints the logins. Safe to run again: existing users sign in, events are matched by title,
 * bookings carry idempotency keys, and nothing is made twice.
 */
import { type Client, createClient, TRPCClientError } from "@boxoffice/client";
import {
  attendees,
  demoAdmin,
  events,
  guestBuyer,
  HEADLINE_TITLE,
  headlineCodes,
  organizers,
  PASSWORD,
  SEATED_TITLE,
  SOLD_OUT_TITLE,
  seatedEvent,
  venue,
  WORKSHOP_TITLE,
} from "./seed-data.ts";

const url = process.env.SEED_URL ?? "http://127.0.0.1:3000";
const bootstrap = {
  email: process.env.BOOTSTRAP_ADMIN_EMAIL?.trim().toLowerCase(),
  password: process.env.BOOTSTRAP_ADMIN_PASSWORD,
};

type Role = "attendee" | "organizer";

const reasonOf = (error: unknown) =>
  error instanceof TRPCClientError ? (error.data as { reason?: string } | undefined)?.reason : null;

/** Runs `call`, treating the refusals named as "already done" (a rerun). */
async function unlessDone<T>(call: () => Promise<T>, done: string[]): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if (done.includes(reasonOf(error) ?? "")) return null;
    throw error;
  }
}

/** Registers the user, or signs in when the email is already taken by an earlier run. */
async function ensureUser(email: string, name: string, role: Role) {
  const anonymous = createClient({ url });
  try {
    const { token, user } = await anonymous.auth.register.mutate({
      email,
      password: PASSWORD,
      name,
      role,
    });
    return { client: createClient({ url, token }), user, created: true };
  } catch (error) {
    if (reasonOf(error) !== "EMAIL_TAKEN") throw error;
    const { token, user } = await anonymous.auth.login.mutate({ email, password: PASSWORD });
    return { client: createClient({ url, token }), user, created: false };
  }
}

/** Every event of this organizer, drafts and past ones included, by title. */
async function ownEvents(client: Client) {
  const byTitle = new Map<string, { id: string; status: string }>();
  let cursor: string | undefined;
  do {
    const page = await client.events.list.query({
      mine: true,
      includePast: true,
      limit: 100,
      cursor,
    });
    for (const e of page.items) byTitle.set(e.title, e);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return byTitle;
}

/** The organizer's venue named like the demo's, made if missing. */
async function ensureVenue(client: Client): Promise<string> {
  const { items } = await client.venues.list.query({ limit: 200 });
  const found = items.find((v) => v.name === venue.name);
  return found?.id ?? (await client.venues.create.mutate(venue)).id;
}

/** "Tue, 9 Jun 2026, 19:30 (Europe/Berlin)": the time as the event's own zone reads it. */
function localTime(iso: string, zone = "UTC"): string {
  const format = new Intl.DateTimeFormat("en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: zone,
  });
  return `${format.format(Date.parse(iso))} (${zone})`;
}

type Person = Awaited<ReturnType<typeof ensureUser>>;
type Event = Awaited<ReturnType<Client["events"]["publish"]["mutate"]>>;

/** The headline event's promo and access codes; those made before stay as they are. */
async function makeCodes(client: Client, event: Event): Promise<string[]> {
  const made: string[] = [];
  for (const spec of headlineCodes) {
    const unlocks =
      "unlocks" in spec ? event.ticketTypes.find((t) => t.name === spec.unlocks) : null;
    const code = await unlessDone(
      () =>
        client.codes.create.mutate({
          eventId: event.id,
          code: spec.code,
          kind: spec.kind,
          ...("discount" in spec ? { discount: spec.discount, maxUses: spec.maxUses } : {}),
          ...(unlocks ? { unlocksTicketTypeIds: [unlocks.id] } : {}),
          ...("maxUsesPerBuyer" in spec ? { maxUsesPerBuyer: spec.maxUsesPerBuyer } : {}),
        }),
      ["CODE_TAKEN"],
    );
    if (code) made.push(`code      ${code.code} (${event.title})`);
  }
  return made;
}

/** Sells every seat of the small event and puts someone on its waitlist. */
async function sellOut(event: Event, [alan, barbara, edsger]: [Person, Person, Person]) {
  const seat = event.ticketTypes[0]?.id ?? "";
  const payment = { method: "mock" as const };
  for (const [buyer, key] of [
    [alan, "alan"],
    [barbara, "barbara"],
  ] as const) {
    await unlessDone(
      () =>
        buyer.client.bookings.book.mutate({
          eventId: event.id,
          items: [{ ticketTypeId: seat, quantity: 2 }],
          payment,
          idempotencyKey: `seed-${event.id}-${key}`,
        }),
      ["SOLD_OUT", "LIMIT_EXCEEDED"],
    );
  }
  await unlessDone(
    () => edsger.client.waitlist.join.mutate({ eventId: event.id, quantity: 1 }),
    ["ALREADY_ON_WAITLIST"],
  );
}

/** A few bookings of the headline event, so its attendees, door and charts have something. */
async function sellSome(event: Event, [alan, barbara]: [Person, Person, Person]) {
  const [general, front] = event.ticketTypes;
  const payment = { method: "mock" as const };
  for (const [buyer, type, quantity] of [
    [alan, general, 2],
    [barbara, front, 1],
  ] as const) {
    await unlessDone(
      () =>
        buyer.client.bookings.book.mutate({
          eventId: event.id,
          items: [{ ticketTypeId: type?.id ?? "", quantity }],
          payment,
          idempotencyKey: `seed-${event.id}-${type?.id}`,
        }),
      ["SOLD_OUT", "LIMIT_EXCEEDED"],
    );
  }
}

/** A few seats of the seated event sold, so its map shows booked seats. */
async function sellSeats(event: Event, [alan, barbara]: [Person, Person, Person]) {
  const payment = { method: "mock" as const };
  for (const [buyer, seatIds] of [
    [alan, ["s1-r3-6", "s1-r3-7"]],
    [barbara, ["s1-r1-5", "s1-r1-6", "s1-r1-7"]],
  ] as const) {
    await unlessDone(
      () =>
        buyer.client.bookings.book.mutate({
          eventId: event.id,
          seatIds: [...seatIds],
          payment,
          idempotencyKey: `seed-${event.id}-${seatIds[0]}`,
        }),
      ["SEAT_UNAVAILABLE", "LIMIT_EXCEEDED"],
    );
  }
}

/**
 * Two named workshop places bought without an account, with answers: the demo's guest order.
 * Returns the order page's link when this run made it (the token is shown only once).
 */
async function guestOrder(event: Event): Promise<string | null> {
  const [seat] = event.ticketTypes;
  const lunch = event.questions.find((q) => q.label === "Lunch");
  const laptop = event.questions.find((q) => q.label === "Bringing a laptop?");
  const company = event.questions.find((q) => q.label === "Company or school");
  if (!seat || !lunch || !laptop || !company) return null;
  const outcome = await unlessDone(
    () =>
      createClient({ url }).bookings.book.mutate({
        eventId: event.id,
        buyer: guestBuyer,
        items: [{ ticketTypeId: seat.id, quantity: 2 }],
        attendees: [{ name: guestBuyer.name }, { name: "Augusta Ada King" }],
        answers: [
          { questionId: lunch.id, ticketIndex: 0, value: "Anything" },
          { questionId: lunch.id, ticketIndex: 1, value: "Vegetarian" },
          { questionId: laptop.id, ticketIndex: 1, value: true },
          { questionId: company.id, value: "Difference Engine Ltd" },
        ],
        idempotencyKey: `seed-${event.id}-guest`,
      }),
    ["SOLD_OUT", "LIMIT_EXCEEDED"],
  );
  const token = outcome?.status === "confirmed" ? outcome.booking.orderToken : null;
  return token ? `${url}/orders/${token}` : null;
}

/**
 * Makes the demo admin, when the bootstrap admin's credentials are given: only an admin can
 * make another. Returns what to print about admins.
 */
async function ensureAdmin(): Promise<string[]> {
  if (!bootstrap.email || !bootstrap.password) {
    return [
      "  (no admin: set BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD for the server and",
      "   for this seed, as the README's quick start shows, to get one)",
    ];
  }
  const { token } = await createClient({ url }).auth.login.mutate({
    email: bootstrap.email,
    password: bootstrap.password,
  });
  const root = createClient({ url, token });
  const ida = await ensureUser(demoAdmin.email, demoAdmin.name, "attendee");
  if (ida.user.role !== "admin") {
    await root.users.setRole.mutate({ userId: ida.user.id, role: "admin" });
  }
  return [
    `  admin      ${bootstrap.email} (password: BOOTSTRAP_ADMIN_PASSWORD)`,
    `  admin      ${demoAdmin.email}`,
  ];
}

async function main() {
  console.log(`Seeding ${url}`);
  const made: string[] = [];
  const hosts: Person[] = [];
  for (const o of organizers) {
    const person = await ensureUser(o.email, o.name, "organizer");
    hosts.push(person);
    if (person.created) made.push(`organizer ${o.email}`);
  }
  const people: Person[] = [];
  for (const a of attendees) {
    const person = await ensureUser(a.email, a.name, "attendee");
    people.push(person);
    if (person.created) made.push(`attendee  ${a.email}`);
  }
  const [alan, barbara, edsger] = people;
  if (!alan || !barbara || !edsger) throw new Error("the demo needs three attendees");
  const buyers: [Person, Person, Person] = [alan, barbara, edsger];
  const admins = await ensureAdmin();
  const existing = await Promise.all(hosts.map((h) => ownEvents(h.client)));
  for (const [index, spec] of events) {
    const { client } = hosts[index]!;
    const input = spec === "seated" ? seatedEvent(await ensureVenue(client)) : spec;
    const found = existing[index]!.get(input.title);
    if (!found || found.status === "draft") {
      // A draft left by an interrupted run is published rather than created again.
      const eventId = found?.id ?? (await client.events.create.mutate(input)).id;
      await client.events.publish.mutate({ eventId });
      made.push(`event     ${input.title}, ${localTime(input.startsAt, input.timezone)}`);
    }
    const eventId = found?.id ?? (await ownEvents(client)).get(input.title)?.id ?? "";
    const event = await client.events.get.query({ eventId });
    if (input.title === SOLD_OUT_TITLE) await sellOut(event, buyers);
    if (input.title === SEATED_TITLE) await sellSeats(event, buyers);
    if (input.title === HEADLINE_TITLE) {
      await sellSome(event, buyers);
      made.push(...(await makeCodes(client, event)));
    }
    if (input.title === WORKSHOP_TITLE) {
      const link = await guestOrder(event);
      if (link) made.push(`guest     ${guestBuyer.email}'s order: ${link}`);
    }
  }
  console.log(made.length > 0 ? `Made:\n  ${made.join("\n  ")}` : "Nothing new: already seeded.");
  console.log(`\nOpen ${url} and sign in. Demo logins (password "${PASSWORD}"):`);
  for (const o of organizers) console.log(`  organizer  ${o.email}`);
  for (const a of attendees) console.log(`  attendee   ${a.email}`);
  for (const line of admins) console.log(line);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Seeding failed: ${message}`);
  if (!(error instanceof TRPCClientError) || !error.data) {
    console.error(`Is the server running at ${url}? Start it with \`bun start\`.`);
  }
  process.exit(1);
});
