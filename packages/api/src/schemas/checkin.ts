import { z } from "zod";

const id = z.string().trim().min(1).max(64);

/**
 * What door staff type or a scanner reads, in the form codes are stored: capitals, no spaces or
 * dashes (people group long codes when they type them: "ABCD-EFGH-...").
 */
export const normalizeTicketCode = (code: string) =>
  code
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, "");

export const ticketCode = z
  .string()
  .max(200)
  .transform(normalizeTicketCode)
  .pipe(z.string().min(1, "Enter a ticket code"));

export const scanInput = z.object({ eventId: id, code: ticketCode });

export const checkinEventInput = z.object({ eventId: id });
