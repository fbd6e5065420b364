/**
 * A persistent map whose newest version costs what a native `Map` costs.
 *
 * Every version of one map shares a single native `Map` that holds the contents of one of them
 * (the "current" version). Each other version keeps the one change that turns its neighbour
 * towards the current version into itself. Reading or changing the current version is a native
 * `Map` operation plus a small record; reading another version first walks the changes between
 * the two and applies them to the shared `Map`, turning the chain around (rerooting, after Baker's
 * persistent arrays and Conchon and Filliâtre's "A Persistent Union-Find Data Structure").
 *
 * That fits how an actor uses its state: a batch's draft changes the newest version again and
 * again and is then adopted, and an older version is read again only when a commit fails or a
 * view reads the committed state while a batch is in flight (a few dozen changes to walk). An
 * Immutable.js `Map` copied four or five nodes of up to 32 slots for each change of an event's
 * bookings (a HAMT of hundreds of thousands): about a tenth of a booking's request thread in a
 * profile of the hot event, mostly the booking id's `has` and `set`.
 *
 * Versions are values: a version never changes, whatever is done to the others. A dropped version
 * costs nothing to keep, since nothing points from a newer version to an older one unless the
 * older one was read after it.
 */
const ABSENT: unique symbol = Symbol("absent");

interface Change<K, V> {
  key: K;
  /** What this version has under `key`, where `next` has something else. */
  value: V | typeof ABSENT;
  next: Version<K, V>;
}

interface Version<K, V> {
  /** Null for the version whose contents the shared `Map` holds. */
  diff: Change<K, V> | null;
}

interface Table<K, V> {
  readonly map: Map<K, V>;
  current: Version<K, V>;
}

/** What an empty map reads; never changed (a change to an empty map makes a table of its own). */
const NO_ENTRIES: ReadonlyMap<unknown, never> = new Map<unknown, never>();

export class RerootMap<K, V> {
  // Most of an idle event's maps are empty: they share one value and cost no table.
  private static readonly EMPTY = new RerootMap<never, never>(null, null);

  static empty<K, V>(): RerootMap<K, V> {
    return RerootMap.EMPTY as RerootMap<K, V>;
  }

  /** A map of these entries; a later entry for the same key wins. */
  static of<K, V>(entries: Iterable<readonly [K, V]>): RerootMap<K, V> {
    const map = new Map(entries);
    if (map.size === 0) return RerootMap.empty();
    const current: Version<K, V> = { diff: null };
    return new RerootMap({ map, current }, current);
  }

  private constructor(
    /** Null (with `version`) for the empty map. */
    private readonly table: Table<K, V> | null,
    private readonly version: Version<K, V> | null,
  ) {}

  get size(): number {
    return this.contents().size;
  }

  get(key: K): V | undefined {
    return this.contents().get(key);
  }

  has(key: K): boolean {
    return this.contents().has(key);
  }

  /** This map with `value` under `key` (itself when it has that value there already). */
  set(key: K, value: V): RerootMap<K, V> {
    if (this.table === null) return RerootMap.of([[key, value]]);
    const map = this.contents() as Map<K, V>;
    const had = this.valueIn(map, key);
    if (had === value) return this;
    map.set(key, value);
    return this.succeededBy(key, had);
  }

  /** This map without `key` (itself when it has no such key). */
  delete(key: K): RerootMap<K, V> {
    const map = this.contents() as Map<K, V>;
    if (!map.has(key)) return this;
    const had = map.get(key) as V;
    map.delete(key);
    const next = this.succeededBy(key, had);
    // An event's holds come and go: once the last is gone, its table is kept only for the
    // versions before (and goes with them).
    return map.size === 0 ? RerootMap.empty() : next;
  }

  /**
   * The entries, copied out first: a loop over a live iterator would see the shared `Map` change
   * under it if the loop read another version of this map.
   */
  entries(): IterableIterator<[K, V]> {
    return Array.from(this.contents().entries()).values();
  }

  keys(): IterableIterator<K> {
    return Array.from(this.contents().keys()).values();
  }

  values(): IterableIterator<V> {
    return Array.from(this.contents().values()).values();
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  /** A plain object of the entries (for tests and debugging: string keys only make sense). */
  toJSON(): Record<string, V> {
    return Object.fromEntries(this.contents());
  }

  private valueIn(map: ReadonlyMap<K, V>, key: K): V | typeof ABSENT {
    const value = map.get(key);
    return value === undefined && !map.has(key) ? ABSENT : (value as V);
  }

  /** The new current version after the shared `Map` changed at `key`, which had `had` here. */
  private succeededBy(key: K, had: V | typeof ABSENT): RerootMap<K, V> {
    const table = this.table as Table<K, V>;
    const newest: Version<K, V> = { diff: null };
    (this.version as Version<K, V>).diff = { key, value: had, next: newest };
    table.current = newest;
    return new RerootMap(table, newest);
  }

  /** The shared `Map`, holding this version's contents (only a change may write to it). */
  private contents(): ReadonlyMap<K, V> {
    const { table, version } = this;
    if (table === null || version === null) return NO_ENTRIES as ReadonlyMap<K, V>;
    const map = table.map;
    if (table.current === version) return map;
    const path: Version<K, V>[] = [];
    for (let v = version; v.diff !== null; v = v.diff.next) path.push(v);
    // From the version next to the current one back to this one: apply each change and turn it
    // around, so that the version it came from now holds the way back.
    for (let i = path.length - 1; i >= 0; i--) {
      const v = path[i] as Version<K, V>;
      const change = v.diff as Change<K, V>;
      const next = change.next;
      const had = this.valueIn(map, change.key);
      if (change.value === ABSENT) map.delete(change.key);
      else map.set(change.key, change.value);
      change.value = had;
      change.next = v;
      next.diff = change;
      v.diff = null;
    }
    table.current = version;
    return map;
  }
}
