import { stat } from "node:fs/promises";
import { join } from "node:path";
import { Hono } from "hono";

const IMMUTABLE = "public, max-age=31536000, immutable";
const SHORT = "public, max-age=300";
/** index.html names the current hashed assets, so browsers must ask again every time. */
const REVALIDATE = "no-cache";
/**
 * No file of a built app nor a client route comes near this; a longer path is not looked up (the
 * file system refuses names over 255 bytes and paths over 4,096 with ENAMETOOLONG anyway).
 */
const MAX_PATH = 1024;

function decodedPath(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    // Malformed escapes (%E0%A4%A) are a client's mistake, not a 500.
    return null;
  }
}

/**
 * What a path names under the root: a regular file, nothing (a client route, or a folder), or
 * something that cannot be served: a lookup the file system refuses (ENAMETOOLONG, EACCES,
 * ELOOP), or no regular file (a FIFO would be read forever).
 */
async function lookUp(path: string): Promise<"file" | "none" | "unservable"> {
  try {
    const stats = await stat(path);
    if (stats.isFile()) return "file";
    return stats.isDirectory() ? "none" : "unservable";
  } catch (error) {
    const code = (error as { code?: string }).code;
    return code === "ENOENT" || code === "ENOTDIR" ? "none" : "unservable";
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
    const notFound = () => c.json({ error: "Not found" }, 404);
    const path = decodedPath(c.req.path);
    if (path === null) return c.json({ error: "Bad path" }, 400);
    const isAsset = path.startsWith("/assets/");
    if (path.length > MAX_PATH) return notFound();
    if (!path.includes("..") && !path.includes("\0") && path !== "/" && path !== "/index.html") {
      const found = await lookUp(join(root, path));
      if (found === "unservable") return notFound();
      if (found === "file") {
        const file = Bun.file(join(root, path));
        let body: ArrayBuffer;
        try {
          body = await file.arrayBuffer();
        } catch {
          // Gone or unreadable since the lookup (a rebuild in place): not a server failure.
          return notFound();
        }
        c.header("Cache-Control", isAsset ? IMMUTABLE : SHORT);
        return c.body(body, 200, { "Content-Type": file.type });
      }
    }
    // A missing hashed file is an old build's: answering with HTML would break the page quietly.
    if (isAsset) return notFound();
    const html = Bun.file(index);
    // The build is replaced in place by `vite build`: for that moment, say so rather than 500.
    if (!(await html.exists())) return c.json({ error: "The web app is being rebuilt" }, 503);
    c.header("Cache-Control", REVALIDATE);
    return c.html(await html.text());
  });
  return spa;
}
