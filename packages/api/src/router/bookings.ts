import { createTRPCRouter } from "../trpc.ts";

export const bookingsRouter = createTRPCRouter({});
