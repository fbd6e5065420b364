/**
 * What `bun run seed` makes: the people, the venue and the events the README's tour shows. Every
 * event starts at a time people would pick in its own zone (19:30 in Berlin, 21:00 in Chicago),
 * a number of days ahead of today, so the demo stays in the future whenever it runs.
 */
import type { RouterInputs } from "@boxoffice/client";

export const PASSWORD = "boxoffice-demo";

type EventInput = RouterInputs["events"]["create"];
type VenueInput = RouterInputs["venues"]["create"];

export const organizers = [
  { email: "ada@boxoffice.example", name: "Ada Lovelace Presents" },
  { email: "grace@boxoffice.example", name: "Grace Hopper Live" },
] as const;

export const attendees = [
  { email: "alan@boxoffice.example", name: "Alan Turing" },
  { email: "barbara@boxoffice.example", name: "Barbara Liskov" },
  { email: "edsger@boxoffice.example", name: "Edsger Dijkstra" },
] as const;

/** Made an admin by the seed when it may (it signs in as the BOOTSTRAP_ADMIN_* admin first). */
export const demoAdmin = { email: "ida@boxoffice.example", name: "Ida Admin" } as const;

/** The UTC offset of `zone` at `instant`, in ms (Berlin in summer: +2 h). */
function offsetAt(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  return asUtc - (instant - (instant % 60_000));
}

/**
 * The instant that is `time` ("19:30") on the calendar day `days` from now in `zone`, through
 * summer-time changes: the offset is read at the first guess and again at the answer.
 */
export function localInstant(days: number, time: string, zone: string, now = Date.now()): string {
  const [hour = 0, minute = 0] = time.split(":").map(Number);
  const today = new Date(now + offsetAt(now, zone));
  const wall = Date.UTC(
    today.getUTCFullYear(),
    today.getUTCMonth(),
    today.getUTCDate() + days,
    hour,
    minute,
  );
  const first = wall - offsetAt(wall, zone);
  return new Date(wall - offsetAt(first, zone)).toISOString();
}

const later = (iso: string, hours: number) =>
  new Date(Date.parse(iso) + hours * 3_600_000).toISOString();

/** An event starting `days` ahead at `time` in its `timezone`, lasting `hours`. */
function demoEvent(
  title: string,
  days: number,
  time: string,
  hours: number,
  extra: Omit<EventInput, "title" | "startsAt"> & { timezone: string },
): EventInput {
  const startsAt = localInstant(days, time, extra.timezone);
  return { title, startsAt, endsAt: later(startsAt, hours), ...extra };
}

export const HEADLINE_TITLE = "Jazz on the River";
export const SOLD_OUT_TITLE = "Tiny Desk Session";
export const SEATED_TITLE = "Winter Sonata";
export const WORKSHOP_TITLE = "Analytical Engine Workshop";
/** The headline event's codes: an early-bird discount and the crew's access code. */
export const headlineCodes = [
  { code: "EARLYBIRD", kind: "discount", discount: { percent: 20 }, maxUses: 50 },
  { code: "CREW", kind: "access", unlocks: "Crew", maxUsesPerBuyer: 1 },
] as const;

/** Who buys the workshop without an account: the demo's guest order. */
export const guestBuyer = { email: "charles@guest.example", name: "Charles Babbage" } as const;

export const venue: VenueInput = {
  name: "Little Theatre",
  sections: [
    {
      name: "Stalls",
      priceCents: 3500,
      rows: ["A", "B", "C", "D"].map((label) => ({ label, seats: 12 })),
    },
    { name: "Balcony", priceCents: 1800, rows: [{ label: "A", seats: 10 }] },
  ],
};

/** Events per organizer (index into `organizers`); the seated one is made from `venue`. */
export const events: [number, EventInput | "seated"][] = [
  [
    0,
    demoEvent(HEADLINE_TITLE, 7, "19:30", 3, {
      description: "A quartet on a riverboat as the sun goes down over the Spree.",
      venueName: "MS Spreeperle, Berlin",
      timezone: "Europe/Berlin",
      currency: "EUR",
      ticketTypes: [
        { name: "General", priceCents: 2500, capacity: 200 },
        { name: "Front row", priceCents: 6000, capacity: 20 },
        // Shown only with the CREW access code (see `headlineCodes`).
        { name: "Crew", priceCents: 0, capacity: 10, hidden: true },
      ],
      waitlist: { enabled: true, mode: "offer", offerSeconds: 3600 },
    }),
  ],
  [
    0,
    demoEvent(SOLD_OUT_TITLE, 10, "20:00", 2, {
      description: "Four seats around a piano. Sold out: join the waitlist.",
      venueName: "The Attic, London",
      timezone: "Europe/London",
      currency: "GBP",
      maxPerOrder: 2,
      ticketTypes: [{ name: "Seat", priceCents: 1500, capacity: 4 }],
      waitlist: { enabled: true, mode: "offer", offerSeconds: 3600 },
    }),
  ],
  [0, "seated"],
  [
    0,
    demoEvent(WORKSHOP_TITLE, 14, "10:00", 4, {
      description: "Hands-on: build a difference engine out of cardboard.",
      venueName: "Makerspace, Lisbon",
      timezone: "Europe/Lisbon",
      currency: "EUR",
      maxPerOrder: 2,
      ticketTypes: [{ name: "Seat", priceCents: 0, capacity: 30 }],
      // A workshop names every participant and asks what the organizer needs to know.
      personalizedTickets: "name",
      editCutoffHours: 24,
      questions: [
        {
          label: "Lunch",
          kind: "choice",
          options: ["Vegetarian", "Vegan", "Anything"],
          required: true,
          per: "ticket",
        },
        { label: "Bringing a laptop?", kind: "checkbox", per: "ticket" },
        {
          label: "Company or school",
          kind: "text",
          per: "order",
          helpText: "For the name badges",
        },
      ],
      cancellationPolicy: {
        refundable: true,
        feeCents: 0,
        rules: [{ hoursBeforeStart: 48, refundPercent: 100 }],
      },
    }),
  ],
  [
    1,
    demoEvent("Compiler Rock Festival", 30, "14:00", 9, {
      description: "Two stages, one day, zero bugs.",
      venueName: "Riverside Park, New York",
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
    demoEvent("COBOL After Dark", 45, "21:00", 3, {
      venueName: "Basement Bar, Chicago",
      timezone: "America/Chicago",
      // Free entry: auto mode books freed tickets straight for the next in line, no payment.
      ticketTypes: [{ name: "Entry", priceCents: 0, capacity: 5 }],
      waitlist: { enabled: true, mode: "auto", offerSeconds: 86_400 },
    }),
  ],
  [
    1,
    demoEvent("Nanosecond Wire Talk", 60, "18:30", 2, {
      description: "Why a nanosecond is 30 centimetres long, with props.",
      venueName: "Town Hall, Los Angeles",
      timezone: "America/Los_Angeles",
      ticketTypes: [
        { name: "Free", priceCents: 0, capacity: 150 },
        { name: "Supporter", priceCents: 2000, capacity: 50 },
      ],
    }),
  ],
];

/** The seated event, once its venue exists. */
export function seatedEvent(venueId: string): EventInput {
  const zone = "Europe/Vienna";
  const startsAt = localInstant(21, "19:30", zone);
  return {
    title: SEATED_TITLE,
    description: "Schubert by candlelight. Pick your seats on the map.",
    startsAt,
    endsAt: later(startsAt, 2),
    timezone: zone,
    currency: "EUR",
    venueId,
  };
}
