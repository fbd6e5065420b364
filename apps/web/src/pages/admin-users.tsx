import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import {
  Button,
  Empty,
  ErrorBox,
  Loading,
  LoadMore,
  Notice,
  PageTitle,
  SearchForm,
} from "../components/ui.tsx";
import { useMe } from "../lib/auth.tsx";
import { dateTime } from "../lib/format.ts";
import { type RouterOutputs, useTRPC } from "../lib/trpc.ts";

type User = RouterOutputs["users"]["list"]["items"][number];
const roles = ["attendee", "organizer", "admin"] as const;

function RoleSelect({ user, onChanged }: { user: User; onChanged: (u: User) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const setRole = useMutation(
    trpc.users.setRole.mutationOptions({
      onSuccess: (u) => {
        queryClient.invalidateQueries({ queryKey: trpc.users.list.pathKey() });
        onChanged(u);
      },
    }),
  );
  const id = `role-${user.id}`;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="sr-only">
        Role of {user.name}
      </label>
      <select
        id={id}
        value={setRole.variables?.role && setRole.isPending ? setRole.variables.role : user.role}
        disabled={setRole.isPending}
        onChange={(e) => setRole.mutate({ userId: user.id, role: e.target.value as User["role"] })}
        className="min-h-11 rounded-md border border-slate-400 bg-white px-2"
      >
        {roles.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <ErrorBox error={setRole.error} />
    </div>
  );
}

/**
 * Who asked to become an organizer (ORGANIZER_SIGNUP=approval) and waits for an admin: approving
 * makes them an organizer (users.setRole), declining leaves them an attendee. Nothing shows when
 * nobody waits, which is always the case with open sign-up.
 */
function OrganizerRequests({ onDecided }: { onDecided: (notice: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pending = useQuery(trpc.users.list.queryOptions({ pendingOrganizer: true, limit: 100 }));
  const decided = (notice: string) => {
    queryClient.invalidateQueries({ queryKey: trpc.users.list.pathKey() });
    onDecided(notice);
  };
  const approve = useMutation(
    trpc.users.setRole.mutationOptions({
      onSuccess: (u) => decided(`${u.name} is now an organizer.`),
    }),
  );
  const decline = useMutation(
    trpc.users.declineOrganizer.mutationOptions({
      onSuccess: (u) => decided(`Declined: ${u.name} stays an attendee.`),
    }),
  );
  const items = pending.data?.items ?? [];
  if (items.length === 0 && !pending.isError) return null;
  const busy = approve.isPending || decline.isPending;
  return (
    <section aria-labelledby="organizer-requests" className="mt-4">
      <h2 id="organizer-requests" className="mb-2 text-lg font-semibold">
        Organizer requests
      </h2>
      <ErrorBox error={pending.error ?? approve.error ?? decline.error} />
      <ul className="flex flex-col gap-2">
        {items.map((u) => (
          <li
            key={u.id}
            className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-amber-300 bg-amber-50 p-3"
          >
            <div className="min-w-0">
              <p className="font-medium">{u.name}</p>
              <p className="break-all text-sm text-slate-700">
                {u.email} · joined {dateTime(u.createdAt)}
              </p>
            </div>
            <div className="flex gap-2">
              <Button
                aria-label={`Approve ${u.name}`}
                disabled={busy}
                onClick={() => approve.mutate({ userId: u.id, role: "organizer" })}
              >
                Approve
              </Button>
              <Button
                variant="secondary"
                aria-label={`Decline ${u.name}`}
                disabled={busy}
                onClick={() => decline.mutate({ userId: u.id })}
              >
                Decline
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function AdminUsersPage() {
  const trpc = useTRPC();
  const me = useMe();
  const [search, setSearch] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const users = useInfiniteQuery(
    trpc.users.list.infiniteQueryOptions(
      { search: search || undefined, limit: 50 },
      { getNextPageParam: (p) => p.nextCursor ?? undefined },
    ),
  );
  const items = users.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div>
      <PageTitle>Users and roles</PageTitle>
      <SearchForm label="Search users" placeholder="Name or email" onSearch={setSearch} />
      {notice && <Notice>{notice}</Notice>}
      <OrganizerRequests onDecided={setNotice} />
      {users.isPending ? (
        <Loading what="Loading users" />
      ) : users.isError ? (
        <ErrorBox error={users.error} />
      ) : items.length === 0 ? (
        <Empty>No users match.</Empty>
      ) : (
        <ul className="mt-4 flex flex-col gap-2" aria-label="Users">
          {items.map((u) => (
            <li
              key={u.id}
              data-email={u.email}
              className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-slate-200 bg-white p-3"
            >
              <div className="min-w-0">
                <p className="font-medium">
                  {u.name} {u.id === me.data?.id && <span className="text-slate-600">(you)</span>}
                  {u.organizerRequest === "pending" && (
                    <span className="ml-2 text-sm font-normal text-amber-800">
                      asks to organize events
                    </span>
                  )}
                </p>
                <p className="break-all text-sm text-slate-600">
                  {u.email} · joined {dateTime(u.createdAt)}
                </p>
              </div>
              <RoleSelect
                user={u}
                onChanged={(changed) => setNotice(`${changed.name} is now ${changed.role}.`)}
              />
            </li>
          ))}
        </ul>
      )}
      <LoadMore query={users}>More</LoadMore>
    </div>
  );
}
