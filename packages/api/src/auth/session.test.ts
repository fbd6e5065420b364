import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  closeDb,
  createSessionQueries,
  type Db,
  insertUser,
  migrateDb,
  openDb,
} from "@boxoffice/db";
import fc from "fast-check";
import { createSessionStore } from "./session.ts";

const NOW = 1_700_000_000_000;
const SECOND = 1_000;
/** The cache's TTL (session.ts): a session loaded this long ago is read from SQLite again. */
const TTL = 300 * SECOND;
const USERS = ["usr_ada", "usr_bob"] as const;

let dir: string;
/** Two databases with the same users: one for a store that sweeps, one for a store that never does. */
let dbs: [Db, Db];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "boxoffice-session-test-"));
  const open = (name: string) => {
    const db = openDb(join(dir, name), { synchronous: "OFF" });
    migrateDb(db);
    for (const id of USERS) {
      const email = `${id}@example.test`;
      insertUser(db, { id, email, name: id, role: "attendee", passwordHash: "h", createdAt: 0 });
    }
    return db;
  };
  dbs = [open("a.db"), open("b.db")];
});

afterAll(() => {
  for (const db of dbs) closeDb(db);
  rmSync(dir, { recursive: true, force: true });
});

describe("the session cache's sweep", () => {
  it("forgets the sessions loaded a TTL ago or more, and keeps the fresher ones", () => {
    const store = createSessionStore(dbs[0], 30);
    const [first, second, third] = [0, 1, 2].map(() => store.create("usr_ada", NOW).token);
    expect(store.validate(first as string, NOW)).not.toBeNull();
    expect(store.validate(second as string, NOW + 100 * SECOND)).not.toBeNull();
    expect(store.validate(third as string, NOW + 250 * SECOND)).not.toBeNull();
    expect(store.cachedCount).toBe(3);

    store.sweep(NOW + TTL - 1);
    expect(store.cachedCount).toBe(3);
    store.sweep(NOW + TTL);
    expect(store.cachedCount).toBe(2);
    store.sweep(NOW + 100 * SECOND + TTL);
    expect(store.cachedCount).toBe(1);

    // Swept from memory, not revoked: the next request loads it from SQLite again.
    expect(store.validate(first as string, NOW + 400 * SECOND)?.user.id).toBe("usr_ada");
    expect(store.cachedCount).toBe(2);
  });

  it("sweeps a session loaded again only a TTL after that load", () => {
    const store = createSessionStore(dbs[0], 30);
    const [early, later] = [0, 1].map(() => store.create("usr_bob", NOW).token);
    store.validate(early as string, NOW);
    store.validate(later as string, NOW + 100 * SECOND);
    // Past its TTL, the early one is loaded again, and is now the fresher of the two.
    store.validate(early as string, NOW + 310 * SECOND);
    store.sweep(NOW + 100 * SECOND + TTL);
    expect(store.cachedCount).toBe(1);
    store.sweep(NOW + 310 * SECOND + TTL);
    expect(store.cachedCount).toBe(0);
  });

  it("changes no answer: a store that sweeps validates exactly as one that never does", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("validate" as const), session: fc.nat(3) }),
      fc.record({
        kind: fc.constant("advance" as const),
        ms: fc.integer({ min: 0, max: 400_000 }),
      }),
      fc.record({ kind: fc.constant("sweep" as const) }),
      fc.record({ kind: fc.constant("invalidate" as const), session: fc.nat(3) }),
      // Deleted behind the stores' backs (another process): a cached entry answers for it until
      // its TTL runs out, in both stores alike.
      fc.record({ kind: fc.constant("deleteRow" as const), session: fc.nat(3) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        // A short lifetime, so that runs see sessions expire as well as leave the cache.
        const sweeping = createSessionStore(dbs[0], 0.01);
        const keeping = createSessionStore(dbs[1], 0.01);
        const queries = dbs.map((db) => createSessionQueries(db));
        const tokens = [0, 1, 2, 3].map((i) => {
          const minted = sweeping.mint(USERS[i % 2] as string, NOW);
          for (const q of queries) q.insert(minted.row);
          return { token: minted.token, id: minted.session.id };
        });
        let now = NOW;
        for (const step of ops) {
          if (step.kind === "advance") now += step.ms;
          else if (step.kind === "sweep") {
            sweeping.sweep(now);
            expect(sweeping.cachedCount).toBeLessThanOrEqual(keeping.cachedCount);
          } else {
            const { token, id } = tokens[step.session] as { token: string; id: string };
            if (step.kind === "validate") {
              const answers = [sweeping, keeping].map((s) => s.validate(token, now));
              expect(answers[0]?.user.id ?? null).toBe(answers[1]?.user.id ?? null);
              expect(answers[0]?.session.expiresAt ?? null).toBe(
                answers[1]?.session.expiresAt ?? null,
              );
            } else if (step.kind === "invalidate") {
              sweeping.invalidate(id);
              keeping.invalidate(id);
            } else {
              for (const db of dbs) db.$client.prepare("delete from sessions where id = ?").run(id);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
