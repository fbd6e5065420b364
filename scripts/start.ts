/**
 * `bun start`: builds the web app when apps/web/dist is missing or older than its sources, then
 * runs the server, which serves it. `bun run dev` (`--dev`): the server restarting on changes
 * plus Vite's dev server with hot reload, proxying the server's paths to it, and the mail
 * preview at /dev/mail.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { missingRuntimeSettings } from "../apps/server/src/runtime-settings.ts";

const root = resolve(import.meta.dir, "..");
const web = join(root, "apps/web");
const builtIndex = join(web, "dist/index.html");

/** What the build is made of; the browser tests (src/e2e) and unit tests are not. */
const sources = ["src", "public", "index.html", "vite.config.ts", "package.json"];
const ignored = (name: string) => name === "e2e" || name.endsWith(".test.ts");

function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (!ignored(entry)) newest = Math.max(newest, newestChange(join(path, entry)));
  }
  return newest;
}

export function webBuildIsStale(): boolean {
  if (!existsSync(builtIndex)) return true;
  const built = statSync(builtIndex).mtimeMs;
  const changed = Math.max(
    ...sources.map((s) => newestChange(join(web, s))),
    newestChange(join(root, "bun.lock")),
  );
  return changed > built;
}

function buildWeb(): void {
  console.log("Building the web app (apps/web/dist is missing or older than its sources)…");
  const build = Bun.spawnSync(["bun", "x", "vite", "build", "--logLevel", "warn"], {
    cwd: web,
    stdout: "inherit",
    stderr: "inherit",
  });
  if (build.exitCode !== 0) {
    console.error("The web app did not build; see above.");
    process.exit(build.exitCode ?? 1);
  }
}

function dev(): void {
  const server = Bun.spawn(["bun", "--watch", join(root, "apps/server/src/main.ts")], {
    cwd: root,
    stdio: ["inherit", "inherit", "inherit"],
    // The mail preview at /dev/mail: every kind of mail, rendered from sample data. The runtime
    // settings given here spare the server starting itself again under the watcher.
    env: {
      ...process.env,
      ...missingRuntimeSettings(process.env),
      MAIL_PREVIEW: process.env.MAIL_PREVIEW ?? "1",
    },
  });
  const vite = Bun.spawn(["bun", "x", "vite"], {
    cwd: web,
    stdio: ["inherit", "inherit", "inherit"],
  });
  const children = [server, vite];
  const stop = () => {
    for (const child of children) child.kill("SIGTERM");
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  // One of them ending (a crash, or Ctrl-C) ends both.
  Promise.race(children.map((c) => c.exited)).then((code) => {
    stop();
    process.exit(code);
  });
}

if (import.meta.main) {
  if (process.argv.includes("--dev")) {
    dev();
  } else {
    if (webBuildIsStale()) buildWeb();
    await import("../apps/server/src/main.ts");
  }
}
