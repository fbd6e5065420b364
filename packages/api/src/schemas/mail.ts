/**
 * Inputs of the mail router (docs/API.md "mail"): an organizer's broadcasts to attendees, their
 * notice preferences, and unsubscribing. Plain zod, shared with the web app's forms.
 */
import { z } from "zod";
import { MAX_TICKET_TYPES } from "./events.ts";
import { idSchema as id, multiLine, singleLine } from "./text.ts";

export const BROADCAST_SUBJECT_MAX = 200;
export const BROADCAST_BODY_MAX = 20_000;

/** Who a broadcast goes to: every attendee, or those holding tickets of some types. */
export const broadcastAudience = z.union([
  z.literal("all"),
  z.array(id).min(1, "Choose at least one ticket type").max(MAX_TICKET_TYPES),
]);

export const broadcastInput = z.object({
  eventId: id,
  subject: singleLine(1, BROADCAST_SUBJECT_MAX),
  /** Plain text; blank lines separate paragraphs, and URLs become links. */
  body: multiLine(BROADCAST_BODY_MAX).refine((b) => b.trim().length > 0, "Write a message"),
  to: broadcastAudience,
});

export type BroadcastInput = z.infer<typeof broadcastInput>;

export const broadcastsInput = z.object({ eventId: id });

export const mailSettingsInput = z.object({
  saleDigest: z.enum(["daily", "off"]).optional(),
  soldOut: z.boolean().optional(),
  waitlistGrowing: z.boolean().optional(),
  refundFailed: z.boolean().optional(),
});

export type MailSettingsInput = z.infer<typeof mailSettingsInput>;

/** An unsubscribe link's secret, as it came in the URL. */
export const unsubscribeInput = z.object({ token: singleLine(1, 128) });
