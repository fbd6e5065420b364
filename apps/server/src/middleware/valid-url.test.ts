import { describe, expect, it } from "bun:test";
import { Hono } from "hono";
import { validUrl } from "./valid-url.ts";

/** A request as Bun hands it over for a malformed Host: `new Request()` would refuse to build it. */
const withUrl = (url: string) =>
  ({ url, method: "GET", headers: new Headers(), signal: new AbortController().signal }) as Request;

describe("validUrl", () => {
  const app = new Hono();
  app.use(validUrl());
  // What tRPC's fetch adapter and the Origin check do with the URL.
  app.all("*", (c) => c.json({ origin: new URL(c.req.url).origin }));

  it("refuses a URL that does not parse (Host `[::1`, `:99999`) with a 400, not a 500", async () => {
    for (const url of ["http://[::1/trpc/auth.me", "http://:99999/trpc/auth.me", "http://a b/"]) {
      const res = await app.fetch(withUrl(url));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: { data: { code: "BAD_REQUEST", httpStatus: 400 } },
      });
    }
  });

  it("lets every well-formed request through", async () => {
    const res = await app.fetch(new Request("http://[::1]:3000/trpc/auth.me?input=%7B%7D"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ origin: "http://[::1]:3000" });
  });
});
