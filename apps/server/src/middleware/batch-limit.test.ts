import { describe, expect, it } from "bun:test";
import { Hono } from "hono";
import { batchLimit } from "./batch-limit.ts";

/** Stands in for tRPC: counts the requests that got past the limit. */
function appWith(max: number) {
  const app = new Hono();
  let reached = 0;
  app.use("/trpc/*", batchLimit({ max }));
  app.all("/trpc/*", (c) => {
    reached += 1;
    return c.json({ ok: true });
  });
  return { app, reached: () => reached };
}

const calls = (n: number, path = "events.list") => Array.from({ length: n }, () => path).join(",");
const inputOf = (n: number) =>
  encodeURIComponent(
    JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, {}]))),
  );

describe("batchLimit", () => {
  it("refuses a GET batch of max + 1 calls with a 400 naming the limit, before tRPC runs", async () => {
    const { app, reached } = appWith(20);
    const res = await app.request(`/trpc/${calls(21)}?batch=1&input=${inputOf(21)}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; data: unknown } };
    expect(body.error.data).toEqual({ code: "BAD_REQUEST", httpStatus: 400 });
    expect(body.error.message).toContain("20");
    expect(reached()).toBe(0);
  });

  it("refuses a POST batch by the paths in its URL, whatever its body holds", async () => {
    const { app, reached } = appWith(20);
    const res = await app.request(`/trpc/${calls(21, "auth.login")}?batch=1`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(400);
    expect(reached()).toBe(0);
  });

  it("counts commas sent as %2C, as tRPC decodes them", async () => {
    const { app } = appWith(20);
    const encoded = calls(21).replaceAll(",", "%2C");
    expect((await app.request(`/trpc/${encoded}?batch=1`)).status).toBe(400);
    expect((await app.request(`/trpc/${calls(21).replaceAll(",", "%2c")}?batch=1`)).status).toBe(
      400,
    );
  });

  it("lets a batch of exactly max calls through", async () => {
    const { app, reached } = appWith(20);
    const res = await app.request(`/trpc/${calls(20)}?batch=1&input=${inputOf(20)}`);
    expect(res.status).toBe(200);
    expect(reached()).toBe(1);
  });

  it("leaves requests that are not batches to tRPC, commas and all", async () => {
    const { app, reached } = appWith(2);
    expect((await app.request(`/trpc/${calls(5)}`)).status).toBe(200);
    expect((await app.request(`/trpc/${calls(5)}?batch=0`)).status).toBe(200);
    expect(reached()).toBe(2);
  });

  it("refuses a batch whose path list is absurdly long, even with few calls", async () => {
    const { app, reached } = appWith(20);
    const long = `events.${"x".repeat(3_000)}`;
    expect((await app.request(`/trpc/${long}?batch=1`)).status).toBe(400);
    expect((await app.request(`/trpc/${long},auth.me?batch=1`, { method: "POST" })).status).toBe(
      400,
    );
    expect(reached()).toBe(0);
  });
});
