/**
 * Password hashing with argon2id (Bun's built-in, which runs off the main thread). Hashes are
 * self-describing PHC strings, so changing the parameters later keeps old hashes verifiable.
 */

/**
 * OWASP's first recommended argon2id configuration (Password Storage Cheat Sheet; also what
 * Lucia's guide uses): 19 MiB, two passes, one lane. Bun's default, 64 MiB, cost 137 ms of CPU
 * per check here against 35 ms for these: on a 2-core server in an on-sale, three sign-ins a
 * second at the default took a fifth of the machine and 23–30 % of the booking rate (measured).
 * Hashes made with the default before keep verifying, at their own cost.
 */
export const PASSWORD_HASH = { algorithm: "argon2id", memoryCost: 19_456, timeCost: 2 } as const;

export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, PASSWORD_HASH);
}

let dummyHash: Promise<string> | null = null;

/**
 * A hash of a random password, made once with the same parameters as real ones: verifying
 * against it when an email is unknown costs what a real check costs, so response time does not
 * tell whether an account exists.
 */
function dummy(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomUUID());
  return dummyHash;
}

/**
 * True when `password` matches `hash`. A null hash (unknown user) is checked against the dummy
 * and is never a match; an unparseable stored hash counts as a mismatch rather than a 500.
 */
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  if (hash !== null) {
    try {
      return await Bun.password.verify(password, hash);
    } catch {
      // Unparseable: fall through, so that it takes as long as a real mismatch.
    }
  }
  await Bun.password.verify(password, await dummy()).catch(() => false);
  return false;
}
