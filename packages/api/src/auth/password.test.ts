import { describe, expect, it } from "bun:test";
import { hashPassword, PASSWORD_HASH, verifyPassword } from "./password.ts";

describe("password hashes", () => {
  it("are argon2id at OWASP's first recommended cost: 19 MiB, two passes, one lane", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toStartWith("$argon2id$v=19$m=19456,t=2,p=1$");
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse battery!", hash)).toBe(false);
    expect(PASSWORD_HASH.memoryCost).toBe(19_456);
  });

  it("made with Bun's default (64 MiB) before still verify: those accounts keep signing in", async () => {
    const before = await Bun.password.hash("an older password", { algorithm: "argon2id" });
    expect(before).toStartWith("$argon2id$v=19$m=65536,t=2,p=1$");
    expect(await verifyPassword("an older password", before)).toBe(true);
    expect(await verifyPassword("another password", before)).toBe(false);
  });

  it("never match an unknown account or an unusable stored hash", async () => {
    expect(await verifyPassword("anything", null)).toBe(false);
    expect(await verifyPassword("anything", "not a hash")).toBe(false);
  });
});
