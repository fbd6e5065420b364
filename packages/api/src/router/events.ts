import { createTRPCRouter } from "../trpc.ts";

export const eventsRouter = createTRPCRouter({});
