/**
 * The tRPC setup: context, initialization, procedures. Exactly one initTRPC lives here.
 */
import { type Clock, ForbiddenError, InputError, UnauthorizedError } from "@boxoffice/core";
import type { Db } from "@boxoffice/db";
import { DEFAULT_ENGINE_LIMITS, type Engine } from "@boxoffice/engine";
import { initTRPC } from "@trpc/server";
import { z } from "zod";
import { organizerEvent } from "./access.ts";
import type { AuthRateLimits } from "./auth/rate-limit.ts";
import type { AuthSession, PublicUser, SessionStore } from "./auth/session.ts";
import { errorExtras, toTRPCError } from "./errors.ts";
import type { Logger } from "./logger.ts";
import { idSchema } from "./schemas/text.ts";

// 1. CONTEXT -----------------------------------------------------------------------------------

export interface ApiConfig {
  readonly sessionDays: number;
  /** The app's own origin, for the Origin check and Secure cookies; null when not configured. */
  readonly publicOrigin: string | null;
  /**
   * Where links in mails point when no public origin is set: the address the server listens on
   * (known once listening). Never taken from a request's Host header.
   */
  readonly listenOrigin?: () => string;
  readonly rateLimitAuthPerMinute: number;
  readonly limits: Limits;
}

/** What one buyer or organizer may take of a shared server (README "Security"). */
export interface Limits {
  /** Tickets one buyer may hold at once per event when the organizer set no maxPerUser. */
  readonly heldTicketsPerBuyer: number;
  /** Hold requests (bookings.hold) per buyer per minute, across events. */
  readonly holdsPerBuyerPerMinute: number;
  /** Signed-out bookings.hold and bookings.book calls per client IP per minute. */
  readonly guestHoldsPerIpPerMinute: number;
  /** Unknown order tokens one client IP may try per minute before orders.* refuses it. */
  readonly orderTokenMissesPerIpPerMinute: number;
  /** Unknown promo or access codes one client IP may try per minute. */
  readonly codeMissesPerIpPerMinute: number;
  /** Seats of one venue. */
  readonly venueMaxSeats: number;
  /** Events one organizer may create per day (admins are not limited). */
  readonly eventsPerOrganizerPerDay: number;
  /** "approval": who registers as an organizer starts as an attendee until an admin approves. */
  readonly organizerSignup: "open" | "approval";
  /** Calls in one batched tRPC request. */
  readonly batchMax: number;
}

export const DEFAULT_LIMITS: Limits = {
  heldTicketsPerBuyer: DEFAULT_ENGINE_LIMITS.heldTicketsPerBuyer,
  holdsPerBuyerPerMinute: DEFAULT_ENGINE_LIMITS.holdsPerBuyerPerMinute,
  guestHoldsPerIpPerMinute: DEFAULT_ENGINE_LIMITS.guestHoldsPerIpPerMinute,
  orderTokenMissesPerIpPerMinute: DEFAULT_ENGINE_LIMITS.orderTokenMissesPerIpPerMinute,
  codeMissesPerIpPerMinute: DEFAULT_ENGINE_LIMITS.codeMissesPerIpPerMinute,
  venueMaxSeats: 20_000,
  eventsPerOrganizerPerDay: 20,
  organizerSignup: "open",
  batchMax: 20,
};

/** Long-lived things every request shares; built once at start-up. */
export interface Services {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: ApiConfig;
  /** The booking engine: the only way to an event's actor. */
  readonly engine: Engine;
  readonly logger: Logger;
  readonly rateLimits: AuthRateLimits;
  readonly sessions: SessionStore;
}

/** Per request: who is asking, and where the response's cookies go. */
export interface Context extends Services {
  readonly requestId: string;
  /**
   * The client's address, for the limits kept per address (sign-ins, guest purchases, code and
   * order-link guesses). Read from the socket on first use: most requests never need it.
   */
  readonly clientIp: () => string;
  readonly user: PublicUser | null;
  readonly session: AuthSession | null;
  /** Headers merged into the HTTP response (Set-Cookie); absent when called without HTTP. */
  readonly resHeaders: Headers | null;
}

// 2. INITIALIZATION ----------------------------------------------------------------------------

const t = initTRPC.context<Context>().create({
  // Bun closes connections idle for its idleTimeout (60 s); pings keep subscriptions open through
  // lulls. Every open stream pays for each ping (an on-sale room may hold 20,000), so they are
  // rare: the client gives up on a stream only after two missed pings and some.
  sse: {
    ping: { enabled: true, intervalMs: 20_000 },
    client: { reconnectAfterInactivityMs: 45_000 },
  },
  errorFormatter({ shape, error }) {
    const extras = errorExtras(error);
    const fromSchema = extras.issues !== null && !(error.cause instanceof InputError);
    const message = fromSchema
      ? `Invalid input: ${extras.issues?.map((i) => `${i.path || "(input)"}: ${i.message}`).join("; ")}`
      : error.code === "INTERNAL_SERVER_ERROR"
        ? "Something went wrong on our side; it has been logged"
        : shape.message;
    const { stack: _stack, ...data } = shape.data;
    return { ...shape, message, data: { ...data, ...extras } };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

// 3. PROCEDURES --------------------------------------------------------------------------------

/**
 * Turns the error vocabulary thrown anywhere below into tRPC errors carrying their reason.
 * Unexpected errors pass through untouched; the HTTP adapter logs them, once.
 */
const domainErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (result.ok) return result;
  const mapped = toTRPCError(result.error.cause);
  if (mapped) {
    // A refusal that says when to come back says it to HTTP clients too.
    const retryAfter = errorExtras(mapped).details?.retryAfterSeconds;
    if (typeof retryAfter === "number") ctx.resHeaders?.set("retry-after", String(retryAfter));
    throw mapped;
  }
  return result;
});

export const publicProcedure = t.procedure.use(domainErrors);

/** Any signed-in user. */
export const userProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user || !ctx.session) throw new UnauthorizedError("Sign in first");
  return next({ ctx: { user: ctx.user, session: ctx.session } });
});

/** Organizers and admins: may create events and venues. */
export const organizerRoleProcedure = userProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "organizer" && ctx.user.role !== "admin") {
    throw new ForbiddenError("Only organizers can do this");
  }
  return next();
});

export const adminProcedure = userProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "admin") {
    throw new ForbiddenError("Only admins can do this");
  }
  return next();
});

/** The input every organizer procedure starts with (tests find those procedures by it). */
export const eventOrganizerInput = z.object({ eventId: idSchema });

/**
 * The event's organizer, or an admin: the one organizer check. Loads the event named by the
 * input's `eventId` once, refuses anyone else (NOT_FOUND for no such event, FORBIDDEN for someone
 * else's), and puts the event's row on the context.
 */
export const eventOrganizerProcedure = userProcedure
  .input(eventOrganizerInput)
  .use(({ ctx, input, next }) =>
    next({ ctx: { event: organizerEvent(ctx, ctx.user, input.eventId) } }),
  );
