/**
 * Demo data through the public API, against a running server: `bun run seed`
 * (SEED_URL=http://host:port to aim elsewhere). Safe to run again: existing users log in, and an
 * organizer's events are matched by title, so nothing is created twice.
 */
import { type Client, createClient, type RouterInputs, TRPCClientError } from "@boxoffice/client";

const url = process.env.SEED_URL ?? "http://127.0.0.1:3000";
const PASSWORD = "boxoffice-demo";
const DAY = 86_400_000;

type Role = "attendee" | "organizer";
type EventInput = RouterInputs["events"]["create"];

const organizers = [
  { email: "ada@boxoffice.example", name: "Ada Lovelace Presents" },
  { email: "grace@boxoffice.example", name: "Grace Hopper Live" },
] as const;

const attendees = [
  { email: "alan@boxoffice.example", name: "Alan Turing" },
  { email: "barbara@boxoffice.example", name: "Barbara Liskov" },
  { email: "edsger@boxoffice.example", name: "Edsger Dijkstra" },
] as const;

/** An instant `days` ahead at `hour`:00 UTC, so the demo stays in the future whenever it runs. */
function at(days: number, hour: number): string {
  const day = new Date(Date.now() + days * DAY);
  day.setUTCHours(hour, 0, 0, 0);
  return day.toISOString();
}

const later = (iso: string, hours: number) =>
  new Date(Date.parse(iso) + hours * 3_600_000).toISOString();

function demoEvent(
  title: string,
  days: number,
  extra: Omit<EventInput, "title" | "startsAt">,
): EventInput {
  const startsAt = at(days, 19);
  return { title, startsAt, endsAt: later(startsAt, 3), ...extra };
}

/** Three events per organizer, by index into `organizers`. */
const events: [number, EventInput][] = [
  [
    0,
    demoEvent("Harbour Jazz Night", 7, {
      description: "A quartet on the pier as the sun goes down.",
      venueName: "Pier 9",
      timezone: "Europe/Lisbon",
      currency: "EUR",
      ticketTypes: [
        { name: "General", priceCents: 2500, capacity: 200 },
        { name: "Front row", priceCents: 6000, capacity: 20 },
      ],
      waitlist: { enabled: true, mode: "offer", offerSeconds: 3600 },
    }),
  ],
  [
    0,
    demoEvent("Analytical Engine Workshop", 14, {
      description: "Hands-on: build a difference engine out of cardboard.",
      venueName: "Makerspace",
      maxPerOrder: 2,
      ticketTypes: [{ name: "Seat", priceCents: 0, capacity: 30 }],
    }),
  ],
  [
    0,
    demoEvent("Poetical Science Readings", 21, {
      venueName: "The Old Library",
      timezone: "Europe/London",
      currency: "GBP",
      ticketTypes: [
        { name: "Standard", priceCents: 1200, capacity: 80 },
        { name: "Concession", priceCents: 600, capacity: 40 },
      ],
      cancellationPolicy: {
        refundable: true,
        feeCents: 100,
        rules: [
          { hoursBeforeStart: 72, refundPercent: 100 },
          { hoursBeforeStart: 24, refundPercent: 50 },
        ],
      },
    }),
  ],
  [
    1,
    demoEvent("Compiler Rock Festival", 30, {
      description: "Two stages, one day, zero bugs.",
      venueName: "Riverside Park",
      timezone: "America/New_York",
      capacity: 1000,
      maxPerUser: 6,
      ticketTypes: [
        { name: "Day pass", priceCents: 8900, capacity: 900 },
        { name: "VIP", priceCents: 19_900, capacity: 150 },
      ],
    }),
  ],
  [
    1,
    demoEvent("COBOL After Dark", 45, {
      venueName: "Basement Bar",
      timezone: "America/Chicago",
      // Free entry: auto mode books freed tickets straight for the next in line, no payment.
      ticketTypes: [{ name: "Entry", priceCents: 0, capacity: 5 }],
      waitlist: { enabled: true, mode: "auto", offerSeconds: 86_400 },
    }),
  ],
  [
    1,
    demoEvent("Nanosecond Wire Talk", 60, {
      description: "Why a nanosecond is 30 centimetres long, with props.",
      venueName: "Town Hall",
      ticketTypes: [
        { name: "Free", priceCents: 0, capacity: 150 },
        { name: "Supporter", priceCents: 2000, capacity: 50 },
      ],
    }),
  ],
];

const reasonOf = (error: unknown) =>
  error instanceof TRPCClientError ? (error.data as { reason?: string } | undefined)?.reason : null;

/** Registers the user, or logs in when the email is already taken by an earlier run. */
async function ensureUser(email: string, name: string, role: Role) {
  const anonymous = createClient({ url });
  try {
    const { token, user } = await anonymous.auth.register.mutate({
      email,
      password: PASSWORD,
      name,
      role,
    });
    return { token, user, created: true };
  } catch (error) {
    if (reasonOf(error) !== "EMAIL_TAKEN") throw error;
    const { token, user } = await anonymous.auth.login.mutate({ email, password: PASSWORD });
    return { token, user, created: false };
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

async function main() {
  console.log(`Seeding ${url}`);
  const made: string[] = [];
  const clients: Client[] = [];
  for (const o of organizers) {
    const { token, created } = await ensureUser(o.email, o.name, "organizer");
    clients.push(createClient({ url, token }));
    if (created) made.push(`organizer ${o.email}`);
  }
  for (const a of attendees) {
    const { created } = await ensureUser(a.email, a.name, "attendee");
    if (created) made.push(`attendee  ${a.email}`);
  }
  const existing = await Promise.all(clients.map(ownEvents));
  for (const [index, input] of events) {
    const client = clients[index]!;
    const found = existing[index]!.get(input.title);
    if (found && found.status !== "draft") continue;
    // A draft left by an interrupted run is published rather than created again.
    const eventId = found?.id ?? (await client.events.create.mutate(input)).id;
    const event = await client.events.publish.mutate({ eventId });
    made.push(`event     ${event.title} (${event.id}), ${event.startsAt}`);
  }
  console.log(made.length > 0 ? `Made:\n  ${made.join("\n  ")}` : "Nothing new: already seeded.");
  console.log(`\nDemo logins (password "${PASSWORD}"):`);
  for (const o of organizers) console.log(`  organizer  ${o.email}`);
  for (const a of attendees) console.log(`  attendee   ${a.email}`);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Seeding failed: ${message}`);
  if (!(error instanceof TRPCClientError) || !error.data) {
    console.error(`Is the server running at ${url}? Start it with \`bun run start\`.`);
  }
  process.exit(1);
});
