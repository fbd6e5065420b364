import type { MiddlewareHandler } from "hono";

/**
 * Refuses requests whose URL does not parse. Bun builds `req.url` from the Host header, so a
 * malformed Host (`[::1`, `:99999`) yields a URL that `new URL()` rejects, and whatever parses it
 * later (tRPC's fetch adapter, the Origin check) would throw: a 500 for what is the client's
 * mistake. Refused here, before any route, as a 400 shaped like a tRPC error.
 */
export function validUrl(): MiddlewareHandler {
  return async function validUrlMiddleware(c, next) {
    if (URL.canParse(c.req.url)) return next();
    return c.json(
      {
        error: {
          message: "Malformed request: its URL (Host header) does not parse",
          code: -32600,
          data: { code: "BAD_REQUEST", httpStatus: 400 },
        },
      },
      400,
    );
  };
}
