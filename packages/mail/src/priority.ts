import { setPriority } from "node:os";

/**
 * The mail renderer thread's nice value on Linux (19, the lowest priority): mail is rendered with
 * the CPU time that requests and commits leave over.
 */
export const RENDER_NICENESS = 19;

/**
 * Gives the calling thread the renderer's priority. Linux keeps a nice value per thread, and
 * setpriority(2) on "this process" (0) sets the calling thread's: called on the renderer's
 * thread, that thread then gets a core only when the threads that serve requests and commit
 * bookings leave one, so a backlog of confirmations never slows an on-sale. Elsewhere the call
 * would renice the whole server, so it is not made. Returns whether the priority was lowered.
 */
export function lowerThisThreadsPriority(): boolean {
  if (process.platform !== "linux") return false;
  try {
    setPriority(0, RENDER_NICENESS);
    return true;
  } catch {
    // Not permitted here (a sandbox): the thread renders at the server's priority.
    return false;
  }
}
