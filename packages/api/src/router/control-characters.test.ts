/**
 * Control characters in text inputs (docs/API.md "Wire format"): every single-line text field of
 * every procedure refuses C0 (CR and LF included), DEL and C1 characters as BAD_REQUEST naming
 * the field; the multi-line event description allows line breaks and tabs only. The table below
 * lists each such field with an input that is valid but for it; a second test walks every
 * procedure's input schema, so that a text field added later without a row here fails.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { TRPCError } from "@trpc/server";
import { refusalOf } from "../auth/testing.ts";
import { errorExtras } from "../errors.ts";
import { appRouter, type createCaller } from "../root.ts";
import { createTestWorld, type TestWorld } from "../testing.ts";

type Who = "anonymous" | "attendee" | "organizer" | "admin";
interface Ids {
  readonly eventId: string;
  /** A venue of the organizer's: venues.update checks the owner before the rest of its input. */
  readonly venueId: string;
}
interface Row {
  readonly procedure: string;
  readonly who: Who;
  readonly input: (ids: Ids) => Record<string, unknown>;
  readonly fields: readonly string[];
}

const password = "correct horse battery";
const startsAt = "2027-01-01T20:00:00Z";
const general = [{ name: "General", priceCents: 0, capacity: 10 }];
const items = [{ ticketTypeId: "tt_1", quantity: 1 }];
const payment = { method: "mock", token: "tok" };
const question = {
  id: "q_1",
  label: "Diet",
  kind: "choice",
  options: ["Vegan"],
  ticketTypeIds: ["tt_1"],
  helpText: "Tell us",
};
const questionFields = ["id", "label", "options.0", "ticketTypeIds.0", "helpText"].map(
  (f) => `questions.0.${f}`,
);
const buyer = { email: "ann@example.test", name: "Ann" };
const checkout = {
  attendees: [{ name: "Ann", email: "ann@example.test" }],
  answers: [{ questionId: "q_1", value: ["Vegan"] }],
};
const checkoutFields = [
  "attendees.0.name",
  "attendees.0.email",
  "answers.0.questionId",
  "answers.0.value.0",
];
const orderToken = "abcdefghijkmnpqrstuvwxyz23";
const event = (fields: string[]): Omit<Row, "procedure" | "who"> => ({
  input: (ids) => ({ eventId: ids.eventId }),
  fields,
});

const rows: Row[] = [
  {
    procedure: "wallet.set",
    who: "organizer",
    input: () => ({
      passTypeIdentifier: "pass.org.example.tickets",
      teamIdentifier: "ABCDE12345",
      signerCert: "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----",
      signerKey: "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----",
      signerKeyPassphrase: "secret",
      wwdr: "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----",
    }),
    fields: ["passTypeIdentifier", "teamIdentifier", "signerKeyPassphrase"],
  },
  {
    procedure: "auth.register",
    who: "anonymous",
    input: () => ({ email: "ann@example.test", password, name: "Ann" }),
    fields: ["email", "name"],
  },
  {
    procedure: "auth.login",
    who: "anonymous",
    input: () => ({ email: "ann@example.test", password }),
    fields: ["email"],
  },
  {
    procedure: "auth.requestPasswordReset",
    who: "anonymous",
    input: () => ({ email: "ann@example.test" }),
    fields: ["email"],
  },
  {
    procedure: "auth.resetPassword",
    who: "anonymous",
    input: () => ({ token: "abcdefghijkmnpqrstuvwxyz23456789", newPassword: password }),
    fields: ["token"],
  },
  {
    procedure: "auth.verifyEmail",
    who: "anonymous",
    input: () => ({ token: "abcdefghijkmnpqrstuvwxyz23456789" }),
    fields: ["token"],
  },
  {
    procedure: "users.list",
    who: "admin",
    input: () => ({ search: "ann", cursor: "abc" }),
    fields: ["search", "cursor"],
  },
  {
    procedure: "users.setRole",
    who: "admin",
    input: () => ({ userId: "usr_1", role: "attendee" }),
    fields: ["userId"],
  },
  {
    procedure: "users.declineOrganizer",
    who: "admin",
    input: () => ({ userId: "usr_1" }),
    fields: ["userId"],
  },
  {
    procedure: "events.create",
    who: "organizer",
    input: () => ({
      title: "Gig",
      venueName: "Hall",
      timezone: "UTC",
      startsAt,
      ticketTypes: general,
    }),
    fields: ["title", "venueName", "timezone", "ticketTypes.0.name"],
  },
  {
    procedure: "events.create",
    who: "organizer",
    input: () => ({ title: "Gig", startsAt, venueId: "ven_1" }),
    fields: ["venueId"],
  },
  {
    procedure: "events.update",
    who: "organizer",
    input: (ids) => ({
      eventId: ids.eventId,
      title: "Gig",
      venueName: "Hall",
      timezone: "UTC",
      ticketTypes: [{ id: "tt_1", name: "VIP" }],
    }),
    fields: ["eventId", "title", "venueName", "timezone", "ticketTypes.0.id", "ticketTypes.0.name"],
  },
  {
    procedure: "events.update",
    who: "organizer",
    input: (ids) => ({ eventId: ids.eventId, removeTicketTypeIds: ["tt_1"] }),
    fields: ["removeTicketTypeIds.0"],
  },
  { procedure: "events.delete", who: "organizer", ...event(["eventId"]) },
  { procedure: "events.publish", who: "organizer", ...event(["eventId"]) },
  {
    procedure: "events.cancel",
    who: "organizer",
    input: (ids) => ({ eventId: ids.eventId, reason: "Rain" }),
    fields: ["eventId", "reason"],
  },
  {
    procedure: "events.list",
    who: "anonymous",
    input: () => ({ search: "gig", organizerId: "usr_1", cursor: "abc" }),
    fields: ["search", "organizerId", "cursor"],
  },
  { procedure: "events.get", who: "anonymous", ...event(["eventId"]) },
  { procedure: "events.seatMap", who: "anonymous", ...event(["eventId"]) },
  { procedure: "events.seatMapCompact", who: "anonymous", ...event(["eventId"]) },
  { procedure: "events.availability", who: "anonymous", ...event(["eventId"]) },
  { procedure: "events.seatMapChanges", who: "anonymous", ...event(["eventId"]) },
  {
    procedure: "bookings.hold",
    who: "attendee",
    input: () => ({ eventId: "evt_1", items, idempotencyKey: "key-1", admissionToken: "rm_1.1.x" }),
    fields: ["eventId", "items.0.ticketTypeId", "idempotencyKey", "admissionToken"],
  },
  {
    procedure: "bookings.hold",
    who: "attendee",
    input: () => ({ eventId: "evt_1", seatIds: ["s1-r1-1"] }),
    fields: ["seatIds.0"],
  },
  {
    procedure: "bookings.getHold",
    who: "attendee",
    input: () => ({ holdId: "hld_1" }),
    fields: ["holdId"],
  },
  ...(["hold", "book"] as const).map(
    (name): Row => ({
      procedure: `bookings.${name}`,
      who: "anonymous",
      input: () => ({ eventId: "evt_1", items, buyer, ...(name === "book" ? checkout : {}) }),
      fields: ["buyer.email", "buyer.name", ...(name === "book" ? checkoutFields : [])],
    }),
  ),
  ...(["getHold", "releaseHold"] as const).map(
    (name): Row => ({
      procedure: `bookings.${name}`,
      who: "anonymous",
      input: () => ({ holdId: "hld_1", buyer }),
      fields: ["buyer.email", "buyer.name"],
    }),
  ),
  {
    procedure: "bookings.confirm",
    who: "anonymous",
    input: () => ({ holdId: "hld_1", buyer, ...checkout }),
    fields: ["buyer.email", "buyer.name", ...checkoutFields],
  },
  {
    procedure: "events.create",
    who: "organizer",
    input: () => ({ title: "Gig", startsAt, ticketTypes: general, questions: [question] }),
    fields: questionFields,
  },
  {
    procedure: "events.update",
    who: "organizer",
    input: (ids) => ({ eventId: ids.eventId, questions: [question] }),
    fields: questionFields,
  },
  ...(["get", "refundQuote", "cancel"] as const).map(
    (name): Row => ({
      procedure: `orders.${name}`,
      who: "anonymous",
      input: () => ({ orderToken }),
      fields: ["orderToken"],
    }),
  ),
  {
    procedure: "orders.update",
    who: "anonymous",
    input: () => ({ orderToken, ...checkout }),
    fields: ["orderToken", ...checkoutFields],
  },
  {
    procedure: "bookings.myHolds",
    who: "attendee",
    input: () => ({ eventId: "evt_1" }),
    fields: ["eventId"],
  },
  {
    procedure: "bookings.releaseHold",
    who: "attendee",
    input: () => ({ holdId: "hld_1" }),
    fields: ["holdId"],
  },
  {
    procedure: "bookings.confirm",
    who: "attendee",
    input: () => ({ holdId: "hld_1", idempotencyKey: "key-1", payment }),
    fields: ["holdId", "idempotencyKey", "payment.token"],
  },
  {
    procedure: "bookings.book",
    who: "attendee",
    input: () => ({
      eventId: "evt_1",
      items,
      idempotencyKey: "key-1",
      payment,
      admissionToken: "rm_1.1.x",
    }),
    fields: [
      "eventId",
      "items.0.ticketTypeId",
      "idempotencyKey",
      "payment.token",
      "admissionToken",
    ],
  },
  { procedure: "room.challenge", who: "anonymous", ...event(["eventId"]) },
  {
    procedure: "room.enter",
    who: "anonymous",
    input: (ids) => ({ eventId: ids.eventId, solution: "e30=", email: "ann@example.test" }),
    fields: ["eventId", "email"],
  },
  ...(["position", "status"] as const).map(
    (name): Row => ({
      procedure: `room.${name}`,
      who: "anonymous",
      input: (ids) => ({ eventId: ids.eventId, entryKey: "rm_1.x" }),
      fields: ["eventId", "entryKey"],
    }),
  ),
  { procedure: "room.stats", who: "organizer", ...event(["eventId"]) },
  {
    procedure: "bookings.book",
    who: "attendee",
    input: () => ({ eventId: "evt_1", seatIds: ["s1-r1-1"] }),
    fields: ["seatIds.0"],
  },
  ...(["cancel", "refundQuote", "get"] as const).map(
    (name): Row => ({
      procedure: `bookings.${name}`,
      who: "attendee",
      input: () => ({ bookingId: "bkg_1" }),
      fields: ["bookingId"],
    }),
  ),
  {
    procedure: "bookings.mine",
    who: "attendee",
    input: () => ({ cursor: "abc" }),
    fields: ["cursor"],
  },
  {
    procedure: "bookings.forEvent",
    who: "organizer",
    input: (ids) => ({ eventId: ids.eventId, cursor: "abc" }),
    fields: ["eventId", "cursor"],
  },
  {
    procedure: "waitlist.join",
    who: "attendee",
    input: () => ({ eventId: "evt_1", ticketTypeId: "tt_1" }),
    fields: ["eventId", "ticketTypeId"],
  },
  { procedure: "waitlist.leave", who: "attendee", ...event(["eventId"]) },
  { procedure: "waitlist.status", who: "attendee", ...event(["eventId"]) },
  { procedure: "waitlist.entries", who: "organizer", ...event(["eventId"]) },
  { procedure: "waitlist.offerNext", who: "organizer", ...event(["eventId"]) },
  {
    procedure: "waitlist.history",
    who: "organizer",
    input: (ids) => ({ eventId: ids.eventId, cursor: "abc" }),
    fields: ["eventId", "cursor"],
  },
  {
    procedure: "venues.create",
    who: "organizer",
    input: () => ({
      name: "Hall",
      sections: [{ name: "Stalls", priceCents: 0, rows: [{ label: "A", seats: 2 }] }],
    }),
    fields: ["name", "sections.0.name", "sections.0.rows.0.label"],
  },
  {
    procedure: "venues.get",
    who: "organizer",
    input: () => ({ venueId: "ven_1" }),
    fields: ["venueId"],
  },
  {
    procedure: "venues.update",
    who: "organizer",
    input: (ids) => ({
      venueId: ids.venueId,
      name: "Hall",
      sections: [{ name: "Stalls", priceCents: 0, rows: [{ label: "A", seats: 2 }] }],
    }),
    fields: ["venueId", "name", "sections.0.name", "sections.0.rows.0.label"],
  },
  {
    procedure: "venues.delete",
    who: "organizer",
    input: () => ({ venueId: "ven_1" }),
    fields: ["venueId"],
  },
  ...(["scan", "undo"] as const).map(
    (name): Row => ({
      procedure: `checkin.${name}`,
      who: "organizer",
      input: (ids) => ({ eventId: ids.eventId, code: "ABCD" }),
      fields: ["eventId", "code"],
    }),
  ),
  { procedure: "checkin.stats", who: "organizer", ...event(["eventId"]) },
  { procedure: "analytics.event", who: "organizer", ...event(["eventId"]) },
  {
    procedure: "analytics.overview",
    who: "admin",
    input: () => ({ organizerId: "usr_1" }),
    fields: ["organizerId"],
  },
  {
    procedure: "events.applyCode",
    who: "anonymous",
    input: (ids) => ({ eventId: ids.eventId, code: "SPRING" }),
    fields: ["eventId", "code"],
  },
  ...(["hold", "book"] as const).map(
    (name): Row => ({
      procedure: `bookings.${name}`,
      who: "attendee",
      input: () => ({ eventId: "evt_1", items, code: "SPRING" }),
      fields: ["code"],
    }),
  ),
  {
    procedure: "codes.create",
    who: "organizer",
    input: (ids) => ({
      eventId: ids.eventId,
      code: "SPRING",
      kind: "discount",
      discount: { percent: 10 },
      ticketTypeIds: ["tt_1"],
      unlocksTicketTypeIds: ["tt_2"],
    }),
    fields: ["eventId", "code", "ticketTypeIds.0", "unlocksTicketTypeIds.0"],
  },
  {
    procedure: "codes.generate",
    who: "organizer",
    input: (ids) => ({
      eventId: ids.eventId,
      count: 2,
      prefix: "SPR",
      kind: "discount",
      discount: { percent: 10 },
      ticketTypeIds: ["tt_1"],
      unlocksTicketTypeIds: ["tt_2"],
    }),
    fields: ["eventId", "prefix", "ticketTypeIds.0", "unlocksTicketTypeIds.0"],
  },
  {
    procedure: "codes.list",
    who: "organizer",
    input: (ids) => ({ eventId: ids.eventId, search: "SPR", cursor: "abc" }),
    fields: ["eventId", "search", "cursor"],
  },
  {
    procedure: "codes.update",
    who: "organizer",
    input: (ids) => ({
      eventId: ids.eventId,
      codeId: "cod_1",
      ticketTypeIds: ["tt_1"],
      unlocksTicketTypeIds: ["tt_2"],
    }),
    fields: ["eventId", "codeId", "ticketTypeIds.0", "unlocksTicketTypeIds.0"],
  },
  {
    procedure: "codes.disable",
    who: "organizer",
    input: (ids) => ({ eventId: ids.eventId, codeId: "cod_1" }),
    fields: ["eventId", "codeId"],
  },
  {
    procedure: "system.noop",
    who: "attendee",
    input: () => ({ eventId: "evt_1" }),
    fields: ["eventId"],
  },
  ...(["broadcastPreview", "broadcast"] as const).map(
    (name): Row => ({
      procedure: `mail.${name}`,
      who: "organizer",
      input: (ids) => ({ eventId: ids.eventId, subject: "Doors", body: "At 7", to: ["tt_1"] }),
      fields: ["eventId", "subject", "to.0"],
    }),
  ),
  { procedure: "mail.broadcasts", who: "organizer", ...event(["eventId"]) },
  ...(["subscription", "unsubscribe", "resubscribe"] as const).map(
    (name): Row => ({
      procedure: `mail.${name}`,
      who: "anonymous",
      input: () => ({ token: orderToken }),
      fields: ["token"],
    }),
  ),
];

/** Text fields that are not single-line text: secrets, a multi-line field, strict formats. */
const notSingleLine = new Set([
  // A broadcast's message (mail.broadcast): multi-line, checked like an event's description.
  "body",
  // PEM text (wallet.set): lines by nature.
  "signerCert",
  "signerKey",
  "wwdr",
  "password",
  "currentPassword",
  "newPassword",
  "description",
  "startsAt",
  "endsAt",
  "salesStartAt",
  "salesEndAt",
  "validFrom",
  "validUntil",
  "opensSalesAt",
  // The on-sale room's opening (onSaleRoom.opensAt): an instant like startsAt.
  "opensAt",
  // A solved challenge (room.enter): base64 only, by its own pattern.
  "solution",
  "from",
  "to",
  "currency",
  // An answer's text: a longtext answer may hold line breaks; core checks each kind's answers.
  "value",
]);

/** C0 (NUL, tab, LF, CR, ESC, US), DEL, C1 (NEL, the last one). */
const controlCharacters = [
  "\u0000",
  "\t",
  "\n",
  "\r",
  "\u001b",
  "\u001f",
  "\u007f",
  "\u0085",
  "\u009f",
];

function withValue(input: Record<string, unknown>, path: string, value: unknown) {
  const copy = structuredClone(input);
  const keys = path.split(".");
  const last = keys.pop() as string;
  let target: Record<string, unknown> = copy;
  for (const key of keys) target = target[key] as Record<string, unknown>;
  target[last] = value;
  return copy;
}

type Caller = ReturnType<typeof createCaller>;
type Procedure = (input: unknown) => Promise<unknown>;

function procedureOf(caller: Caller, path: string): Procedure {
  const [group, name] = path.split(".") as [string, string];
  const procedures = (caller as unknown as Record<string, Record<string, Procedure>>)[group];
  const procedure = procedures?.[name];
  if (!procedure) throw new Error(`no procedure ${path}`);
  return procedure;
}

let world: TestWorld;
let ids: Ids;
const callers = {} as Record<Who, Caller>;

beforeAll(async () => {
  world = await createTestWorld();
  callers.anonymous = world.anonymous();
  callers.attendee = (await world.signUp("attendee")).caller;
  callers.organizer = (await world.signUp("organizer")).caller;
  callers.admin = (await world.signUp("admin")).caller;
  const created = await callers.organizer.events.create({
    title: "Gig",
    startsAt,
    ticketTypes: general,
  });
  const venue = await callers.organizer.venues.create({
    name: "Hall",
    sections: [{ name: "Stalls", priceCents: 0, rows: [{ label: "A", seats: 2 }] }],
  });
  ids = { eventId: created.id, venueId: venue.id };
});
afterAll(() => world.close());

describe("control characters in single-line text", () => {
  for (const row of rows) {
    for (const field of row.fields) {
      it(`${row.procedure} refuses them in ${field}`, async () => {
        const call = procedureOf(callers[row.who], row.procedure);
        const base = row.input(ids);
        for (const ch of controlCharacters) {
          const error = await call(withValue(base, field, `Bad${ch}text`)).catch((e) => e);
          if (!(error instanceof TRPCError)) throw new Error(`${ch}: not refused: ${error}`);
          expect({ ch, code: error.code, issues: errorExtras(error).issues }).toEqual({
            ch,
            code: "BAD_REQUEST",
            issues: [{ path: field, message: "Must not contain control characters" }],
          });
        }
      });
    }
  }

  it("has a row for every single-line text field of every procedure", () => {
    const covered = new Set(rows.flatMap((r) => r.fields.map((f) => `${r.procedure} ${f}`)));
    const found = new Set<string>();
    const missing: string[] = [];
    const procedures = appRouter._def.procedures as unknown as Record<
      string,
      { _def: { inputs: unknown[] } }
    >;
    for (const [path, procedure] of Object.entries(procedures)) {
      for (const input of procedure._def.inputs) {
        for (const field of stringFields(input, [])) {
          const name = field.split(".").at(-1) ?? "";
          if (notSingleLine.has(name)) continue;
          found.add(`${path} ${field}`);
          if (!covered.has(`${path} ${field}`)) missing.push(`${path} ${field}`);
        }
      }
    }
    expect(missing).toEqual([]);
    // The walk itself works: it finds every field of the table.
    expect([...covered].filter((f) => !found.has(f))).toEqual([]);
  });
});

/** Dotted paths (array elements as `0`) of the string fields of a zod 4 schema. */
function stringFields(schema: unknown, path: string[]): string[] {
  const def = (schema as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  switch (def.type) {
    case "string":
      return [path.join(".")];
    case "object":
      return Object.entries(def.shape as Record<string, unknown>).flatMap(([key, value]) =>
        stringFields(value, [...path, key]),
      );
    case "array":
      return stringFields(def.element, [...path, "0"]);
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "nonoptional":
      return stringFields(def.innerType, path);
    case "pipe":
      return stringFields(def.in, path);
    case "union":
      return [...new Set((def.options as unknown[]).flatMap((o) => stringFields(o, path)))];
    default:
      return [];
  }
}

describe("control characters in the multi-line description", () => {
  it("allows line breaks and tabs", async () => {
    const description = "Doors at 7.\nBring a coat.\r\n\tNo refunds.";
    const created = await callers.organizer.events.create({
      title: "Gig",
      description,
      startsAt,
      ticketTypes: general,
    });
    expect(created.description).toBe(description);
    const updated = await callers.organizer.events.update({
      eventId: created.id,
      description: `${description}\n`,
    });
    expect(updated.description).toBe(`${description}\n`);
  });

  for (const ch of ["\u0000", "\u001b", "\r", "\u000b", "\u000c", "\u007f", "\u0085"]) {
    it(`refuses ${JSON.stringify(ch)} naming description`, async () => {
      const description = `Doors at 7.${ch}Bring a coat.`;
      const create = await refusalOf(
        callers.organizer.events.create({
          title: "Gig",
          description,
          startsAt,
          ticketTypes: general,
        }),
      );
      expect(create).toMatchObject({ code: "BAD_REQUEST", fields: ["description"] });
      const update = await refusalOf(
        callers.organizer.events.update({ eventId: ids.eventId, description }),
      );
      expect(update).toMatchObject({ code: "BAD_REQUEST", fields: ["description"] });
    });
  }
});
