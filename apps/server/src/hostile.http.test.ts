/**
 * A property-based hostile-input sweep over real HTTP (shared/API.md "Wire format": nothing a
 * client sends may produce a 500, and validation failures name the field).
 *
 * Every procedure of the router is enumerated from `appRouter._def.procedures`, so procedures
 * added later are swept without touching this file. Inputs are generated from each procedure's
 * own zod schema (plausible values, real ids from a seeded database) and then broken: a field
 * swapped for a wrong type, a huge or odd string, a number out of range, or the whole input
 * replaced by anything at all. They go out as queries (GET ?input=), mutations (POST bodies),
 * with the wrong method, in batches, as anonymous, attendee, organizer and admin, by bearer
 * token or by cookie with a same-origin (or foreign) Origin. Protocol garbage (malformed JSON,
 * odd content types, odd paths and methods) and the plain-HTTP export route are swept as well.
 *
 * Seeds are fixed (HOSTILE_SEED overrides the base seed); fast-check prints the seed and the
 * counterexample of any failure, so a failure replays exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { connect } from "node:net";
import { appRouter } from "@boxoffice/api";
import { reasons } from "@boxoffice/core";
import { schema } from "@boxoffice/db";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { publishedEvent, startTestServer, type TestServer } from "./testing.ts";

const BASE_SEED = Number(process.env.HOSTILE_SEED ?? 20_260_101);
const RUNS = Number(process.env.HOSTILE_RUNS ?? 40);

// ---------------------------------------------------------------------------------------------
// The server and the ids that exist in it.

type Role = "anonymous" | "attendee" | "organizer" | "admin";
const ROLES: readonly Role[] = ["anonymous", "attendee", "organizer", "admin"];

const ADMIN_EMAIL = "root@example.test";
const ADMIN_PASSWORD = "the admin passphrase";

let ts: TestServer;
const userIds: Record<Exclude<Role, "anonymous">, string> = {
  attendee: "",
  organizer: "",
  admin: "",
};
/** Fresh per procedure (see freshSessions): a swept auth.logout must not sign the rest out. */
const tokens: Record<Exclude<Role, "anonymous">, string> = {
  attendee: "",
  organizer: "",
  admin: "",
};

/** Real ids by the field names that carry them: the current world's, and some stale ones. */
const real = {
  eventId: [] as string[],
  ticketTypeId: [] as string[],
  seatId: [] as string[],
  holdId: [] as string[],
  bookingId: [] as string[],
  venueId: [] as string[],
  userId: [] as string[],
  code: [] as string[],
  email: [ADMIN_EMAIL] as string[],
  cursor: [] as string[],
};
type Ids = Omit<typeof real, "venueId" | "userId" | "email">;
/** The first world's ids: by the end of the sweep its events are cancelled, its holds gone. */
let stale: Ids | null = null;
let venueId = "";

/** What the server logged as errors: a swallowed failure shows here even without a 500. */
const serverErrors: string[] = [];

beforeAll(async () => {
  ts = await startTestServer({
    BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
  });
  const { logger } = ts.server.services;
  const logError = logger.error.bind(logger);
  logger.error = (message, fields) => {
    serverErrors.push(`${message} ${clip(JSON.stringify(fields, errorFields) ?? "", 2000)}`);
    logError(message, fields);
  };
  const admin = await ts.client().auth.login.mutate({
    email: ADMIN_EMAIL,
    password: ADMIN_PASSWORD,
  });
  const organizer = await ts.register("organizer");
  const attendee = ts.user();
  // Someone for users.setRole to change, besides the three actors.
  const bystander = ts.user();
  userIds.admin = admin.user.id;
  userIds.organizer = organizer.userId;
  userIds.attendee = attendee.userId;
  real.userId.push(admin.user.id, organizer.userId, attendee.userId, bystander.userId);
  real.email.push(organizer.email);
  const venue = await organizer.client.venues.create.mutate({
    name: "Hall",
    sections: [
      { name: "Stalls", priceCents: 1500, rows: [{ label: "A", seats: 4 }] },
      { name: "Balcony", priceCents: 900, rows: [{ label: "B", seats: 3 }] },
    ],
  });
  venueId = venue.id;
  real.venueId.push(venue.id);
  freshSessions();
  await seedWorld();
});

/**
 * A published event (free and paid types, a waitlist, a refund policy), a draft, a seated
 * event, bookings and holds, so that generated inputs carry ids that exist. Made afresh before
 * each procedure's sweep: one swept events.cancel must not leave every later procedure facing
 * a cancelled event.
 */
async function seedWorld(): Promise<void> {
  const org = ts.client(tokens.organizer);
  const buyer = ts.client(tokens.attendee);
  const event = await publishedEvent(org, {
    ticketTypes: [
      { name: "General", priceCents: 0, capacity: 100 },
      { name: "VIP", priceCents: 2500, capacity: 5 },
    ],
    waitlist: { enabled: true, mode: "offer", offerSeconds: 3600 },
    cancellationPolicy: {
      refundable: true,
      feeCents: 100,
      rules: [{ hoursBeforeStart: 24, refundPercent: 50 }],
    },
  });
  const draft = await org.events.create.mutate({
    title: "Draft",
    startsAt: new Date(Date.now() + 40 * 86_400_000).toISOString(),
    ticketTypes: [{ name: "General", priceCents: 1000, capacity: 10 }],
  });
  const seatedDraft = await org.events.create.mutate({
    title: "Seated",
    venueId,
    startsAt: new Date(Date.now() + 50 * 86_400_000).toISOString(),
  });
  const seated = await org.events.publish.mutate({ eventId: seatedDraft.id });
  const seatMap = await buyer.events.seatMap.query({ eventId: seated.id });
  const seats = seatMap.sections.flatMap((s) => s.rows.flatMap((r) => r.seats.map((x) => x.id)));
  const [general, vip] = event.ticketTypes.map((t) => t.id) as [string, string];
  const booked = await buyer.bookings.book.mutate({
    eventId: event.id,
    items: [
      { ticketTypeId: general, quantity: 2 },
      { ticketTypeId: vip, quantity: 1 },
    ],
  });
  const seatBooking = await buyer.bookings.book.mutate({
    eventId: seated.id,
    seatIds: [seats[0]!],
  });
  if (booked.status !== "confirmed" || seatBooking.status !== "confirmed") {
    throw new Error("setup: a booking was not confirmed");
  }
  const hold = await buyer.bookings.hold.mutate({
    eventId: event.id,
    items: [{ ticketTypeId: general, quantity: 1 }],
  });
  const seatHold = await buyer.bookings.hold.mutate({ eventId: seated.id, seatIds: [seats[1]!] });
  const cursors = await Promise.all([
    buyer.bookings.mine.query({ limit: 1 }).then((p) => p.nextCursor),
    buyer.events.list.query({ limit: 1 }).then((p) => p.nextCursor),
    ts
      .client(tokens.admin)
      .users.list.query({ limit: 1 })
      .then((p) => p.nextCursor),
  ]);
  const ids: Ids = {
    eventId: [event.id, draft.id, seated.id],
    ticketTypeId: [event, draft, seated].flatMap((e) => e.ticketTypes.map((t) => t.id)),
    seatId: seats,
    holdId: [hold.id, seatHold.id],
    bookingId: [booked.booking.id, seatBooking.booking.id],
    code: [booked.booking, seatBooking.booking].flatMap((b) => b.tickets.map((t) => t.code)),
    cursor: cursors.filter((c): c is string => c !== null),
  };
  stale ??= ids;
  for (const key of Object.keys(ids) as (keyof Ids)[]) {
    // Mostly this world's ids; one stale id per kind keeps refusals of ended things in play.
    real[key] = stale === ids ? ids[key] : [...ids[key], ...stale[key].slice(0, 1)];
  }
}

afterAll(async () => {
  if (process.env.HOSTILE_VERBOSE) {
    for (const [key, row] of [...tally].sort()) {
      console.log(key.padEnd(28), [...row].map(([k, n]) => `${k}:${n}`).join(" "));
    }
  }
  await ts?.stop();
});

const errorFields = (_key: string, value: unknown) =>
  value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;

/**
 * New sessions for the three actors, and their roles put back: the sweep itself signs out
 * (auth.logout), changes passwords and roles (users.setRole), which must not blunt the
 * procedures swept after it.
 */
function freshSessions(): void {
  const { db, sessions } = ts.server.services;
  for (const role of ["attendee", "organizer", "admin"] as const) {
    const userId = userIds[role];
    db.update(schema.users).set({ role }).where(eq(schema.users.id, userId)).run();
    sessions.forgetUser(userId);
    tokens[role] = sessions.create(userId, Date.now()).token;
  }
}

// ---------------------------------------------------------------------------------------------
// Hostile values.

const b64 = (text: string) => Buffer.from(text).toString("base64url");

const deepObject = (depth: number): unknown => {
  let v: unknown = { leaf: true };
  for (let i = 0; i < depth; i++) v = { a: v, eventId: "x" };
  return v;
};
const deepArray = (depth: number): unknown => {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

const hugeStrings = fc.constantFrom(
  "x".repeat(100_000),
  "é".repeat(50_000),
  "😀".repeat(30_000),
  "\u0000".repeat(10_000),
  `${"a".repeat(64)}@${"b".repeat(200)}.test`,
);

const oddStrings = fc.constantFrom(
  "",
  " ",
  "   \t\n",
  "NaN",
  "Infinity",
  "-Infinity",
  "1e400",
  "-0",
  "0x10",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  "\u0000",
  "\ud800",
  "\udfff\ud800",
  "\u202e\u2066",
  "Ǆ̧̛̗̈́̈́",
  "👩‍👩‍👧‍👦",
  "ß",
  "İ",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "%",
  "_",
  "\\",
  "%00",
  "../../../etc/passwd",
  "__proto__",
  "constructor",
  "toString",
  "evt_",
  "x".repeat(65),
  "2026-02-30T00:00:00Z",
  "2026-12-31T20:00:00",
  "2026-12-31T20:00:00.000Z",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59.999+14:00",
  "2026-12-31T24:00:00Z",
  "２０２６-01-01T00:00:00Z",
  "Europe/Berlin",
  "+05:00",
  "Etc/GMT+12",
  "usd",
  '=HYPERLINK("x")',
  b64("null"),
  b64("[]"),
  b64('{"createdAt":"1","id":2}'),
  b64('{"createdAt":1e400,"id":"x"}'),
  b64('{"s":-1,"i":""}'),
  b64('{"s":1e300,"i":"z"}'),
  b64('{"createdAt":9007199254740993,"id":"\\u0000"}'),
);

const oddNumbers = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    1,
    0.5,
    -0.5,
    99.999,
    100,
    101,
    1e308,
    -1e308,
    5e-324,
    2 ** 31,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 53),
    1_000_001,
    100_000_001,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const garbageIds = fc.oneof(
  oddStrings,
  fc.string({ maxLength: 70 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom("evt_doesnotexist", "bkg_nope", "hld_nope", "ven_nope", "usr_nope", "tt_nope"),
);

/** Anything of the wrong type, or of the right type but absurd. */
const garbage: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: oddStrings },
  { weight: 3, arbitrary: oddNumbers },
  { weight: 1, arbitrary: hugeStrings },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [{}], [null], { length: 1 }) },
  { weight: 2, arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true }) },
  { weight: 1, arbitrary: fc.constantFrom(deepObject(200), deepArray(500)) },
  { weight: 2, arbitrary: fc.array(garbageIds, { maxLength: 4 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.constantFrom("eventId", "id", "__proto__", "length"), garbageIds),
  },
);

/** Mostly a real id of the right kind, sometimes garbage. */
const pick = (pool: readonly string[]) =>
  pool.length > 0
    ? fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...pool) },
        { weight: 1, arbitrary: garbageIds },
      )
    : garbageIds;

const instants = fc
  .oneof(
    { weight: 6, arbitrary: fc.integer({ min: -30, max: 400 }) },
    { weight: 1, arbitrary: fc.integer({ min: -2_000_000, max: 2_000_000 }) },
  )
  .map((days) => new Date(Date.now() + days * 86_400_000).toISOString());

/**
 * A plausible string for a field of this name: real ids, well-formed instants, zones and
 * emails. Mostly valid, so that inputs get past validation into the procedures; broken() and
 * garbage are what make them hostile.
 */
function stringFor(key: string): fc.Arbitrary<unknown> {
  const k = key.toLowerCase();
  if (k === "eventid") return pick(real.eventId);
  if (k === "organizerid" || k === "userid") return pick(real.userId);
  if (k === "tickettypeid" || k === "id") return pick(real.ticketTypeId);
  if (k === "seatids") return pick(real.seatId);
  if (k === "holdid") return pick(real.holdId);
  if (k === "bookingid") return pick(real.bookingId);
  if (k === "venueid") return pick(real.venueId);
  if (k === "code") return fc.oneof(pick(real.code), pick(real.code.map((c) => c.toLowerCase())));
  if (k === "cursor") return pick(real.cursor);
  if (k === "token") return fc.constantFrom("decline", "ok", "");
  if (k === "idempotencykey") return fc.oneof(fc.constantFrom("key-1", "key-2"), fc.string());
  if (k === "email") {
    return fc.oneof(
      pick(real.email),
      fc.emailAddress({ size: "small" }),
      fc.constant(` ${ADMIN_EMAIL.toUpperCase()} `),
    );
  }
  if (k.includes("password")) {
    return fc.oneof(
      fc.constantFrom(ADMIN_PASSWORD, "correct horse battery", "short"),
      fc.string({ minLength: 8, maxLength: 20 }),
    );
  }
  if (k.endsWith("at") || k === "from" || k === "to") return instants;
  if (k === "timezone") {
    return fc.constantFrom("UTC", "europe/berlin", "America/New_York", "Asia/Kathmandu", "+05:00");
  }
  if (k === "currency") return fc.constantFrom("USD", "EUR", "JPY", "XXX");
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }) },
    { weight: 1, arbitrary: oddStrings },
  );
}

/** Plausible numbers by field name, edges included. */
function numberFor(key: string): fc.Arbitrary<number> {
  const ranges: Record<string, [number, number]> = {
    holdSeconds: [30, 3600],
    offerSeconds: [60, 604_800],
    hoursBeforeStart: [0, 200],
    refundPercent: [0, 100],
    limit: [1, 100],
    maxPerOrder: [1, 100],
    maxPerUser: [1, 10_000],
    priceCents: [0, 10_000],
    feeCents: [0, 1_000],
    capacity: [0, 200],
    seats: [1, 20],
    quantity: [1, 6],
  };
  const [min, max] = ranges[key] ?? [0, 5];
  return fc.oneof(
    { weight: 30, arbitrary: fc.integer({ min, max }) },
    { weight: 1, arbitrary: fc.constantFrom(min - 1, max + 1, min + 0.5) },
    { weight: 1, arbitrary: oddNumbers },
  );
}

/** The zod internals the sweep reads (zod 4's `_zod.def`). */
interface ZodLike {
  _zod: { def: { type: string; [key: string]: unknown } };
}

/** Optional fields are left out more often than not: each one present is one more way to fail. */
const absentOr = (arb: fc.Arbitrary<unknown>, nil: undefined | null) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(nil) }, { weight: 2, arbitrary: arb });

/**
 * Values shaped by a procedure's input schema: often valid, so that inputs get past validation
 * into the procedures themselves, and often subtly not (missing keys, edge numbers).
 */
function plausible(s: ZodLike | undefined, key = "", depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 8) return garbage;
  const def = s._zod.def;
  const inner = (name: string) => def[name] as ZodLike;
  switch (def.type) {
    case "object": {
      const shape = def.shape as Record<string, ZodLike>;
      const model = Object.fromEntries(
        Object.entries(shape).map(([k, v]) => [k, plausible(v, k, depth + 1)]),
      );
      return fc.oneof(
        { weight: 3, arbitrary: fc.record(model) },
        { weight: 1, arbitrary: fc.record(model, { requiredKeys: [] }) },
      );
    }
    case "array":
      return fc.array(plausible(inner("element"), key, depth + 1), { minLength: 1, maxLength: 3 });
    case "optional":
      return absentOr(plausible(inner("innerType"), key, depth + 1), undefined);
    case "nullable":
      return absentOr(plausible(inner("innerType"), key, depth + 1), null);
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return absentOr(plausible(inner("innerType"), key, depth + 1), undefined);
    case "pipe":
      return plausible(inner("in"), key, depth + 1);
    case "union":
      return fc.oneof(...(def.options as ZodLike[]).map((o) => plausible(o, key, depth + 1)));
    case "string":
      return stringFor(key);
    case "number":
    case "int":
      return numberFor(key);
    case "boolean":
      return fc.boolean();
    case "enum":
      return fc.constantFrom(...Object.values(def.entries as Record<string, string>));
    case "literal":
      return fc.constantFrom(...(def.values as unknown[]));
    default:
      return garbage;
  }
}

/** Every path to a value inside `v` (objects and arrays), up to a small depth. */
function pathsOf(v: unknown, depth = 0): (string | number)[][] {
  if (depth > 4 || v === null || typeof v !== "object") return [];
  const out: (string | number)[][] = [];
  for (const [k, child] of Object.entries(v)) {
    const key = Array.isArray(v) ? Number(k) : k;
    out.push([key], ...pathsOf(child, depth + 1).map((p) => [key, ...p]));
  }
  return out;
}

function setAt(v: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<
    string | number,
    unknown
  >;
  copy[head] = setAt(copy[head], rest, value);
  return copy;
}

/** A plausible input with one field (at any depth, or a known top-level one) made hostile. */
function broken(s: ZodLike | undefined, knownKeys: readonly string[]): fc.Arbitrary<unknown> {
  return fc.tuple(plausible(s), fc.nat(), garbage, fc.boolean()).map(([base, n, bad, atTop]) => {
    if (atTop && knownKeys.length > 0 && base !== null && typeof base === "object") {
      return setAt(base, [knownKeys[n % knownKeys.length]!], bad);
    }
    const paths = pathsOf(base);
    if (paths.length === 0) return bad;
    return setAt(base, paths[n % paths.length]!, bad);
  });
}

function topLevelKeys(s: ZodLike | undefined): string[] {
  let cur = s;
  for (let i = 0; cur && i < 8; i++) {
    const def = cur._zod.def;
    if (def.type === "object") return Object.keys(def.shape as object);
    cur = (def.innerType ?? def.in) as ZodLike | undefined;
  }
  return [];
}

function inputsFor(s: ZodLike | undefined): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 5, arbitrary: plausible(s) },
    { weight: 4, arbitrary: broken(s, topLevelKeys(s)) },
    { weight: 2, arbitrary: garbage },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 4, withNullPrototype: true }) },
  );
}

// ---------------------------------------------------------------------------------------------
// Sending, and what every answer must look like.

interface Auth {
  readonly role: Role;
  /** cookie: the session cookie, with Origin `origin` on mutations. */
  readonly via: "bearer" | "cookie";
  readonly origin: "same" | "foreign" | "none";
}

const auths: fc.Arbitrary<Auth> = fc.record({
  role: fc.constantFrom(...ROLES),
  via: fc.constantFrom("bearer", "bearer", "cookie"),
  origin: fc.constantFrom("same", "same", "same", "foreign", "none"),
});

function headersOf(auth: Auth, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { ...extra };
  if (auth.role !== "anonymous") {
    const token = tokens[auth.role];
    if (auth.via === "bearer") headers.authorization = `Bearer ${token}`;
    else headers.cookie = `session=${token}`;
  }
  if (auth.origin === "same") headers.origin = ts.url;
  if (auth.origin === "foreign") headers.origin = "https://evil.example";
  return headers;
}

const clip = (text: string, n = 300) =>
  text.length > n ? `${text.slice(0, n)}…(${text.length})` : text;

function describeInput(input: unknown): string {
  try {
    return clip(JSON.stringify(input) ?? "undefined");
  } catch {
    return String(input);
  }
}

const isPlainObject = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);

/** shared/API.md "Reasons". */
const REASONS: ReadonlySet<string> = new Set(reasons);

interface TrpcError {
  message?: unknown;
  data?: {
    code?: unknown;
    httpStatus?: unknown;
    issues?: { path?: unknown; message?: unknown }[];
  };
}

/**
 * One tRPC error body: code and status present; a BAD_REQUEST names its fields (a root-level
 * issue is fine only when the input was not an object in the first place). `inputKnown` says
 * the request was well-formed tRPC carrying `input`; otherwise `input` means nothing.
 */
function checkError(error: TrpcError, context: string, input: unknown, inputKnown: boolean): void {
  const data = error?.data;
  if (typeof data?.code !== "string" || typeof data.httpStatus !== "number") {
    throw new Error(
      `${context}: error without data.code/httpStatus: ${clip(JSON.stringify(error))}`,
    );
  }
  if (data.httpStatus >= 500)
    throw new Error(`${context}: ${data.code} ${clip(String(error.message))}`);
  const reason = (data as { reason?: unknown }).reason;
  if (reason !== undefined && reason !== null && !REASONS.has(String(reason))) {
    throw new Error(`${context}: reason ${String(reason)} is not in the contract`);
  }
  if (data.code !== "BAD_REQUEST") return;
  const issues = data.issues;
  if (!Array.isArray(issues) || issues.length === 0) {
    // A request that is not well-formed tRPC (unparsable JSON, a batch mixing types, form data)
    // is refused by tRPC itself before any field is read: then a clear message is all there is.
    if (!inputKnown && typeof error.message === "string" && error.message.length > 0) return;
    throw new Error(`${context}: BAD_REQUEST without issues: ${clip(String(error.message))}`);
  }
  for (const issue of issues) {
    if (typeof issue.path !== "string" || typeof issue.message !== "string" || !issue.message) {
      throw new Error(`${context}: malformed issue ${clip(JSON.stringify(issue))}`);
    }
    // A root-level issue is about the input as a whole: fine when that was no object at all.
    const rootOk = inputKnown ? !isPlainObject(input) : !/received object/.test(issue.message);
    if (issue.path === "" && !rootOk) {
      throw new Error(
        `${context}: validation issue naming no field (${issue.message}) for input ${describeInput(input)}`,
      );
    }
  }
}

/** Refusals Bun itself sends before any JavaScript runs (body, URL or headers too large). */
const TRANSPORT_REFUSALS = new Set([413, 414, 431]);

async function readJson(res: Response, context: string): Promise<unknown> {
  const text = await res.text();
  if (TRANSPORT_REFUSALS.has(res.status)) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${context}: ${res.status} with a body that is not JSON: ${clip(text)}`);
  }
}

/**
 * Checks an answer from /trpc: never 5xx, errors shaped as the contract says. `inputs` are what
 * each call of the request sent (null when the request was not even well-formed).
 */
/** Answers seen per procedure, by status and code: HOSTILE_VERBOSE=1 prints them. */
const tally = new Map<string, Map<string, number>>();
function count(key: string, outcome: string): void {
  const row = tally.get(key) ?? new Map<string, number>();
  row.set(outcome, (row.get(outcome) ?? 0) + 1);
  tally.set(key, row);
}

async function checkTrpc(
  res: Response,
  context: string,
  inputs: readonly unknown[] | null,
  batch: boolean,
): Promise<void> {
  count(context.split(" ")[0] ?? "", String(res.status));
  if (res.status >= 500) {
    throw new Error(`${context}: HTTP ${res.status}: ${clip(await res.text())}`);
  }
  if (res.status < 300 && !batch) {
    await res.body?.cancel();
    return;
  }
  const body = await readJson(res, context);
  if (body === null && TRANSPORT_REFUSALS.has(res.status)) return;
  const items = batch && Array.isArray(body) ? body : [body];
  for (const [i, item] of items.entries()) {
    const error = (item as { error?: TrpcError })?.error;
    if (!error) {
      if (res.status >= 400 && !batch) throw new Error(`${context}: ${res.status} without error`);
      continue;
    }
    const input = inputs ? inputs[i] : undefined;
    checkError(error, `${context}[${i}]`, input, inputs !== null);
    const reason = (error.data as { reason?: string } | undefined)?.reason;
    const why = reason ?? error.data?.issues?.map((x) => x.path).join(",") ?? "";
    if (why) count(`  ${context.split(" ")[0]}`, `${error.data?.code}(${why})`);
    if (!batch && error.data?.httpStatus !== res.status) {
      throw new Error(
        `${context}: HTTP ${res.status} but data.httpStatus ${error.data?.httpStatus}`,
      );
    }
  }
}

const url = (path: string) => `${ts.url}${path}`;

function queryString(input: unknown, batch = false): string {
  const params = new URLSearchParams();
  if (batch) params.set("batch", "1");
  if (input !== undefined) params.set("input", JSON.stringify(input));
  const text = params.toString();
  return text ? `?${text}` : "";
}

type ProcType = "query" | "mutation" | "subscription";

interface Procedure {
  readonly path: string;
  readonly type: ProcType;
  readonly input: ZodLike | undefined;
}

const procedures: Procedure[] = Object.entries(
  (appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures,
).map(([path, proc]) => {
  const def = (proc as { _def: { type: ProcType; inputs: ZodLike[] } })._def;
  return { path, type: def.type, input: def.inputs[0] };
});

/** Every `{error: {...}}` inside a parsed body, however deeply a stream nests it. */
function errorsIn(value: unknown, out: TrpcError[] = [], depth = 0): TrpcError[] {
  if (depth > 12 || value === null || typeof value !== "object") return out;
  if (!Array.isArray(value) && "error" in value && typeof value.error === "object") {
    out.push(value.error as TrpcError);
  }
  for (const child of Object.values(value)) errorsIn(child, out, depth + 1);
  return out;
}

/**
 * Reads an SSE answer up to its first event after `connected` (or a short deadline): a
 * subscription refuses bad input inside the stream, as a `serialized-error` event.
 */
async function firstSseEvent(res: Response, abort: AbortController): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return "";
  const deadline = setTimeout(() => abort.abort(), 2_000);
  let text = "";
  try {
    while (!/event: (?!connected)[^\n]*\ndata: [^\n]*\n\n/.test(text) && !/^data: /m.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
  } catch {
    // The deadline: a stream that sent nothing more is no error.
  } finally {
    clearTimeout(deadline);
  }
  return text;
}

type Mode = "plain" | "wrongMethod" | "jsonl";

/**
 * Sends one call of `proc` the way its type wants; `wrongMethod` uses the other method (GET for
 * a mutation, POST for a query), `jsonl` asks for tRPC's streamed batch format (a batch of one).
 */
async function call(proc: Procedure, input: unknown, auth: Auth, mode: Mode) {
  const context = `${proc.path} as ${auth.role}/${auth.via}/${auth.origin} ${mode} ${describeInput(input)}`;
  const wrongMethod = mode === "wrongMethod";
  const asGet = (proc.type !== "mutation") !== wrongMethod;
  if (proc.type === "subscription" && !wrongMethod) {
    // SSE: a good input opens a stream that never ends; the first event says how it went.
    const abort = new AbortController();
    const res = await fetch(url(`/trpc/${proc.path}${queryString(input)}`), {
      headers: headersOf(auth, { accept: "text/event-stream" }),
      signal: abort.signal,
    });
    try {
      if (res.status >= 400) return await checkTrpc(res, context, [input], false);
      count(proc.path, String(res.status));
      const text = await firstSseEvent(res, abort);
      const error = /event: serialized-error\ndata: ([^\n]*)/.exec(text)?.[1];
      if (error) {
        const parsed = JSON.parse(error) as TrpcError;
        count(`  ${proc.path}`, `sse:${parsed.data?.code}`);
        checkError(parsed, `${context} (SSE)`, input, true);
      }
    } finally {
      abort.abort();
    }
    return;
  }
  if (mode === "jsonl") {
    const headers = headersOf(auth, {
      "trpc-accept": "application/jsonl",
      "content-type": "application/json",
    });
    const res = asGet
      ? await fetch(url(`/trpc/${proc.path}${queryString({ 0: input }, true)}`), { headers })
      : await fetch(url(`/trpc/${proc.path}?batch=1`), {
          method: "POST",
          headers,
          body: JSON.stringify({ 0: input }),
        });
    count(proc.path, `jsonl:${res.status}`);
    if (res.status >= 500)
      throw new Error(`${context}: HTTP ${res.status}: ${clip(await res.text())}`);
    // A URL over the bound (414) is refused before tRPC reads the input it carries.
    if (TRANSPORT_REFUSALS.has(res.status)) return void (await res.body?.cancel());
    const text = await res.text();
    for (const line of text.split("\n").filter((l) => l.trim())) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new Error(`${context}: a streamed line that is not JSON: ${clip(line)}`);
      }
      for (const error of errorsIn(parsed)) checkError(error, `${context} (jsonl)`, input, true);
    }
    return;
  }
  const res = asGet
    ? await fetch(url(`/trpc/${proc.path}${queryString(input)}`), { headers: headersOf(auth) })
    : await fetch(url(`/trpc/${proc.path}`), {
        method: "POST",
        headers: headersOf(auth, { "content-type": "application/json" }),
        body: input === undefined ? undefined : JSON.stringify(input),
      });
  await checkTrpc(res, context, [input], false);
}

/** Writes raw bytes to the server and reads the status line of its answer, if any. */
function rawRequest(request: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(ts.server.port, "127.0.0.1");
    let answer = "";
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    // Keep-alive leaves the socket open after the answer: its first line is all that is needed.
    const timer = setTimeout(finish, 1_000);
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1");
      if (answer.includes("\r\n\r\n")) finish();
    });
    socket.on("end", finish);
    socket.on("error", finish);
    socket.write(Buffer.from(request, "latin1"));
  });
}

async function expectNo5xx(request: string): Promise<void> {
  const answer = await rawRequest(request);
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0);
  count("raw", String(status));
  if (status >= 500) throw new Error(`${JSON.stringify(clip(request, 200))}: ${clip(answer, 300)}`);
}

const seedOf = (name: string) => {
  let h = BASE_SEED;
  for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
};

async function sweep<T>(
  name: string,
  arb: fc.Arbitrary<T>,
  run: (v: T) => Promise<void>,
  runs = RUNS,
) {
  await fc.assert(fc.asyncProperty(arb, run), {
    seed: seedOf(name),
    numRuns: runs,
    // Shrinking over HTTP is slow; a bounded shrink still gives a small counterexample.
    interruptAfterTimeLimit: 20_000,
    markInterruptAsFailure: false,
  });
}

// ---------------------------------------------------------------------------------------------
// The sweep.

describe("hostile input over HTTP", () => {
  it("covers every procedure of the router", () => {
    expect(procedures.length).toBeGreaterThan(30);
    for (const p of procedures) expect(["query", "mutation", "subscription"]).toContain(p.type);
  });

  it("answers every procedure's generated inputs without a 500, naming bad fields", async () => {
    for (const proc of procedures) {
      freshSessions();
      await seedWorld();
      await sweep(
        proc.path,
        fc.record({
          input: inputsFor(proc.input),
          auth: auths,
          // One call in ten uses the other method, one in ten the streamed (jsonl) format.
          flip: fc.integer({ min: 0, max: 9 }),
        }),
        async ({ input, auth, flip }) =>
          call(proc, input, auth, flip === 0 ? "wrongMethod" : flip === 1 ? "jsonl" : "plain"),
      );
    }
  }, 120_000);

  it("answers concurrent bursts of generated calls without a 500", async () => {
    freshSessions();
    await seedWorld();
    const byPath = new Map(procedures.map((p) => [p.path, p]));
    const oneCall = fc
      .constantFrom(...procedures.filter((p) => p.type !== "subscription").map((p) => p.path))
      .chain((path) => fc.tuple(fc.constant(path), inputsFor(byPath.get(path)?.input), auths));
    await sweep(
      "bursts",
      fc.array(oneCall, { minLength: 2, maxLength: 8 }),
      async (calls) => {
        await Promise.all(
          calls.map(([path, input, auth]) => call(byPath.get(path)!, input, auth, "plain")),
        );
      },
      30,
    );
  }, 60_000);

  it("answers batches of mixed procedures and garbage without a 500", async () => {
    freshSessions();
    const queries = procedures.filter((p) => p.type === "query");
    const mutations = procedures.filter((p) => p.type === "mutation");
    const byPath = new Map(procedures.map((p) => [p.path, p]));
    const entry = (pool: Procedure[]) =>
      fc
        .constantFrom(...pool.map((p) => p.path))
        .chain((path) => fc.tuple(fc.constant(path), inputsFor(byPath.get(path)?.input)));
    await sweep(
      "batch",
      fc.record({
        get: fc.boolean(),
        calls: fc.array(fc.oneof(entry(queries), entry(mutations), entry(procedures)), {
          minLength: 1,
          maxLength: 5,
        }),
        auth: auths,
        shape: fc.constantFrom("indexed", "indexed", "array", "sparse", "garbage"),
        junk: garbage,
      }),
      async ({ get, calls, auth, shape, junk }) => {
        const paths = calls.map(([path]) => path).join(",");
        const inputs = calls.map(([, i]) => i);
        const body =
          shape === "indexed"
            ? Object.fromEntries(inputs.map((v, i) => [String(i), v]))
            : shape === "array"
              ? inputs
              : shape === "sparse"
                ? Object.fromEntries(inputs.map((v, i) => [String(i * 2 + 1), v]))
                : junk;
        // Only a well-formed batch (indexed inputs, one procedure type) reaches the procedures.
        const types = new Set(calls.map(([path]) => byPath.get(path)?.type));
        const known = shape === "indexed" && types.size === 1 ? inputs : null;
        const context = `batch ${get ? "GET" : "POST"} ${paths} ${shape} as ${auth.role}`;
        const res = get
          ? await fetch(
              url(`/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(body) ?? "")}`),
              { headers: headersOf(auth) },
            )
          : await fetch(url(`/trpc/${paths}?batch=1`), {
              method: "POST",
              headers: headersOf(auth, { "content-type": "application/json" }),
              body: JSON.stringify(body),
            });
        await checkTrpc(res, context, known, true);
      },
      60,
    );
  }, 60_000);

  it("answers malformed bodies, odd content types, paths and methods without a 500", async () => {
    freshSessions();
    const bodies = [
      "",
      "{",
      '{"eventId":',
      "NaN",
      "undefined",
      "'single'",
      "\u0000",
      "\uFEFF{}",
      '{"eventId":"x",}',
      '{"eventId":1e400}',
      '{"limit":1e400}',
      '{"items":[{"ticketTypeId":"x","quantity":-1e400}],"eventId":"x"}',
      '{"__proto__":{"admin":true},"eventId":"x"}',
      '{"constructor":{"prototype":{"x":1}}}',
      `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
      `${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}`,
      `"${"x".repeat(100_000)}"`,
      "x".repeat(2 * 1024 * 1024),
    ];
    const contentTypes = [
      "application/json",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data",
      "multipart/form-data; boundary=xyz",
      "application/octet-stream",
      "application/json; charset=latin1",
      "image/png",
      "",
    ];
    const auth: Auth = { role: "organizer", via: "bearer", origin: "none" };
    const targets = ["events.create", "bookings.book", "auth.login", "system.noop", "events.get"];
    for (const path of targets) {
      for (const body of bodies) {
        for (const type of contentTypes) {
          const headers = headersOf(auth, type ? { "content-type": type } : {});
          const res = await fetch(url(`/trpc/${path}`), { method: "POST", headers, body });
          await checkTrpc(res, `POST ${path} ${type} ${clip(body, 60)}`, null, false);
        }
      }
    }

    const multipart = [
      '--xyz\r\nContent-Disposition: form-data; name="eventId"\r\n\r\nevt_x\r\n--xyz--\r\n',
      '--xyz\r\nContent-Disposition: form-data; name="eventId"\r\n\r\nevt_x',
      "--abc\r\n\r\n--abc--",
    ];
    for (const body of multipart) {
      const res = await fetch(url("/trpc/events.publish"), {
        method: "POST",
        headers: headersOf(auth, { "content-type": "multipart/form-data; boundary=xyz" }),
        body,
      });
      await checkTrpc(res, `multipart ${clip(body, 60)}`, null, false);
    }

    const queryInputs = [
      "",
      "%",
      "%E0%A4%A",
      "{",
      "undefined",
      "NaN",
      encodeURIComponent(`"${"x".repeat(100_000)}"`),
      encodeURIComponent(`${"[".repeat(10_000)}${"]".repeat(10_000)}`),
    ];
    for (const raw of queryInputs) {
      for (const path of ["events.get", "events.list", "auth.me", "events.availability"]) {
        const abort = new AbortController();
        const res = await fetch(url(`/trpc/${path}?input=${raw}`), {
          headers: headersOf(auth),
          signal: abort.signal,
        });
        try {
          if (res.status >= 400 || path !== "events.availability")
            await checkTrpc(res, `GET ${path}?input=${clip(raw, 60)}`, null, false);
        } finally {
          abort.abort();
        }
      }
    }

    const paths = [
      "/trpc",
      "/trpc/",
      "/trpc/nope",
      "/trpc/events",
      "/trpc/events.get.x",
      "/trpc/events..get",
      "/trpc/__proto__",
      "/trpc/constructor",
      "/trpc/events.__proto__",
      "/trpc/events.constructor",
      "/trpc/toString",
      "/trpc/_def",
      "/trpc/%E0%A4%A",
      "/trpc/%",
      "/trpc/events.get%00",
      `/trpc/${"events.get,".repeat(200)}events.get?batch=1`,
      "/trpc/events.get,auth.me?batch=1&input=%7B%7D",
      "/trpc/events.get,events.availability?batch=1",
      "/trpc/?batch=1",
      "/trpc/events.get?batch=0&input=%7B%7D",
      "/trpc/events.get?batch=true&input=1",
      "/trpc/events.get?input=1&input=2",
    ];
    for (const path of paths) {
      for (const method of ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]) {
        const res = await fetch(url(path), {
          method,
          headers: headersOf({ ...auth, origin: "same" }, { "content-type": "application/json" }),
          body: method === "GET" || method === "HEAD" ? undefined : "{}",
        });
        const context = `${method} ${clip(path, 80)}`;
        if (res.status >= 500)
          throw new Error(`${context}: HTTP ${res.status}: ${await res.text()}`);
        if (method !== "HEAD" && res.status >= 400) {
          const body = await readJson(res, context);
          const items = Array.isArray(body) ? body : [body];
          for (const item of items) {
            const error = (item as { error?: TrpcError }).error;
            if (error) checkError(error, context, undefined, false);
          }
        } else {
          await res.body?.cancel();
        }
      }
    }
  }, 60_000);

  it("answers hostile auth headers and cookies without a 500", async () => {
    freshSessions();
    const values = fc.oneof(
      oddStrings,
      fc.string({ maxLength: 200 }),
      fc.constantFrom(
        `${tokens.organizer}x`,
        `${tokens.organizer}.extra`,
        tokens.organizer.toUpperCase(),
        `.${"a".repeat(65)}`,
        `${"a".repeat(65)}.b`,
        "a.b",
        ".",
        "..",
      ),
    );
    await sweep(
      "auth headers",
      fc.record({
        token: values.map((v) => v.replace(/[^\x20-\x7e]/g, "")),
        scheme: fc.constantFrom("Bearer ", "bearer ", "Basic ", "", "Bearer  "),
        cookie: fc.boolean(),
        path: fc.constantFrom("auth.me", "bookings.mine", "events.list"),
        mutation: fc.boolean(),
      }),
      async ({ token, scheme, cookie, path, mutation }) => {
        const headers: Record<string, string> = cookie
          ? { cookie: `session=${token}; other=1; session; =x` }
          : { authorization: `${scheme}${token}` };
        const res = mutation
          ? await fetch(url("/trpc/auth.logout"), {
              method: "POST",
              headers: { ...headers, origin: ts.url },
            })
          : await fetch(url(`/trpc/${path}`), { headers });
        await checkTrpc(res, `${path} with ${JSON.stringify(headers)}`, [undefined], false);
      },
      60,
    );
  }, 30_000);

  it("answers the CSV export and other plain paths without a 500", async () => {
    freshSessions();
    const segments = fc.oneof(
      fc.constantFrom(...real.eventId).map((id) => ({ raw: id })),
      fc.string({ maxLength: 80 }).map((s) => ({ raw: encodeURIComponent(s) })),
      fc.string({ unit: "binary", maxLength: 40 }).map((s) => ({ raw: encodeURIComponent(s) })),
      fc
        .constantFrom(
          "%",
          "%E0%A4%A",
          "%00",
          "%2F",
          "..",
          "%2e%2e",
          "",
          "x".repeat(10_000),
          "evt_%ZZ",
          "%F0%9F%98%80",
          "%C0%AF",
        )
        .map((raw) => ({ raw })),
    );
    await sweep(
      "exports",
      fc.record({
        segment: segments,
        auth: auths,
        suffix: fc.constantFrom("attendees.csv", "x", ""),
      }),
      async ({ segment, auth, suffix }) => {
        const path = `/exports/events/${segment.raw}/${suffix}`;
        const res = await fetch(url(path), { headers: headersOf(auth) });
        if (res.status >= 500)
          throw new Error(`GET ${clip(path)}: HTTP ${res.status}: ${await res.text()}`);
        await res.body?.cancel();
      },
      60,
    );
    const plain = [
      "/",
      "/healthz",
      "/healthz?x=%",
      "/%",
      "/%E0%A4%A",
      "/..%2f..%2fetc%2fpasswd",
      "/exports",
      "/exports/events",
      "/exports/events//attendees.csv",
      "/exports/events/%E0%A4%A/attendees.csv",
      "/index.html",
      "/assets/../../package.json",
    ];
    for (const path of plain) {
      for (const method of ["GET", "POST", "HEAD"]) {
        const res = await fetch(url(path), {
          method,
          headers: headersOf({ role: "admin", via: "cookie", origin: "same" }),
        });
        if (res.status >= 500) throw new Error(`${method} ${path}: HTTP ${res.status}`);
        await res.body?.cancel();
      }
    }
  }, 30_000);

  it("answers raw malformed HTTP (odd Host headers, request targets, framing) without a 500", async () => {
    freshSessions();
    const token = tokens.organizer;
    const fixed = [
      "GET /trpc/auth.me HTTP/1.1\r\nHost: [::1\r\n\r\n",
      `POST /trpc/auth.logout HTTP/1.1\r\nHost: :99999\r\nCookie: session=${token}\r\nContent-Length: 0\r\n\r\n`,
      "GET /trpc/auth.me HTTP/1.1\r\nHost: \r\n\r\n",
      "GET /healthz HTTP/1.0\r\n\r\n",
      "GET http://evil.example/trpc/auth.me HTTP/1.1\r\nHost: x\r\n\r\n",
      "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /trpc/auth.me?input=%ZZ&batch=%ZZ HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /trpc/events.get%ZZ HTTP/1.1\r\nHost: x\r\n\r\n",
      `GET /exports/events/%ZZ/attendees.csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`,
      "POST /trpc/system.noop HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
      "GET /trpc/auth.me HTTP/1.1\r\nHost: x\r\nCookie: session=\xff\xfe\r\n\r\n",
      "POST /trpc/auth.logout HTTP/1.1\r\nHost: x\r\nOrigin: \xff\r\nCookie: session=a.b\r\nContent-Length: 0\r\n\r\n",
    ];
    for (const request of fixed) await expectNo5xx(request);
    await sweep(
      "raw hosts",
      fc.record({
        host: fc.oneof(
          fc.string({ unit: "binary-ascii", maxLength: 30 }),
          fc.constantFrom(
            "[::1",
            "[",
            "]",
            ":",
            ":0",
            ":99999",
            "a:b:c",
            "x y",
            "%",
            "[::1]:",
            "@",
            "a@b",
          ),
        ),
        path: fc.constantFrom(
          "/trpc/auth.me",
          "/trpc/auth.logout",
          "/healthz",
          "/exports/events/x/attendees.csv",
        ),
        post: fc.boolean(),
      }),
      async ({ host, path, post }) => {
        const clean = host.replace(/[\r\n]/g, "");
        const headers = `Host: ${clean}\r\nCookie: session=${token}\r\nContent-Length: 0\r\n`;
        await expectNo5xx(`${post ? "POST" : "GET"} ${path} HTTP/1.1\r\n${headers}\r\n`);
      },
      60,
    );
  }, 60_000);

  it("logged no server-side error while being attacked", () => {
    expect(serverErrors).toEqual([]);
  });
});
