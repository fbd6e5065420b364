/**
 * Settings of Bun's runtime that it reads only as the process starts: JavaScriptCore's options,
 * from `BUN_JSC_*` variables. The server's entry (main.ts) starts the process again, same pid and
 * same command line, with the ones it wants that the environment leaves unset, before it loads
 * anything else. A value the operator set always wins, so `BUN_JSC_useWarmUpMarkedBlocks=1`
 * keeps Bun's default.
 *
 * No imports: this runs before the server's modules are loaded, so that the first start costs no
 * more than starting Bun.
 */

/**
 * `useWarmUpMarkedBlocks`: Bun's JavaScriptCore keeps a helper thread ("JSCWarmUp") making the
 * pages of 32 spare heap blocks resident ahead of the allocator. In a booking rush it faulted
 * pages in and handed them back without end: about 30 µs of CPU per booking on this 2-core
 * machine (a tenth of a core at 3,500 bookings a second), taken from the request thread and the
 * writer. See README, Performance ("The runtime's helper threads").
 */
export const RUNTIME_SETTINGS: Readonly<Record<string, string>> = {
  BUN_JSC_useWarmUpMarkedBlocks: "0",
};

/**
 * The Bun releases known to accept every one of RUNTIME_SETTINGS (runtime-settings.test.ts tries
 * them on the Bun it runs on): on these no trial start is needed.
 */
const ACCEPTED_BY = new Set(["1.4.5"]);

/** Bun's flags for a profiler or debugger, under which the process is not started again. */
const PROFILING = /^--(cpu-prof|heap-prof|inspect)/;

/** Set in the environment of the process started again. */
const STARTED_AGAIN = "BOXOFFICE_STARTED_AGAIN";

/** The settings `env` leaves unset, with the value the server wants. */
export function missingRuntimeSettings(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(RUNTIME_SETTINGS).filter(([name]) => env[name] === undefined),
  );
}

/**
 * Those of `settings` this Bun accepts. Bun refuses to start at all on a `BUN_JSC_*` option it
 * does not know, and its options change between releases without notice: on a release not in
 * ACCEPTED_BY, each is tried on a throwaway `bun -e 0` first (some 30 ms), so that an upgrade that
 * drops one costs the setting, never the server.
 */
export function acceptedByBun(settings: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(settings).filter(([name, value]) => {
      const trial = Bun.spawnSync([process.execPath, "-e", "0"], {
        env: { ...process.env, [name]: value },
        stdout: "ignore",
        stderr: "ignore",
      });
      return trial.exitCode === 0;
    }),
  );
}

/**
 * Starts this process again with the missing settings (`execve`: the same pid, so whatever
 * watches it, a service manager or `kill -9`, still has it); returns when none is missing, or
 * when none can be applied (the server then runs on Bun's defaults, and says so).
 */
export function startWithRuntimeSettings(): void {
  const missing = missingRuntimeSettings(process.env);
  if (Object.keys(missing).length === 0) return;
  // Started again already, and still missing them: never a loop, whatever the platform did.
  if (process.env[STARTED_AGAIN]) return;
  if (process.execArgv.some((flag) => PROFILING.test(flag))) {
    // The sampling profiler suspends this thread with a signal; one pending at the new start
    // would end the process there (SIGPWR, seen in 3 of 5 tries). Set them in the environment.
    console.warn(
      `Profiling: runtime settings left at Bun's defaults (set ${Object.keys(missing).join(", ")} in the environment)`,
    );
    return;
  }
  const settings = ACCEPTED_BY.has(Bun.version) ? missing : acceptedByBun(missing);
  const refused = Object.keys(missing).filter((name) => !(name in settings));
  if (refused.length > 0) {
    console.warn(`Bun ${Bun.version} does not accept ${refused.join(", ")}: left at its default`);
  }
  if (Object.keys(settings).length === 0) return;
  const execve = process.execve;
  if (!execve) {
    console.warn("Runtime settings not applied (no process.execve in this Bun): Bun's defaults");
    return;
  }
  const args = [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  execve.call(process, process.execPath, args, {
    ...process.env,
    ...settings,
    [STARTED_AGAIN]: "1",
  });
}
