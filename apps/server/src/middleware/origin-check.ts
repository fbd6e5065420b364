import { sessionTokenOf } from "@boxoffice/api";
import type { MiddlewareHandler } from "hono";

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export interface OriginCheckOptions {
  /** The app's own origin (PUBLIC_ORIGIN): when set, the only one accepted. */
  readonly publicOrigin: string | null;
  /**
   * Where the server listens (HOST and the port it actually got): without a public origin, the
   * app's origins are this address and the loopback names with its port. Read per request, since
   * `PORT=0` is only known once listening.
   */
  readonly listenAddress: () => ListenAddress;
  /** Methods that change nothing and pass unchecked; default GET, HEAD, OPTIONS. */
  readonly safeMethods?: readonly string[];
}

const defaultSafeMethods = ["GET", "HEAD", "OPTIONS"];
const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];

/** `http://host:port` as a browser serializes it: lower case, IPv6 in brackets, no `:80`. */
function httpOrigin(host: string, port: number): string | null {
  const name = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  try {
    return new URL(`http://${name}:${port}`).origin;
  } catch {
    return null;
  }
}

/**
 * The origins a browser may use for this server when no public origin is configured. Never the
 * Host header's: a DNS-rebinding page (evil.example resolving to this machine) sends
 * `Host: evil.example` and `Origin: http://evil.example`, which agree with each other.
 */
function localOrigins({ host, port }: ListenAddress): Set<string> {
  const origins = [host, ...LOOPBACK_NAMES].map((name) => httpOrigin(name, port));
  return new Set(origins.filter((origin) => origin !== null));
}

/**
 * A page on a loopback name whose request was addressed to that same origin: a same-origin dev
 * proxy (Vite's, on another port, keeps the browser's Host). No remote page can be on a loopback
 * name, so this admits nothing a DNS-rebinding page could use.
 */
function isLoopbackSameOrigin(origin: string, requestUrl: string): boolean {
  const own = new URL(requestUrl);
  return origin === own.origin && own.protocol === "http:" && LOOPBACK_NAMES.includes(own.hostname);
}

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
 * - Without a public origin, only the listen address and loopback names count as the app's.
 */
export function originCheck(options: OriginCheckOptions): MiddlewareHandler {
  const safe = new Set(options.safeMethods ?? defaultSafeMethods);
  let local: { key: string; origins: Set<string> } | null = null;
  /** The app's origins; "null" (sandboxed frames, privacy redirects) is never one of them. */
  const isAppOrigin = (origin: string, requestUrl: string): boolean => {
    if (options.publicOrigin !== null) return origin === options.publicOrigin;
    const address = options.listenAddress();
    const key = `${address.host} ${address.port}`;
    if (local?.key !== key) local = { key, origins: localOrigins(address) };
    return local.origins.has(origin) || isLoopbackSameOrigin(origin, requestUrl);
  };
  return async function originCheckMiddleware(c, next) {
    if (safe.has(c.req.method)) return next();
    if (viaBearer(c.req.raw)) return next();
    const origin = c.req.header("origin");
    const fetchSite = c.req.header("sec-fetch-site");
    const sameOrigin =
      origin !== undefined
        ? isAppOrigin(origin, c.req.url)
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
