/**
 * Keys that were used, each remembered until its expiry: the room's spent challenges (a solution
 * enters once). Every buyer who enters a room leaves one for up to ten minutes, so they are kept
 * in two typed arrays (an open-addressing table with linear probing, at most half full): 16 to 32
 * bytes a key, where a `Map` of numbers took about 170 bytes of heap a key in Bun (measured over
 * 20,000), a quarter of what a waiting buyer cost the server.
 *
 * Keys are whole numbers in [0, 2^52]; they should already be random (HMAC bits), since their low
 * bits choose the slot. Expired keys stay until `sweep` (or a full table) rebuilds the table;
 * callers judge expiry themselves first, as the room does (an expired challenge is refused as
 * expired before it is looked up here).
 */
export class UsedKeys {
  /** Key + 1 per slot (0: empty), so that key 0 is a key like any other. */
  private slots: Float64Array;
  private expiries: Float64Array;
  private count = 0;

  constructor(
    /** Keys kept at most: when full, the ones expiring soonest are dropped first. */
    private readonly maxSize: number,
    initialSlots = 1024,
  ) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(16, initialSlots)));
    this.slots = new Float64Array(size);
    this.expiries = new Float64Array(size);
  }

  get size(): number {
    return this.count;
  }

  has(key: number): boolean {
    return this.find(key + 1) >= 0;
  }

  /** Adds `key` unless it is there; true if it was added. Synchronous, hence atomic. */
  addIfAbsent(key: number, expiresAt: number, now: number): boolean {
    if (!Number.isSafeInteger(key) || key < 0) throw new RangeError(`Not a key: ${key}`);
    const stored = key + 1;
    if (this.find(stored) >= 0) return false;
    if (this.count >= this.maxSize) this.makeRoom(now);
    if ((this.count + 1) * 2 > this.slots.length) this.rebuild(this.slots.length * 2, -Infinity);
    this.place(stored, expiresAt);
    return true;
  }

  /** Forgets the keys expired at `now`; shrinks the table when few are left. */
  sweep(now: number): void {
    let live = 0;
    for (let i = 0; i < this.slots.length; i++) {
      if (this.slots[i] !== 0 && (this.expiries[i] as number) > now) live += 1;
    }
    if (live === this.count) return;
    this.rebuild(Math.max(1024, 2 ** Math.ceil(Math.log2(live * 4 + 1))), now);
  }

  /** The slot holding `stored`, or -1. */
  private find(stored: number): number {
    const mask = this.slots.length - 1;
    for (let i = (stored | 0) & mask; ; i = (i + 1) & mask) {
      const slot = this.slots[i];
      if (slot === stored) return i;
      if (slot === 0) return -1;
    }
  }

  private place(stored: number, expiresAt: number): void {
    const mask = this.slots.length - 1;
    let i = (stored | 0) & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = stored;
    this.expiries[i] = expiresAt;
    this.count += 1;
  }

  /** Full: drops the expired, then (if that freed nothing) the quarter expiring soonest. */
  private makeRoom(now: number): void {
    this.sweep(now);
    if (this.count < this.maxSize) return;
    const expiries = this.expiries.filter((_, i) => this.slots[i] !== 0).sort();
    const cutoff = expiries[Math.floor(expiries.length / 4)] as number;
    this.rebuild(this.slots.length, cutoff);
  }

  /** Rehashes into `size` slots the keys expiring after `after`. */
  private rebuild(size: number, after: number): void {
    const { slots, expiries } = this;
    this.slots = new Float64Array(size);
    this.expiries = new Float64Array(size);
    this.count = 0;
    for (let i = 0; i < slots.length; i++) {
      const stored = slots[i] as number;
      const expiresAt = expiries[i] as number;
      if (stored !== 0 && expiresAt > after) this.place(stored, expiresAt);
    }
  }
}
