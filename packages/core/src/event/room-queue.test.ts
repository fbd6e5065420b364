import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import { RoomQueue } from "./room-queue.ts";
import type { RoomEntry } from "./room-types.ts";

const entry = (n: number): RoomEntry => ({
  id: `rm${n}`,
  userId: `u${n}`,
  personKey: `p${n}@example.test`,
  seq: n,
  enteredAt: n,
  place: null,
  state: "waiting",
  admittedAt: null,
  tokenExpiresAt: null,
});

type Op =
  | { readonly kind: "push" }
  /** The first `n` leave (an admission). */
  | { readonly kind: "front"; readonly n: number }
  /** Those at these indexes leave (lapses), in any order. */
  | { readonly kind: "some"; readonly picks: readonly number[] };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: "push" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("front" as const), n: fc.nat(6) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("some" as const),
      picks: fc.uniqueArray(fc.nat(40), { maxLength: 5 }),
    }),
  },
);

describe("RoomQueue", () => {
  it("keeps the order of an array: joins at the back, leaves from the front or anywhere", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        let queue = RoomQueue.EMPTY;
        let model: RoomEntry[] = [];
        let next = 1;
        for (const o of ops) {
          const before = queue;
          const was = [...before.keys()];
          if (o.kind === "push") {
            const e = entry(next++);
            queue = queue.push(e);
            model = [...model, e];
          } else {
            const ids =
              o.kind === "front"
                ? model.slice(0, o.n).map((e) => e.id)
                : o.picks.filter((i) => i < model.length).map((i) => model[i]?.id as string);
            queue = queue.without(ids);
            model = model.filter((e) => !ids.includes(e.id));
          }
          // Persistent: the queue before the change is as it was.
          expect([...before.keys()]).toEqual(was);
          expect(queue.size).toBe(model.length);
          expect([...queue.keys()]).toEqual(model.map((e) => e.id));
          expect([...queue.values()]).toEqual(model);
          expect(queue.first(3)).toEqual(model.slice(0, 3).map((e) => e.id));
          const seen: string[] = [];
          queue.forEach((e, id) => {
            expect(e.id).toBe(id);
            seen.push(id);
          });
          expect(seen).toEqual(model.map((e) => e.id));
          for (const e of model) expect(queue.get(e.id)).toBe(e);
          expect(queue.has(`rm${next}`)).toBe(false);
        }
      }),
    );
  });

  it("refuses an entry twice, and leaving for one that is not waiting or leaves twice", () => {
    const queue = RoomQueue.of([entry(1), entry(2)]);
    expect(() => queue.push(entry(1))).toThrow("rm1 is waiting already");
    expect(() => RoomQueue.of([entry(1), entry(1)])).toThrow("rm1 is waiting already");
    expect(() => queue.without(["rm3"])).toThrow("rm3 is not waiting");
    expect(() => queue.without(["rm1", "rm1"])).toThrow("leaves the queue twice");
    expect(queue.without([])).toBe(queue);
  });
});
