/**
 * room-crash.test.ts's victim: a process that runs an on-sale room through the real decider and
 * the group-commit writer (synchronous=FULL) and prints `ack <n>` once the n-th batch committed,
 * until it is killed with SIGKILL. `roomScript` is deterministic, so the test can replay it.
 *
 *   bun packages/db/src/room-crash-child.ts <database file> <event id>
 */
import {
  decide,
  type EventCommand,
  type EventEvent,
  type EventState,
  evolve,
  initialState,
} from "@boxoffice/core";
import { loadEvent } from "./event-load.ts";
import { openDb } from "./open.ts";
import { NOW, OPENS_AT, roomEntry } from "./room-fixtures.ts";
import { createGroupCommitWriter } from "./writer.ts";

const SEED = "fedcba98765432100123456789abcdef";
const EARLY_BATCHES = 10;
const PER_EARLY_BATCH = 100;

export interface ScriptStep {
  readonly events: readonly EventEvent[];
  /** The instant of the batch: a load at it cuts the rate window where the actor's was. */
  readonly now: number;
  readonly state: EventState;
}

const enter = (n: number): EventCommand => {
  const { id, userId, personKey } = roomEntry(n);
  return { type: "EnterRoom", entryId: id, userId, personKey };
};

/** The b-th batch's commands: 1,000 arrive, the draw (ten absent), then ticks and late arrivals. */
function commandsOf(b: number, state: EventState): { now: number; commands: EventCommand[] } {
  if (b < EARLY_BATCHES) {
    const first = b * PER_EARLY_BATCH + 1;
    const ns = Array.from({ length: PER_EARLY_BATCH }, (_, i) => first + i);
    return { now: NOW + b * 1_000, commands: ns.map(enter) };
  }
  if (b === EARLY_BATCHES) {
    const absent = Array.from({ length: 10 }, (_, i) => roomEntry(i * 7 + 1).id);
    return { now: OPENS_AT, commands: [{ type: "Tick", seed: SEED, absent }] };
  }
  const k = b - EARLY_BATCHES;
  const now = OPENS_AT + k * 1_000;
  if (k % 2 === 1) return { now, commands: [{ type: "Tick", absent: [] }] };
  // Late arrivals, and an admitted guest spending their token on a hold.
  const late = EARLY_BATCHES * PER_EARLY_BATCH + k * 3;
  const commands = [enter(late), enter(late + 1), enter(late + 2)];
  const guest = [...state.room.admitted.values()].find((e) => e.userId.startsWith("guest:"));
  if (guest) {
    const { userId, personKey } = guest;
    const items = [{ ticketTypeId: `${state.config.id}-ga`, quantity: 1 }];
    const hold = { holdId: `hld_${b}`, userId, personKey, items, seatIds: [] };
    commands.push({ type: "PlaceHold", ...hold, admission: guest.id });
  }
  return { now, commands };
}

/** The room's batches as the actor would decide them, with the state after each. */
export function* roomScript(start: EventState, batches: number): Generator<ScriptStep> {
  let state = start;
  for (let b = 0; b < batches; b += 1) {
    const { now, commands } = commandsOf(b, state);
    const events: EventEvent[] = [];
    for (const command of commands) {
      const decision = decide(state, command, now);
      if (decision.reply instanceof Error) throw decision.reply;
      state = decision.events.reduce(evolve, state);
      events.push(...decision.events);
    }
    yield { events, now, state };
  }
}

if (import.meta.main) {
  const [path, eventId] = process.argv.slice(2);
  if (!path || !eventId) throw new Error("Usage: room-crash-child.ts <database file> <event id>");
  const db = openDb(path);
  const loaded = loadEvent(db, eventId, NOW);
  if (!loaded) throw new Error(`No event ${eventId}`);
  const writer = createGroupCommitWriter(db);
  let n = 0;
  for (const step of roomScript(initialState(loaded), 100_000)) {
    if (step.events.length > 0) await writer.commit(eventId, step.events);
    n += 1;
    process.stdout.write(`ack ${n}\n`);
  }
}
