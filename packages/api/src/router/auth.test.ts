import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import {
  findPasswordHash,
  findUserById,
  recordLoginFailure,
  reserveLoginAttempt,
} from "@boxoffice/db";
import { AuthRateLimits } from "../auth/rate-limit.ts";
import { callerFor, refusalOf } from "../auth/testing.ts";
import { createTestWorld, type TestWorld } from "../testing.ts";

const password = "correct horse battery";
let world: TestWorld;

afterEach(async () => {
  await world?.close();
});

async function fresh(options: { clock?: ManualClock } = {}) {
  world = await createTestWorld(options);
  return world;
}

/** A failed password check in the throttle's memory, as if made at `at`. */
function failedCheck(email: string, ip: string, at: number): void {
  const windows = { pairSince: 0, emailSince: 0, emailCap: 1e9, ipSince: 0, ipCap: 1e9 };
  const reservation = reserveLoginAttempt(
    world.services.db,
    { email, ip },
    at,
    windows,
    () => null,
  );
  if (!reservation.reserved) throw new Error("not reserved");
  recordLoginFailure(world.services.db, reservation.attemptId);
}

function register(email = "ann@example.test", extra: { role?: "attendee" | "organizer" } = {}) {
  return callerFor(world).auth.register({ email, password, name: "Ann", ...extra });
}

describe("auth.register", () => {
  it("returns exactly the public user and a token that signs in", async () => {
    await fresh();
    const { user, token } = await register();
    expect(Object.keys(user).sort()).toEqual([
      "createdAt",
      "email",
      "emailVerified",
      "id",
      "name",
      "organizerRequest",
      "role",
    ]);
    expect(user.organizerRequest).toBeNull();
    expect(user.id).toMatch(/^usr_[a-z2-9]{25}$/);
    expect(user.role).toBe("attendee");
    expect(new Date(user.createdAt).toISOString()).toBe(user.createdAt);
    expect(await callerFor(world, { token }).auth.me()).toEqual(user);
  });

  it("trims and lower-cases the email and trims the name", async () => {
    await fresh();
    const { user } = await callerFor(world).auth.register({
      email: "  Ann@Example.TEST ",
      password,
      name: "  Ann Lee ",
    });
    expect(user.email).toBe("ann@example.test");
    expect(user.name).toBe("Ann Lee");
  });

  it("refuses a duplicate email with EMAIL_TAKEN, whatever its case", async () => {
    await fresh();
    await register("ann@example.test");
    const refusal = await refusalOf(register("ANN@example.test"));
    expect(refusal).toMatchObject({ code: "CONFLICT", reason: "EMAIL_TAKEN" });
  });

  it("lets anyone register as an organizer but never as an admin", async () => {
    await fresh();
    const { user } = await register("org@example.test", { role: "organizer" });
    expect(user.role).toBe("organizer");
    const asAdmin = callerFor(world).auth.register({
      email: "root@example.test",
      password,
      name: "Root",
      role: "admin" as "organizer",
    });
    expect(await refusalOf(asAdmin)).toMatchObject({ code: "BAD_REQUEST", fields: ["role"] });
  });

  it("stores an argon2id hash, never the password", async () => {
    await fresh();
    const { user } = await register();
    const hash = findPasswordHash(world.services.db, user.id);
    expect(hash).toStartWith("$argon2id$");
    expect(hash).not.toContain(password);
  });

  const invalid: [string, Record<string, unknown>][] = [
    ["email", { email: `${"a".repeat(250)}@example.test` }],
    ["email", { email: "not-an-email" }],
    ["email", { email: "x".repeat(100_000) }],
    ["password", { password: "short" }],
    ["password", { password: "p".repeat(129) }],
    ["name", { name: "   " }],
    ["name", { name: "n".repeat(101) }],
    ["name", { name: "Ann\nSet-Cookie: x" }],
    ["name", { name: 42 }],
  ];
  for (const [field, patch] of invalid) {
    it(`refuses a bad ${field} (${JSON.stringify(patch).slice(0, 40)}) as BAD_REQUEST naming it`, async () => {
      await fresh();
      const input = { email: "ann@example.test", password, name: "Ann", ...patch };
      const refusal = await refusalOf(callerFor(world).auth.register(input as never));
      expect(refusal.code).toBe("BAD_REQUEST");
      expect(refusal.fields).toContain(field);
    });
  }
});

describe("session cookie", () => {
  it("is HttpOnly, SameSite=Lax, Path=/ and lives SESSION_DAYS, without Secure on http", async () => {
    await fresh();
    const resHeaders = new Headers();
    const { token } = await callerFor(world, { resHeaders }).auth.register({
      email: "ann@example.test",
      password,
      name: "Ann",
    });
    const cookie = resHeaders.get("set-cookie") ?? "";
    expect(cookie).toStartWith(`session=${token};`);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/");
    expect(cookie).toContain(`Max-Age=${30 * 86_400}`);
    expect(cookie).not.toContain("Secure");
  });

  it("is Secure when the public origin is https", async () => {
    await fresh();
    await register();
    const resHeaders = new Headers();
    await callerFor(world, {
      resHeaders,
      config: { publicOrigin: "https://tickets.example" },
    }).auth.login({ email: "ann@example.test", password });
    expect(resHeaders.get("set-cookie")).toContain("; Secure");
  });
});

describe("auth.login", () => {
  it("signs in with the right password, whatever the email's case", async () => {
    await fresh();
    const registered = await register();
    const { user, token } = await callerFor(world).auth.login({
      email: " ANN@example.test",
      password,
    });
    expect(user).toEqual(registered.user);
    expect(token).not.toBe(registered.token);
    expect((await callerFor(world, { token }).auth.me())?.id).toBe(user.id);
  });

  it("refuses a wrong password and an unknown email alike, with INVALID_CREDENTIALS", async () => {
    await fresh();
    await register();
    const wrongPassword = await refusalOf(
      callerFor(world).auth.login({ email: "ann@example.test", password: "wrong password" }),
    );
    const unknownEmail = await refusalOf(
      callerFor(world).auth.login({ email: "bob@example.test", password }),
    );
    expect(wrongPassword).toMatchObject({ code: "UNAUTHORIZED", reason: "INVALID_CREDENTIALS" });
    expect(unknownEmail).toEqual(wrongPassword);
  });

  it("refuses an account whose stored hash is unusable without failing", async () => {
    await fresh();
    const { userId } = await world.signUp("attendee");
    const row = findUserById(world.services.db, userId);
    const refusal = await refusalOf(
      callerFor(world).auth.login({ email: row?.email ?? "", password: "!" }),
    );
    expect(refusal.reason).toBe("INVALID_CREDENTIALS");
  });

  it("throttles an email from one IP after 5 failures, with doubling delays, even for the right password", async () => {
    const clock = new ManualClock(Date.parse("2026-03-01T12:00:00Z"));
    await fresh({ clock });
    await register();
    const attempt = (pw: string) =>
      callerFor(world).auth.login({ email: "ann@example.test", password: pw });
    for (let i = 0; i < 5; i++) {
      expect((await refusalOf(attempt("wrong password"))).reason).toBe("INVALID_CREDENTIALS");
    }
    expect(await refusalOf(attempt(password))).toMatchObject({
      code: "TOO_MANY_REQUESTS",
      reason: "RATE_LIMITED",
      details: { retryAfterSeconds: 60 },
    });
    clock.advance(60_000);
    expect((await refusalOf(attempt("wrong password"))).reason).toBe("INVALID_CREDENTIALS");
    // The sixth failure doubles the wait.
    clock.advance(119_000);
    expect((await refusalOf(attempt(password))).details).toEqual({ retryAfterSeconds: 1 });
    clock.advance(1_000);
    expect((await attempt(password)).user.email).toBe("ann@example.test");
  });

  it("forgets the failures of that email and IP after a successful sign-in", async () => {
    await fresh();
    await register();
    const attempt = (pw: string) =>
      callerFor(world).auth.login({ email: "ann@example.test", password: pw });
    for (let i = 0; i < 4; i++) await refusalOf(attempt("wrong password"));
    await attempt(password);
    for (let i = 0; i < 5; i++) {
      expect((await refusalOf(attempt("wrong password"))).reason).toBe("INVALID_CREDENTIALS");
    }
    expect((await refusalOf(attempt(password))).reason).toBe("RATE_LIMITED");
  });

  it("keeps one IP's failures from locking the owner out on another IP", async () => {
    await fresh();
    await register();
    const from = (ip: string, pw: string) =>
      callerFor(world, { ip }).auth.login({ email: "ann@example.test", password: pw });
    for (let i = 0; i < 8; i++) await refusalOf(from("198.51.100.66", "wrong password"));
    expect((await refusalOf(from("198.51.100.66", password))).reason).toBe("RATE_LIMITED");
    expect((await refusalOf(from("203.0.113.9", "wrong password"))).reason).toBe(
      "INVALID_CREDENTIALS",
    );
    expect((await from("203.0.113.9", password)).user.email).toBe("ann@example.test");
    // The owner's success does not free the attacker's address.
    expect((await refusalOf(from("198.51.100.66", password))).reason).toBe("RATE_LIMITED");
  });

  it("caps an email's failures from all IPs together at 50 an hour", async () => {
    const clock = new ManualClock(Date.parse("2026-03-01T12:00:00Z"));
    await fresh({ clock });
    await register();
    // Ten minutes ago, 5 failures from each of ten addresses: distributed guessing.
    for (let i = 0; i < 50; i++) {
      failedCheck("ann@example.test", `198.51.100.${i % 10}`, clock.now() - 600_000);
    }
    const login = callerFor(world, { ip: "203.0.113.9" }).auth.login({
      email: "ann@example.test",
      password,
    });
    expect(await refusalOf(login)).toMatchObject({
      reason: "RATE_LIMITED",
      details: { retryAfterSeconds: 3000 },
    });
    clock.advance(3_000_000);
    await callerFor(world, { ip: "203.0.113.9" }).auth.login({
      email: "ann@example.test",
      password,
    });
  });

  it("caps one IP's failures over all emails at 30 in 15 minutes", async () => {
    const clock = new ManualClock(Date.parse("2026-03-01T12:00:00Z"));
    await fresh({ clock });
    await register();
    for (let i = 0; i < 30; i++)
      failedCheck(`sprayed${i}@example.test`, "198.51.100.7", clock.now());
    const from = (ip: string) =>
      callerFor(world, { ip }).auth.login({ email: "ann@example.test", password });
    expect(await refusalOf(from("198.51.100.7"))).toMatchObject({
      reason: "RATE_LIMITED",
      details: { retryAfterSeconds: 900 },
    });
    await from("198.51.100.8");
    clock.advance(900_000);
    await from("198.51.100.7");
  });

  it("throttles register and login together per client IP", async () => {
    await fresh();
    const rateLimits = new AuthRateLimits(world.services.db, 3);
    const fromIp = (ip: string) => callerFor(world, { ip, rateLimits }).auth;
    await fromIp("198.51.100.1").register({ email: "a@example.test", password, name: "A" });
    await fromIp("198.51.100.1").login({ email: "a@example.test", password });
    await fromIp("198.51.100.1").login({ email: "a@example.test", password });
    const refusal = await refusalOf(
      fromIp("198.51.100.1").register({ email: "b@example.test", password, name: "B" }),
    );
    expect(refusal).toMatchObject({ code: "TOO_MANY_REQUESTS", reason: "RATE_LIMITED" });
    // Another address is unaffected.
    await fromIp("198.51.100.2").login({ email: "a@example.test", password });
  });
});

describe("auth.logout and auth.me", () => {
  it("answers null to anonymous callers", async () => {
    await fresh();
    expect(await callerFor(world).auth.me()).toBeNull();
  });

  it("deletes the session server-side and clears the cookie", async () => {
    await fresh();
    const { token } = await register();
    const resHeaders = new Headers();
    expect(await callerFor(world, { token, resHeaders }).auth.logout()).toEqual({ ok: true });
    expect(resHeaders.get("set-cookie")).toMatch(/^session=;.*Max-Age=0/);
    expect(world.services.sessions.validate(token, world.services.clock.now())).toBeNull();
    expect(await callerFor(world, { token }).auth.me()).toBeNull();
  });

  it("refuses to log out without a session", async () => {
    await fresh();
    expect((await refusalOf(callerFor(world).auth.logout())).code).toBe("UNAUTHORIZED");
  });
});

describe("auth.changePassword", () => {
  it("refuses a wrong current password with INVALID_CREDENTIALS and keeps the old one", async () => {
    await fresh();
    const { token } = await register();
    const refusal = await refusalOf(
      callerFor(world, { token }).auth.changePassword({
        currentPassword: "not my password",
        newPassword: "a brand new passphrase",
      }),
    );
    expect(refusal).toMatchObject({ code: "UNAUTHORIZED", reason: "INVALID_CREDENTIALS" });
    await callerFor(world).auth.login({ email: "ann@example.test", password });
  });

  it("throttles wrong current passwords like failed sign-ins, together with them", async () => {
    // A clock that stands still: the minute is counted from the first failure, and five password
    // hashes on a loaded machine take a second of a real one.
    await fresh({ clock: new ManualClock(Date.parse("2026-03-01T12:00:00Z")) });
    const { token } = await register();
    const change = (currentPassword: string) =>
      callerFor(world, { token }).auth.changePassword({
        currentPassword,
        newPassword: "a brand new passphrase",
      });
    for (let i = 0; i < 5; i++) {
      expect((await refusalOf(change("not my password"))).reason).toBe("INVALID_CREDENTIALS");
    }
    expect(await refusalOf(change(password))).toMatchObject({
      code: "TOO_MANY_REQUESTS",
      reason: "RATE_LIMITED",
      details: { retryAfterSeconds: 60 },
    });
    // Same email, same address: signing in waits as well; elsewhere it does not.
    const login = (ip: string) =>
      callerFor(world, { ip }).auth.login({ email: "ann@example.test", password });
    expect((await refusalOf(login("203.0.113.7"))).reason).toBe("RATE_LIMITED");
    await login("198.51.100.20");
  });

  it("counts changePassword against the per-IP call limit", async () => {
    await fresh();
    const { token } = await register();
    const rateLimits = new AuthRateLimits(world.services.db, 2);
    const change = () =>
      callerFor(world, { token, rateLimits }).auth.changePassword({
        currentPassword: "not my password",
        newPassword: "a brand new passphrase",
      });
    await refusalOf(change());
    await refusalOf(change());
    expect((await refusalOf(change())).reason).toBe("RATE_LIMITED");
  });

  it("revokes every other session and returns a working token for the new password", async () => {
    await fresh();
    const { token: laptop } = await register();
    const { token: phone } = await callerFor(world).auth.login({
      email: "ann@example.test",
      password,
    });
    // Validated once, so the session store has it cached: revocation must reach the cache too.
    expect(await callerFor(world, { token: phone }).auth.me()).not.toBeNull();
    const resHeaders = new Headers();
    const { token } = await callerFor(world, { token: laptop, resHeaders }).auth.changePassword({
      currentPassword: password,
      newPassword: "a brand new passphrase",
    });
    expect(resHeaders.get("set-cookie")).toStartWith(`session=${token};`);
    expect(await callerFor(world, { token: phone }).auth.me()).toBeNull();
    expect(await callerFor(world, { token: laptop }).auth.me()).toBeNull();
    expect((await callerFor(world, { token }).auth.me())?.email).toBe("ann@example.test");
    const old = await refusalOf(
      callerFor(world).auth.login({ email: "ann@example.test", password }),
    );
    expect(old.reason).toBe("INVALID_CREDENTIALS");
    await callerFor(world).auth.login({
      email: "ann@example.test",
      password: "a brand new passphrase",
    });
  });

  it("refuses a new password outside 8..128 as BAD_REQUEST naming newPassword", async () => {
    await fresh();
    const { token } = await register();
    const refusal = await refusalOf(
      callerFor(world, { token }).auth.changePassword({
        currentPassword: password,
        newPassword: "x",
      }),
    );
    expect(refusal).toMatchObject({ code: "BAD_REQUEST", fields: ["newPassword"] });
  });
});
