import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { appRouter, createContextFactory, type RunningServices } from "@boxoffice/api";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Hono, type Context as HonoContext } from "hono";
import { getConnInfo } from "hono/bun";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { originCheck } from "./middleware/origin-check.ts";
import { requestLog } from "./middleware/request-log.ts";
import { validUrl } from "./middleware/valid-url.ts";
import { exportsRoute } from "./routes/exports.ts";
import { serveSpa } from "./static.ts";

export interface AppOptions {
  readonly publicOrigin: string | null;
  readonly logRequests: boolean;
  /** The built web app; served with SPA fallback when the folder exists. */
  readonly webDist?: string;
}

const defaultWebDist = resolve(import.meta.dir, "../../web/dist");

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
  const contextOf = (c: HonoContext<AppEnv>, resHeaders: Headers | null = null) =>
    createContext({ req: c.req.raw, resHeaders, ip: clientIp(c), requestId: c.get("requestId") });

  app.use(requestId());
  if (options.logRequests) app.use(requestLog(services.logger));
  app.use(validUrl());
  app.use(secureHeaders({ crossOriginResourcePolicy: "same-origin" }));

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
      memory: { rss: memory.rss, heapUsed: memory.heapUsed },
    });
  });

  app.use("/trpc/*", originCheck({ publicOrigin: options.publicOrigin }));
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
