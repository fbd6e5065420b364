/**
 * The tRPC setup: context, initialization, procedures. Exactly one initTRPC lives here.
 */
import type { Clock } from "@boxoffice/core";
import type { Db } from "@boxoffice/db";
import { initTRPC, TRPCError } from "@trpc/server";
import type { AuthRateLimits } from "./auth/rate-limit.ts";
import type { AuthSession, PublicUser, SessionStore } from "./auth/session.ts";
import type { EventRegistry } from "./engine/registry.ts";
import { ReasonedTRPCError, toTRPCError } from "./errors.ts";
import type { Logger } from "./logger.ts";
import type { PaymentProvider } from "./payments.ts";

// 1. CONTEXT -----------------------------------------------------------------------------------

export interface ApiConfig {
  readonly sessionDays: number;
  /** The app's own origin, for the Origin check and Secure cookies; null when not configured. */
  readonly publicOrigin: string | null;
  readonly rateLimitAuthPerMinute: number;
}

/** Long-lived things every request shares; built once at start-up. */
export interface Services {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: ApiConfig;
  readonly registry: EventRegistry;
  readonly payments: PaymentProvider;
  readonly logger: Logger;
  readonly rateLimits: AuthRateLimits;
  readonly sessions: SessionStore;
}

/** Per request: who is asking, and where the response's cookies go. */
export interface Context extends Services {
  readonly requestId: string;
  readonly ip: string;
  readonly user: PublicUser | null;
  readonly session: AuthSession | null;
  /** Headers merged into the HTTP response (Set-Cookie); absent when called without HTTP. */
  readonly resHeaders: Headers | null;
}

// 2. INITIALIZATION ----------------------------------------------------------------------------

interface IssueShape {
  path: string;
  message: string;
}

function issuesOf(cause: unknown): IssueShape[] | undefined {
  if (!cause || typeof cause !== "object" || !("issues" in cause) || !Array.isArray(cause.issues)) {
    return undefined;
  }
  return (cause.issues as { path?: PropertyKey[]; message: string }[]).map((issue) => ({
    path: (issue.path ?? []).map(String).join("."),
    message: issue.message,
  }));
}

const t = initTRPC.context<Context>().create({
  // Bun closes connections idle for its idleTimeout; pings keep subscriptions open through lulls.
  sse: {
    ping: { enabled: true, intervalMs: 5_000 },
    client: { reconnectAfterInactivityMs: 15_000 },
  },
  errorFormatter({ shape, error }) {
    const reasoned = error instanceof ReasonedTRPCError ? error : null;
    const issues =
      reasoned?.issues ?? (error.code === "BAD_REQUEST" ? issuesOf(error.cause) : undefined);
    const message =
      issues && !reasoned
        ? `Invalid input: ${issues.map((i) => `${i.path || "(input)"}: ${i.message}`).join("; ")}`
        : error.code === "INTERNAL_SERVER_ERROR"
          ? "Something went wrong on our side; it has been logged"
          : shape.message;
    const { stack: _stack, ...data } = shape.data;
    return {
      ...shape,
      message,
      data: {
        ...data,
        reason: reasoned?.reason ?? undefined,
        details: reasoned?.details,
        issues,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

// 3. PROCEDURES --------------------------------------------------------------------------------

/** Turns domain refusals thrown anywhere below into tRPC errors carrying their reason. */
const domainErrors = t.middleware(async ({ next, ctx, path }) => {
  const result = await next();
  if (result.ok) return result;
  const mapped = toTRPCError(result.error.cause);
  if (mapped) throw mapped;
  if (result.error.code === "INTERNAL_SERVER_ERROR") {
    ctx.logger.error("unexpected error", {
      requestId: ctx.requestId,
      path,
      error: result.error.cause ?? result.error,
    });
  }
  return result;
});

export const publicProcedure = t.procedure.use(domainErrors);

/** Any signed-in user. */
export const userProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user || !ctx.session) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  }
  return next({ ctx: { user: ctx.user, session: ctx.session } });
});

/** Organizers and admins: may create events and venues. */
export const organizerRoleProcedure = userProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "organizer" && ctx.user.role !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only organizers can do this" });
  }
  return next();
});

export const adminProcedure = userProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only admins can do this" });
  }
  return next();
});
