import { z } from "zod";
import { buyerInput, buyerRefInput, checkoutFields } from "./checkout.ts";
import { buyerCodeInput } from "./codes.ts";
import { admissionTokenSchema } from "./room.ts";
import { cursorSchema, idSchema as id, singleLine } from "./text.ts";

export const itemsSchema = z
  .array(z.object({ ticketTypeId: id, quantity: z.number().int().min(1).max(100) }))
  .min(1)
  .max(50);

export const seatIdsSchema = z.array(id).min(1).max(100);

export const paymentSchema = z.object({
  method: z.literal("mock"),
  token: singleLine(0, 200).optional(),
});

export const idempotencyKeySchema = singleLine(1, 200);

export const holdInput = z
  .object({
    eventId: id,
    items: itemsSchema.optional(),
    seatIds: seatIdsSchema.optional(),
    idempotencyKey: idempotencyKeySchema.optional(),
    /** Signed out: who buys as a guest (signed in: refused, the account buys). */
    buyer: buyerInput.optional(),
    /** A promo or access code as typed (docs/API.md "codes"). */
    code: buyerCodeInput.optional(),
    /** While the event's on-sale room is in use (docs/API.md "room"). */
    admissionToken: admissionTokenSchema.optional(),
  })
  .refine((v) => v.items !== undefined || v.seatIds !== undefined, {
    message: "Choose ticket types (items) or seats (seatIds)",
    path: ["items"],
  });

export const holdIdInput = z.object({ holdId: id, buyer: buyerRefInput.optional() });

/** `bookings.myHolds`: the caller's live holds, of one event or of all. */
export const myHoldsInput = z.object({ eventId: id.optional() }).default({});

export const confirmInput = z.object({
  holdId: id,
  idempotencyKey: idempotencyKeySchema.optional(),
  payment: paymentSchema.optional(),
  buyer: buyerInput.optional(),
  ...checkoutFields,
});

export const bookInput = z
  .object({
    eventId: id,
    items: itemsSchema.optional(),
    seatIds: seatIdsSchema.optional(),
    joinWaitlist: z.boolean().optional(),
    idempotencyKey: idempotencyKeySchema.optional(),
    payment: paymentSchema.optional(),
    buyer: buyerInput.optional(),
    code: buyerCodeInput.optional(),
    admissionToken: admissionTokenSchema.optional(),
    ...checkoutFields,
  })
  .refine((v) => v.items !== undefined || v.seatIds !== undefined, {
    message: "Choose ticket types (items) or seats (seatIds)",
    path: ["items"],
  });

export const bookingIdInput = z.object({ bookingId: id });

export const pageInput = z.object({
  cursor: cursorSchema().optional(),
  limit: z.number().int().min(1).max(100).default(20),
});

export const eventPageInput = pageInput.extend({ eventId: id });
