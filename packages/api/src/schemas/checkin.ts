import { normalizeTicketCode, spacedTicketCode } from "@boxoffice/core";
import { z } from "zod";
import { CONTROL_CHARACTERS, idSchema as id, isSingleLine } from "./text.ts";

/**
 * What door staff type or a scanner reads, in the form codes are stored (core's rule: capitals, no
 * spaces or dashes, 1 and L read as I; docs/API.md "checkin").
 */
/** A ticket code grouped by four where people see it (core's rule, shared with mails). */
export { normalizeTicketCode, spacedTicketCode };

// Trimmed before the control-character check: a scanner ends what it types with Enter or Tab.
export const ticketCode = z
  .string()
  .max(200)
  .trim()
  .refine(isSingleLine, CONTROL_CHARACTERS)
  .transform(normalizeTicketCode)
  .pipe(z.string().min(1, "Enter a ticket code"));

export const scanInput = z.object({ eventId: id, code: ticketCode });

export const checkinEventInput = z.object({ eventId: id });
