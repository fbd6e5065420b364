import type { Context, Services } from "./trpc.ts";

export const SESSION_COOKIE = "session";

export interface RequestInfo {
  readonly req: Request;
  readonly resHeaders: Headers | null;
  readonly ip: string;
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
  return ({ req, resHeaders, ip, requestId }: RequestInfo): Context => {
    const found = sessionTokenOf(req);
    const auth = found ? services.sessions.validate(found.token, services.clock.now()) : null;
    return {
      ...services,
      requestId,
      ip,
      resHeaders,
      user: auth?.user ?? null,
      session: auth?.session ?? null,
    };
  };
}
