import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import type { Db } from "../open.ts";
import { openTestDb, type TestDb } from "../testing.ts";
import { createSessionQueries, type SessionQueries, type SessionRow } from "./sessions.ts";
import { insertUser, setUserRole } from "./users.ts";

let testDb: TestDb;
let db: Db;
let sessions: SessionQueries;

const ada = {
  id: "usr_ada",
  email: "ada@example.test",
  name: "Ada",
  role: "organizer" as const,
  passwordHash: "hash",
  createdAt: 500,
};
const grace = { ...ada, id: "usr_grace", email: "grace@example.test", name: "Grace" };

beforeEach(() => {
  testDb = openTestDb();
  db = testDb.db;
  insertUser(db, ada);
  insertUser(db, grace);
  sessions = createSessionQueries(db);
});

afterEach(() => testDb.close());

function session(userId: string, id: string, fields: Partial<SessionRow> = {}): SessionRow {
  return {
    id,
    userId,
    secretHash: Buffer.from(`secret of ${id}`),
    createdAt: 1_000,
    expiresAt: 9_000,
    ...fields,
  };
}

const exists = (id: string) => sessions.find(id) !== null;

describe("session queries", () => {
  it("finds a session with its user's public fields", () => {
    sessions.insert(session(ada.id, "s1"));
    expect(sessions.find("s1")).toEqual({
      id: "s1",
      secretHash: Buffer.from("secret of s1"),
      expiresAt: 9_000,
      user: {
        id: ada.id,
        email: ada.email,
        name: ada.name,
        role: "organizer",
        createdAt: 500,
        organizerRequestedAt: null,
        emailVerifiedAt: null,
      },
    });
    expect(sessions.find("nope")).toBeNull();
  });

  it("reads the user's current role, not the one at sign-in", () => {
    sessions.insert(session(ada.id, "s1"));
    setUserRole(db, ada.id, "admin");
    expect(sessions.find("s1")?.user.role).toBe("admin");
  });

  it("extends one session's expiry", () => {
    sessions.insert(session(ada.id, "s1"));
    sessions.insert(session(ada.id, "s2"));
    sessions.extend("s1", 20_000);
    expect(sessions.find("s1")?.expiresAt).toBe(20_000);
    expect(sessions.find("s2")?.expiresAt).toBe(9_000);
  });

  it("removes one session", () => {
    sessions.insert(session(ada.id, "s1"));
    sessions.insert(session(ada.id, "s2"));
    sessions.remove("s1");
    expect([exists("s1"), exists("s2")]).toEqual([false, true]);
  });

  it("revokes every other session of a user, and only of that user", () => {
    for (const id of ["a1", "a2", "a3"]) sessions.insert(session(ada.id, id));
    sessions.insert(session(grace.id, "g1"));
    sessions.removeAllOf(ada.id, "a2");
    expect(["a1", "a2", "a3", "g1"].map(exists)).toEqual([false, true, false, true]);
  });

  it("revokes all of a user's sessions when none is kept", () => {
    for (const id of ["a1", "a2"]) sessions.insert(session(ada.id, id));
    sessions.insert(session(grace.id, "g1"));
    sessions.removeAllOf(ada.id, null);
    expect(["a1", "a2", "g1"].map(exists)).toEqual([false, false, true]);
  });
});
