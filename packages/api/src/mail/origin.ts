import type { ApiConfig } from "../trpc.ts";

/**
 * Where links in mails point: PUBLIC_ORIGIN, else the address the server listens on. Never a
 * request's Host header.
 */
export const mailOrigin = (config: ApiConfig): string =>
  config.publicOrigin ?? config.listenOrigin?.() ?? "http://localhost:3000";
