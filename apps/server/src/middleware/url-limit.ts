import type { MiddlewareHandler } from "hono";

/**
 * 8 KiB of path and query. A GET batch of 20 calls with the largest id-shaped inputs (64-character
 * ids and 200-character cursors, `bookings.forEvent`) takes 7,373 characters; 20 `events.get`
 * calls about 1,600. Bun itself refuses request heads over 16 KiB with a 431 before any of this.
 */
export const MAX_REQUEST_TARGET = 8192;

export interface UrlLimitOptions {
  /** The longest request target (path and query, as the server sees it), in characters. */
  readonly maxLength?: number;
}

/** Where the path starts in an absolute URL: after `scheme://authority`. */
function targetLength(url: string): number {
  const authority = url.indexOf("//") + 2;
  const path = url.indexOf("/", authority);
  return path === -1 ? 0 : url.length - path;
}

/**
 * Answers 414 URI Too Long for a request target over the bound, before any route reads it: no
 * API input comes near it, and a static path that long would only fail in the file system.
 * Shaped like a tRPC error, as the other refusals made before tRPC.
 */
export function urlLimit(options: UrlLimitOptions = {}): MiddlewareHandler {
  const maxLength = options.maxLength ?? MAX_REQUEST_TARGET;
  return async function urlLimitMiddleware(c, next) {
    if (targetLength(c.req.url) <= maxLength) return next();
    return c.json(
      {
        error: {
          message: `Request URL too long: at most ${maxLength} characters of path and query`,
          code: -32600,
          data: { code: "BAD_REQUEST", httpStatus: 414 },
        },
      },
      414,
    );
  };
}
