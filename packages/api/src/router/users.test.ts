import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import { callerFor, refusalOf } from "../auth/testing.ts";
import { createTestWorld, type TestWorld } from "../testing.ts";

let world: TestWorld;

afterEach(async () => {
  await world?.close();
});

async function withAdmin(options: { clock?: ManualClock } = {}) {
  world = await createTestWorld(options);
  return world.signUp("admin", "Ada Admin");
}

describe("users.list", () => {
  it("pages newest first with a stable cursor, even when users share a createdAt", async () => {
    // A clock that never moves: every user has the same createdAt, so only the id orders them.
    const admin = await withAdmin({ clock: new ManualClock(Date.parse("2026-01-01T00:00:00Z")) });
    for (let i = 0; i < 6; i++) await world.signUp("attendee");
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await admin.caller.users.list({ limit: 2, cursor });
      seen.push(...result.items.map((u) => u.id));
      if (result.nextCursor === null) break;
      cursor = result.nextCursor;
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    const all = await admin.caller.users.list({ limit: 100 });
    expect(all.items.map((u) => u.id)).toEqual(seen);
    expect(all.nextCursor).toBeNull();
  });

  it("lists newer users first", async () => {
    const clock = new ManualClock(Date.parse("2026-01-01T00:00:00Z"));
    const admin = await withAdmin({ clock });
    clock.advance(1000);
    const newer = await world.signUp("organizer");
    const { items } = await admin.caller.users.list();
    expect(items.map((u) => u.id)).toEqual([newer.userId, admin.userId]);
  });

  it("returns exactly the public fields of each user", async () => {
    const admin = await withAdmin();
    const { items } = await admin.caller.users.list({});
    expect(items).toHaveLength(1);
    expect(Object.keys(items[0] ?? {}).sort()).toEqual([
      "createdAt",
      "email",
      "emailVerified",
      "id",
      "name",
      "organizerRequest",
      "role",
    ]);
    expect(items[0]?.organizerRequest).toBeNull();
    expect(items[0]?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("searches email and name case-insensitively", async () => {
    const admin = await withAdmin();
    const grace = await world.signUp("attendee", "Grace Hopper");
    await world.signUp("attendee", "Alan Turing");
    const byName = await admin.caller.users.list({ search: "hOPPer" });
    expect(byName.items.map((u) => u.id)).toEqual([grace.userId]);
    const byEmail = await admin.caller.users.list({ search: "EXAMPLE.TEST" });
    expect(byEmail.items).toHaveLength(3);
  });

  it("matches % and _ in the search literally", async () => {
    const admin = await withAdmin();
    const percent = await world.signUp("attendee", "100% Fan");
    await world.signUp("attendee", "1000 Fans");
    await world.signUp("attendee", "Under_score");
    expect((await admin.caller.users.list({ search: "0%" })).items.map((u) => u.id)).toEqual([
      percent.userId,
    ]);
    expect((await admin.caller.users.list({ search: "r_s" })).items).toHaveLength(1);
    expect((await admin.caller.users.list({ search: "%" })).items).toHaveLength(1);
  });

  it("refuses a forged cursor as BAD_REQUEST on cursor", async () => {
    const admin = await withAdmin();
    const refusal = await refusalOf(admin.caller.users.list({ cursor: "not-a-cursor" }));
    expect(refusal.code).toBe("BAD_REQUEST");
    expect(refusal.message).toContain("cursor");
  });

  it("keeps limit within 1..100 and bounds the search", async () => {
    const admin = await withAdmin();
    for (const [input, field] of [
      [{ limit: 0 }, "limit"],
      [{ limit: 101 }, "limit"],
      [{ limit: 2.5 }, "limit"],
      [{ search: "s".repeat(101) }, "search"],
      [{ cursor: "c".repeat(201) }, "cursor"],
    ] as const) {
      const refusal = await refusalOf(admin.caller.users.list(input));
      expect(refusal).toMatchObject({ code: "BAD_REQUEST", fields: [field] });
    }
  });
});

describe("users admin access", () => {
  it("refuses organizers and attendees with FORBIDDEN and anonymous callers with UNAUTHORIZED", async () => {
    world = await createTestWorld();
    const target = await world.signUp("attendee");
    for (const role of ["attendee", "organizer"] as const) {
      const { caller } = await world.signUp(role);
      expect((await refusalOf(caller.users.list())).code).toBe("FORBIDDEN");
      const promote = caller.users.setRole({ userId: target.userId, role: "admin" });
      expect((await refusalOf(promote)).code).toBe("FORBIDDEN");
    }
    expect((await refusalOf(world.anonymous().users.list())).code).toBe("UNAUTHORIZED");
  });
});

describe("users.setRole", () => {
  it("changes the role, effective on the user's next request", async () => {
    const admin = await withAdmin();
    const bob = await world.signUp("attendee");
    const updated = await admin.caller.users.setRole({ userId: bob.userId, role: "organizer" });
    expect(updated).toMatchObject({ id: bob.userId, role: "organizer" });
    expect((await callerFor(world, { token: bob.token }).auth.me())?.role).toBe("organizer");
  });

  it("lets an admin make another admin, who can then use admin procedures", async () => {
    const admin = await withAdmin();
    const bob = await world.signUp("organizer");
    await admin.caller.users.setRole({ userId: bob.userId, role: "admin" });
    const asBob = callerFor(world, { token: bob.token });
    expect((await asBob.users.list()).items).toHaveLength(2);
  });

  it("answers NOT_FOUND for an unknown user", async () => {
    const admin = await withAdmin();
    const refusal = await refusalOf(
      admin.caller.users.setRole({ userId: "usr_nobody", role: "organizer" }),
    );
    expect(refusal.code).toBe("NOT_FOUND");
  });

  it("refuses to let the last admin demote themselves, but allows it once another admin exists", async () => {
    const admin = await withAdmin();
    const demote = () => admin.caller.users.setRole({ userId: admin.userId, role: "attendee" });
    const refusal = await refusalOf(demote());
    expect(refusal.code).toBe("CONFLICT");
    expect(refusal.message).toContain("last admin");
    const bob = await world.signUp("attendee");
    await admin.caller.users.setRole({ userId: bob.userId, role: "admin" });
    expect((await demote()).role).toBe("attendee");
  });

  it("refuses an unknown role as BAD_REQUEST naming role", async () => {
    const admin = await withAdmin();
    const refusal = await refusalOf(
      admin.caller.users.setRole({ userId: admin.userId, role: "root" as "admin" }),
    );
    expect(refusal).toMatchObject({ code: "BAD_REQUEST", fields: ["role"] });
  });
});
