import { afterEach, describe, expect, it } from "bun:test";
import { ManualClock } from "@boxoffice/core";
import { createOutboxStore, tables } from "@boxoffice/db";
import { hashToken } from "../auth/account-links.ts";
import { AuthRateLimits } from "../auth/rate-limit.ts";
import { callerFor, refusalOf } from "../auth/testing.ts";
import { createTestWorld, type TestWorld } from "../testing.ts";

const password = "correct horse battery";
const HOUR = 3_600_000;
let world: TestWorld;

afterEach(async () => {
  await world?.close();
});

async function fresh() {
  const clock = new ManualClock(1_800_000_000_000);
  world = await createTestWorld({ clock });
  return clock;
}

const config = { publicOrigin: "https://tickets.example.org" };

async function register(email = "ann@example.test") {
  return callerFor(world, { config }).auth.register({ email, password, name: "Ann" });
}

/** The account mails in the outbox, oldest first, as the dispatcher would render them. */
function accountMails() {
  const store = createOutboxStore(world.services.db);
  return store
    .due(world.services.clock.now(), 100, new Set())
    .filter((row) => "account" in row)
    .map((row) => ("account" in row ? row : never()));
}
const never = (): never => {
  throw new Error("unreachable");
};

/** The token of the newest link of `kind` mailed. */
function lastToken(kind: "password_reset" | "email_verification"): string {
  const mail = accountMails()
    .filter((m) => m.message.kind === kind)
    .at(-1);
  const link = mail?.message.payload.link ?? "";
  return link.slice(link.lastIndexOf("/") + 1);
}

describe("auth.requestPasswordReset", () => {
  it("mails a link under PUBLIC_ORIGIN and stores only the token's SHA-256", async () => {
    const clock = await fresh();
    await register();
    const answer = await callerFor(world, { config }).auth.requestPasswordReset({
      email: " Ann@Example.test ",
    });
    expect(answer).toEqual({ ok: true });
    const [mail] = accountMails();
    expect(mail?.recipient.email).toBe("ann@example.test");
    expect(mail?.message.kind).toBe("password_reset");
    expect(mail?.message.payload.link).toMatch(
      /^https:\/\/tickets\.example\.org\/reset-password\/[a-z2-9]{32}$/,
    );
    expect(mail?.message.payload.expiresAt).toBe(clock.now() + HOUR);
    const token = lastToken("password_reset");
    const rows = world.services.db.select().from(tables.accountTokens).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("answers ok for an unknown email and mails nobody", async () => {
    await fresh();
    const answer = await callerFor(world).auth.requestPasswordReset({
      email: "nobody@example.test",
    });
    expect(answer).toEqual({ ok: true });
    expect(accountMails()).toEqual([]);
  });

  it("mails one account at most three links an hour, and still answers ok", async () => {
    const clock = await fresh();
    await register();
    const caller = callerFor(world);
    for (let i = 0; i < 5; i++) {
      expect(await caller.auth.requestPasswordReset({ email: "ann@example.test" })).toEqual({
        ok: true,
      });
    }
    expect(accountMails()).toHaveLength(3);
    clock.advance(HOUR + 1);
    await caller.auth.requestPasswordReset({ email: "ann@example.test" });
    // The first three expired unsent by now (they would have gone out at once in a server).
    expect(accountMails()).toHaveLength(1);
  });

  it("is throttled per client IP like sign-in", async () => {
    await fresh();
    const limited = callerFor(world, { rateLimits: new AuthRateLimits(world.services.db, 2) });
    await limited.auth.requestPasswordReset({ email: "a@example.test" });
    await limited.auth.requestPasswordReset({ email: "b@example.test" });
    const refusal = await refusalOf(limited.auth.requestPasswordReset({ email: "c@example.test" }));
    expect(refusal).toMatchObject({ code: "TOO_MANY_REQUESTS", reason: "RATE_LIMITED" });
  });
});

describe("account mails in the outbox", () => {
  it("lose their link once sent, so the outbox keeps no usable token", async () => {
    await fresh();
    await register();
    await callerFor(world).auth.requestPasswordReset({ email: "ann@example.test" });
    const [mail] = accountMails();
    const store = createOutboxStore(world.services.db);
    expect(store.tryRecord([{ id: mail?.id ?? 0, sentAt: world.services.clock.now() }], 0)).toBe(
      true,
    );
    const rows = world.services.db.select().from(tables.outbox).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.payload).not.toHaveProperty("link");
    expect(JSON.stringify(rows)).not.toContain(lastTokenOf(mail?.message.payload.link));
  });

  it("are given up, not sent, when the link expired before they could go out", async () => {
    const clock = await fresh();
    await register();
    await callerFor(world).auth.requestPasswordReset({ email: "ann@example.test" });
    clock.advance(HOUR);
    expect(accountMails()).toEqual([]);
    const [row] = world.services.db.select().from(tables.outbox).all();
    expect(row?.failedAt).toBe(clock.now());
    expect(row?.lastError).toContain("expired");
    expect(row?.payload).not.toHaveProperty("link");
  });
});

const lastTokenOf = (link: string | undefined) => (link ?? "").split("/").at(-1) ?? "";

describe("auth.resetPassword", () => {
  it("sets the password, revokes every session, signs in here, and spends the link", async () => {
    await fresh();
    const { token: oldSession } = await register();
    await callerFor(world).auth.requestPasswordReset({ email: "ann@example.test" });
    const link = lastToken("password_reset");
    const headers = new Headers();
    const reset = await callerFor(world, { resHeaders: headers }).auth.resetPassword({
      token: link,
      newPassword: "a brand new secret",
    });
    expect(reset.user.email).toBe("ann@example.test");
    // The link arrived in the mailbox: the address is the owner's.
    expect(reset.user.emailVerified).toBe(true);
    expect(headers.get("set-cookie")).toContain(`session=${reset.token}`);
    expect(await callerFor(world, { token: oldSession }).auth.me()).toBeNull();
    expect((await callerFor(world, { token: reset.token }).auth.me())?.email).toBe(
      "ann@example.test",
    );
    const login = callerFor(world).auth.login;
    expect(await refusalOf(login({ email: "ann@example.test", password }))).toMatchObject({
      reason: "INVALID_CREDENTIALS",
    });
    expect(
      (await login({ email: "ann@example.test", password: "a brand new secret" })).user.email,
    ).toBe("ann@example.test");
    const again = await refusalOf(
      callerFor(world).auth.resetPassword({ token: link, newPassword: "yet another one" }),
    );
    expect(again).toMatchObject({ code: "NOT_FOUND", reason: "LINK_INVALID" });
  });

  it("refuses a link after an hour, an unknown one and a malformed one with LINK_INVALID", async () => {
    const clock = await fresh();
    await register();
    await callerFor(world).auth.requestPasswordReset({ email: "ann@example.test" });
    const link = lastToken("password_reset");
    clock.advance(HOUR);
    const reset = (token: string) =>
      refusalOf(callerFor(world).auth.resetPassword({ token, newPassword: "whatever it is" }));
    expect(await reset(link)).toMatchObject({ reason: "LINK_INVALID" });
    expect(await reset("a".repeat(32))).toMatchObject({ reason: "LINK_INVALID" });
    expect(await reset("not even a token!")).toMatchObject({ reason: "LINK_INVALID" });
  });

  it("spends every earlier link of the account with the one used", async () => {
    await fresh();
    await register();
    const caller = callerFor(world);
    await caller.auth.requestPasswordReset({ email: "ann@example.test" });
    const first = lastToken("password_reset");
    await caller.auth.requestPasswordReset({ email: "ann@example.test" });
    const second = lastToken("password_reset");
    await caller.auth.resetPassword({ token: second, newPassword: "the second one" });
    expect(
      await refusalOf(caller.auth.resetPassword({ token: first, newPassword: "the first one" })),
    ).toMatchObject({ reason: "LINK_INVALID" });
  });

  it("lets one of two simultaneous uses of a link win", async () => {
    await fresh();
    await register();
    await callerFor(world).auth.requestPasswordReset({ email: "ann@example.test" });
    const link = lastToken("password_reset");
    const results = await Promise.allSettled(
      ["first racer pass", "second racer pass"].map((newPassword) =>
        callerFor(world).auth.resetPassword({ token: link, newPassword }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("checks the new password's policy", async () => {
    await fresh();
    const refusal = await refusalOf(
      callerFor(world).auth.resetPassword({ token: "a".repeat(32), newPassword: "short" }),
    );
    expect(refusal).toMatchObject({ code: "BAD_REQUEST", fields: ["newPassword"] });
  });
});

describe("email verification", () => {
  it("mails the signed-in user a link that marks the address verified", async () => {
    await fresh();
    const { token: session, user } = await register();
    expect(user.emailVerified).toBe(false);
    const me = callerFor(world, { token: session, config });
    expect(await me.auth.requestEmailVerification()).toEqual({ ok: true, alreadyVerified: false });
    const [mail] = accountMails();
    expect(mail?.message).toMatchObject({
      kind: "email_verification",
      payload: { email: "ann@example.test" },
    });
    expect(mail?.message.payload.link).toStartWith("https://tickets.example.org/verify-email/");
    // Followed in a browser where nobody is signed in.
    const verified = await callerFor(world).auth.verifyEmail({
      token: lastToken("email_verification"),
    });
    expect(verified).toEqual({ ok: true, email: "ann@example.test" });
    const meNow = callerFor(world, { token: session });
    expect((await meNow.auth.me())?.emailVerified).toBe(true);
    // A second click on the same link says the same.
    expect(
      await callerFor(world).auth.verifyEmail({ token: lastToken("email_verification") }),
    ).toEqual({ ok: true, email: "ann@example.test" });
    expect(await meNow.auth.requestEmailVerification()).toEqual({
      ok: true,
      alreadyVerified: true,
    });
  });

  it("refuses the fourth link within an hour, and an expired or unknown link", async () => {
    const clock = await fresh();
    const { token: session } = await register();
    const me = callerFor(world, { token: session });
    for (let i = 0; i < 3; i++) await me.auth.requestEmailVerification();
    expect(await refusalOf(me.auth.requestEmailVerification())).toMatchObject({
      reason: "RATE_LIMITED",
    });
    const link = lastToken("email_verification");
    clock.advance(24 * HOUR);
    expect(await refusalOf(callerFor(world).auth.verifyEmail({ token: link }))).toMatchObject({
      reason: "LINK_INVALID",
    });
    expect(
      await refusalOf(callerFor(world).auth.verifyEmail({ token: "b".repeat(32) })),
    ).toMatchObject({ reason: "LINK_INVALID" });
  });

  it("needs a signed-in user to ask for a link", async () => {
    await fresh();
    expect(await refusalOf(callerFor(world).auth.requestEmailVerification())).toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});
