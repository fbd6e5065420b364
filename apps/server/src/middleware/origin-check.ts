import { sessionTokenOf } from "@boxoffice/api";
import type { MiddlewareHandler } from "hono";

export interface OriginCheckOptions {
  /** The app's own origin. When null, the origin the request was addressed to is the app's. */
  readonly publicOrigin: string | null;
  /** Methods that change nothing and pass unchecked; default GET, HEAD, OPTIONS. */
  readonly safeMethods?: readonly string[];
}

const defaultSafeMethods = ["GET", "HEAD", "OPTIONS"];

function viaBearer(req: Request): boolean {
  try {
    return sessionTokenOf(req)?.via === "bearer";
  } catch {
    // A cookie that does not even decode is no bearer token; the Origin decides.
    return false;
  }
}

/**
 * Refuses state-changing requests a browser sent from another origin (CSRF), like Hono's csrf()
 * but aware of how we authenticate:
 * - Bearer tokens are never attached by a browser on its own (and a cross-origin page cannot add
 *   the header without a CORS preflight we never grant), so bearer requests need no Origin.
 * - Everything else from a foreign Origin is refused: cookie-authenticated calls, and also
 *   anonymous ones, because a foreign page posting auth.login could sign the victim's browser
 *   into the attacker's account (login CSRF).
 * - Requests with neither Origin nor Sec-Fetch-Site come from non-browser clients, which cannot
 *   be tricked into sending someone's cookie.
 */
export function originCheck(options: OriginCheckOptions): MiddlewareHandler {
  const safe = new Set(options.safeMethods ?? defaultSafeMethods);
  return async function originCheckMiddleware(c, next) {
    if (safe.has(c.req.method)) return next();
    if (viaBearer(c.req.raw)) return next();
    const allowed = options.publicOrigin ?? new URL(c.req.url).origin;
    const origin = c.req.header("origin");
    const fetchSite = c.req.header("sec-fetch-site");
    // "null" is what sandboxed frames and privacy-redirected requests send: never ours.
    const sameOrigin =
      origin !== undefined
        ? origin === allowed
        : fetchSite === undefined || fetchSite === "same-origin";
    if (sameOrigin) return next();
    // Shaped like a tRPC error, so clients read error.data.code as for any other refusal.
    return c.json(
      {
        error: {
          message: "Cross-origin request refused: sign-in only works from the app itself",
          code: -32003,
          data: { code: "FORBIDDEN", httpStatus: 403 },
        },
      },
      403,
    );
  };
}
