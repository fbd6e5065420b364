import type { MiddlewareHandler } from "hono";

export interface BatchLimitOptions {
  /** The most calls one batched request (`?batch=1`) may carry: BATCH_MAX. */
  readonly max: number;
  /**
   * The longest path list a batch may name, in characters; default 64 per allowed call (the
   * longest procedure path is about a third of that).
   */
  readonly maxPathLength?: number;
  /** Where tRPC is mounted; default `/trpc`. */
  readonly endpoint?: string;
}

/** The characters a procedure path may take in a batch's path list, on average. */
const PATH_CHARS_PER_CALL = 64;

/**
 * Commas in a path list, as tRPC counts them after decoding: `%2C` is a comma too. Counting on
 * the raw text needs no decoding, so a malformed escape is left for tRPC to refuse.
 */
function callsIn(pathList: string): number {
  let calls = 1;
  for (let i = 0; i < pathList.length; i++) {
    if (pathList[i] === ",") calls++;
    else if (pathList[i] === "%" && pathList.slice(i + 1, i + 3).toUpperCase() === "2C") calls++;
  }
  return calls;
}

/**
 * Refuses a batched tRPC request with more than `max` calls (or an absurdly long path list) with
 * a 400 before tRPC parses its input or runs a single procedure. tRPC runs one call per path of
 * the URL (`/trpc/a,b,c?batch=1`, for GET and POST alike) and reads inputs only by those paths'
 * indexes, so the path list is what counts. Each call of an accepted batch then meets the same
 * limits as a request of its own (rate limits live in the procedures).
 */
export function batchLimit(options: BatchLimitOptions): MiddlewareHandler {
  const { max } = options;
  const maxPathLength = options.maxPathLength ?? max * PATH_CHARS_PER_CALL;
  const prefix = `${options.endpoint ?? "/trpc"}/`;
  return async function batchLimitMiddleware(c, next) {
    if (c.req.query("batch") !== "1") return next();
    const pathname = new URL(c.req.url).pathname;
    const pathList = pathname.startsWith(prefix) ? pathname.slice(prefix.length) : "";
    const calls = callsIn(pathList);
    if (calls <= max && pathList.length <= maxPathLength) return next();
    const message =
      calls > max
        ? `A batch may hold at most ${max} calls; this one has ${calls}`
        : `A batch's path list may be at most ${maxPathLength} characters long`;
    // Shaped like a tRPC error, so clients read error.data.code as for any other refusal.
    return c.json(
      { error: { message, code: -32600, data: { code: "BAD_REQUEST", httpStatus: 400 } } },
      400,
    );
  };
}
