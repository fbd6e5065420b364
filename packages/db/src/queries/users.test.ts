import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import type { Db } from "../open.ts";
import { openTestDb, type TestDb } from "../testing.ts";
import { createSessionQueries, type SessionRow } from "./sessions.ts";
import {
  changePasswordAndRotateSessions,
  findPasswordHash,
  findUserByEmail,
  findUserById,
  insertUser,
  listUsers,
  type PublicUserRow,
  setUserRole,
  type UserRow,
} from "./users.ts";

let testDb: TestDb;
let db: Db;

beforeEach(() => {
  testDb = openTestDb();
  db = testDb.db;
});

afterEach(() => testDb.close());

let counter = 0;

function user(fields: Partial<UserRow> = {}): UserRow {
  const n = ++counter;
  return {
    id: `usr_${String(n).padStart(4, "0")}`,
    email: `user${n}@example.test`,
    name: `User ${n}`,
    role: "attendee",
    passwordHash: `hash-${n}`,
    createdAt: 1_000,
    organizerRequestedAt: null,
    emailVerifiedAt: null,
    ...fields,
  };
}

function session(userId: string, id: string): SessionRow {
  return { id, userId, secretHash: Buffer.alloc(32, 1), createdAt: 1_000, expiresAt: 9_000 };
}

function sessionIds(): string[] {
  return db.$client
    .prepare<[], { id: string }>("select id from sessions order by id")
    .all()
    .map((row) => row.id);
}

/** Every page of the list, following the cursor the way the router does. */
function allPages(limit: number, search?: string): PublicUserRow[] {
  const seen: PublicUserRow[] = [];
  for (let page = 0; page < 100; page++) {
    const last = seen.at(-1);
    const after = last ? { createdAt: last.createdAt, id: last.id } : null;
    const result = listUsers(db, { search, after, limit });
    seen.push(...result.users);
    if (!result.more) return seen;
  }
  throw new Error("the list never ended");
}

describe("users", () => {
  it("finds a user by email, and nobody for an unknown one", () => {
    const ada = user({ email: "ada@example.test" });
    expect(insertUser(db, ada)).toBe(true);
    expect(findUserByEmail(db, "ada@example.test")).toEqual(ada);
    expect(findUserByEmail(db, "nobody@example.test")).toBeNull();
  });

  it("finds a user by id, and nobody for an unknown one", () => {
    const ada = user();
    insertUser(db, ada);
    expect(findUserById(db, ada.id)).toEqual(ada);
    expect(findUserById(db, "usr_nobody")).toBeNull();
  });

  it("refuses a duplicate email and keeps the first account", () => {
    const first = user({ email: "ada@example.test" });
    insertUser(db, first);
    expect(insertUser(db, user({ email: "ada@example.test", name: "Impostor" }))).toBe(false);
    expect(findUserByEmail(db, "ada@example.test")).toEqual(first);
    expect(listUsers(db, { limit: 10 }).users).toHaveLength(1);
  });

  it("reads the stored password hash, null for an unknown user", () => {
    const ada = user({ passwordHash: "$argon2id$stored" });
    insertUser(db, ada);
    expect(findPasswordHash(db, ada.id)).toBe("$argon2id$stored");
    expect(findPasswordHash(db, "usr_nobody")).toBeNull();
  });
});

describe("listUsers", () => {
  it("pages users newest first without repeats, even when they share a createdAt", () => {
    const rows = [
      user({ createdAt: 1_000 }),
      user({ createdAt: 3_000 }),
      user({ createdAt: 2_000 }),
      user({ createdAt: 2_000 }),
      user({ createdAt: 2_000 }),
      user({ createdAt: 1_000 }),
      user({ createdAt: 3_000 }),
    ];
    for (const row of rows) insertUser(db, row);
    const expected = [...rows]
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
      .map((row) => row.id);
    for (const limit of [1, 2, 3, 7, 50]) {
      expect(allPages(limit).map((row) => row.id)).toEqual(expected);
    }
  });

  it("says there is more only when another page follows", () => {
    for (let i = 0; i < 4; i++) insertUser(db, user());
    expect(listUsers(db, { limit: 3 }).more).toBe(true);
    expect(listUsers(db, { limit: 4 }).more).toBe(false);
    expect(listUsers(db, { limit: 4 }).users).toHaveLength(4);
  });

  it("never returns the password hash", () => {
    insertUser(db, user());
    const [row] = listUsers(db, { limit: 1 }).users;
    expect(Object.keys(row ?? {}).sort()).toEqual([
      "createdAt",
      "email",
      "emailVerifiedAt",
      "id",
      "name",
      "organizerRequestedAt",
      "role",
    ]);
  });

  it("searches email and name ignoring case", () => {
    const ada = user({ email: "ada@example.test", name: "Ada Lovelace" });
    const grace = user({ email: "grace@navy.test", name: "Grace HOPPER" });
    insertUser(db, ada);
    insertUser(db, grace);
    expect(allPages(10, "ADA").map((row) => row.id)).toEqual([ada.id]);
    expect(allPages(10, "hopper").map((row) => row.id)).toEqual([grace.id]);
    expect(allPages(10, "example").map((row) => row.id)).toEqual([ada.id]);
  });

  it("search takes % and _ literally", () => {
    const percent = user({ name: "100% Club" });
    const underscore = user({ email: "a_b@example.test" });
    const backslash = user({ name: "back\\slash" });
    const plain = user({ email: "axb@example.test", name: "1000 Club" });
    for (const row of [percent, underscore, backslash, plain]) insertUser(db, row);
    expect(allPages(10, "%").map((row) => row.id)).toEqual([percent.id]);
    expect(allPages(10, "0% C").map((row) => row.id)).toEqual([percent.id]);
    expect(allPages(10, "a_b").map((row) => row.id)).toEqual([underscore.id]);
    expect(allPages(10, "\\").map((row) => row.id)).toEqual([backslash.id]);
  });
});

describe("setUserRole", () => {
  it("changes a role and returns the user with it", () => {
    const ada = user();
    insertUser(db, ada);
    const result = setUserRole(db, ada.id, "organizer");
    const { passwordHash: _, ...publicAda } = ada;
    expect(result).toEqual({ ok: true, user: { ...publicAda, role: "organizer" } });
    expect(findUserByEmail(db, ada.email)?.role).toBe("organizer");
  });

  it("answers not_found for an unknown user", () => {
    expect(setUserRole(db, "usr_nobody", "admin")).toEqual({ ok: false, why: "not_found" });
  });

  it("never demotes the last admin, but does once another admin exists", () => {
    const first = user({ role: "admin" });
    const second = user();
    insertUser(db, first);
    insertUser(db, second);
    expect(setUserRole(db, first.id, "attendee")).toEqual({ ok: false, why: "last_admin" });
    expect(findUserByEmail(db, first.email)?.role).toBe("admin");
    // An admin keeping the admin role is not a demotion.
    expect(setUserRole(db, first.id, "admin").ok).toBe(true);
    expect(setUserRole(db, second.id, "admin").ok).toBe(true);
    expect(setUserRole(db, first.id, "organizer").ok).toBe(true);
    expect(setUserRole(db, second.id, "attendee")).toEqual({ ok: false, why: "last_admin" });
  });
});

describe("changePasswordAndRotateSessions", () => {
  it("sets the new hash, adds the new session and revokes every other session of the user", () => {
    const ada = user({ passwordHash: "old" });
    const grace = user();
    insertUser(db, ada);
    insertUser(db, grace);
    const sessions = createSessionQueries(db);
    sessions.insert(session(ada.id, "s_ada_1"));
    sessions.insert(session(ada.id, "s_ada_2"));
    sessions.insert(session(grace.id, "s_grace"));
    const changed = changePasswordAndRotateSessions(db, {
      expectedHash: "old",
      newHash: "new",
      session: session(ada.id, "s_ada_new"),
    });
    expect(changed).toBe(true);
    expect(findPasswordHash(db, ada.id)).toBe("new");
    expect(sessionIds()).toEqual(["s_ada_new", "s_grace"]);
  });

  it("the password CAS fails when the hash changed meanwhile and nothing is written", () => {
    const ada = user({ passwordHash: "changed meanwhile" });
    insertUser(db, ada);
    createSessionQueries(db).insert(session(ada.id, "s_ada_1"));
    const changed = changePasswordAndRotateSessions(db, {
      expectedHash: "what we verified",
      newHash: "new",
      session: session(ada.id, "s_ada_new"),
    });
    expect(changed).toBe(false);
    expect(findPasswordHash(db, ada.id)).toBe("changed meanwhile");
    expect(sessionIds()).toEqual(["s_ada_1"]);
  });
});
