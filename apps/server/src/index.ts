export { createApp } from "./app.ts";
export type { ServerConfig } from "./env.ts";
export { ConfigError, loadConfig } from "./env.ts";
export type { RunningServer } from "./server.ts";
export { startServer } from "./server.ts";
