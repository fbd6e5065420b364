import type {
  AnswerValue,
  CancellationPolicy,
  Personalization,
  Question,
  QuestionKind,
  RoomConfig,
  RoomEntryState,
} from "@boxoffice/core";
import { sql } from "drizzle-orm";
import {
  blob,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

// Instants are integer milliseconds since the epoch; the API turns them into ISO strings.
// Money is integer cents. JSON columns hold small, schema-validated values only.

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  role: text("role", { enum: ["attendee", "organizer", "admin"] })
    .notNull()
    .default("attendee"),
  passwordHash: text("password_hash").notNull(),
  createdAt: integer("created_at").notNull(),
  // Set when someone registered as an organizer under ORGANIZER_SIGNUP=approval and no admin has
  // decided yet; they are an attendee meanwhile.
  organizerRequestedAt: integer("organizer_requested_at"),
  // When the owner followed a verification link mailed to `email` (or a password reset link,
  // which proves the same); null while unverified.
  emailVerifiedAt: integer("email_verified_at"),
});

// Single-use links mailed to a user: a password reset or an email verification. Only SHA-256 of
// the token is kept (the link carries the token itself), so the table gives no usable link away.
// `email` is the address the link was mailed to: a verification counts for that address only.
export const accountTokens = sqliteTable(
  "account_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: ["password_reset", "email_verification"] }).notNull(),
    email: text("email").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("account_tokens_user_idx").on(t.userId, t.purpose, t.createdAt)],
);

// Lucia's session design: the token is `<id>.<secret>`; only SHA-256(secret) is stored.
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    secretHash: blob("secret_hash", { mode: "buffer" }).notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

// Password checks that failed, or are being made (`pending`), per email and client IP: the
// sign-in throttle's memory, kept in SQLite so that a restart does not reset an attack. A check
// is reserved here before the hash is verified; a success deletes its row.
export const loginFailures = sqliteTable(
  "login_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull(),
    ip: text("ip").notNull().default(""),
    at: integer("at").notNull(),
    pending: integer("pending", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    index("login_failures_email_at_idx").on(t.email, t.at),
    index("login_failures_email_ip_at_idx").on(t.email, t.ip, t.at),
    index("login_failures_ip_at_idx").on(t.ip, t.at),
  ],
);

export type CancellationPolicyRow = CancellationPolicy;

export const events = sqliteTable(
  "events",
  {
    id: text("id").primaryKey(),
    organizerId: text("organizer_id")
      .notNull()
      .references(() => users.id),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    venueName: text("venue_name"),
    venueId: text("venue_id"),
    startsAt: integer("starts_at").notNull(),
    endsAt: integer("ends_at"),
    timezone: text("timezone").notNull().default("UTC"),
    salesStartAt: integer("sales_start_at"),
    salesEndAt: integer("sales_end_at"),
    status: text("status", { enum: ["draft", "published", "cancelled"] })
      .notNull()
      .default("draft"),
    capacity: integer("capacity"),
    maxPerOrder: integer("max_per_order").notNull().default(10),
    maxPerUser: integer("max_per_user"),
    holdSeconds: integer("hold_seconds").notNull().default(600),
    currency: text("currency").notNull().default("USD"),
    waitlistEnabled: integer("waitlist_enabled", { mode: "boolean" }).notNull().default(false),
    waitlistMode: text("waitlist_mode", { enum: ["auto", "offer"] })
      .notNull()
      .default("offer"),
    waitlistOfferSeconds: integer("waitlist_offer_seconds").notNull().default(86_400),
    cancellationPolicy: text("cancellation_policy", { mode: "json" })
      .$type<CancellationPolicyRow>()
      .notNull(),
    cancelReason: text("cancel_reason"),
    // Checkout for everyone: buying signed out, names per ticket, the organizer's questions.
    guestCheckout: integer("guest_checkout", { mode: "boolean" }).notNull().default(true),
    personalizedTickets: text("personalized_tickets", { enum: ["off", "name", "nameAndEmail"] })
      .$type<Personalization>()
      .notNull()
      .default("off"),
    editCutoffHours: integer("edit_cutoff_hours").notNull().default(0),
    questions: text("questions", { mode: "json" }).$type<Question[]>().notNull().default([]),
    // The on-sale room's settings (core's RoomConfig); null: never configured (DEFAULT_ROOM, off).
    onSaleRoom: text("on_sale_room", { mode: "json" }).$type<RoomConfig>(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("events_status_starts_idx").on(t.status, t.startsAt),
    index("events_organizer_idx").on(t.organizerId),
    // Counts an organizer's events of the last day (limits.eventsPerOrganizerPerDay).
    index("events_organizer_created_idx").on(t.organizerId, t.createdAt),
  ],
);

export const ticketTypes = sqliteTable(
  "ticket_types",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id),
    name: text("name").notNull(),
    priceCents: integer("price_cents").notNull(),
    capacity: integer("capacity").notNull(),
    position: integer("position").notNull(),
    // Left out of public views; sold only with a code that unlocks it.
    hidden: integer("hidden", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [index("ticket_types_event_idx").on(t.eventId, t.position)],
);

export type LineItemRow = {
  ticketTypeId: string;
  quantity: number;
  unitPriceCents: number;
  /** Before the code's discount; absent in holds placed before codes (then unitPriceCents). */
  listPriceCents?: number;
};

export type CodeDiscountRow = { percent: number } | { amountCents: number };

// Promo and access codes. Their uses are never stored: a use is a live hold or a standing booking
// whose `code_id` names the code (the actor counts the same from what it loads).
export const codes = sqliteTable(
  "codes",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id),
    code: text("code").notNull(),
    kind: text("kind", { enum: ["discount", "access"] }).notNull(),
    discount: text("discount", { mode: "json" }).$type<CodeDiscountRow | null>(),
    ticketTypeIds: text("ticket_type_ids", { mode: "json" }).$type<string[] | null>(),
    maxUses: integer("max_uses"),
    maxUsesPerBuyer: integer("max_uses_per_buyer"),
    validFrom: integer("valid_from"),
    validUntil: integer("valid_until"),
    unlocksTicketTypeIds: text("unlocks_ticket_type_ids", { mode: "json" })
      .$type<string[]>()
      .notNull(),
    opensSalesAt: integer("opens_sales_at"),
    disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("codes_event_code_idx").on(t.eventId, t.code),
    index("codes_event_created_idx").on(t.eventId, t.createdAt),
  ],
);

// A guest's hold or booking has no user: `buyer_email` (normalised) is whose it is, and the
// event actor's principal for it is `guest:<buyer_email>`. An account's rows carry its email too,
// so per-person limits count guest and account purchases under one address together.
export const holds = sqliteTable(
  "holds",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id),
    userId: text("user_id").references(() => users.id),
    buyerEmail: text("buyer_email").notNull(),
    buyerName: text("buyer_name"),
    status: text("status", {
      enum: ["active", "released", "expired", "confirmed", "cancelled"],
    }).notNull(),
    items: text("items", { mode: "json" }).$type<LineItemRow[]>().notNull(),
    seatIds: text("seat_ids", { mode: "json" }).$type<string[]>().notNull(),
    totalCents: integer("total_cents").notNull(),
    currency: text("currency").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    endedAt: integer("ended_at"),
    // A retried hold request with the same key gets this hold back while it is active.
    idempotencyKey: text("idempotency_key"),
    requestHash: text("request_hash"),
    codeId: text("code_id"),
  },
  (t) => [
    index("holds_event_status_idx").on(t.eventId, t.status),
    index("holds_code_idx").on(t.codeId).where(sql`code_id is not null`),
    index("holds_user_idx").on(t.userId),
  ],
);

export const bookings = sqliteTable(
  "bookings",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id),
    userId: text("user_id").references(() => users.id),
    buyerEmail: text("buyer_email").notNull(),
    buyerName: text("buyer_name"),
    // The order page's token, as SHA-256 (base64url): of the secret of a split token
    // (`<id>.<secret>`, core's orderToken), looked up through the primary key; of the whole token
    // for a token issued before split tokens, through its index. Both null before order tokens.
    orderTokenHash: text("order_token_hash"),
    orderSecretHash: text("order_secret_hash"),
    holdId: text("hold_id"),
    status: text("status", { enum: ["confirmed", "cancelled"] }).notNull(),
    totalCents: integer("total_cents").notNull(),
    paidCents: integer("paid_cents").notNull(),
    refundCents: integer("refund_cents").notNull().default(0),
    currency: text("currency").notNull(),
    seatIds: text("seat_ids", { mode: "json" }).$type<string[]>().notNull(),
    idempotencyKey: text("idempotency_key"),
    requestHash: text("request_hash"),
    createdAt: integer("created_at").notNull(),
    cancelledAt: integer("cancelled_at"),
    cancelledBy: text("cancelled_by"),
    codeId: text("code_id"),
  },
  (t) => [
    index("bookings_code_idx").on(t.codeId).where(sql`code_id is not null`),
    // An event's bookings by status, in the order they were made: loading an actor, and a day's
    // sales (salesBetween) as a range rather than a scan of every booking the event ever had.
    index("bookings_event_status_created_idx").on(t.eventId, t.status, t.createdAt),
    index("bookings_user_created_idx").on(t.userId, t.createdAt),
    // Guest orders by email, newest first: a verified account's (bookings.mine) and a person's
    // count (ticketsOfPerson). Guests' rows only: an account's rows are found by `user_id`, and an
    // entry per booking at its buyer's place in the index was a page written per booking at a
    // rush (README, Performance, "What a group's commit writes").
    index("bookings_guest_email_created_idx")
      .on(t.buyerEmail, t.createdAt)
      .where(sql`user_id is null`),
    // Tokens issued before split tokens only: a new booking adds no entry (an entry per booking at
    // a random place in the index was a page written per booking at a rush).
    uniqueIndex("bookings_order_token_idx")
      .on(t.orderTokenHash)
      .where(sql`order_token_hash is not null`),
    uniqueIndex("bookings_idempotency_idx")
      .on(t.userId, t.idempotencyKey)
      .where(sql`idempotency_key is not null`),
  ],
);

export const bookingItems = sqliteTable(
  "booking_items",
  {
    bookingId: text("booking_id")
      .notNull()
      .references(() => bookings.id),
    ticketTypeId: text("ticket_type_id")
      .notNull()
      .references(() => ticketTypes.id),
    quantity: integer("quantity").notNull(),
    unitPriceCents: integer("unit_price_cents").notNull(),
    // Before the code's discount; null for bookings made before codes (then unit_price_cents).
    listPriceCents: integer("list_price_cents"),
  },
  (t) => [
    primaryKey({ columns: [t.bookingId, t.ticketTypeId] }),
    // Sold counts per type are summed from here (the actor's counts are the only stored truth).
    index("booking_items_type_idx").on(t.ticketTypeId),
  ],
);

export const tickets = sqliteTable(
  "tickets",
  {
    id: text("id").primaryKey(),
    bookingId: text("booking_id")
      .notNull()
      .references(() => bookings.id),
    eventId: text("event_id").notNull(),
    ticketTypeId: text("ticket_type_id").notNull(),
    seatId: text("seat_id"),
    code: text("code").notNull().unique(),
    checkedInAt: integer("checked_in_at"),
    // Who the ticket is for, when the buyer named it (personalised tickets, or by choice).
    attendeeName: text("attendee_name"),
    attendeeEmail: text("attendee_email"),
    // When the ticket last changed after its sale (attendee edited, cancelled): Wallet passes'
    // Last-Modified. Null: unchanged since the booking was made.
    updatedAt: integer("updated_at"),
  },
  (t) => [index("tickets_booking_idx").on(t.bookingId), index("tickets_event_idx").on(t.eventId)],
);

// Checkout answers, each with its question as it read when answered (label, kind, options), so
// editing or removing a question never changes what an answer meant.
export const bookingAnswers = sqliteTable(
  "booking_answers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    bookingId: text("booking_id")
      .notNull()
      .references(() => bookings.id),
    questionId: text("question_id").notNull(),
    // 0-based ticket of the booking for per-ticket questions; null for per-order ones.
    ticketIndex: integer("ticket_index"),
    label: text("label").notNull(),
    kind: text("kind").$type<QuestionKind>().notNull(),
    options: text("options", { mode: "json" }).$type<string[]>().notNull().default([]),
    value: text("value", { mode: "json" }).$type<AnswerValue>().notNull(),
  },
  (t) => [index("booking_answers_booking_idx").on(t.bookingId)],
);

export const payments = sqliteTable(
  "payments",
  {
    id: text("id").primaryKey(),
    bookingId: text("booking_id")
      .notNull()
      .references(() => bookings.id),
    provider: text("provider").notNull(),
    providerRef: text("provider_ref").notNull(),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("payments_booking_idx").on(t.bookingId)],
);

export const refunds = sqliteTable(
  "refunds",
  {
    id: text("id").primaryKey(),
    bookingId: text("booking_id")
      .notNull()
      .references(() => bookings.id),
    amountCents: integer("amount_cents").notNull(),
    feeCents: integer("fee_cents").notNull(),
    currency: text("currency").notNull(),
    reason: text("reason", { enum: ["attendee", "organizer", "event_cancelled"] }).notNull(),
    // The provider is told after the commit; `providerRef` is set once it answered. Until then
    // the refund is pending, and the engine retries it with backoff (attempts, next_attempt_at).
    providerRef: text("provider_ref"),
    createdAt: integer("created_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at"),
    lastError: text("last_error"),
  },
  (t) => [
    index("refunds_booking_idx").on(t.bookingId),
    index("refunds_pending_idx")
      .on(t.nextAttemptAt)
      .where(sql`provider_ref is null and amount_cents > 0`),
  ],
);

// One row per waitlist entry, kept after it ends (converted, expired, left) for status and
// analytics; the event actor holds the active ones (waiting, offered) in memory, ordered by seq.
export const waitlistEntries = sqliteTable(
  "waitlist_entries",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    ticketTypeId: text("ticket_type_id"),
    quantity: integer("quantity").notNull(),
    seq: integer("seq").notNull(),
    state: text("state", {
      enum: ["waiting", "offered", "converted", "expired", "left"],
    }).notNull(),
    holdId: text("hold_id"),
    bookingId: text("booking_id"),
    joinedAt: integer("joined_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("waitlist_event_state_seq_idx").on(t.eventId, t.state, t.seq),
    index("waitlist_user_event_idx").on(t.userId, t.eventId, t.seq),
    // One active entry per user and event, as the actor enforces.
    uniqueIndex("waitlist_active_user_idx")
      .on(t.eventId, t.userId)
      .where(sql`state in ('waiting', 'offered')`),
  ],
);

// The transactional outbox: one row per notification, written by the event actor's commit in the
// same transaction as the change it tells about, and delivered afterwards by the mail dispatcher.
// `payload` holds what the change knew (ticket codes, refund, deadline); names and addresses are
// read when the mail is sent. A row is pending until `sent_at` (delivered) or `failed_at` (gave
// up after too many attempts) is set.
export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind").notNull(),
    // An account's mail goes to its current address; a guest's (no account) to recipient_email.
    recipientUserId: text("recipient_user_id").references(() => users.id),
    recipientEmail: text("recipient_email"),
    recipientName: text("recipient_name"),
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    createdAt: integer("created_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    sentAt: integer("sent_at"),
    failedAt: integer("failed_at"),
    lastError: text("last_error"),
    // A broadcast's rows: one per attendee address, which the unique index below makes exact.
    broadcastId: text("broadcast_id"),
    // Given up without sending on purpose (the recipient unsubscribed from broadcasts).
    skippedAt: integer("skipped_at"),
  },
  (t) => [
    // Only pending rows are indexed: the dispatcher's poll reads the due ones in deadline order.
    index("outbox_pending_idx")
      .on(t.nextAttemptAt)
      .where(sql`sent_at is null and failed_at is null`),
    uniqueIndex("outbox_broadcast_recipient_idx")
      .on(t.broadcastId, t.recipientEmail)
      .where(sql`broadcast_id is not null`),
  ],
);

// What an organizer wants to hear about (absent row: the defaults, everything on).
export const organizerMailSettings = sqliteTable("organizer_mail_settings", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id),
  saleDigest: text("sale_digest", { enum: ["daily", "off"] })
    .notNull()
    .default("daily"),
  soldOut: integer("sold_out", { mode: "boolean" }).notNull().default(true),
  waitlistGrowing: integer("waitlist_growing", { mode: "boolean" }).notNull().default(true),
  refundFailed: integer("refund_failed", { mode: "boolean" }).notNull().default(true),
  updatedAt: integer("updated_at").notNull(),
});

// Organizer notices already written, one per (event, kind, key): the key is the digest's day,
// the waitlist threshold crossed, the booking whose refund failed, or "" for sold out. Inserted
// in the transaction that writes the notice's outbox row, so each notice is written once.
export const organizerNotices = sqliteTable(
  "organizer_notices",
  {
    eventId: text("event_id")
      .notNull()
      .references(() => events.id),
    kind: text("kind", {
      enum: ["sale_digest", "sold_out", "waitlist_growing", "refund_failed"],
    }).notNull(),
    key: text("key").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.kind, t.key] })],
);

// An organizer's message to an event's attendees; its outbox rows (one per address) carry its id.
export type BroadcastAudience = { to: "all" } | { to: "ticketTypes"; ticketTypeIds: string[] };

export const broadcasts = sqliteTable(
  "broadcasts",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    audience: text("audience", { mode: "json" }).$type<BroadcastAudience>().notNull(),
    recipients: integer("recipients").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("broadcasts_event_idx").on(t.eventId, t.createdAt)],
);

// Addresses that asked for no more broadcasts from an organizer (tickets still come).
export const mailUnsubscribes = sqliteTable(
  "mail_unsubscribes",
  {
    organizerId: text("organizer_id")
      .notNull()
      .references(() => users.id),
    email: text("email").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizerId, t.email] })],
);

// The unsubscribe links broadcasts carry: only the token's SHA-256 is stored.
export const unsubscribeTokens = sqliteTable("unsubscribe_tokens", {
  tokenHash: text("token_hash").primaryKey(),
  organizerId: text("organizer_id")
    .notNull()
    .references(() => users.id),
  email: text("email").notNull(),
  createdAt: integer("created_at").notNull(),
});

// Apple Wallet signing material an organizer uploaded (PEM text). Without a row, no passes.
export const walletConfigs = sqliteTable("wallet_configs", {
  organizerId: text("organizer_id")
    .primaryKey()
    .references(() => users.id),
  passTypeIdentifier: text("pass_type_identifier").notNull(),
  teamIdentifier: text("team_identifier").notNull(),
  signerCert: text("signer_cert").notNull(),
  signerKey: text("signer_key").notNull(),
  signerKeyPassphrase: text("signer_key_passphrase"),
  wwdr: text("wwdr").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

// Devices that added a pass to Wallet (Apple's pass web service), to tell which passes changed.
export const walletRegistrations = sqliteTable(
  "wallet_registrations",
  {
    deviceLibraryId: text("device_library_id").notNull(),
    passTypeIdentifier: text("pass_type_identifier").notNull(),
    serialNumber: text("serial_number").notNull(),
    pushToken: text("push_token").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.deviceLibraryId, t.passTypeIdentifier, t.serialNumber] }),
    index("wallet_registrations_serial_idx").on(t.serialNumber),
  ],
);

// Server-wide secrets made at first start (e.g. the key that derives Wallet passes' tokens).
export const appSecrets = sqliteTable("app_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: integer("created_at").notNull(),
});

// The on-sale room (docs/API.md "room"): its own row (the lottery's seed and time, the counters)
// and one row per entry, kept after it ends for the buyer's "expired"/"spent" view and the audit
// of the draw. The event actor holds the live entries (waiting, admitted) in memory.
export const rooms = sqliteTable("rooms", {
  eventId: text("event_id")
    .primaryKey()
    .references(() => events.id),
  // The lottery's 128-bit seed (hex) and when it was drawn; null until then.
  seed: text("seed"),
  drawnAt: integer("drawn_at"),
  // How many were drawn (present at opening): places 1..entrants are the lottery's.
  entrants: integer("entrants").notNull().default(0),
  doorsOpenAt: integer("doors_open_at"),
  lastSeq: integer("last_seq").notNull().default(0),
  lastPlace: integer("last_place").notNull().default(0),
  admittedTotal: integer("admitted_total").notNull().default(0),
  lapsedTotal: integer("lapsed_total").notNull().default(0),
});

// Small rows on purpose: a busy on-sale has tens of thousands per event, all loaded at once.
export const roomEntries = sqliteTable(
  "room_entries",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id),
    // The principal that may spend the token: an account id, or `guest:<email>` (no key).
    userId: text("user_id").notNull(),
    personKey: text("person_key").notNull(),
    seq: integer("seq").notNull(),
    // 1 for the front; null until the lottery is drawn (for those who entered before it).
    place: integer("place"),
    state: text("state", { enum: ["waiting", "admitted", "spent", "expired", "lapsed"] })
      .$type<RoomEntryState>()
      .notNull(),
    enteredAt: integer("entered_at").notNull(),
    admittedAt: integer("admitted_at"),
    tokenExpiresAt: integer("token_expires_at"),
    endedAt: integer("ended_at"),
    // The hold, booking or waitlist entry that spent the token.
    orderId: text("order_id"),
  },
  (t) => [
    uniqueIndex("room_entries_event_seq_idx").on(t.eventId, t.seq),
    // The last minute's admissions, when the actor loads (the rate window). Only entries that were
    // admitted are in it: a waiting buyer writes nothing here, and admitting one writes one.
    index("room_entries_event_admitted_idx")
      .on(t.eventId, t.admittedAt)
      .where(sql`admitted_at is not null`),
    // A person's latest entry (ended ones too).
    index("room_entries_event_person_idx").on(t.eventId, t.personKey, t.seq),
    // One live place per person and event, as the actor enforces; also the live entries an actor
    // loads (the query names this index's condition to use it).
    uniqueIndex("room_entries_live_person_idx")
      .on(t.eventId, t.personKey)
      .where(sql`state in ('waiting', 'admitted')`),
  ],
);

// Seated events. A venue is an organizer's template; an event created from it copies the layout
// into `event_seat_layouts` (one JSON row per event, read once when its actor loads), so later
// template edits never move sold seats. Who has which seat is not stored per seat: it is the
// `seat_ids` of the event's live holds and confirmed bookings, which the actor loads.
export type VenueSectionRow = {
  name: string;
  priceCents: number;
  rows: { label: string; seats: number }[];
};

export const venues = sqliteTable(
  "venues",
  {
    id: text("id").primaryKey(),
    organizerId: text("organizer_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    layout: text("layout", { mode: "json" }).$type<{ sections: VenueSectionRow[] }>().notNull(),
    seatCount: integer("seat_count").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("venues_organizer_idx").on(t.organizerId, t.createdAt)],
);

export type EventSeatLayoutRow = {
  sections: { ticketTypeId: string; rows: { label: string; seats: number }[] }[];
};

export const eventSeatLayouts = sqliteTable("event_seat_layouts", {
  eventId: text("event_id")
    .primaryKey()
    .references(() => events.id),
  venueId: text("venue_id").notNull(),
  layout: text("layout", { mode: "json" }).$type<EventSeatLayoutRow>().notNull(),
  seatCount: integer("seat_count").notNull(),
});

export const schema = {
  users,
  sessions,
  loginFailures,
  accountTokens,
  events,
  ticketTypes,
  holds,
  bookings,
  bookingItems,
  tickets,
  bookingAnswers,
  payments,
  refunds,
  waitlistEntries,
  outbox,
  venues,
  eventSeatLayouts,
  codes,
  organizerMailSettings,
  organizerNotices,
  broadcasts,
  mailUnsubscribes,
  unsubscribeTokens,
  walletConfigs,
  walletRegistrations,
  appSecrets,
  rooms,
  roomEntries,
};
