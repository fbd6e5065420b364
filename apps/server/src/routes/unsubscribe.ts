/**
 * One-click unsubscribe (RFC 8058): mail clients POST to the List-Unsubscribe link of a
 * broadcast. The web page at the same path asks a person to confirm instead.
 */
import type { Services } from "@boxoffice/api";
import { Hono } from "hono";
import type { AppEnv } from "../app.ts";

export function unsubscribeRoute(_services: Services) {
  const app = new Hono<AppEnv>();
  return app;
}
