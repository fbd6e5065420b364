/**
 * The on-sale room as intentions (docs/API.md "room"): challenges, entering, a buyer's status
 * (once, or live), the organizer's figures, and checking an admission token on the way to a
 * hold. The decisions are core's (the event actor's); the engine brings what the pure decider
 * cannot know: secrets and signatures, the proof-of-work check, and who is still present.
 */
import {
  type EventState,
  guestPrincipal,
  InputError,
  newId,
  normalizeEmail,
  roomInUse,
} from "@boxoffice/core";
import {
  type Db,
  findEventRow,
  latestRoomEntryOf,
  type RoomEntryRow,
  roomEntryById,
  ticketTypesOf,
} from "@boxoffice/db";
import type { EventActor, EventRegistry } from "./registry.ts";
import { RoomChallenges, SOLUTION_MESSAGES } from "./room-challenge.ts";
import { RoomFeeds } from "./room-feed.ts";
import type { RoomPresence } from "./room-presence.ts";
import {
  OPEN,
  type RoomStatsView,
  type RoomStatusView,
  sameStatus,
  snapshotOf,
  statsOf,
  type Target,
} from "./room-status.ts";
import { ROOM_SECRETS, RoomTokens, roomSecret } from "./room-tokens.ts";
import type { Views } from "./views.ts";

export type { RoomStatsView, RoomStatusView } from "./room-status.ts";

/** Who enters: an account (its email is its person), or a guest by the email they give. */
export type RoomEntrant =
  | { readonly kind: "user"; readonly userId: string; readonly email: string }
  | { readonly kind: "guest"; readonly email: string };

/** Who asks for their status: an account, or a guest with the entry key `enter` gave them. */
export type RoomVisitor =
  | { readonly kind: "user"; readonly userId: string; readonly email: string }
  | { readonly kind: "guest"; readonly entryKey?: string | undefined };

/**
 * A status reader for one target: remembers what SQLite said of an ended entry, so that a live
 * stream asks the store once when its entry ends, not once per change.
 */
interface Reader {
  readonly target: Target;
  /** The live entry seen last; when it leaves the actor, the store is asked again. */
  liveId: string | null;
  ended: RoomEntryRow | null;
  asked: boolean;
}

export function createRoomFlows(deps: {
  db: Db;
  now: () => number;
  actorOf: (eventId: string) => EventActor;
  /** The actor if it is in memory (reads of a room not in use never load one). */
  peek: (eventId: string) => EventActor | undefined;
  challenges: RoomChallenges;
  tokens: RoomTokens;
  presence: RoomPresence;
  feeds: RoomFeeds;
  /** Whether an event whose actor is not in memory has nothing left to sell (from SQLite). */
  soldOutAsleep: (eventId: string) => boolean;
}) {
  const { db, now, actorOf, peek, challenges, tokens, presence, feeds } = deps;

  const targetOf = (eventId: string, visitor: RoomVisitor): Target =>
    visitor.kind === "user"
      ? { personKey: normalizeEmail(visitor.email), entryId: null }
      : {
          personKey: null,
          entryId: visitor.entryKey ? tokens.verifyEntryKey(eventId, visitor.entryKey) : null,
        };

  /** The target's latest entry as stored, once it is no longer live (ended, or never was). */
  function endedEntry(eventId: string, reader: Reader): RoomEntryRow | null {
    if (!reader.asked) {
      const { personKey, entryId } = reader.target;
      const row =
        personKey !== null
          ? latestRoomEntryOf(db, eventId, personKey)
          : entryId !== null
            ? roomEntryById(db, entryId)
            : null;
      reader.ended = row && row.eventId === eventId ? row : null;
      reader.asked = true;
    }
    return reader.ended;
  }

  const quiet = { position: null, ahead: null, estimatedWaitSeconds: null } as const;
  const tokenless = { admissionToken: null, tokenExpiresAt: null } as const;

  function statusOf(state: EventState, reader: Reader, at: number): RoomStatusView {
    const eventId = state.config.id;
    const snap = snapshotOf(state, at);
    const liveId = snap.liveIdOf(reader.target);
    if (liveId !== reader.liveId) {
      // A live entry ended (or a new one began): what the store says may have changed.
      if (reader.liveId !== null) reader.asked = false;
      reader.liveId = liveId;
    }
    const { shared } = snap;
    if (shared.state === "open") return { ...OPEN, ...snap.common };
    const waiting = liveId === null ? undefined : snap.waitingEntry(liveId);
    if (waiting) {
      // Before the draw nobody has a place yet (nor a wait to estimate).
      const position = state.room.drawnAt === null ? undefined : snap.positionOf(waiting);
      return {
        state: "waiting",
        ...snap.common,
        ...(position === undefined
          ? quiet
          : { position, ahead: position - 1, estimatedWaitSeconds: snap.waitFor(position) }),
        ...tokenless,
        spent: false,
      };
    }
    const admitted = liveId === null ? undefined : snap.admittedEntry(liveId);
    if (admitted?.tokenExpiresAt != null) {
      return {
        state: "admitted",
        ...snap.common,
        ...quiet,
        admissionToken: tokens.admissionToken(eventId, admitted.id, admitted.tokenExpiresAt),
        tokenExpiresAt: admitted.tokenExpiresAt,
        spent: false,
      };
    }
    const row = endedEntry(eventId, reader);
    // A spent entry was admitted and used its token; an expired or lapsed one lost its turn. A
    // stored row still live while the actor has none is a commit in flight: not in the room yet.
    const ended =
      row?.state === "spent"
        ? "admitted"
        : row?.state === "expired" || row?.state === "lapsed"
          ? "expired"
          : "none";
    return { state: ended, ...snap.common, ...quiet, ...tokenless, spent: row?.state === "spent" };
  }

  const readerOf = (eventId: string, visitor: RoomVisitor): Reader => ({
    target: targetOf(eventId, visitor),
    liveId: null,
    ended: null,
    asked: false,
  });

  /** The event's actor when its room may need one (enabled): a room's state lives there. */
  function roomActor(eventId: string, enabled: boolean): EventActor | null {
    return peek(eventId) ?? (enabled ? actorOf(eventId) : null);
  }

  return {
    /** A proof-of-work challenge for entering this event's room. */
    challenge(eventId: string, difficulty: number) {
      return challenges.create(eventId, difficulty);
    },

    /**
     * Enters the room with a solved challenge: a place at the back (before the draw: a ticket in
     * the lottery), or the place the person has already. `entryKey` finds it again.
     */
    async enter(req: {
      eventId: string;
      solution: string;
      entrant: RoomEntrant;
    }): Promise<RoomStatusView & { entryKey: string | null }> {
      const actor = actorOf(req.eventId);
      const { state } = actor;
      if (!roomInUse(state, now())) {
        return {
          ...statusOf(state, readerOf(req.eventId, { kind: "guest" }), now()),
          entryKey: null,
        };
      }
      const { entrant } = req;
      const userId = entrant.kind === "user" ? entrant.userId : guestPrincipal(entrant.email);
      const problem = await challenges.verify(req.eventId, req.solution);
      if (problem) throw new InputError(["solution"], SOLUTION_MESSAGES[problem]);
      const personKey = normalizeEmail(entrant.email);
      const entryId = newId("roomEntry");
      const reply = await actor.ask({ type: "EnterRoom", entryId, userId, personKey });
      const reader: Reader = {
        target: { personKey, entryId: null },
        liveId: null,
        ended: null,
        asked: false,
      };
      const status = statusOf(actor.state, reader, now());
      if (reply.state === "open") return { ...status, entryKey: null };
      // A new entry's `enteredAt` is its first sighting; asking again for a place is another.
      if (reply.entry.id !== entryId) presence.touch(req.eventId, reply.entry.id);
      return { ...status, entryKey: tokens.entryKey(req.eventId, reply.entry.id) };
    },

    /** The caller's status now; counts as their presence. */
    position(req: { eventId: string; enabled: boolean; visitor: RoomVisitor }): RoomStatusView {
      const actor = roomActor(req.eventId, req.enabled);
      // No room in use and no actor awake: the doors are open, nothing to load.
      if (!actor) {
        return { ...OPEN, queueLength: 0, opensAt: null, soldOut: deps.soldOutAsleep(req.eventId) };
      }
      const reader = readerOf(req.eventId, req.visitor);
      const status = statusOf(actor.state, reader, now());
      if (reader.liveId !== null) presence.touch(req.eventId, reader.liveId);
      return status;
    },

    /**
     * The caller's status at once, then after every committed change (coalesced), while the
     * stream is open; an open stream keeps the caller's place however long it stays quiet.
     * Unchanged statuses are not sent again.
     */
    async *status(req: {
      eventId: string;
      visitor: RoomVisitor;
      signal: AbortSignal | undefined;
    }): AsyncGenerator<RoomStatusView & { version: number }> {
      const actor = actorOf(req.eventId);
      const watch = feeds.watch(actor, req.signal);
      const reader = readerOf(req.eventId, req.visitor);
      let streamOf: string | null = null;
      let closeStream: (() => void) | null = null;
      let last: RoomStatusView | null = null;
      try {
        for (let state: EventState | null = actor.state; state; ) {
          const status = statusOf(state, reader, now());
          if (reader.liveId !== streamOf) {
            closeStream?.();
            streamOf = reader.liveId;
            closeStream = streamOf === null ? null : presence.openStream(req.eventId, streamOf);
          }
          if (last === null || !sameStatus(last, status)) {
            last = status;
            yield { ...status, version: state.version };
          }
          const next = await watch[Symbol.asyncIterator]().next();
          state = next.done ? null : next.value;
        }
      } finally {
        closeStream?.();
        watch.close();
      }
    },

    /** The organizer's figures at once, then after every committed change (coalesced). */
    async *stats(req: {
      eventId: string;
      signal: AbortSignal | undefined;
    }): AsyncGenerator<RoomStatsView & { version: number }> {
      const actor = actorOf(req.eventId);
      const watch = feeds.watch(actor, req.signal);
      try {
        yield statsOf(db, actor.state, now());
        for await (const state of watch) yield statsOf(db, state, now());
      } finally {
        watch.close();
      }
    },

    /**
     * The entry an admission token admits, checked by signature, event and expiry (a hash, no
     * query); undefined for a token that is not valid here. Whether the entry is still admitted,
     * unspent and the caller's, the actor decides with the hold.
     */
    admissionOf(eventId: string, token: string | undefined): string | undefined {
      if (token === undefined) return undefined;
      return tokens.verifyAdmission(eventId, token, now())?.entryId;
    },
  };
}

export type RoomFlows = ReturnType<typeof createRoomFlows>;

/**
 * The engine's room, wired: its secrets (read or made in `app_secrets` on first use, then kept,
 * so that checking a token is never a query), challenges, feeds and flows; `sweep` is its share
 * of the engine's housekeeping.
 */
export function createRoom(deps: {
  db: Db;
  now: () => number;
  registry: EventRegistry;
  actorOf: (eventId: string) => EventActor;
  presence: RoomPresence;
  feedMs: number;
  availabilities: Views["availabilities"];
}) {
  const { db, now, registry, presence } = deps;
  const secret = (name: string) => {
    let value: string | null = null;
    return (): string => {
      value ??= roomSecret(db, name, now());
      return value;
    };
  };
  const challenges = new RoomChallenges(secret(ROOM_SECRETS.challenges), now);
  const flows = createRoomFlows({
    db,
    now,
    actorOf: deps.actorOf,
    peek: (eventId) => registry.peek(eventId),
    challenges,
    tokens: new RoomTokens(secret(ROOM_SECRETS.tokens)),
    presence,
    feeds: new RoomFeeds(registry, deps.feedMs),
    soldOutAsleep(eventId) {
      const row = findEventRow(db, eventId);
      if (!row) return false;
      const stored = { row, types: ticketTypesOf(db, eventId) };
      return deps.availabilities([stored]).get(eventId)?.available === 0;
    },
  });
  return {
    flows,
    sweep(): void {
      challenges.sweep();
      presence.prune((eventId) => registry.peek(eventId)?.state.room ?? null);
    },
  };
}
