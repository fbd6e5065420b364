import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import {
  Button,
  Dialog,
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

const roleWords: Record<User["role"], { name: string; can: string }> = {
  attendee: { name: "Attendee", can: "books tickets" },
  organizer: { name: "Organizer", can: "creates and runs their own events and venues" },
  admin: { name: "Admin", can: "runs the whole site" },
};

/**
 * A user's role and a button to change it. The change is confirmed in a dialog (a slip of a
 * select must not make someone an admin); focus goes back to the button when it closes.
 */
function RoleChange({
  user,
  isMe,
  onChanged,
}: {
  user: User;
  isMe: boolean;
  onChanged: (u: User) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [role, setRole] = useState<User["role"]>(user.role);
  const setUserRole = useMutation(
    trpc.users.setRole.mutationOptions({
      onSuccess: (u) => {
        queryClient.invalidateQueries({ queryKey: trpc.users.list.pathKey() });
        setOpen(false);
        onChanged(u);
      },
    }),
  );
  const name = useId();
  function show() {
    setRole(user.role);
    setUserRole.reset();
    setOpen(true);
  }
  return (
    <div className="flex items-center gap-3">
      <span className="text-sm">
        <span className="sr-only">Role: </span>
        <span className="font-medium" data-testid="user-role">
          {roleWords[user.role].name}
        </span>
      </span>
      <Button variant="secondary" aria-label={`Change role of ${user.name}`} onClick={show}>
        Change role…
      </Button>
      <Dialog open={open} title={`Change the role of ${user.name}`} onClose={() => setOpen(false)}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (role !== user.role) setUserRole.mutate({ userId: user.id, role });
          }}
        >
          <fieldset className="mb-3">
            <legend className="mb-2 text-slate-700">
              {user.name} is an {user.role} now. Choose their new role:
            </legend>
            {roles.map((r) => (
              <label
                key={r}
                className="flex min-h-11 items-center gap-3 rounded-md px-2 hover:bg-slate-50"
              >
                <input
                  type="radio"
                  name={name}
                  value={r}
                  checked={role === r}
                  onChange={() => setRole(r)}
                  className="h-5 w-5 shrink-0"
                />
                <span>
                  <span className="font-medium">{roleWords[r].name}</span>
                  <span className="text-slate-700">
                    {" "}
                    — {roleWords[r].can}
                    {r === user.role ? " (current)" : ""}
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
          {role === "admin" && role !== user.role && (
            <p className="mb-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
              An admin can see and change every event, venue and user, and make other admins. Give
              this role only to people you trust with the whole site.
            </p>
          )}
          {isMe && role !== user.role && (
            <p className="mb-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
              This is your own account: you will lose what only {user.role}s can do, including this
              page.
            </p>
          )}
          <ErrorBox error={setUserRole.error} />
          <div className="mt-3 flex flex-wrap justify-end gap-2">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button
              type="submit"
              variant={role === "admin" || isMe ? "danger" : "primary"}
              disabled={role === user.role}
              busy={setUserRole.isPending}
            >
              {role === user.role ? "Choose a new role" : `Make ${role}`}
            </Button>
          </div>
        </form>
      </Dialog>
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
              <RoleChange
                user={u}
                isMe={u.id === me.data?.id}
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
