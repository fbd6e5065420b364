/**
 * Child processes under test: the real server (`apps/server/src/main.ts`) and the bare Bun.serve.
 * Each prints "... is listening on http://host:port"; start() resolves once that line is seen.
 */
import { resolve } from "node:path";
import { missingRuntimeSettings } from "../../apps/server/src/runtime-settings.ts";
import { GC_HEAP_LINE } from "./gc-line.ts";
import { cpuSecondsOf } from "./wrk.ts";

const root = resolve(import.meta.dir, "../..");
const serverEntry = resolve(root, "apps/server/src/main.ts");
const bareEntry = resolve(import.meta.dir, "bare-server.ts");
const gcServerEntry = resolve(import.meta.dir, "gc-server.ts");

export interface Health {
  status: string;
  actors: number;
  memory: { rss: number; heapUsed: number };
}

export interface Child {
  readonly url: string;
  readonly pid: number;
  /** performance.now() when the process was spawned and when it said it listens. */
  readonly spawnedAt: number;
  readonly listeningAt: number;
  health(): Promise<Health>;
  /**
   * /healthz after a full garbage collection and `settleMs`, with `heapUsed` as the collection
   * left it (servers started with `collectOnSignal` only: the signal would stop any other).
   */
  collectedHealth(settleMs?: number): Promise<Health>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  readonly databasePath: string;
  readonly groupCommit?: boolean;
  /** A folder for `bun --cpu-prof-md` output, or null. */
  readonly cpuProfDir?: string | null;
  /** Called as soon as the URL is known, before start() resolves (for the restart timing). */
  readonly onListening?: (url: string) => void;
  /** Run the server through gc-server.ts, which collects garbage on SIGUSR2 (memory readings). */
  readonly collectOnSignal?: boolean;
}

/** Starts the real server on a free port with durable, quiet settings. */
export function startServer(options: ServerOptions): Promise<Child> {
  const prof = options.cpuProfDir
    ? ["--cpu-prof-md", `--cpu-prof-dir=${options.cpuProfDir}`, "--cpu-prof-interval=500"]
    : [];
  return spawnChild(
    [...prof, options.collectOnSignal ? gcServerEntry : serverEntry],
    {
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_PATH: options.databasePath,
      DB_SYNCHRONOUS: "FULL",
      LOG_REQUESTS: "0",
      RATE_LIMIT_AUTH_PER_MINUTE: "1000000",
      GROUP_COMMIT: options.groupCommit === false ? "0" : "1",
      BOOTSTRAP_ADMIN_EMAIL: "",
      BOOTSTRAP_ADMIN_PASSWORD: "",
      PUBLIC_ORIGIN: "",
      // A profiled server is not started again with the runtime settings (a pending profiler
      // signal would end it): it gets them here, so it measures what an unprofiled one does.
      ...(options.cpuProfDir ? missingRuntimeSettings(process.env) : {}),
    },
    options.onListening,
    options.collectOnSignal === true,
  );
}

export function startBareServer(): Promise<Child> {
  return spawnChild([bareEntry], {});
}

const listening = /listening on (http:\/\/[^\s]+)/;

async function spawnChild(
  args: string[],
  env: Record<string, string>,
  onListening?: (url: string) => void,
  collectsOnSignal = false,
): Promise<Child> {
  const spawnedAt = performance.now();
  const proc = Bun.spawn([process.execPath, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const tail: string[] = [];
  const remember = (line: string) => {
    tail.push(line);
    if (tail.length > 30) tail.shift();
  };
  void drain(proc.stderr, remember);
  /** Waiting for gc-server.ts to say the heap after the collections it was signalled for. */
  let collected: ((heapUsed: number) => void) | null = null;
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(failure("did not start within 60 s")), 60_000);
    void drain(proc.stdout, (line) => {
      if (line.startsWith(GC_HEAP_LINE)) {
        collected?.(Number(line.slice(GC_HEAP_LINE.length)));
        collected = null;
        return;
      }
      remember(line);
      const match = listening.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        onListening?.(match[1]);
        resolveUrl(match[1]);
      }
    });
    void proc.exited.then((code) => {
      clearTimeout(timer);
      reject(failure(`exited with ${code} before listening`));
    });
  });
  const listeningAt = performance.now();

  function failure(what: string): Error {
    return new Error(`${args.at(-1)} ${what}:\n${tail.join("\n")}`);
  }

  return {
    url,
    pid: proc.pid,
    spawnedAt,
    listeningAt,
    async health() {
      const response = await fetch(`${url}/healthz`);
      return (await response.json()) as Health;
    },
    async collectedHealth(settleMs = 1_000) {
      if (!collectsOnSignal) throw new Error("This child was not started with collectOnSignal");
      const heap = new Promise<number>((resolveHeap, reject) => {
        const timer = setTimeout(() => reject(failure("said no heap 10 s after SIGUSR2")), 10_000);
        collected = (heapUsed) => {
          clearTimeout(timer);
          resolveHeap(heapUsed);
        };
      });
      proc.kill("SIGUSR2");
      const heapUsed = await heap;
      await Bun.sleep(settleMs);
      const response = await fetch(`${url}/healthz`);
      const health = (await response.json()) as Health;
      // RSS once the allocator has had `settleMs` to hand freed pages back; the heap as the
      // collections left it (by then timers and requests have allocated more).
      return { ...health, memory: { ...health.memory, heapUsed } };
    },
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill("SIGTERM");
      const exited = await Promise.race([
        proc.exited.then(() => true),
        Bun.sleep(20_000).then(() => false),
      ]);
      if (!exited) {
        proc.kill("SIGKILL");
        await proc.exited;
      }
    },
  };
}

/** Reads a child's output line by line, so the pipe never fills up and blocks it. */
async function drain(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void) {
  const decoder = new TextDecoder();
  let buffered = "";
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let newline = buffered.indexOf("\n");
    while (newline >= 0) {
      onLine(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf("\n");
    }
  }
  if (buffered) onLine(buffered);
}

/**
 * Resolves once the process has used less than `idleCores` of a core over `windowMs` (it has
 * finished what it was doing in the background: rendering mail, checkpointing), or after
 * `maxMs` whatever it is doing. Without /proc it resolves at once.
 */
export async function untilIdle(
  pid: number,
  { idleCores = 0.05, windowMs = 500, maxMs = 20_000 } = {},
): Promise<void> {
  const deadline = performance.now() + maxMs;
  while (performance.now() < deadline) {
    const before = await cpuSecondsOf(pid);
    await Bun.sleep(windowMs);
    const after = await cpuSecondsOf(pid);
    if (before === null || after === null) return;
    if ((after - before) / (windowMs / 1000) < idleCores) return;
  }
}
