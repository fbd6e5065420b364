import { analyticsRouter } from "./router/analytics.ts";
import { authRouter } from "./router/auth.ts";
import { bookingsRouter } from "./router/bookings.ts";
import { checkinRouter } from "./router/checkin.ts";
import { codesRouter } from "./router/codes.ts";
import { eventsRouter } from "./router/events.ts";
import { mailRouter } from "./router/mail.ts";
import { ordersRouter } from "./router/orders.ts";
import { roomRouter } from "./router/room.ts";
import { systemRouter } from "./router/system.ts";
import { usersRouter } from "./router/users.ts";
import { venuesRouter } from "./router/venues.ts";
import { waitlistRouter } from "./router/waitlist.ts";
import { walletRouter } from "./router/wallet.ts";
import { createCallerFactory, createTRPCRouter } from "./trpc.ts";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  users: usersRouter,
  events: eventsRouter,
  bookings: bookingsRouter,
  orders: ordersRouter,
  checkin: checkinRouter,
  analytics: analyticsRouter,
  system: systemRouter,
  waitlist: waitlistRouter,
  venues: venuesRouter,
  codes: codesRouter,
  mail: mailRouter,
  wallet: walletRouter,
  room: roomRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures without HTTP: for tests and scripts that share the process. */
export const createCaller = createCallerFactory(appRouter);
