import { authRouter } from "./router/auth.ts";
import { bookingsRouter } from "./router/bookings.ts";
import { eventsRouter } from "./router/events.ts";
import { systemRouter } from "./router/system.ts";
import { usersRouter } from "./router/users.ts";
import { createCallerFactory, createTRPCRouter } from "./trpc.ts";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  users: usersRouter,
  events: eventsRouter,
  bookings: bookingsRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures without HTTP: for tests and scripts that share the process. */
export const createCaller = createCallerFactory(appRouter);
