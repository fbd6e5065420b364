import { afterEach, beforeEach, expect, it } from "bun:test";
import { join } from "node:path";
import { initialState } from "@boxoffice/core";
import { loadEvent } from "./event-load.ts";
import { closeDb, type Db, openDb } from "./open.ts";
import { roomScript, type ScriptStep } from "./room-crash-child.ts";
import { createRoomEvent, NOW, roomView, roomViewAt } from "./room-fixtures.ts";
import { openTestDb, type TestDb } from "./testing.ts";

const CHILD = join(import.meta.dir, "room-crash-child.ts");
/** Batches acknowledged before the kill: past the draw, into admissions and spent tokens. */
const KILL_AFTER = 60;

let testDb: TestDb;
let db: Db;

beforeEach(() => {
  testDb = openTestDb();
  db = testDb.db;
});

afterEach(() => testDb.close());

/** Runs the child until it acknowledged `acks` batches, then SIGKILLs it; the acks it printed. */
async function runAndKill(path: string, eventId: string, acks: number): Promise<number> {
  const child = Bun.spawn(["bun", CHILD, path, eventId], { stdout: "pipe", stderr: "inherit" });
  const decoder = new TextDecoder();
  let seen = 0;
  let text = "";
  const reader = child.stdout.getReader();
  try {
    while (seen < acks) {
      const { done, value } = await reader.read();
      if (done) throw new Error("The child stopped before it was killed");
      text += decoder.decode(value);
      const lines = text.split("\n");
      text = lines.pop() ?? "";
      seen += lines.filter((line) => line.startsWith("ack ")).length;
    }
  } finally {
    // Also when reading failed: the child never outlives the test.
    child.kill("SIGKILL");
  }
  await child.exited;
  expect(child.signalCode).toBe("SIGKILL");
  return seen;
}

it("reloads after a kill -9 exactly the room of the batches committed, every acknowledged one included", async () => {
  createRoomEvent(db, "ev");
  const loaded = loadEvent(db, "ev", NOW);
  if (!loaded) throw new Error("no event");
  const path = db.$client.name;
  const acked = await runAndKill(path, "ev", KILL_AFTER);
  const fresh = openDb(path);
  try {
    const reloadedAt = (now: number) => {
      const event = loadEvent(fresh, "ev", now);
      if (!event) throw new Error("no event");
      return roomView(initialState(event).room);
    };
    // The killed process had committed at least what it acknowledged; find which prefix it was.
    const steps: ScriptStep[] = [...roomScript(initialState(loaded), acked + 200)];
    const match = steps.findIndex(
      (step, i) =>
        i + 1 >= acked && Bun.deepEquals(reloadedAt(step.now), roomViewAt(step.state, step.now)),
    );
    expect(match + 1).toBeGreaterThanOrEqual(acked);
    const { state, now } = steps[match] as ScriptStep;
    expect(reloadedAt(now)).toEqual(roomViewAt(state, now));
    // The script got past the draw and spent tokens, so the reload had all of that to get right.
    expect(state.room.drawnAt).not.toBeNull();
    expect(state.room.admittedTotal).toBeGreaterThan(0);
    const spent = fresh.$client
      .prepare<[], { n: number }>("select count(*) n from room_entries where state = 'spent'")
      .get();
    expect(spent?.n).toBeGreaterThan(0);
  } finally {
    closeDb(fresh);
  }
}, 30_000);
