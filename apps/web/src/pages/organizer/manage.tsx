import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, NavLink, Outlet, useOutletContext, useParams } from "react-router";
import {
  Button,
  Card,
  ErrorBox,
  Field,
  Loading,
  Notice,
  PageTitle,
  StatusPill,
} from "../../components/ui.tsx";
import { useMe } from "../../lib/auth.tsx";
import { dateTime, money } from "../../lib/format.ts";
import { type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { RoomStatsPanel } from "./room-panel.tsx";

export type ManagedEvent = RouterOutputs["events"]["get"];

export function useManagedEvent() {
  return useOutletContext<ManagedEvent>();
}

const tabs = [
  ["", "Overview"],
  ["edit", "Edit"],
  ["attendees", "Attendees"],
  ["waitlist", "Waitlist"],
  ["codes", "Codes"],
  ["messages", "Messages"],
  ["door", "Door"],
  ["analytics", "Analytics"],
] as const;

export function ManageEventLayout() {
  const { eventId = "" } = useParams();
  const trpc = useTRPC();
  const event = useQuery(trpc.events.get.queryOptions({ eventId }));
  if (event.isPending) return <Loading what="Loading the event" />;
  if (event.isError) return <ErrorBox error={event.error} title="Could not load this event" />;
  return (
    <div>
      <PageTitle actions={<StatusPill status={event.data.status} />}>{event.data.title}</PageTitle>
      {/* Wraps rather than scrolls: at phone width every tab stays in sight. */}
      <nav aria-label="Event management" className="mb-6 border-b border-slate-200">
        <ul className="flex flex-wrap gap-x-1">
          {tabs.map(([path, label]) => (
            <li key={path}>
              <NavLink
                end
                to={path ? `/organizer/events/${eventId}/${path}` : `/organizer/events/${eventId}`}
                className={({ isActive }) =>
                  `block whitespace-nowrap border-b-2 px-3 py-2 font-medium ${isActive ? "border-indigo-700 text-indigo-900" : "border-transparent text-slate-700 hover:text-slate-900"}`
                }
              >
                {label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet context={event.data} />
    </div>
  );
}

function CancelEvent({ event }: { event: ManagedEvent }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | undefined>();
  const cancel = useMutation(
    trpc.events.cancel.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.events.pathKey() }),
    }),
  );
  if (cancel.isSuccess) {
    return (
      <Notice>
        Event cancelled. {cancel.data.refundedBookings} booking
        {cancel.data.refundedBookings === 1 ? " was" : "s were"} refunded in full.
      </Notice>
    );
  }
  if (event.status === "cancelled") return <p>This event is cancelled.</p>;
  if (!open) {
    return (
      <Button variant="danger" onClick={() => setOpen(true)}>
        Cancel event…
      </Button>
    );
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) return setError("Tell attendees why the event is cancelled");
    setError(undefined);
    cancel.mutate({ eventId: event.id, reason: reason.trim() });
  }
  return (
    <form
      onSubmit={submit}
      className="flex flex-col gap-3 rounded-md border border-red-200 bg-red-50 p-3"
    >
      <p>
        Every booking is cancelled and refunded in full, holds and the waitlist are dropped. This
        cannot be undone.
      </p>
      <Field label="Reason (sent to attendees)" error={error}>
        {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <ErrorBox error={cancel.error} />
      <div className="flex gap-2">
        <Button type="submit" variant="danger" busy={cancel.isPending}>
          Cancel the event
        </Button>
        <Button variant="secondary" onClick={() => setOpen(false)}>
          Keep it
        </Button>
      </div>
    </form>
  );
}

/** For an admin, who runs the event (an organizer knows: it is theirs). */
function useOrganizerName(organizerId: string): string | null {
  const trpc = useTRPC();
  const admin = useMe().data?.role === "admin";
  const organizers = useQuery(
    trpc.analytics.organizers.queryOptions(undefined, { enabled: admin }),
  );
  if (!admin) return null;
  return organizers.data?.items.find((o) => o.id === organizerId)?.name ?? null;
}

export function ManageOverview() {
  const event = useManagedEvent();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const publish = useMutation(
    trpc.events.publish.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.events.pathKey() }),
    }),
  );
  const a = event.availability;
  const organizer = useOrganizerName(event.organizerId);
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Card>
        <h2 className="mb-2 text-lg font-semibold">Details</h2>
        <dl className="grid grid-cols-2 gap-1 text-sm">
          {organizer && (
            <>
              <dt className="text-slate-600">Organizer</dt>
              <dd>{organizer}</dd>
            </>
          )}
          <dt className="text-slate-600">Starts</dt>
          <dd>{dateTime(event.startsAt, event.timezone)}</dd>
          <dt className="text-slate-600">Venue</dt>
          <dd>{event.venueName ?? "—"}</dd>
          <dt className="text-slate-600">Sold / held / left</dt>
          <dd>
            {a.sold} / {a.held} / {a.available} of {a.capacity}
          </dd>
          <dt className="text-slate-600">Waitlist</dt>
          <dd>
            {event.waitlist.enabled
              ? `${event.waitlist.mode === "offer" ? "Offer mode" : "Auto mode"} · ${a.waitlistLength} waiting`
              : "Off"}
          </dd>
          <dt className="text-slate-600">On-sale room</dt>
          <dd>
            {event.onSaleRoom.enabled
              ? `On · opens ${event.onSaleRoom.opensAt ? dateTime(event.onSaleRoom.opensAt, event.timezone) : event.salesStartAt ? "when sales start" : "at once"}`
              : "Off"}
          </dd>
          <dt className="text-slate-600">Ticket types</dt>
          <dd>
            {event.ticketTypes
              .map((t) => `${t.name} (${money(t.priceCents, event.currency)})`)
              .join(", ")}
          </dd>
        </dl>
        {event.status === "published" && (
          <Link
            to={`/events/${event.id}`}
            className="mt-3 inline-block font-medium text-indigo-700 underline"
          >
            View the public page
          </Link>
        )}
      </Card>
      <Card>
        <h2 className="mb-2 text-lg font-semibold">Status</h2>
        {event.status === "draft" && (
          <div className="mb-4 flex flex-col gap-2">
            <p>
              This event is a draft: only{" "}
              {organizer ? `its organizer, ${organizer}, and admins` : "you"} can see it.
            </p>
            <ErrorBox error={publish.error} />
            <Button busy={publish.isPending} onClick={() => publish.mutate({ eventId: event.id })}>
              Publish event
            </Button>
          </div>
        )}
        {event.status === "published" && (
          <p className="mb-4">
            {event.onSaleRoom.enabled
              ? "On sale to everyone, through the on-sale room."
              : "On sale to everyone."}
          </p>
        )}
        <CancelEvent event={event} />
      </Card>
      {event.onSaleRoom.enabled && <RoomStatsPanel event={event} />}
    </div>
  );
}
