/** Inputs of the waitlist router (plain zod, shared with the web app's forms). */
import { z } from "zod";
import { idSchema as id } from "./text.ts";

export const joinWaitlistInput = z.object({
  eventId: id,
  ticketTypeId: id.optional(),
  quantity: z.number().int().min(1).max(100).default(1),
});

export const waitlistEventInput = z.object({ eventId: id });

export type JoinWaitlistInput = z.infer<typeof joinWaitlistInput>;
