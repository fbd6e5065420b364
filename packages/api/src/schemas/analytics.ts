/** Inputs of the analytics router (plain zod, shared with the web app). */
import { z } from "zod";
import { idSchema as id } from "./text.ts";

/** An admin narrows the totals to one organizer; an organizer sees only their own. */
export const overviewInput = z.object({ organizerId: id.optional() }).default({});

export type OverviewInput = z.infer<typeof overviewInput>;
