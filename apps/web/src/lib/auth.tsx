import { hashKey, type QueryClient, type QueryKey, useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link, useLocation } from "react-router";
import { Loading } from "../components/ui.tsx";
import { type RouterOutputs, useTRPC } from "./trpc.ts";

export type Me = NonNullable<RouterOutputs["auth"]["me"]>;
export type Role = Me["role"];

export function useMe() {
  const trpc = useTRPC();
  return useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));
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
}
