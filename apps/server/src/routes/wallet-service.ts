/**
 * Apple's pass web service (docs/API.md "wallet"): devices register the passes they hold and
 * fetch the latest version of one that changed. A pass's `authenticationToken` (an HMAC of its
 * serial number) is the only authority; push notifications to Apple are not sent.
 */
import { PKPASS_TYPE, type Services, walletPassOf, walletTokenMatches } from "@boxoffice/api";
import {
  registerWalletPass,
  ticketDocumentOf,
  unregisterWalletPass,
  walletConfigOf,
  walletSerialsUpdatedSince,
  walletTicketOf,
} from "@boxoffice/db";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../app.ts";
import { originOf } from "./files.ts";

/** Bounds on what a device may send: Apple's ids are short. */
const MAX_ID = 200;
const MAX_LOG_LINES = 20;

function authorized(c: Context<AppEnv>, services: Services, serial: string): boolean {
  const token = /^ApplePass (\S+)$/.exec(c.req.header("Authorization") ?? "")?.[1];
  return token !== undefined && walletTokenMatches(services.db, serial, token);
}

const tooLong = (...parts: string[]) => parts.some((p) => p.length > MAX_ID);

/** Last-Modified and If-Modified-Since have whole seconds. */
const seconds = (ms: number) => Math.floor(ms / 1000);

export function walletServiceRoute(services: Services) {
  const app = new Hono<AppEnv>();
  const registration = "/v1/devices/:device/registrations/:passType/:serial";

  app.post(registration, async (c) => {
    const { device, passType, serial } = c.req.param();
    if (tooLong(device, passType, serial) || !authorized(c, services, serial)) {
      return c.body(null, 401);
    }
    const body = (await c.req.json().catch(() => null)) as { pushToken?: unknown } | null;
    const pushToken = typeof body?.pushToken === "string" ? body.pushToken.slice(0, MAX_ID) : "";
    const registered = {
      deviceLibraryId: device,
      passTypeIdentifier: passType,
      serialNumber: serial,
      pushToken,
    };
    const created = registerWalletPass(services.db, registered, services.clock.now());
    return c.body(null, created ? 201 : 200);
  });

  app.delete(registration, (c) => {
    const { device, passType, serial } = c.req.param();
    if (tooLong(device, passType, serial) || !authorized(c, services, serial)) {
      return c.body(null, 401);
    }
    unregisterWalletPass(services.db, device, passType, serial);
    return c.body(null, 200);
  });

  app.get("/v1/devices/:device/registrations/:passType", (c) => {
    const { device, passType } = c.req.param();
    const tag = Number(c.req.query("passesUpdatedSince") ?? Number.NaN);
    const since = Number.isSafeInteger(tag) ? tag : null;
    const found = walletSerialsUpdatedSince(services.db, device, passType, since);
    if (found.serialNumbers.length === 0) return c.body(null, 204);
    return c.json({ serialNumbers: found.serialNumbers, lastUpdated: String(found.lastUpdated) });
  });

  app.get("/v1/passes/:passType/:serial", async (c) => {
    const { passType, serial } = c.req.param();
    if (tooLong(passType, serial) || !authorized(c, services, serial)) return c.body(null, 401);
    const ticket = walletTicketOf(services.db, serial);
    const config = ticket ? walletConfigOf(services.db, ticket.organizerId) : null;
    const doc =
      ticket && config?.passTypeIdentifier === passType
        ? ticketDocumentOf(services.db, ticket.bookingId)
        : null;
    const changedAt = doc?.tickets.find((t) => t.code === serial)?.updatedAt;
    if (!doc || changedAt === undefined) return c.body(null, 404);
    const since = Date.parse(c.req.header("If-Modified-Since") ?? "");
    if (!Number.isNaN(since) && seconds(changedAt) <= seconds(since)) return c.body(null, 304);
    const origin = originOf(services, c);
    const pass = await walletPassOf(services.db, doc, serial, origin);
    if (!pass) return c.body(null, 404);
    return c.body(new Uint8Array(pass), 200, {
      "Content-Type": PKPASS_TYPE,
      "Last-Modified": new Date(seconds(changedAt) * 1000).toUTCString(),
      "Cache-Control": "no-cache",
    });
  });

  /** Wallet's error reports about our passes: logged, a few lines at a time. */
  app.post("/v1/log", async (c) => {
    const body = (await c.req.json().catch(() => null)) as { logs?: unknown } | null;
    const logs = Array.isArray(body?.logs) ? body.logs.slice(0, MAX_LOG_LINES) : [];
    for (const line of logs)
      services.logger.warn("wallet device log", { message: String(line).slice(0, 500) });
    return c.body(null, 200);
  });

  return app;
}
