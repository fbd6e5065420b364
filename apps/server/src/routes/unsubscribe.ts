/**
 * One-click unsubscribe (RFC 8058): mail clients POST to the List-Unsubscribe link of a
 * broadcast (form body `List-Unsubscribe=One-Click`), with no session and from no page of ours,
 * so the token in the path is the whole authority. The web page at `/unsubscribe/<token>` asks
 * a person to confirm instead (mail.unsubscribe).
 */
import type { Services } from "@boxoffice/api";
import { unsubscribeByToken } from "@boxoffice/db";
import { Hono } from "hono";
import type { AppEnv } from "../app.ts";

/** Tokens are 26 symbols of the id alphabet; anything else is no token of ours. */
const TOKEN = /^[a-z2-9]{1,128}$/;

export function unsubscribeRoute(services: Services) {
  const app = new Hono<AppEnv>();
  app.post("/:token", (c) => {
    const token = c.req.param("token");
    const target = TOKEN.test(token)
      ? unsubscribeByToken(services.db, token, services.clock.now())
      : null;
    if (!target) return c.json({ error: "This unsubscribe link is not known" }, 404);
    // Honoured at once: the dispatcher checks before each broadcast mail it sends.
    return c.json({ ok: true });
  });
  return app;
}
