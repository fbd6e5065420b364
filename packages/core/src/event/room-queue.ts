import { Map as IMap, List } from "immutable";
import type { RoomEntry } from "./room-types.ts";

/**
 * The room's waiting entries in queue order, persistent: each change returns a new queue that
 * shares the rest with the old one. A map of the entries by id beside a list of their ids in
 * order. An `OrderedMap` kept a [key, value] pair per entry besides its map: about 50 B of heap a
 * waiting buyer more (20,000 entries, measured in Bun), and a room holds every buyer of a rush.
 *
 * Entries join at the back; they leave from the front (admissions) at the cost of a slice, or from
 * anywhere (lapses, a few a tick) at the cost of one pass over the order.
 */
export class RoomQueue {
  static readonly EMPTY = new RoomQueue(IMap(), List());

  /** The entries in the order given; an id given twice is an error. */
  static of(entries: Iterable<RoomEntry>): RoomQueue {
    let queue = RoomQueue.EMPTY;
    for (const entry of entries) queue = queue.push(entry);
    return queue;
  }

  private constructor(
    private readonly byId: IMap<string, RoomEntry>,
    /** Exactly the ids of `byId`, in queue order. */
    private readonly order: List<string>,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): RoomEntry | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The queue with `entry` at the back. */
  push(entry: RoomEntry): RoomQueue {
    if (this.byId.has(entry.id)) throw new Error(`${entry.id} is waiting already`);
    return new RoomQueue(this.byId.set(entry.id, entry), this.order.push(entry.id));
  }

  /** The queue without these entries; each must be waiting, once. */
  without(ids: readonly string[]): RoomQueue {
    if (ids.length === 0) return this;
    const gone = new Set(ids);
    if (gone.size !== ids.length) throw new Error("An entry leaves the queue twice");
    for (const id of ids) if (!this.byId.has(id)) throw new Error(`${id} is not waiting`);
    const byId = this.byId.deleteAll(ids);
    // Admissions take the front: when the ids are the first ones, a slice drops them.
    const front = this.order.take(ids.length).every((id) => gone.has(id));
    const order = front
      ? this.order.skip(ids.length).toList()
      : this.order.filter((id) => !gone.has(id));
    return new RoomQueue(byId, order);
  }

  /** The ids of the first `n` entries (fewer when fewer wait). */
  first(n: number): string[] {
    return this.order.take(n).toArray();
  }

  keys(): IterableIterator<string> {
    return this.order.values();
  }

  *values(): IterableIterator<RoomEntry> {
    for (const id of this.order) yield this.byId.get(id) as RoomEntry;
  }

  forEach(visit: (entry: RoomEntry, id: string) => void): void {
    for (const id of this.order) visit(this.byId.get(id) as RoomEntry, id);
  }
}
