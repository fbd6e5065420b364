/**
 * Ticket downloads (docs/API.md "files"): the PDF, the calendar file and Wallet passes of an
 * order, by its secret link or by a signed-in buyer's booking.
 */
import type { Context as ApiContext, Services } from "@boxoffice/api";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../app.ts";

export function filesRoute(_services: Services, _contextOf: (c: Context<AppEnv>) => ApiContext) {
  const app = new Hono<AppEnv>();
  return app;
}
