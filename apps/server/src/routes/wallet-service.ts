/**
 * Apple's pass web service (docs/API.md "wallet"): devices register the passes they hold and
 * fetch the latest version of one that changed.
 */
import type { Services } from "@boxoffice/api";
import { Hono } from "hono";
import type { AppEnv } from "../app.ts";

export function walletServiceRoute(_services: Services) {
  const app = new Hono<AppEnv>();
  return app;
}
