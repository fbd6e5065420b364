/**
 * The server itself, loaded by main.ts once the runtime settings are in place: reads the
 * configuration (a bad value stops it with a message naming the variable), listens, and on
 * SIGTERM or SIGINT finishes in-flight work before it exits (a second signal exits at once).
 */
import { ConfigError, loadConfig } from "./env.ts";
import { startServer } from "./server.ts";

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const server = await startServer(config);
console.log(`Boxoffice is listening on ${server.url} (database ${config.databasePath})`);

let signals = 0;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    signals += 1;
    if (signals > 1) process.exit(1);
    console.log(`${signal}: finishing in-flight work, then stopping`);
    server.stop().then(
      () => process.exit(0),
      (error) => {
        console.error("shutdown failed", error);
        process.exit(1);
      },
    );
  });
}
