import { join } from "node:path";
import { Hono } from "hono";

/**
 * Serves the built SPA: hashed assets are immutable, index.html is never cached, and any other
 * path that is not a file falls back to index.html so client-side routes load.
 */
export function serveSpa(root: string) {
  const spa = new Hono();
  const index = join(root, "index.html");
  spa.get("*", async (c) => {
    const path = decodeURIComponent(c.req.path);
    if (!path.includes("..") && path !== "/") {
      const file = Bun.file(join(root, path));
      if (await file.exists()) {
        const immutable = path.startsWith("/assets/");
        c.header(
          "Cache-Control",
          immutable ? "public, max-age=31536000, immutable" : "public, max-age=300",
        );
        return c.body(await file.arrayBuffer(), 200, { "Content-Type": file.type });
      }
      if (path.startsWith("/assets/")) return c.json({ error: "Not found" }, 404);
    }
    c.header("Cache-Control", "no-cache");
    return c.html(await Bun.file(index).text());
  });
  return spa;
}
