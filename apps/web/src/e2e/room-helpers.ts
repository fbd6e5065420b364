/**
 * The on-sale room from a script, for browser tests that need more people in the room than
 * browsers: solve the room's challenge with altcha-lib (as README "On-sale room" tells scripts
 * to) and enter through the typed client.
 */
import { type Client, roomSolution } from "@boxoffice/client";

/** Enters `eventId`'s room as the client's account, or as a guest with `email`. */
export async function enterRoom(client: Client, eventId: string, email?: string) {
  const challenge = await client.room.challenge.query({ eventId });
  return client.room.enter.mutate({
    eventId,
    solution: await roomSolution(challenge),
    ...(email ? { email } : {}),
  });
}

/** Polls `check` every 100 ms until it passes (the room moves on the actor's own timer). */
export async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("the room did not get there in time");
    await Bun.sleep(100);
  }
}
