import { describe, expect, it } from "bun:test";
import { Hono } from "hono";
import { MAX_REQUEST_TARGET, urlLimit } from "./url-limit.ts";

describe("urlLimit", () => {
  const app = new Hono();
  app.use(urlLimit({ maxLength: 100 }));
  app.all("*", (c) => c.json({ ok: true }));

  /** A request target (path and query) of exactly `n` characters. */
  const target = (n: number, query = false) =>
    query ? `/q?x=${"a".repeat(n - 5)}` : `/${"a".repeat(n - 1)}`;

  it("answers 414 URI Too Long, shaped like a tRPC error, beyond the bound", async () => {
    for (const path of [target(101), target(101, true)]) {
      const res = await app.request(path);
      expect(res.status).toBe(414);
      expect(await res.json()).toMatchObject({
        error: { data: { code: "BAD_REQUEST", httpStatus: 414 } },
      });
    }
  });

  it("counts the path and the query, not the scheme and host", async () => {
    expect((await app.request(`http://${"h".repeat(200)}.example${target(100)}`)).status).toBe(200);
    expect((await app.request(target(100, true))).status).toBe(200);
  });

  it("defaults to 8 KiB", async () => {
    expect(MAX_REQUEST_TARGET).toBe(8192);
    const fallback = new Hono();
    fallback.use(urlLimit());
    fallback.all("*", (c) => c.text("ok"));
    expect((await fallback.request(target(8192))).status).toBe(200);
    expect((await fallback.request(target(8193))).status).toBe(414);
  });
});
