/** Inputs of the on-sale room (docs/API.md "room"), shared with the web app. */
import { z } from "zod";
import { emailSchema } from "./auth.ts";
import { onSaleRoomInput } from "./events.ts";
import { idSchema as id, singleLine } from "./text.ts";

/** The organizer's settings (`onSaleRoom`), defined beside the event's other fields. */
export { onSaleRoomInput };

export const roomEventInput = z.object({ eventId: id });

/** The widget's payload: base64 of `{challenge, solution}` JSON. */
export const roomSolution = z
  .string()
  .min(1, "Solve the challenge first")
  .max(8_000)
  .regex(/^[A-Za-z0-9+/=_-]+$/, "Not a challenge solution");

export const enterRoomInput = z.object({
  eventId: id,
  solution: roomSolution,
  /** A guest's address (required signed out), as at checkout. */
  email: emailSchema.optional(),
});

export const roomPositionInput = z.object({
  eventId: id,
  /** From `room.enter`: finds a guest's entry (an account's is found by the account). */
  entryKey: singleLine(1, 200).optional(),
});

export const admissionTokenSchema = singleLine(1, 500);

export type OnSaleRoomInput = z.infer<typeof onSaleRoomInput>;
export type EnterRoomInput = z.infer<typeof enterRoomInput>;
export type RoomPositionInput = z.infer<typeof roomPositionInput>;
