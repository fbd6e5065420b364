import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { appRouter, createContextFactory, type RunningServices } from "@boxoffice/api";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Hono, type Context as HonoContext } from "hono";
import { getConnInfo } from "hono/bun";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { batchLimit } from "./middleware/batch-limit.ts";
import { type ListenAddress, originCheck } from "./middleware/origin-check.ts";
import { requestLog } from "./middleware/request-log.ts";
import { urlLimit } from "./middleware/url-limit.ts";
import { validUrl } from "./middleware/valid-url.ts";
import { devMailRoute } from "./routes/dev-mail.ts";
import { exportsRoute } from "./routes/exports.ts";
import { filesRoute } from "./routes/files.ts";
import { unsubscribeRoute } from "./routes/unsubscribe.ts";
import { walletServiceRoute } from "./routes/wallet-service.ts";
import { serveSpa } from "./static.ts";

export interface AppOptions {
  readonly publicOrigin: string | null;
  /** Where the server listens (HOST, and the port it got): the Origin check's app origins. */
  readonly listenAddress: () => ListenAddress;
  readonly logRequests: boolean;
  /** The built web app; served with SPA fallback when the folder exists. */
  readonly webDist?: string;
  /** Serves the mail preview at /dev/mail (`bun run dev` only). */
  readonly devMail?: boolean;
}

const defaultWebDist = resolve(import.meta.dir, "../../web/dist");

/**
 * The web app loads only its own files: its scripts and styles are Vite's hashed files (no inline
 * script or <style>; React sets style attributes through the CSSOM, which style-src allows), its
 * images are its own or the QR codes' data: URLs, and it talks only to this server. No
 * 'unsafe-eval': zod's one probe for it is caught, and zod then parses without compiling.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};

function clientIp(c: Parameters<typeof getConnInfo>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    // app.request() in tests has no socket.
    return "local";
  }
}

/** What Hono's context carries here (request-id's variable). */
export type AppEnv = { Variables: { requestId: string } };

export function createApp(services: RunningServices, options: AppOptions) {
  const createContext = createContextFactory(services);
  const app = new Hono<AppEnv>();
  /** One context per request, built the same way for tRPC and for the plain-HTTP routes. */
  const contextOf = (c: HonoContext<AppEnv>, resHeaders: Headers | null = null) => {
    // Asking the socket costs a few microseconds; most calls never need the address.
    let ip: string | undefined;
    return createContext({
      req: c.req.raw,
      resHeaders,
      clientIp: () => {
        ip ??= clientIp(c);
        return ip;
      },
      requestId: c.get("requestId"),
    });
  };

  app.use(requestId());
  if (options.logRequests) app.use(requestLog(services.logger));
  // First of the rest, so that every answer carries the headers, refusals included.
  app.use(
    secureHeaders({
      crossOriginResourcePolicy: "same-origin",
      contentSecurityPolicy: CONTENT_SECURITY_POLICY,
      // What frame-ancestors 'none' says, for browsers that predate it.
      xFrameOptions: "DENY",
      // A route that sets its own policy keeps it (the dev mail preview shows mails' inline
      // styles); every other answer gets the ones above.
      overwrite: false,
    }),
  );
  app.use(validUrl());
  app.use(urlLimit());

  app.get("/healthz", (c) => {
    try {
      services.db.$client.prepare("select 1").get();
    } catch (error) {
      services.logger.error("health check failed", { error });
      return c.json({ status: "unavailable" }, 503);
    }
    const memory = process.memoryUsage();
    return c.json({
      status: "ok",
      actors: services.engine.loadedActors,
      sessions: services.sessions.cachedCount,
      memory: { rss: memory.rss, heapUsed: memory.heapUsed },
      writer: services.writerStats(),
    });
  });

  app.use(
    "/trpc/*",
    originCheck({ publicOrigin: options.publicOrigin, listenAddress: options.listenAddress }),
  );
  app.use("/trpc/*", batchLimit({ max: services.config.limits.batchMax }));
  app.all("/trpc/*", (c) =>
    fetchRequestHandler({
      endpoint: "/trpc",
      req: c.req.raw,
      router: appRouter,
      allowBatching: true,
      createContext: ({ resHeaders }) => contextOf(c, resHeaders),
      onError: ({ error, path }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") {
          services.logger.error("procedure failed", {
            requestId: c.get("requestId"),
            path,
            error: error.cause ?? error,
          });
        }
      },
    }),
  );

  app.route(
    "/exports",
    exportsRoute(services, (c) => contextOf(c)),
  );

  app.route(
    "/files",
    filesRoute(services, (c) => contextOf(c)),
  );
  app.route("/wallet", walletServiceRoute(services));
  app.route("/mail/unsubscribe", unsubscribeRoute(services));
  if (options.devMail) app.route("/dev/mail", devMailRoute());

  const webDist = options.webDist ?? defaultWebDist;
  if (existsSync(join(webDist, "index.html"))) app.route("/", serveSpa(webDist));

  app.notFound((c) => c.json({ error: "Not found" }, 404));
  app.onError((error, c) => {
    // Refusals raised by middleware (HTTPException: 4xx) are the client's, not ours.
    if (error instanceof HTTPException) return error.getResponse();
    services.logger.error("unhandled error", { requestId: c.get("requestId"), error });
    return c.json({ error: "Something went wrong on our side; it has been logged" }, 500);
  });
  return app;
}
