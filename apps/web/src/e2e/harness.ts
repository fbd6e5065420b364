/**
 * Browser tests: the real server on a fresh database serving the built app, driven in real
 * headless Chromium (Debian's, through playwright-core). One server and browser per test file,
 * one fresh browser context (cookies, storage) per scenario.
 */

import { expect } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
// The server app's test helpers (its `./testing` export): tests only, never the app's bundle.
import { type OffsetClock, startTestServer, type TestServer } from "@boxoffice/server/testing";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

const webDir = resolve(import.meta.dir, "../..");
const screenshotsDir = resolve(webDir, "../../docs/screenshots");
/** Set BOXOFFICE_SCREENSHOTS=1 to refresh docs/screenshots (committed; CI leaves them alone). */
const writeScreenshots = Bun.env.BOXOFFICE_SCREENSHOTS === "1";
const chromiumPath = Bun.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const ADMIN = { email: "admin@example.test", password: "admin password 1" };
export const PASSWORD = "correct horse battery";

const globalState = globalThis as { __boxofficeWebDist?: string };

/**
 * Builds the app from the current sources once per test process, into a folder of its own: a
 * `bun start` or another test run rebuilding apps/web/dist meanwhile cannot pull it away.
 */
export function buildWebOnce(): string {
  if (globalState.__boxofficeWebDist) return globalState.__boxofficeWebDist;
  const outDir = mkdtempSync(join(tmpdir(), "boxoffice-web-"));
  const build = Bun.spawnSync(
    ["bun", "x", "vite", "build", "--logLevel", "error", "--outDir", outDir],
    // bun test sets NODE_ENV=test, which would make Vite bundle React's development build.
    { cwd: webDir, stdout: "pipe", stderr: "pipe", env: { ...Bun.env, NODE_ENV: "production" } },
  );
  if (build.exitCode !== 0) {
    throw new Error(`vite build failed:\n${build.stdout.toString()}\n${build.stderr.toString()}`);
  }
  globalState.__boxofficeWebDist = outDir;
  process.on("exit", () => rmSync(outDir, { recursive: true, force: true }));
  return outDir;
}

/** A user registered over HTTP: their token, id, email and a client acting as them. */
export type Account = Awaited<ReturnType<TestServer["register"]>>;

export interface Tab {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Console errors and uncaught exceptions seen so far. */
  readonly errors: string[];
}

export interface Harness {
  readonly server: TestServer;
  readonly url: string;
  readonly browser: Browser;
  /** A fresh context and page; with `token`, signed in through the session cookie. */
  open(options?: {
    token?: string;
    width?: number;
    height?: number;
    /** The browser's time zone (IANA), e.g. "America/Los_Angeles"; the machine's by default. */
    timezoneId?: string;
  }): Promise<Tab>;
  close(): Promise<void>;
}

/**
 * `env`: server settings beyond the defaults, e.g. `{ORGANIZER_SIGNUP: "approval"}`; `clock`: a
 * clock the test moves (an `OffsetClock`), e.g. to let offers expire.
 */
export async function startHarness(
  env: Record<string, string> = {},
  options: { clock?: OffsetClock } = {},
): Promise<Harness> {
  const webDist = buildWebOnce();
  const server = await startTestServer(
    { BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password, ...env },
    { webDist, clock: options.clock },
  );
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  const tabs: Tab[] = [];
  return {
    server,
    url: server.url,
    browser,
    async open(options = {}) {
      const context = await browser.newContext({
        baseURL: server.url,
        viewport: { width: options.width ?? 1280, height: options.height ?? 860 },
        ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
      });
      if (options.token) {
        await context.addCookies([{ name: "session", value: options.token, url: server.url }]);
      }
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const errors: string[] = [];
      page.on("console", (msg) => {
        if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
      });
      page.on("pageerror", (error) => errors.push(`page: ${error.message}`));
      const tab = { page, context, errors };
      tabs.push(tab);
      return tab;
    },
    async close() {
      for (const tab of tabs) await tab.context.close().catch(() => undefined);
      await browser.close();
      await server.stop();
    },
  };
}

/**
 * No console errors. A refusal the scenario provokes on purpose (a declined card is a 402) is
 * logged by Chromium as a failed resource load; `allowedStatuses` names those, nothing else.
 */
export function expectNoConsoleErrors(tab: Tab, allowedStatuses: number[] = []): void {
  const unexpected = tab.errors.filter((text) => {
    const status = /status of (\d{3})/.exec(text)?.[1];
    return !(status && allowedStatuses.includes(Number(status)));
  });
  expect(unexpected).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  const image = await page.screenshot({ fullPage: true });
  expect(image.byteLength).toBeGreaterThan(1000);
  if (!writeScreenshots) return;
  mkdirSync(screenshotsDir, { recursive: true });
  await Bun.write(join(screenshotsDir, `${name}.png`), image);
}

/** The URLs of the requests `page` makes from now on whose URL contains `part`. */
export function requestsTo(page: Page, part: string): string[] {
  const urls: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes(part)) urls.push(r.url());
  });
  return urls;
}

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

type Client = ReturnType<TestServer["client"]>;
type CreateEvent = Parameters<Client["events"]["create"]["mutate"]>[0];

/** A published event through the API, starting in `days` days. */
export async function publishEvent(
  organizer: Client,
  input: Partial<CreateEvent> & { title: string },
  days = 30,
) {
  const created = await organizer.events.create.mutate({
    startsAt: inDays(days),
    ticketTypes: [{ name: "General", priceCents: 2500, capacity: 50 }],
    ...input,
  } as CreateEvent);
  return organizer.events.publish.mutate({ eventId: created.id });
}

/** One axe-core finding: the rule, how bad, and the elements it found (selector: message). */
export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: string[];
}

/**
 * Runs axe-core (the npm package's own build, read from disk: nothing is fetched) on the page as
 * it is now and returns the serious and critical violations. It is evaluated through the
 * DevTools protocol, which the app's Content-Security-Policy does not govern, so the policy
 * stays on while axe looks. `exclude`: selectors of parts to leave out.
 */
export async function axeViolations(page: Page, exclude: string[] = []): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => "axe" in window))) {
    await page.evaluate(await Bun.file(require.resolve("axe-core/axe.min.js")).text());
  }
  return page.evaluate(async (excluded) => {
    type Axe = {
      run(
        context: unknown,
        options: unknown,
      ): Promise<{
        violations: {
          id: string;
          impact: string | null;
          help: string;
          nodes: { target: unknown[]; failureSummary?: string }[];
        }[];
      }>;
    };
    const axe = (window as unknown as { axe: Axe }).axe;
    const context = excluded.length > 0 ? { exclude: excluded.map((s) => [s]) } : document;
    const { violations } = await axe.run(context, { resultTypes: ["violations"] });
    return violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map(
          (n) => `${n.target.join(" ")}: ${(n.failureSummary ?? "").replace(/\s+/g, " ")}`,
        ),
      }));
  }, exclude);
}
