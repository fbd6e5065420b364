import {
  createLogger,
  createServices,
  type DispatcherTimings,
  type Logger,
  type RunningServices,
} from "@boxoffice/api";
import type { Clock } from "@boxoffice/core";
import { closeDb, migrateDb, openDb } from "@boxoffice/db";
import type { PaymentProvider } from "@boxoffice/engine";
import { createApp } from "./app.ts";
import { ensureBootstrapAdmin } from "./bootstrap.ts";
import type { ServerConfig } from "./env.ts";

/** No API input comes near this: a booking is a few hundred bytes. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly services: RunningServices;
  /** Graceful: stop accepting, finish in-flight requests, drain actors, close the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: Logger;
  /** Time for the actors and sessions; tests pass one they can move forward. */
  readonly clock?: Clock;
  readonly webDist?: string;
  /** The mail dispatcher's poll interval and backoff; tests shorten them. */
  readonly mailTimings?: DispatcherTimings;
  /** The payment provider; the mock by default. */
  readonly payments?: PaymentProvider;
}

export async function startServer(
  config: ServerConfig,
  options: StartOptions = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger();
  const db = openDb(config.databasePath, { synchronous: config.dbSynchronous });
  migrateDb(db);
  if (config.bootstrapAdmin) await ensureBootstrapAdmin(db, config.bootstrapAdmin, logger);
  const services = createServices({
    db,
    logger,
    clock: options.clock,
    payments: options.payments,
    groupCommit: config.groupCommit,
    ownWriterConnection: true,
    mail: { ...config.mail, timings: options.mailTimings },
    config: {
      sessionDays: config.sessionDays,
      publicOrigin: config.publicOrigin,
      rateLimitAuthPerMinute: config.rateLimitAuthPerMinute,
      limits: config.limits,
    },
  });
  // The port is known once listening (PORT=0 picks one); the app reads it per request.
  let listenAddress = { host: config.host, port: config.port };
  const app = createApp(services, {
    publicOrigin: config.publicOrigin,
    listenAddress: () => listenAddress,
    logRequests: config.logRequests,
    webDist: options.webDist,
  });
  const server = Bun.serve({
    port: config.port,
    hostname: config.host,
    fetch: (req, srv) => app.fetch(req, { server: srv }),
    // Bun answers 413 itself, before a byte reaches JavaScript; Hono's bodyLimit re-streamed every
    // body through JS and cost about a tenth of the CPU on the booking path.
    maxRequestBodySize: MAX_BODY_BYTES,
    // Subscriptions send a ping well inside this, so SSE connections stay open.
    idleTimeout: 30,
  });
  listenAddress = { host: config.host, port: server.port ?? config.port };
  let stopping: Promise<void> | null = null;
  return {
    url: `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${server.port}`,
    port: server.port ?? config.port,
    services,
    stop() {
      stopping ??= (async () => {
        await server.stop(false);
        await services.stop();
        closeDb(db);
      })();
      return stopping;
    },
  };
}
