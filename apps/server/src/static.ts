import { join } from "node:path";
import { Hono } from "hono";

const IMMUTABLE = "public, max-age=31536000, immutable";
const SHORT = "public, max-age=300";
/** index.html names the current hashed assets, so browsers must ask again every time. */
const REVALIDATE = "no-cache";

function decodedPath(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    // Malformed escapes (%E0%A4%A) are a client's mistake, not a 500.
    return null;
  }
}

/**
 * Serves the built SPA: hashed assets (Vite's `assets/`) are immutable, index.html is never
 * cached, other public files briefly, and any other path that is not a file falls back to
 * index.html so client-side routes load.
 */
export function serveSpa(root: string) {
  const spa = new Hono();
  const index = join(root, "index.html");
  spa.get("*", async (c) => {
    const path = decodedPath(c.req.path);
    if (path === null) return c.json({ error: "Bad path" }, 400);
    const isAsset = path.startsWith("/assets/");
    if (!path.includes("..") && !path.includes("\0") && path !== "/" && path !== "/index.html") {
      const file = Bun.file(join(root, path));
      if (await file.exists()) {
        c.header("Cache-Control", isAsset ? IMMUTABLE : SHORT);
        return c.body(await file.arrayBuffer(), 200, { "Content-Type": file.type });
      }
    }
    // A missing hashed file is an old build's: answering with HTML would break the page quietly.
    if (isAsset) return c.json({ error: "Not found" }, 404);
    const html = Bun.file(index);
    // The build is replaced in place by `vite build`: for that moment, say so rather than 500.
    if (!(await html.exists())) return c.json({ error: "The web app is being rebuilt" }, 503);
    c.header("Cache-Control", REVALIDATE);
    return c.html(await html.text());
  });
  return spa;
}
