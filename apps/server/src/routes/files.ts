/**
 * Ticket downloads (docs/API.md "files"): the PDF, the calendar file and Wallet passes of an
 * order, by its secret link or by a signed-in buyer's booking.
 */
import {
  type Context as ApiContext,
  PKPASS_TYPE,
  type Services,
  visibleBooking,
  walletPassOf,
} from "@boxoffice/api";
import { DomainError, NotFoundError } from "@boxoffice/core";
import { type TicketDocument, ticketDocumentOf } from "@boxoffice/db";
import { eventIcs, ticketsPdf } from "@boxoffice/mail";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../app.ts";

/** Where links in files point: PUBLIC_ORIGIN, else the listen address (never the Host header). */
export const originOf = (services: Services, c: Context<AppEnv>): string =>
  services.config.publicOrigin ?? services.config.listenOrigin?.() ?? new URL(c.req.url).origin;

type Found = { doc: TicketDocument } | { response: Response };

const notFound = (c: Context<AppEnv>, message = "No such order") =>
  ({ response: c.json({ error: message }, 404) }) as const;

/** The order's document by its secret link; misses count against the client as for orders.*. */
function byOrderToken(c: Context<AppEnv>, services: Services, ctx: ApiContext): Found {
  try {
    const order = services.engine.orders.open(c.req.param("token") ?? "", ctx.clientIp());
    const doc = ticketDocumentOf(services.db, order.booking.booking.id);
    return doc ? { doc } : notFound(c);
  } catch (error) {
    if (error instanceof NotFoundError) return notFound(c);
    if (error instanceof DomainError && error.reason === "RATE_LIMITED") {
      const retry = Number(error.details?.retryAfterSeconds ?? 60);
      c.header("Retry-After", String(retry));
      return { response: c.json({ error: error.message }, 429) };
    }
    throw error;
  }
}

/** The booking's document for its buyer signed in, its event's organizer or an admin. */
function byBooking(c: Context<AppEnv>, services: Services, ctx: ApiContext): Found {
  if (!ctx.user) return { response: c.json({ error: "Sign in first" }, 401) };
  try {
    const { found } = visibleBooking(
      { db: services.db, user: ctx.user },
      c.req.param("bookingId") ?? "",
      true,
    );
    const doc = ticketDocumentOf(services.db, found.booking.id);
    return doc ? { doc } : notFound(c, "No such booking");
  } catch (error) {
    if (error instanceof NotFoundError) return notFound(c, "No such booking");
    throw error;
  }
}

/** Ticket codes are capitals, digits and dashes: safe in a filename as they are. */
const headers = (contentType: string, filename: string) => ({
  "Content-Type": contentType,
  "Content-Disposition": `attachment; filename="${filename}"`,
  "Cache-Control": "no-store",
});

async function file(c: Context<AppEnv>, services: Services, doc: TicketDocument) {
  const name = c.req.param("file") ?? "";
  const origin = originOf(services, c);
  if (name === "tickets.pdf") {
    return c.body(
      new Uint8Array(await ticketsPdf(doc)),
      200,
      headers("application/pdf", "tickets.pdf"),
    );
  }
  if (name === "event.ics") {
    return c.body(eventIcs(doc, origin), 200, headers("text/calendar; charset=utf-8", "event.ics"));
  }
  const code = /^(.+)\.pkpass$/.exec(name)?.[1];
  const pass = code ? await walletPassOf(services.db, doc, code, origin) : null;
  if (!pass) return c.json({ error: "No such file" }, 404);
  return c.body(new Uint8Array(pass), 200, headers(PKPASS_TYPE, name));
}

export function filesRoute(services: Services, contextOf: (c: Context<AppEnv>) => ApiContext) {
  const app = new Hono<AppEnv>();

  app.get("/orders/:token/:file", async (c) => {
    const found = byOrderToken(c, services, contextOf(c));
    return "response" in found ? found.response : file(c, services, found.doc);
  });

  app.get("/bookings/:bookingId/:file", async (c) => {
    const found = byBooking(c, services, contextOf(c));
    return "response" in found ? found.response : file(c, services, found.doc);
  });

  return app;
}
