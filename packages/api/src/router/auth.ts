import { createTRPCRouter } from "../trpc.ts";

export const authRouter = createTRPCRouter({});
