/**
 * Configuration from the environment: the only module that reads process.env. Every variable is
 * optional and validated; a bad value stops start-up with a message naming the variable.
 */
import { DEFAULT_LIMITS, type Limits } from "@boxoffice/api";
import { z } from "zod";

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z
  .object({
    PORT: integer(0, 65_535).default(3000),
    HOST: z.string().min(1).default("127.0.0.1"),
    DATABASE_PATH: z.string().min(1).default("./data/boxoffice.db"),
    DB_SYNCHRONOUS: z.enum(["OFF", "NORMAL", "FULL", "EXTRA"]).default("FULL"),
    SESSION_DAYS: integer(1, 3650).default(30),
    PUBLIC_ORIGIN: z
      .url({ protocol: /^https?$/ })
      .transform((url) => new URL(url).origin)
      .optional(),
    BOOTSTRAP_ADMIN_EMAIL: z.email().optional(),
    BOOTSTRAP_ADMIN_PASSWORD: z.string().min(8).max(128).optional(),
    RATE_LIMIT_AUTH_PER_MINUTE: integer(1, 1_000_000).default(60),
    MAIL_TRANSPORT: z.enum(["log", "smtp"]).default("log"),
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    MAIL_FROM: z.string().min(3).default("Boxoffice <no-reply@localhost>"),
    BROADCAST_MAILS_PER_MINUTE: integer(1, 100_000).default(600),
    MAIL_PREVIEW: z.enum(["0", "1"]).default("0"),
    GROUP_COMMIT: z.enum(["0", "1"]).default("1"),
    HELD_TICKETS_PER_BUYER: integer(1, 10_000).default(DEFAULT_LIMITS.heldTicketsPerBuyer),
    HOLDS_PER_BUYER_PER_MINUTE: integer(1, 100_000).default(DEFAULT_LIMITS.holdsPerBuyerPerMinute),
    GUEST_HOLDS_PER_IP_PER_MINUTE: integer(1, 100_000).default(
      DEFAULT_LIMITS.guestHoldsPerIpPerMinute,
    ),
    ORDER_TOKEN_MISSES_PER_IP_PER_MINUTE: integer(1, 100_000).default(
      DEFAULT_LIMITS.orderTokenMissesPerIpPerMinute,
    ),
    CODE_MISSES_PER_IP_PER_MINUTE: integer(1, 100_000).default(
      DEFAULT_LIMITS.codeMissesPerIpPerMinute,
    ),
    VENUE_MAX_SEATS: integer(1, 100_000).default(DEFAULT_LIMITS.venueMaxSeats),
    EVENTS_PER_ORGANIZER_PER_DAY: integer(1, 100_000).default(
      DEFAULT_LIMITS.eventsPerOrganizerPerDay,
    ),
    ORGANIZER_SIGNUP: z.enum(["open", "approval"]).default(DEFAULT_LIMITS.organizerSignup),
    BATCH_MAX: integer(1, 1_000).default(DEFAULT_LIMITS.batchMax),
    LOG_REQUESTS: z.enum(["0", "1"]).default("1"),
  })
  .superRefine((env, ctx) => {
    if (
      (env.BOOTSTRAP_ADMIN_EMAIL === undefined) !==
      (env.BOOTSTRAP_ADMIN_PASSWORD === undefined)
    ) {
      ctx.addIssue({
        code: "custom",
        path: [env.BOOTSTRAP_ADMIN_EMAIL ? "BOOTSTRAP_ADMIN_PASSWORD" : "BOOTSTRAP_ADMIN_EMAIL"],
        message: "BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD go together",
      });
    }
    if (env.MAIL_TRANSPORT === "smtp" && !env.SMTP_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["SMTP_URL"],
        message: "required when MAIL_TRANSPORT=smtp",
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly databasePath: string;
  readonly dbSynchronous: Env["DB_SYNCHRONOUS"];
  readonly sessionDays: number;
  readonly publicOrigin: string | null;
  readonly bootstrapAdmin: { email: string; password: string } | null;
  readonly rateLimitAuthPerMinute: number;
  readonly mail: {
    transport: "log" | "smtp";
    smtpUrl: string | null;
    from: string;
    /** Broadcast mails sent per minute at most (transactional mail is never held back). */
    broadcastsPerMinute: number;
  };
  /** Serve the mail preview at /dev/mail (set by `bun run dev`). */
  readonly mailPreview: boolean;
  readonly groupCommit: boolean;
  readonly logRequests: boolean;
  readonly limits: Limits;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Parses a set of variables (process.env by default) into the server's configuration. */
export function loadConfig(source: Record<string, string | undefined> = process.env): ServerConfig {
  // An empty variable means "not set", as in most shells' `VAR= command`.
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  return {
    port: env.PORT,
    host: env.HOST,
    databasePath: env.DATABASE_PATH,
    dbSynchronous: env.DB_SYNCHRONOUS,
    sessionDays: env.SESSION_DAYS,
    publicOrigin: env.PUBLIC_ORIGIN ?? null,
    bootstrapAdmin:
      env.BOOTSTRAP_ADMIN_EMAIL && env.BOOTSTRAP_ADMIN_PASSWORD
        ? { email: env.BOOTSTRAP_ADMIN_EMAIL.toLowerCase(), password: env.BOOTSTRAP_ADMIN_PASSWORD }
        : null,
    rateLimitAuthPerMinute: env.RATE_LIMIT_AUTH_PER_MINUTE,
    mail: {
      transport: env.MAIL_TRANSPORT,
      smtpUrl: env.SMTP_URL ?? null,
      from: env.MAIL_FROM,
      broadcastsPerMinute: env.BROADCAST_MAILS_PER_MINUTE,
    },
    mailPreview: env.MAIL_PREVIEW === "1",
    groupCommit: env.GROUP_COMMIT === "1",
    logRequests: env.LOG_REQUESTS === "1",
    limits: {
      heldTicketsPerBuyer: env.HELD_TICKETS_PER_BUYER,
      holdsPerBuyerPerMinute: env.HOLDS_PER_BUYER_PER_MINUTE,
      guestHoldsPerIpPerMinute: env.GUEST_HOLDS_PER_IP_PER_MINUTE,
      orderTokenMissesPerIpPerMinute: env.ORDER_TOKEN_MISSES_PER_IP_PER_MINUTE,
      codeMissesPerIpPerMinute: env.CODE_MISSES_PER_IP_PER_MINUTE,
      venueMaxSeats: env.VENUE_MAX_SEATS,
      eventsPerOrganizerPerDay: env.EVENTS_PER_ORGANIZER_PER_DAY,
      organizerSignup: env.ORGANIZER_SIGNUP,
      batchMax: env.BATCH_MAX,
    },
  };
}
