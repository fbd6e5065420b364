import { describe, expect, it } from "bun:test";
import { Hono } from "hono";
import { type OriginCheckOptions, originCheck } from "./origin-check.ts";

const PORT = 3456;

function appWith(options: Partial<OriginCheckOptions> = {}) {
  const app = new Hono();
  app.use(
    originCheck({
      publicOrigin: null,
      listenAddress: () => ({ host: "127.0.0.1", port: PORT }),
      ...options,
    }),
  );
  app.all("*", (c) => c.json({ ok: true }));
  return app;
}

/** A browser's POST: `host` is where it was addressed (Bun builds the URL from Host). */
const post = (app: Hono, host: string, origin?: string) =>
  app.request(`http://${host}/trpc/auth.login`, {
    method: "POST",
    headers: origin === undefined ? {} : { origin },
  });

describe("originCheck without PUBLIC_ORIGIN", () => {
  it("refuses a DNS-rebinding page: Host and Origin both evil.example", async () => {
    const app = appWith();
    for (const host of ["evil.example", `evil.example:${PORT}`]) {
      const res = await post(app, host, `http://${host}`);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({
        error: { data: { code: "FORBIDDEN", httpStatus: 403 } },
      });
    }
  });

  it("accepts the listen address and the loopback names with the listening port", async () => {
    const app = appWith();
    for (const name of ["127.0.0.1", "localhost", "[::1]"]) {
      const origin = `http://${name}:${PORT}`;
      // Addressed to that name, as a browser on that page does, or to the listen address.
      expect((await post(app, `${name}:${PORT}`, origin)).status).toBe(200);
      expect((await post(app, `127.0.0.1:${PORT}`, origin)).status).toBe(200);
    }
  });

  it("accepts a configured listen host by its name", async () => {
    const app = appWith({ listenAddress: () => ({ host: "boxoffice.lan", port: 80 }) });
    expect((await post(app, "boxoffice.lan", "http://boxoffice.lan")).status).toBe(200);
    expect((await post(app, "boxoffice.lan", "http://other.lan")).status).toBe(403);
  });

  it("reads the listening port per request (PORT=0 is only known once listening)", async () => {
    let port = 0;
    const app = appWith({ listenAddress: () => ({ host: "127.0.0.1", port }) });
    port = 4567;
    expect((await post(app, "localhost:4567", "http://localhost:4567")).status).toBe(200);
  });

  it("refuses loopback names on another port, unless the request was addressed there (a same-origin dev proxy)", async () => {
    const app = appWith();
    expect((await post(app, `127.0.0.1:${PORT}`, "http://localhost:8080")).status).toBe(403);
    expect((await post(app, `127.0.0.1:${PORT}`, "https://localhost:3456")).status).toBe(403);
    // Vite's proxy on :5173 keeps the browser's Host: the page and the request agree.
    expect((await post(app, "localhost:5173", "http://localhost:5173")).status).toBe(200);
  });

  it("refuses foreign and opaque origins, and still lets non-browser clients through", async () => {
    const app = appWith();
    for (const origin of ["http://evil.example", "null", "not a url", `http://127.0.0.2:${PORT}`]) {
      expect((await post(app, `127.0.0.1:${PORT}`, origin)).status).toBe(403);
    }
    expect((await post(app, "evil.example")).status).toBe(200);
  });
});

describe("originCheck with PUBLIC_ORIGIN", () => {
  it("accepts only the public origin", async () => {
    const app = appWith({ publicOrigin: "https://tickets.example" });
    expect((await post(app, "tickets.example", "https://tickets.example")).status).toBe(200);
    expect((await post(app, `localhost:${PORT}`, `http://localhost:${PORT}`)).status).toBe(403);
    expect((await post(app, `127.0.0.1:${PORT}`, `http://127.0.0.1:${PORT}`)).status).toBe(403);
  });
});
