/**
 * Who in a room is still there (docs/API.md "room", Presence). In memory only, per event: when
 * each entry's buyer was last seen since entering (asking for their position, entering again;
 * entering itself is the entry's `enteredAt`) and how many status
 * streams each has open (an open stream is presence all the time). Nothing of it is stored: after
 * a restart every entry counts as seen when its actor loaded, so everyone gets a fresh grace.
 */
import type { RoomState } from "@boxoffice/core";

interface EventPresence {
  /** When this process loaded the event's actor: the "last seen" of entries not seen since. */
  loadedAt: number;
  readonly lastSeen: Map<string, number>;
  readonly streams: Map<string, number>;
}

export class RoomPresence {
  private readonly events = new Map<string, EventPresence>();

  constructor(private readonly now: () => number) {}

  /** The event's actor was loaded: entries not seen since count as seen now. */
  loaded(eventId: string): void {
    const presence = this.events.get(eventId);
    if (presence) presence.loadedAt = this.now();
    else
      this.events.set(eventId, { loadedAt: this.now(), lastSeen: new Map(), streams: new Map() });
  }

  /** The entry's buyer was seen now. */
  touch(eventId: string, entryId: string): void {
    this.of(eventId).lastSeen.set(entryId, this.now());
  }

  /** A status stream for the entry opened; the returned function closes it (seen then). */
  openStream(eventId: string, entryId: string): () => void {
    const presence = this.of(eventId);
    presence.streams.set(entryId, (presence.streams.get(entryId) ?? 0) + 1);
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      const left = (presence.streams.get(entryId) ?? 1) - 1;
      if (left > 0) presence.streams.set(entryId, left);
      else presence.streams.delete(entryId);
      presence.lastSeen.set(entryId, this.now());
    };
  }

  /**
   * Waiting entries whose buyer was not seen for `graceMs`: the room lapses them. Entering is the
   * first sighting (the entry's `enteredAt`), so a buyer costs no mark here until seen again. One
   * map look-up per waiting entry (about a millisecond for 20,000), once per tick.
   */
  absent(eventId: string, room: RoomState, graceMs: number): string[] {
    const presence = this.of(eventId);
    const cutoff = this.now() - graceMs;
    if (presence.loadedAt > cutoff) return [];
    const gone: string[] = [];
    room.queue.forEach((entry, id) => {
      if (presence.streams.has(id)) return;
      // Seen before the actor (re)loaded counts as seen at its load: a fresh grace.
      const seen = presence.lastSeen.get(id) ?? entry.enteredAt;
      if (Math.max(seen, presence.loadedAt) <= cutoff) gone.push(id);
    });
    return gone;
  }

  /**
   * Forgets entries that are no longer live in their room (and rooms whose actor has left
   * memory: a reload starts them afresh). Entries seen in the last minute stay, so that one just
   * entering, not yet committed, keeps its mark.
   */
  prune(roomOf: (eventId: string) => RoomState | null): void {
    const recent = this.now() - 60_000;
    for (const [eventId, presence] of this.events) {
      const room = roomOf(eventId);
      if (!room) {
        if (presence.streams.size === 0) this.events.delete(eventId);
        continue;
      }
      for (const [id, seen] of presence.lastSeen) {
        if (seen > recent || presence.streams.has(id)) continue;
        if (!room.queue.has(id) && !room.admitted.has(id)) presence.lastSeen.delete(id);
      }
    }
  }

  private of(eventId: string): EventPresence {
    let presence = this.events.get(eventId);
    if (!presence) {
      presence = { loadedAt: this.now(), lastSeen: new Map(), streams: new Map() };
      this.events.set(eventId, presence);
    }
    return presence;
  }
}
