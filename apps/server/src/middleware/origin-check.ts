import { sessionTokenOf } from "@boxoffice/api";
import type { MiddlewareHandler } from "hono";

export interface OriginCheckOptions {
  /** The app's own origin. When null, the origin the request was addressed to is the app's. */
  readonly publicOrigin: string | null;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses cookie-authenticated mutations sent from another origin (CSRF). Bearer tokens are never
 * sent by a browser on its own, so they need no Origin. Requests without Origin and without
 * Sec-Fetch-Site come from non-browser clients, which cannot be tricked into sending a cookie.
 */
export function originCheck(options: OriginCheckOptions): MiddlewareHandler {
  return async function originCheckMiddleware(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const auth = sessionTokenOf(c.req.raw);
    if (auth?.via !== "cookie") return next();
    const allowed = options.publicOrigin ?? new URL(c.req.url).origin;
    const origin = c.req.header("origin");
    const fetchSite = c.req.header("sec-fetch-site");
    const sameOrigin = origin
      ? origin === allowed
      : fetchSite === undefined || fetchSite === "same-origin";
    if (!sameOrigin) {
      return c.json(
        { error: "Cross-origin request refused: sign-in cookies only work from the app itself" },
        403,
      );
    }
    return next();
  };
}
