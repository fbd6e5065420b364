import type { Logger } from "@boxoffice/api";
import type { MiddlewareHandler } from "hono";

/** One structured line per request, with its id, status and duration. */
export function requestLog(logger: Logger): MiddlewareHandler {
  return async function requestLogMiddleware(c, next) {
    const started = performance.now();
    await next();
    logger.info("request", {
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  };
}
