export type { RenderedMail as Mail } from "@boxoffice/mail";
export { formatInstant, formatMoney } from "@boxoffice/mail";
export { organizerEvent, visibleBooking } from "./access.ts";
export { hashPassword } from "./auth/password.ts";
export type { AuthSession, PublicUser, Role, SessionStore } from "./auth/session.ts";
export { createSessionStore } from "./auth/session.ts";
export type { RequestInfo } from "./context.ts";
export { createContextFactory, SESSION_COOKIE, sessionTokenOf } from "./context.ts";
export type { ErrorExtras } from "./errors.ts";
export type { Logger } from "./logger.ts";
export { createLogger } from "./logger.ts";
export type { DispatcherTimings } from "./mail/dispatcher.ts";
export { MailDispatcher } from "./mail/dispatcher.ts";
export type { MailConfig, MailTransport } from "./mail/transports.ts";
export type { AppRouter } from "./root.ts";
export { appRouter, createCaller } from "./root.ts";
export type { MailOptions, RunningServices, ServiceOptions } from "./services.ts";
export { createServices } from "./services.ts";
export type { ApiConfig, Context, Limits, Services } from "./trpc.ts";
export { DEFAULT_LIMITS, eventOrganizerInput } from "./trpc.ts";
export {
  PKPASS_TYPE,
  walletPassesFor,
  walletPassOf,
  walletTokenMatches,
} from "./wallet.ts";
