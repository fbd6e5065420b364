/**
 * Helpers for the auth and users tests (tests only): callers over a test world with a chosen
 * token, response headers or rate limits, and a way to look at a refusal.
 */
import { TRPCError } from "@trpc/server";
import { errorExtras } from "../errors.ts";
import { createCaller } from "../root.ts";
import type { TestWorld } from "../testing.ts";
import type { ApiConfig, Context } from "../trpc.ts";

export interface CallerOptions {
  readonly token?: string | null;
  readonly resHeaders?: Headers | null;
  readonly ip?: string;
  readonly config?: Partial<ApiConfig>;
  readonly rateLimits?: Context["rateLimits"];
}

let counter = 0;

/** A caller as an HTTP request would build it: the session comes from `token`, if any. */
export function callerFor(world: TestWorld, options: CallerOptions = {}) {
  const { services } = world;
  const auth = options.token
    ? services.sessions.validate(options.token, services.clock.now())
    : null;
  return createCaller({
    ...services,
    config: { ...services.config, ...options.config },
    rateLimits: options.rateLimits ?? services.rateLimits,
    requestId: `auth-test-${++counter}`,
    clientIp: () => options.ip ?? "203.0.113.7",
    resHeaders: options.resHeaders ?? null,
    user: auth?.user ?? null,
    session: auth?.session ?? null,
  });
}

export interface Refusal {
  readonly code: TRPCError["code"];
  readonly reason: string | null;
  readonly details: Readonly<Record<string, unknown>> | null;
  readonly message: string;
  /** Field paths of a validation failure, dotted. */
  readonly fields: string[];
}

/** Awaits a call that must fail and describes how it failed. */
export async function refusalOf(call: Promise<unknown>): Promise<Refusal> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const extras = errorExtras(error);
    return {
      code: error.code,
      reason: extras.reason,
      details: extras.details,
      message: error.message,
      fields: (extras.issues ?? []).map((issue) => issue.path),
    };
  }
  throw new Error("expected the call to be refused, but it succeeded");
}
