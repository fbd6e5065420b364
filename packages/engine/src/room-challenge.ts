/**
 * The room's bot check: ALTCHA v2 proof-of-work challenges (docs/API.md "room", README "On-sale
 * room"). The point is cost per attempt, not secrecy: a buyer spends CPU once to enter, a bot
 * spends it per place it wants.
 *
 * Deterministic mode: the server draws a counter, derives PBKDF2-SHA-256 (the widget's `pbkdf2`
 * worker) at it and publishes the first half of the derived key; the solver derives from 0 up
 * until the prefix matches, on average half the counter's range. The server signs the parameters
 * and the derived key (key signature), so checking a solution is two HMACs whatever the
 * difficulty, and making one costs a single derivation (on Bun's thread pool, off the event loop).
 */
import { type Challenge, createChallenge, randomInt, verifySolution } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { UsedKeys } from "./used-keys.ts";

export const CHALLENGE_ALGORITHM = "PBKDF2/SHA-256";
/** How long a challenge may be solved and used. */
export const CHALLENGE_SECONDS = 600;

/**
 * PBKDF2 iterations per try and the counter's range, by difficulty (1..10). Difficulty 1 is
 * nearly free (tests, scripts, trusted events); from 2 on each step doubles the expected work.
 * Measured with `solveChallenge` in Bun on one core of the development machine (≈ 0.25 ms per
 * try at 1,000 iterations); a phone is taken as about 4 × slower (table in docs/API.md "room").
 */
export function challengeCost(difficulty: number): { cost: number; maxCounter: number } {
  const d = Math.min(10, Math.max(1, Math.round(difficulty)));
  if (d === 1) return { cost: 100, maxCounter: 40 };
  return { cost: 1_000, maxCounter: 200 * 2 ** (d - 1) };
}

export type SolutionProblem = "malformed" | "foreign" | "expired" | "wrong" | "used";

/** What a refused solution is told (an issue on `solution`). */
export const SOLUTION_MESSAGES: Record<SolutionProblem, string> = {
  malformed: "Not a challenge solution",
  foreign: "This challenge was made for another event",
  expired: "The challenge expired; solve a new one",
  wrong: "The challenge was not solved",
  used: "This solution was already used; solve a new challenge",
};

interface Payload {
  readonly challenge: Challenge;
  readonly solution: { counter: number; derivedKey: string };
}

function parsePayload(base64: string): Payload | null {
  try {
    const text = Buffer.from(base64.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString();
    const value = JSON.parse(text) as Partial<Payload> | null;
    const params = value?.challenge?.parameters;
    const solution = value?.solution;
    if (!params || typeof params !== "object" || typeof value?.challenge?.signature !== "string") {
      return null;
    }
    if (!solution || typeof solution !== "object") return null;
    return value as Payload;
  } catch {
    return null;
  }
}

/** Used challenges (by signature) are kept until they expire, up to this many at once. */
const USED_MAX = 200_000;

export class RoomChallenges {
  /** Signatures (as `usedKey`) until their challenge expires: a solution enters once. */
  private readonly used = new UsedKeys(USED_MAX);

  constructor(
    private readonly secret: () => string,
    private readonly now: () => number,
  ) {}

  /** A new challenge for entering this event's room at this difficulty. */
  async create(eventId: string, difficulty: number): Promise<Challenge> {
    const { cost, maxCounter } = challengeCost(difficulty);
    const secret = this.secret();
    return createChallenge({
      algorithm: CHALLENGE_ALGORITHM,
      cost,
      counter: randomInt(maxCounter, 0),
      deriveKey,
      data: { eventId },
      expiresAt: Math.floor(this.now() / 1000) + CHALLENGE_SECONDS,
      hmacSignatureSecret: secret,
      hmacKeySignatureSecret: keySecretOf(secret),
    });
  }

  /**
   * Checks a widget payload for this event and uses it up: null when it may enter, else why not.
   * Expiry is judged on the engine's clock (the library also checks the wall clock).
   */
  async verify(eventId: string, base64: string): Promise<SolutionProblem | null> {
    const payload = parsePayload(base64);
    if (!payload) return "malformed";
    const { parameters, signature } = payload.challenge;
    if (parameters.data?.eventId !== eventId) return "foreign";
    const expiresAt = (parameters.expiresAt ?? 0) * 1000;
    if (expiresAt <= this.now()) return "expired";
    let result: Awaited<ReturnType<typeof verifySolution>>;
    try {
      const secret = this.secret();
      result = await verifySolution({
        challenge: payload.challenge,
        solution: payload.solution,
        deriveKey,
        hmacSignatureSecret: secret,
        hmacKeySignatureSecret: keySecretOf(secret),
      });
    } catch {
      return "malformed";
    }
    if (result.expired) return "expired";
    if (!result.verified) return "wrong";
    // Synchronous check-and-set after the last await: two requests with one solution, one wins.
    return this.used.addIfAbsent(usedKey(signature as string), expiresAt, this.now())
      ? null
      : "used";
  }

  /** Forgets used challenges that have expired anyway (they are refused as expired). */
  sweep(): void {
    this.used.sweep(this.now());
  }
}

/**
 * A verified signature (an HMAC-SHA-256, hex) as the used map's key: its first 52 bits, a number
 * rather than a 64-character string, so that every waiting buyer keeps ~100 bytes less for it.
 * A new solution's key matches one of USED_MAX kept ones with odds of about 1 in 2 × 10^10 (2^52
 * / 200,000); its buyer is then told it was used, and solves a new challenge.
 */
export const usedKey = (signature: string): number => Number.parseInt(signature.slice(0, 13), 16);

/** The key signature's secret: derived, so that one stored secret serves both HMACs. */
const keySecretOf = (secret: string) => `${secret}:derived-key`;
