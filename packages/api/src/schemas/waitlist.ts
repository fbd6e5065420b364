/** Inputs of the waitlist router (plain zod, shared with the web app's forms). */
import { z } from "zod";
import { cursorSchema, idSchema as id } from "./text.ts";

export const joinWaitlistInput = z.object({
  eventId: id,
  ticketTypeId: id.optional(),
  quantity: z.number().int().min(1).max(100).default(1),
});

export const waitlistEventInput = z.object({ eventId: id });

export const waitlistEntryStates = ["waiting", "offered", "converted", "expired", "left"] as const;

/** The organizer's full history: every entry ever, optionally of one state, a page at a time. */
export const waitlistHistoryInput = z.object({
  eventId: id,
  state: z.enum(waitlistEntryStates).optional(),
  cursor: cursorSchema().optional(),
  limit: z.number().int().min(1).max(100).default(20),
});

export type JoinWaitlistInput = z.infer<typeof joinWaitlistInput>;
