/**
 * The server's entry point (`bun start` and the bench import it; the HTTP tests spawn it). It sets
 * the runtime settings Bun reads only at start (runtime-settings.ts), starting the process again
 * if it must, before it loads the server: hence the dynamic import.
 */
import { startWithRuntimeSettings } from "./runtime-settings.ts";

startWithRuntimeSettings();
await import("./run.ts");
