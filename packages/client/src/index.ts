import type { AppRouter } from "@boxoffice/api";
import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCLink,
} from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { EventSource } from "eventsource";

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export { TRPCClientError } from "@trpc/client";

export interface ClientOptions {
  /** The server's base URL, e.g. http://127.0.0.1:3000 (the client adds /trpc). */
  readonly url: string;
  /** A session token; sent as `Authorization: Bearer`. */
  readonly token?: string;
  /** false sends one HTTP request per call (what load tests want); default true. */
  readonly batch?: boolean;
}

/** A typed tRPC client for scripts and tests: batching for calls, SSE for subscriptions. */
export function createClient(options: ClientOptions) {
  const url = `${options.url.replace(/\/$/, "")}/trpc`;
  const headers = (): Record<string, string> =>
    options.token ? { authorization: `Bearer ${options.token}` } : {};
  const calls: TRPCLink<AppRouter> =
    options.batch === false
      ? httpLink({ url, headers })
      : // Within the server's limits (BATCH_MAX, at least 20; 8 KiB URLs): longer batches split.
        httpBatchLink({ url, headers, maxItems: 20, maxURLLength: 8_000 });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        // Bun has no EventSource; the `eventsource` package's takes a fetch, which carries the token.
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) =>
              fetch(input, { ...init, headers: { ...init?.headers, ...headers() } }),
          }),
        }),
        false: calls,
      }),
    ],
  });
}

export type Client = ReturnType<typeof createClient>;

type BookResult = RouterOutputs["bookings"]["book"];

/** The booking of a `bookings.book` result; throws if the buyer was put on the waitlist instead. */
export function confirmedBooking(
  result: BookResult,
): Extract<BookResult, { status: "confirmed" }>["booking"] {
  if (result.status !== "confirmed") {
    throw new Error(`Expected a confirmed booking, but the buyer was ${result.status}`);
  }
  return result.booking;
}

type RoomChallenge = RouterOutputs["room"]["challenge"];

/**
 * Solves an on-sale room's challenge as the widget does, and returns what `room.enter` takes as
 * `solution` (base64 of `{challenge, solution}` JSON). It costs what the organizer's difficulty
 * says, here as in a browser: the point of the check (README "On-sale room").
 */
export async function roomSolution(challenge: RoomChallenge): Promise<string> {
  const { solveChallenge } = await import("altcha-lib");
  const { deriveKey } = challenge.parameters.algorithm.startsWith("PBKDF2")
    ? await import("altcha-lib/algorithms/pbkdf2")
    : await import("altcha-lib/algorithms/sha");
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error("The room's challenge could not be solved");
  return btoa(JSON.stringify({ challenge, solution }));
}
