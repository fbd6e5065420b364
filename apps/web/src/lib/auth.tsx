import {
  hashKey,
  type QueryClient,
  type QueryKey,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { type ReactNode, useEffect } from "react";
import { Link, useLocation } from "react-router";
import { Loading } from "../components/ui.tsx";
import { errorData } from "./errors.ts";
import { type RouterOutputs, useTRPC } from "./trpc.ts";

export type Me = NonNullable<RouterOutputs["auth"]["me"]>;
export type Role = Me["role"];

/** Who is signed in (null: nobody), kept true to the session (see `watchSession`). */
export function useMe() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const meKey = trpc.auth.me.queryKey();
  useEffect(() => watchSession(queryClient, meKey), [queryClient]);
  return useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));
}

/** A call refused because the session is gone (expired, or signed out elsewhere). */
export function needsSignIn(error: unknown): boolean {
  const data = errorData(error);
  // INVALID_CREDENTIALS is also a 401, but it answers a wrong password, not a lost session.
  return data?.code === "UNAUTHORIZED" && !data.reason;
}

const SESSION_CHANNEL = "boxoffice-session";
/** This tab, so that it does not react to its own sign-in or sign-out. */
const TAB = Math.random().toString(36).slice(2);
const watched = new WeakSet<QueryClient>();

/**
 * Keeps the signed-in user (and so the header) true at once: any call answered "sign in first"
 * means the session is gone, so the user becomes nobody; and a sign-in or sign-out in another
 * tab (`switchUser` there) makes this tab read everything again. Once per query client, for its
 * lifetime (the app's).
 */
function watchSession(queryClient: QueryClient, meKey: QueryKey): void {
  if (watched.has(queryClient)) return;
  watched.add(queryClient);
  const onError = (event: { type: string; action?: { type: string; error?: unknown } }) => {
    if (event.type !== "updated" || event.action?.type !== "error") return;
    if (!needsSignIn(event.action.error) || queryClient.getQueryData(meKey) === null) return;
    queryClient.setQueryData(meKey, null);
  };
  queryClient.getQueryCache().subscribe(onError);
  queryClient.getMutationCache().subscribe(onError);
  if (typeof BroadcastChannel === "function") {
    new BroadcastChannel(SESSION_CHANNEL).onmessage = (message) => {
      if (message.data !== TAB) queryClient.invalidateQueries();
    };
  }
}

/**
 * "Sign in" as a link that comes back here afterwards: beside "Please sign in to continue."
 * wherever a call found the session gone.
 */
export function SignInAgain() {
  const location = useLocation();
  const next = encodeURIComponent(location.pathname + location.search);
  return (
    <Link className="font-medium underline" to={`/login?next=${next}`}>
      Sign in
    </Link>
  );
}

/** Renders children for a signed-in user with one of `roles`; otherwise says what is needed. */
export function RequireRole({ roles, children }: { roles?: Role[]; children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Loading />;
  if (!me.data) {
    const next = encodeURIComponent(location.pathname + location.search);
    return (
      <div className="mx-auto max-w-md py-10 text-center">
        <h1 className="mb-2 text-xl font-semibold">Please sign in</h1>
        <p className="mb-4 text-slate-700">You need an account to see this page.</p>
        <Link className="font-medium text-indigo-700 underline" to={`/login?next=${next}`}>
          Sign in
        </Link>
      </div>
    );
  }
  if (roles && !roles.includes(me.data.role)) {
    return (
      <div className="mx-auto max-w-md py-10 text-center">
        <h1 className="mb-2 text-xl font-semibold">Not available</h1>
        <p className="text-slate-700">This page is for {roles.join(" or ")} accounts.</p>
      </div>
    );
  }
  return <>{children}</>;
}

/**
 * After sign-in, sign-up or sign-out: the signed-in user becomes `user`, and everything else
 * cached belonged to the previous visitor. (clear() would also orphan the header's own query.)
 */
export function switchUser(queryClient: QueryClient, meKey: QueryKey, user: Me | null): void {
  queryClient.setQueryData(meKey, user);
  const keep = hashKey(meKey);
  queryClient.removeQueries({ predicate: (query) => query.queryHash !== keep });
  // Other tabs share the session cookie: they read who is signed in again.
  if (typeof BroadcastChannel === "function") {
    const channel = new BroadcastChannel(SESSION_CHANNEL);
    channel.postMessage(TAB);
    channel.close();
  }
}
