import { createTRPCRouter } from "../trpc.ts";

export const usersRouter = createTRPCRouter({});
