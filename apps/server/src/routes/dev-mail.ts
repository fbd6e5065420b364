/**
 * The mail preview (development only, `bun run dev`): every kind of mail rendered from sample
 * data, as HTML and as plain text, with its attachments listed.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app.ts";

export function devMailRoute() {
  const app = new Hono<AppEnv>();
  return app;
}
