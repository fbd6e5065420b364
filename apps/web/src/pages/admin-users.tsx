import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import {
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
