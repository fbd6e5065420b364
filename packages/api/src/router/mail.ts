/** The mail router (docs/API.md "mail"): broadcasts, organizer notice settings, unsubscribing. */
import { createTRPCRouter } from "../trpc.ts";

export const mailRouter = createTRPCRouter({});
