import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { statSync } from "node:fs";
import type { EventEvent } from "@boxoffice/core";
import fc from "fast-check";
import { closeDb, type Db, openDb } from "./open.ts";
import { insertUser } from "./queries/users.ts";
import { insertTestEvent, openTestDb, type TestDb, testHold } from "./testing.ts";
import { createGroupCommitWriter, type GroupCommitWriter, WAL_BOUND_PAGES } from "./writer.ts";

const NOW = 1_700_000_000_000;
const EVENT = "evt_writer";
const TYPE = "tt_writer";

let testDb: TestDb;
let db: Db;

beforeEach(() => {
  testDb = openTestDb();
  db = testDb.db;
  insertTestEvent(db, { eventId: EVENT, ticketTypeId: TYPE, now: NOW });
  insertUser(db, {
    id: "usr_ada",
    email: "ada@example.test",
    name: "Ada",
    role: "attendee",
    passwordHash: "h",
    createdAt: 0,
  });
});

afterEach(() => testDb.close());

const placed = (id: string): EventEvent => {
  const hold = testHold({
    id,
    userId: "usr_ada",
    personKey: "ada@example.test",
    items: [{ ticketTypeId: TYPE, quantity: 1, unitPriceCents: 0 }],
    createdAt: NOW,
  });
  return { type: "HoldPlaced", hold };
};

/** The holds a fresh connection sees: what is on disk, not in the writer's memory. */
function holdsOnDisk(): string[] {
  const other = openDb(db.$client.name);
  try {
    const rows = other.$client.prepare("select id from holds order by id").all() as {
      id: string;
    }[];
    return rows.map((r) => r.id);
  } finally {
    closeDb(other);
  }
}

/** Settles each promise to true (acknowledged) or false (refused), keeping their order. */
const outcomes = (promises: Promise<void>[]) =>
  Promise.all(
    promises.map((p) =>
      p.then(
        () => true,
        () => false,
      ),
    ),
  );

for (const thread of [false, true]) {
  describe(`the group-commit writer ${thread ? "on its own thread" : "on the caller's thread"}`, () => {
    let writer: GroupCommitWriter;
    beforeEach(() => {
      writer = createGroupCommitWriter(db, { thread });
    });
    afterEach(() => writer.close());

    it("acknowledges a batch only once another connection can read it", async () => {
      await writer.commit(EVENT, [placed("hld_a"), placed("hld_b")]);
      expect(holdsOnDisk()).toEqual(["hld_a", "hld_b"]);
    });

    it("fails a batch that breaks a constraint alone, and commits the others of its group", async () => {
      await writer.commit(EVENT, [placed("hld_taken")]);
      const results = await outcomes([
        writer.commit(EVENT, [placed("hld_one")]),
        // The same id again: its savepoint rolls back, with the whole of its batch.
        writer.commit(EVENT, [placed("hld_two"), placed("hld_taken")]),
        writer.commit(EVENT, [placed("hld_three")]),
      ]);
      expect(results).toEqual([true, false, true]);
      expect(holdsOnDisk()).toEqual(["hld_one", "hld_taken", "hld_three"].sort());
    });

    it("counts its groups, the batches in them and the time spent committing", async () => {
      expect(writer.stats()).toEqual({ groups: 0, submissions: 0, commitSeconds: 0 });
      await writer.commit(EVENT, [placed("hld_taken")]);
      // Submitted in one tick, one of them failing. On the caller's thread the three are one
      // group; the thread sends the first at once and the two that come while it commits as the
      // next group.
      await outcomes([
        writer.commit(EVENT, [placed("hld_one")]),
        writer.commit(EVENT, [placed("hld_taken")]),
        writer.commit(EVENT, [placed("hld_two")]),
      ]);
      const groups = thread ? 3 : 2;
      const stats = writer.stats();
      expect(stats.groups).toBe(groups);
      expect(stats.submissions).toBe(4);
      expect(stats.commitSeconds).toBeGreaterThan(0);
      // A copy: what the caller holds does not move under it.
      await writer.commit(EVENT, [placed("hld_three")]);
      expect(stats.groups).toBe(groups);
      expect(writer.stats().groups).toBe(groups + 1);
    });

    it("close waits for what was submitted before it", async () => {
      const pending = writer.commit(EVENT, [placed("hld_late")]);
      await writer.close();
      await pending;
      expect(holdsOnDisk()).toEqual(["hld_late"]);
    });

    it("acknowledges exactly the batches that are on disk, whatever fails among them (property)", async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }), {
            minLength: 1,
            maxLength: 12,
          }),
          async (batches) => {
            run += 1;
            db.$client.prepare("delete from holds").run();
            db.$client
              .prepare(
                "insert into holds (id, event_id, user_id, buyer_email, status, items, seat_ids, total_cents, currency, created_at, expires_at) values ('hld_dup', ?, 'usr_ada', 'ada@example.test', 'active', '[]', '[]', 0, 'USD', 0, 0)",
              )
              .run(EVENT);
            // Each batch: holds with fresh ids, or (false) one that reuses a taken id.
            const submitted = batches.map((holds, b) =>
              holds.map((fresh, h) => (fresh ? `hld_${run}_${b}_${h}` : "hld_dup")),
            );
            const results = await outcomes(
              submitted.map((ids) => writer.commit(EVENT, ids.map(placed))),
            );
            const expected = submitted
              .filter((_, i) => results[i])
              .flat()
              .concat("hld_dup")
              .sort();
            expect(holdsOnDisk()).toEqual(expected);
            expect(results).toEqual(submitted.map((ids) => !ids.includes("hld_dup")));
          },
        ),
        { numRuns: 25 },
      );
    });
  });
}

describe("the writer thread", () => {
  it("waits out a lock held by another connection without blocking the event loop", async () => {
    const writer = createGroupCommitWriter(db, { thread: true });
    const backup = openDb(db.$client.name);
    try {
      backup.$client.prepare("begin immediate").run();
      let committed = false;
      const commit = writer.commit(EVENT, [placed("hld_after_lock")]).then(() => {
        committed = true;
      });
      // The event loop keeps turning while the commit waits for the lock.
      const started = performance.now();
      await Bun.sleep(150);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(committed).toBe(false);
      backup.$client.prepare("commit").run();
      await commit;
      expect(holdsOnDisk()).toEqual(["hld_after_lock"]);
    } finally {
      if (backup.$client.inTransaction) backup.$client.prepare("rollback").run();
      closeDb(backup);
      await writer.close();
    }
  });

  it("copies the WAL into the database file itself, so the writer's commits need not", async () => {
    const file = db.$client.name;
    // Everything so far (the schema, the fixtures) into the file, and the WAL started over.
    db.$client.pragma("wal_checkpoint(TRUNCATE)");
    const before = statSync(file).size;
    const writer = createGroupCommitWriter(db, { thread: true });
    try {
      for (let group = 0; group < 20; group += 1) {
        await Promise.all(
          Array.from({ length: 50 }, (_, i) => writer.commit(EVENT, [placed(`hld_${group}_${i}`)])),
        );
      }
      // The writer's own bound is far away (10,000 pages) and this connection writes nothing: only
      // the checkpointer can move the holds from the WAL into the file.
      const deadline = Date.now() + 3_000;
      while (statSync(file).size === before && Date.now() < deadline) await Bun.sleep(25);
      expect(statSync(file).size).toBeGreaterThan(before);
      const pageSize = db.$client.pragma("page_size", { simple: true }) as number;
      expect(statSync(`${file}-wal`).size).toBeLessThan(WAL_BOUND_PAGES * pageSize);
    } finally {
      await writer.close();
    }
    expect(holdsOnDisk()).toHaveLength(1_000);
  });

  it("refuses commits once closed", async () => {
    const writer = createGroupCommitWriter(db, { thread: true });
    await writer.close();
    await expect(writer.commit(EVENT, [placed("hld_closed")])).rejects.toThrow("closed");
    expect(holdsOnDisk()).toEqual([]);
  });
});
