import { afterAll, describe, expect, it } from "bun:test";
import { createContextFactory } from "./context.ts";
import { createCaller } from "./root.ts";
import { createTestWorld } from "./testing.ts";

const world = await createTestWorld();
afterAll(() => world.close());

/** A caller whose context counts how often the client's address was asked for. */
function counting(token: string | null) {
  const asked = { n: 0 };
  const createContext = createContextFactory(world.services);
  const headers = new Headers(token ? { authorization: `Bearer ${token}` } : {});
  const caller = createCaller(() =>
    createContext({
      req: new Request("http://localhost/trpc", { headers }),
      resHeaders: null,
      clientIp: () => {
        asked.n += 1;
        return "198.51.100.23";
      },
      requestId: "context-test",
    }),
  );
  return { caller, asked };
}

describe("the request context", () => {
  it("asks for the client's address only in the calls kept within limits per address", async () => {
    const { token } = await world.signUp("attendee");
    const signedIn = counting(token);
    await signedIn.caller.system.noop({ eventId: "evt_none" });
    await signedIn.caller.auth.me();
    expect(signedIn.asked.n).toBe(0);

    // A sign-in counts against its address: the address is asked for, and used.
    const signingIn = counting(null);
    await expect(
      signingIn.caller.auth.login({ email: "nobody@example.test", password: "not the password" }),
    ).rejects.toThrow();
    expect(signingIn.asked.n).toBeGreaterThan(0);
  });
});
