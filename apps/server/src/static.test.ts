import { afterAll, describe, expect, it } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveSpa } from "./static.ts";

const root = mkdtempSync(join(tmpdir(), "boxoffice-spa-"));
mkdirSync(join(root, "assets"));
writeFileSync(join(root, "index.html"), "<!doctype html><title>app</title>");
writeFileSync(join(root, "assets/index-abc123.js"), "console.log(1)");
writeFileSync(join(root, "favicon.svg"), "<svg/>");
mkdirSync(join(root, "fonts"));
// Not a regular file: reading it would wait for a writer forever.
Bun.spawnSync(["mkfifo", join(root, "pipe.txt")]);
const spa = serveSpa(root);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("serving the built web app", () => {
  it("serves hashed assets as immutable", async () => {
    const res = await spa.request("/assets/index-abc123.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("content-type")).toContain("javascript");
  });

  it("never caches index.html, at / or by name", async () => {
    for (const path of ["/", "/index.html"]) {
      const res = await spa.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(await res.text()).toContain("<title>app</title>");
    }
  });

  it("falls back to index.html for client routes", async () => {
    const res = await spa.request("/organizer/events/evt_1/door");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("content-type")).toContain("text/html");
  });

  it("answers 404 for a missing hashed asset instead of HTML", async () => {
    expect((await spa.request("/assets/index-old.js")).status).toBe(404);
  });

  it("serves other public files briefly cached", async () => {
    const res = await spa.request("/favicon.svg");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
  });

  it("refuses malformed escapes and path traversal without a 500", async () => {
    expect((await spa.request("/%E0%A4%A")).status).toBe(400);
    const res = await spa.request("/..%2f..%2fetc%2fpasswd");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<title>app</title>");
  });

  it("answers 404, not 500, for file paths too long for the file system", async () => {
    // Over PATH_MAX (4,096) in all, or one name over NAME_MAX (255): the lookup itself fails.
    const paths = [
      `/${"a/".repeat(2_100)}`,
      `/${"a".repeat(16_000)}`,
      `/${"a".repeat(300)}`,
      `/assets/${"b".repeat(5_000)}.js`,
      `/${"%C3%A9".repeat(1_000)}`,
    ];
    for (const path of paths) {
      const res = await spa.request(path);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: "Not found" });
    }
  });

  it("answers 404 for a path that is no regular file instead of reading it", async () => {
    const res = await Promise.race([spa.request("/pipe.txt"), Bun.sleep(1_000).then(() => null)]);
    expect(res?.status).toBe(404);
    // A folder is no file either: a client route there still gets the app.
    expect((await spa.request("/fonts")).status).toBe(200);
    expect((await spa.request("/assets/")).status).toBe(404);
  });
});
