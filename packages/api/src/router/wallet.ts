/** The wallet router (docs/API.md "wallet"): an organizer's Apple Wallet signing set-up. */
import { createTRPCRouter } from "../trpc.ts";

export const walletRouter = createTRPCRouter({});
