/**
 * The room's promises under random arrivals, absences and tick times (docs/API.md "room"): the
 * lottery is a permutation of those present, later arrivals keep their order, the rate holds in
 * every 60-second window, and a token buys exactly one hold, once, for its own buyer.
 */
import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import { DomainError } from "../errors.ts";
import { decide } from "./decide.ts";
import { evolve } from "./evolve.ts";
import { enterRoom, eventConfig, items, NOW, placeHold, roomEvent, tick } from "./fixtures.ts";
import { drawOrder } from "./room-draw.ts";
import type { EventCommand, EventEvent, EventState } from "./types.ts";

const seedArb = fc.stringMatching(/^[0-9a-f]{32}$/);

/** Applies a command as the actor does and returns its events. */
function run(box: { state: EventState }, cmd: EventCommand, now: number): readonly EventEvent[] {
  const { events } = decide(box.state, cmd, now);
  box.state = events.reduce(evolve, box.state);
  return events;
}

/** Plenty of tickets, so admission is paced by the rate alone. */
const roomy = eventConfig().ticketTypes.map((t) => ({ ...t, capacity: 10_000 }));

type Arrival = { readonly gapMs: number; readonly absent: boolean };

describe("the room under random arrivals", () => {
  it("draws a permutation of those present at the opening, in arrival order as entrants", () => {
    fc.assert(
      fc.property(seedArb, fc.array(fc.boolean(), { maxLength: 40 }), (seed, absences) => {
        const box = { state: roomEvent({ admitPerMinute: 1 }) };
        const ids = absences.map((_, i) => `rm${i}`);
        for (const [i, id] of ids.entries()) run(box, enterRoom(`u${i}`, id), NOW - 1_000 + i);
        const absent = ids.filter((_, i) => absences[i]);
        const events = run(box, tick({ seed, absent }), NOW);
        const drawn = events.find((e) => e.type === "RoomDrawn");
        if (drawn?.type !== "RoomDrawn") throw new Error("no draw");
        const present = ids.filter((_, i) => !absences[i]);
        expect(drawn.entrants).toEqual(present);
        expect([...drawn.order].sort()).toEqual([...present].sort());
        expect(drawn.order).toEqual(drawOrder(seed, present));
      }),
      { numRuns: 300 },
    );
  });

  it("admits the lottery's order, then later arrivals first come first served, skipping lapses", () => {
    const arrivalArb = fc.record({
      gapMs: fc.integer({ min: 0, max: 3_000 }),
      absent: fc.boolean(),
    });
    fc.assert(
      fc.property(
        seedArb,
        fc.integer({ min: 0, max: 15 }),
        fc.array(arrivalArb, { maxLength: 30 }),
        fc.integer({ min: 1, max: 300 }),
        (seed, early, late, rate) => {
          const box = { state: roomEvent({ admitPerMinute: rate }, { ticketTypes: roomy }) };
          for (let i = 0; i < early; i += 1) run(box, enterRoom(`e${i}`, `e${i}`), NOW - 1);
          const admittedOrder: string[] = [];
          const lapsed = new Set<string>();
          const record = (events: readonly EventEvent[]) => {
            for (const e of events) {
              if (e.type === "RoomAdmitted") admittedOrder.push(...e.entryIds);
              if (e.type === "RoomLapsed") for (const id of e.entryIds) lapsed.add(id);
            }
          };
          record(run(box, tick({ seed }), NOW));
          const drawnOrder = [...box.state.room.queue.keys(), ...admittedOrder];
          const lateIds: string[] = [];
          let now = NOW;
          late.forEach((arrival: Arrival, i) => {
            now += arrival.gapMs;
            const id = `l${i}`;
            if (run(box, enterRoom(`late${i}`, id), now).length > 0) lateIds.push(id);
            // Someone waiting goes missing now and then: the one at the back.
            const back = [...box.state.room.queue.keys()].at(-1);
            record(run(box, tick({ absent: arrival.absent && back ? [back] : [] }), now));
          });
          // Places rise with arrival after the draw.
          const places = lateIds.map((id) => box.state.room.queue.get(id)?.place ?? null);
          const known = places.filter((p): p is number => p !== null);
          expect(known).toEqual([...known].sort((a, b) => a - b));
          const lottery = drawOrder(
            seed,
            Array.from({ length: early }, (_, i) => `e${i}`),
          );
          expect(drawnOrder.sort()).toEqual([...lottery].sort());
          const line = [...lottery, ...lateIds].filter((id) => !lapsed.has(id));
          expect(admittedOrder).toEqual(line.slice(0, admittedOrder.length));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never admits more than admitPerMinute in any 60 seconds, nor more than a second's share at once", () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.integer({ min: 1, max: 400 }),
        fc.array(
          fc.record({
            // Bursts at one instant, and jumps to just inside and just past a minute.
            gapMs: fc.oneof(
              fc.integer({ min: 0, max: 2_500 }),
              fc.constantFrom(0, 1, 1_000, 29_999, 59_000, 59_999, 60_000),
            ),
            arrivals: fc.integer({ min: 0, max: 12 }),
          }),
          { minLength: 1, maxLength: 150 },
        ),
        (seed, rate, ticks) => {
          const box = { state: roomEvent({ admitPerMinute: rate }, { ticketTypes: roomy }) };
          for (let i = 0; i < 50; i += 1) run(box, enterRoom(`e${i}`, `e${i}`), NOW - 1);
          const instants: number[] = [];
          const share = Math.ceil(rate / 60);
          let now = NOW;
          let n = 0;
          const admitAt = (events: readonly EventEvent[]) => {
            for (const e of events) {
              if (e.type !== "RoomAdmitted") continue;
              expect(e.entryIds.length).toBeLessThanOrEqual(share);
              for (const _ of e.entryIds) instants.push(e.at);
            }
          };
          admitAt(run(box, tick({ seed }), now));
          for (const t of ticks) {
            now += t.gapMs;
            for (let i = 0; i < t.arrivals; i += 1, n += 1) {
              run(box, enterRoom(`a${n}`, `a${n}`), now);
            }
            admitAt(run(box, tick(), now));
          }
          for (const at of instants) {
            const inWindow = instants.filter((t) => t > at - 60_000 && t <= at).length;
            expect(inWindow).toBeLessThanOrEqual(rate);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("lets a token buy one hold, once, for its own buyer only", () => {
    const tryArb = fc.record({
      user: fc.integer({ min: 0, max: 7 }),
      token: fc.constantFrom("own", "other", "spent", "none"),
      quantity: fc.integer({ min: 1, max: 4 }),
      gapMs: fc.integer({ min: 0, max: 200_000 }),
    });
    fc.assert(
      fc.property(seedArb, fc.array(tryArb, { maxLength: 60 }), (seed, tries) => {
        const box = {
          state: roomEvent({ admitPerMinute: 120, tokenSeconds: 300 }, { maxPerUser: 6 }),
        };
        for (let i = 0; i < 8; i += 1) run(box, enterRoom(`u${i}`, `rm${i}`), NOW - 1);
        run(box, tick({ seed }), NOW);
        const spent = new Set<string>();
        let now = NOW;
        for (const t of tries) {
          now += t.gapMs;
          run(box, tick(), now);
          const { room } = box.state;
          const user = `u${t.user}`;
          const mine = room.byPerson.get(user);
          const other = [...room.admitted.keys()].find((id) => id !== mine);
          const admission =
            t.token === "own"
              ? mine
              : t.token === "other"
                ? other
                : t.token === "spent"
                  ? [...spent][0]
                  : undefined;
          const before = box.state;
          const cmd = { ...placeHold(user, items(["ga", t.quantity])), admission };
          const { events, reply } = decide(before, cmd, now);
          box.state = events.reduce(evolve, before);
          const inUse = before.room.doorsOpenAt === null;
          if (reply instanceof Error) {
            expect(events).toEqual([]);
            continue;
          }
          if (!inUse) continue;
          // Held while the room is in use: the buyer's own admitted, unexpired entry paid.
          const entry = before.room.admitted.get(admission as string);
          expect(entry?.userId).toBe(user);
          expect(entry?.tokenExpiresAt ?? 0).toBeGreaterThan(now);
          expect(events.map((e) => e.type)).toEqual(["HoldPlaced", "RoomTokenSpent"]);
          expect(spent.has(admission as string)).toBe(false);
          spent.add(admission as string);
          expect(box.state.room.admitted.has(admission as string)).toBe(false);
        }
        // Whatever was refused while in use was refused for the room or for the tickets.
        expect(box.state.sold + box.state.held).toBeLessThanOrEqual(10);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses NOT_ADMITTED to anyone without a token while the room is in use", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 3 }), (u, q) => {
        const state = roomEvent({ opensAt: NOW + 60_000 });
        const { reply, events } = decide(state, placeHold(`u${u}`, items(["ga", q])), NOW);
        expect(reply).toBeInstanceOf(DomainError);
        expect((reply as DomainError).reason).toBe("NOT_ADMITTED");
        expect(events).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });
});
