import {
  createLogger,
  createServices,
  type DispatcherTimings,
  type Logger,
  type RunningServices,
} from "@boxoffice/api";
import type { Clock } from "@boxoffice/core";
import { closeDb, migrateDb, openDb, WAL_BOUND_PAGES } from "@boxoffice/db";
import type { PaymentProvider } from "@boxoffice/engine";
import { createApp } from "./app.ts";
import { ensureBootstrapAdmin } from "./bootstrap.ts";
import type { ServerConfig } from "./env.ts";

/** No API input comes near this: a booking is a few hundred bytes. */
const MAX_BODY_BYTES = 1024 * 1024;

/** How long a stop waits for requests in flight before it cuts every connection. */
export const SHUTDOWN_GRACE_MS = 5_000;

/**
 * Live subscriptions (SSE) open now. A stream is counted from its first byte until it ends or
 * its client goes: the rest of the server's pending requests are work in flight.
 */
function liveStreams() {
  let open = 0;
  return {
    get open() {
      return open;
    },
    track(response: Response): Response {
      // The header first: reading `body` would turn any answer into a stream.
      if (!response.headers.get("content-type")?.startsWith("text/event-stream")) return response;
      const body = response.body;
      if (!body) return response;
      open += 1;
      let counted = true;
      const done = () => {
        if (counted) open -= 1;
        counted = false;
      };
      const reader = body.getReader();
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const { done: ended, value } = await reader.read();
            if (ended) {
              done();
              controller.close();
            } else controller.enqueue(value);
          } catch (error) {
            done();
            controller.error(error);
          }
        },
        cancel(reason) {
          done();
          return reader.cancel(reason);
        },
      });
      const { status, statusText, headers } = response;
      return new Response(stream, { status, statusText, headers });
    },
  };
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly services: RunningServices;
  /**
   * Graceful and bounded: stop accepting, finish in-flight requests (for at most
   * SHUTDOWN_GRACE_MS), cut live subscriptions, drain actors, close the database.
   */
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

/** Links in mails without PUBLIC_ORIGIN: the address listened on (any address: this machine). */
function linkOrigin({ host, port }: { host: string; port: number }): string {
  const name = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  return `http://${name.includes(":") ? `[${name}]` : name}:${port}`;
}

export async function startServer(
  config: ServerConfig,
  options: StartOptions = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger();
  // The writer thread's checkpointer copies the WAL. A commit here (a sign-in, a mail's outcome)
  // would otherwise copy it itself, on the request thread, once the WAL passes SQLite's 1,000
  // pages, which in a rush it always has: 16–67 ms a commit, measured, with every request waiting.
  const db = openDb(config.databasePath, {
    synchronous: config.dbSynchronous,
    walAutocheckpointPages: WAL_BOUND_PAGES,
  });
  migrateDb(db);
  if (config.bootstrapAdmin) await ensureBootstrapAdmin(db, config.bootstrapAdmin, logger);
  const services = createServices({
    db,
    logger,
    clock: options.clock,
    payments: options.payments,
    groupCommit: config.groupCommit,
    writerThread: true,
    mail: { ...config.mail, timings: options.mailTimings },
    config: {
      sessionDays: config.sessionDays,
      publicOrigin: config.publicOrigin,
      listenOrigin: () => linkOrigin(listenAddress),
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
    devMail: config.mailPreview,
  });
  const streams = liveStreams();
  const server = Bun.serve({
    port: config.port,
    hostname: config.host,
    fetch: async (req, srv) => streams.track(await app.fetch(req, { server: srv })),
    // Bun answers 413 itself, before a byte reaches JavaScript; Hono's bodyLimit re-streamed every
    // body through JS and cost about a tenth of the CPU on the booking path.
    maxRequestBodySize: MAX_BODY_BYTES,
    // Subscriptions send a ping well inside this, so SSE connections stay open.
    idleTimeout: 60,
  });
  listenAddress = { host: config.host, port: server.port ?? config.port };
  let stopping: Promise<void> | null = null;
  return {
    url: `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${server.port}`,
    port: server.port ?? config.port,
    services,
    stop() {
      stopping ??= (async () => {
        // No new connections from here on. Live subscriptions never end by themselves: once
        // only they are left (or the grace is up), every connection is cut, and browsers'
        // EventSources reconnect to the next server on their own.
        server.stop(false).catch(() => undefined);
        const deadline = Date.now() + SHUTDOWN_GRACE_MS;
        while (server.pendingRequests > streams.open && Date.now() < deadline) {
          await Bun.sleep(10);
        }
        await server.stop(true);
        await services.stop();
        closeDb(db);
      })();
      return stopping;
    },
  };
}
