import { describe, expect, it } from "bun:test";
import { DomainError } from "@boxoffice/core";
import { CodeMisses } from "./codes.ts";

const invalid = () => Promise.reject(new DomainError("CODE_INVALID", "No such code"));
const good = () => Promise.resolve("booked");

/** An IP that counts how often it was asked for. */
function askedIp(address: string) {
  const ip = () => {
    ip.asked += 1;
    return address;
  };
  ip.asked = 0;
  return ip;
}

describe("CodeMisses", () => {
  it("never asks for the IP of a good code while no IP has misses", async () => {
    const misses = new CodeMisses(2, () => 0);
    const ip = askedIp("203.0.113.1");
    for (let i = 0; i < 5; i++) expect(await misses.guard(ip, good)).toBe("booked");
    expect(ip.asked).toBe(0);
  });

  it("counts misses per IP and refuses that IP alone once it has used them up", async () => {
    const misses = new CodeMisses(2, () => 1_000);
    const guesser = askedIp("203.0.113.1");
    const other = askedIp("203.0.113.2");
    for (let i = 0; i < 2; i++) {
      await expect(misses.guard(guesser, invalid)).rejects.toMatchObject({
        reason: "CODE_INVALID",
      });
    }
    await expect(misses.guard(guesser, good)).rejects.toMatchObject({ reason: "RATE_LIMITED" });
    // Once some IP has misses, every code's IP is looked at.
    expect(await misses.guard(other, good)).toBe("booked");
    expect(other.asked).toBe(1);
  });

  it("lets the IP try again after the minute, and forgets it on sweep", async () => {
    let now = 0;
    const misses = new CodeMisses(1, () => now);
    const ip = askedIp("203.0.113.1");
    await expect(misses.guard(ip, invalid)).rejects.toMatchObject({ reason: "CODE_INVALID" });
    await expect(misses.guard(ip, good)).rejects.toMatchObject({ reason: "RATE_LIMITED" });
    now = 60_001;
    expect(await misses.guard(ip, good)).toBe("booked");
    misses.sweep();
    const asked = ip.asked;
    expect(await misses.guard(ip, good)).toBe("booked");
    expect(ip.asked).toBe(asked);
  });
});
