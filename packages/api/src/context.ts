import type { Context, Services } from "./trpc.ts";

export const SESSION_COOKIE = "session";

export interface RequestInfo {
  readonly req: Request;
  readonly resHeaders: Headers | null;
  /** The client's address, asked for only by the calls that need it (see Context). */
  readonly clientIp: () => string;
  readonly requestId: string;
}

/** The session token from `Authorization: Bearer` or, failing that, the `session` cookie. */
export function sessionTokenOf(req: Request): { token: string; via: "bearer" | "cookie" } | null {
  const auth = req.headers.get("authorization");
  if (auth?.toLowerCase().startsWith("bearer ")) {
    const token = auth.slice(7).trim();
    if (token) return { token, via: "bearer" };
  }
  const cookie = req.headers.get("cookie");
  if (!cookie) return null;
  for (const part of cookie.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === SESSION_COOKIE && rest.length > 0) {
      // Tokens are [a-z2-9.] and need no decoding; a value that is not one is simply no session.
      const token = rest.join("=");
      if (token) return { token, via: "cookie" };
    }
  }
  return null;
}

/** Builds each request's context: who is signed in (if anyone) and where cookies go. */
export function createContextFactory(services: Services) {
  return ({ req, resHeaders, clientIp, requestId }: RequestInfo): Context => {
    const found = sessionTokenOf(req);
    const auth = found ? services.sessions.validate(found.token, services.clock.now()) : null;
    // The services by name, not `...services`: the server's services object carries more (the
    // mail dispatcher, stop()), and tRPC copies the context key by key in every middleware that
    // adds to it, so a context of a dozen keys costs each request less than one of twenty.
    return {
      db: services.db,
      clock: services.clock,
      config: services.config,
      engine: services.engine,
      logger: services.logger,
      rateLimits: services.rateLimits,
      sessions: services.sessions,
      requestId,
      clientIp,
      resHeaders,
      user: auth?.user ?? null,
      session: auth?.session ?? null,
    };
  };
}
