/**
 * Venues: an organizer's seat maps, reused by seated events. Each event copies its venue's
 * layout, so a venue is edited or deleted only while no event was made from it; one in use can be
 * copied into a new venue instead.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import {
  Button,
  Card,
  ConfirmDialog,
  Empty,
  ErrorBox,
  Loading,
  Notice,
  PageTitle,
} from "../../components/ui.tsx";
import { dateTime } from "../../lib/format.ts";
import { type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { VenueBuilder, VenuePreview } from "./venue-builder.tsx";
import { draftFromVenue, emptyVenue } from "./venue-form-state.ts";

type Venue = RouterOutputs["venues"]["get"];

const linkButton =
  "inline-flex min-h-11 items-center rounded-md bg-indigo-700 px-4 font-medium text-white hover:bg-indigo-800";
const secondaryLink =
  "inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-4 font-medium text-slate-900 hover:bg-slate-100";

const events = (n: number) => (n === 1 ? "1 event" : `${n} events`);

/** Edit and delete while unused; otherwise why not, and a copy to change instead. */
function VenueActions({ venue, onDeleted }: { venue: Venue; onDeleted: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(
    trpc.venues.delete.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        onDeleted();
        return queryClient.invalidateQueries({ queryKey: trpc.venues.pathKey() });
      },
    }),
  );
  const used = venue.eventCount > 0;
  return (
    <div className="mt-3 flex flex-col gap-2">
      {used && (
        <p className="text-sm text-slate-700">
          Used by {events(venue.eventCount)}, so it cannot be changed or deleted (each event keeps
          the layout it was made with). Copy it to make a changed version.
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <Link
          to={`/organizer/events/new?venueId=${encodeURIComponent(venue.id)}`}
          className={linkButton}
        >
          New seated event<span className="sr-only"> in {venue.name}</span>
        </Link>
        {!used && (
          <Link
            to={`/organizer/venues?edit=${encodeURIComponent(venue.id)}`}
            className={secondaryLink}
          >
            Edit<span className="sr-only"> {venue.name}</span>
          </Link>
        )}
        <Link
          to={`/organizer/venues/new?from=${encodeURIComponent(venue.id)}`}
          className={secondaryLink}
        >
          Copy<span className="sr-only"> {venue.name}</span>
        </Link>
        <Button variant="secondary" disabled={used} onClick={() => setConfirming(true)}>
          Delete<span className="sr-only"> {venue.name}</span>
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Delete this venue?"
        onClose={() => setConfirming(false)}
        error={remove.error}
        busy={remove.isPending}
        confirmLabel="Delete this venue"
        onConfirm={() => remove.mutate({ venueId: venue.id })}
        keepLabel="Keep it"
      >
        <p className="mb-4">
          “{venue.name}” and its seat map are deleted for good. No event uses it.
        </p>
      </ConfirmDialog>
    </div>
  );
}

function VenueCard({
  venue,
  highlight,
  onDeleted,
}: {
  venue: Venue;
  highlight: boolean;
  onDeleted: () => void;
}) {
  return (
    <Card className={highlight ? "ring-2 ring-indigo-500" : ""}>
      <h2 className="text-lg font-semibold">{venue.name}</h2>
      <p className="text-sm text-slate-700">
        {venue.seatCount.toLocaleString()} seats ·{" "}
        {venue.sections
          .map((s) => `${s.name} (${s.rows.length} row${s.rows.length === 1 ? "" : "s"})`)
          .join(", ")}{" "}
        · created {dateTime(venue.createdAt)}
      </p>
      <VenuePreview sections={venue.sections} compact />
      <VenueActions venue={venue} onDeleted={onDeleted} />
    </Card>
  );
}

/** The list's editor (`?edit=<venueId>`): the builder on a saved venue. */
function EditVenue({ venueId }: { venueId: string }) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const venue = useQuery(trpc.venues.get.queryOptions({ venueId }));
  const update = useMutation(
    trpc.venues.update.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.venues.pathKey() });
        navigate(`/organizer/venues?saved=${encodeURIComponent(venueId)}`);
      },
    }),
  );
  if (venue.isPending) return <Loading what="Loading the venue" />;
  if (venue.isError) return <ErrorBox error={venue.error} title="Could not load this venue" />;
  return (
    <div>
      <PageTitle>Edit venue</PageTitle>
      {venue.data.eventCount > 0 ? (
        <ErrorBox
          error={`This venue is used by ${events(venue.data.eventCount)}, so it cannot be changed. Copy it to make a changed version.`}
        />
      ) : (
        <VenueBuilder
          initial={draftFromVenue(venue.data)}
          busy={update.isPending}
          error={update.error}
          onSave={(input) => update.mutate({ venueId, ...input })}
        >
          <Link to="/organizer/venues" className="font-medium text-indigo-700 underline">
            Cancel
          </Link>
        </VenueBuilder>
      )}
    </div>
  );
}

export function VenuesPage() {
  const trpc = useTRPC();
  const [params] = useSearchParams();
  const editing = params.get("edit");
  const saved = params.get("created") ?? params.get("saved");
  const venues = useQuery(trpc.venues.list.queryOptions());
  const [deleted, setDeleted] = useState(false);
  const notice = useRef<HTMLOutputElement>(null);
  useEffect(() => {
    if (deleted) notice.current?.focus();
  }, [deleted]);
  if (editing) return <EditVenue key={editing} venueId={editing} />;
  return (
    <div>
      <PageTitle
        actions={
          <Link to="/organizer/venues/new" className={linkButton}>
            New venue
          </Link>
        }
      >
        My venues
      </PageTitle>
      <p className="mb-4 text-slate-700">
        A venue is a seat map: sections with a price, rows, seats. Seated events copy it, so you can
        reuse one venue for many events.
      </p>
      {saved && !deleted && (
        <Notice>
          Venue saved.{params.has("created") ? " Create a seated event in it below." : ""}
        </Notice>
      )}
      <output ref={notice} tabIndex={-1} className="block outline-none">
        {deleted && (
          <span className="block rounded-md border border-green-300 bg-green-50 p-3 text-green-900">
            Venue deleted.
          </span>
        )}
      </output>
      <div className="mt-4">
        {venues.isPending ? (
          <Loading what="Loading your venues" />
        ) : venues.isError ? (
          <ErrorBox error={venues.error} />
        ) : venues.data.items.length === 0 ? (
          <Empty>No venues yet. Build your first seat map.</Empty>
        ) : (
          <ul className="flex flex-col gap-3" aria-label="My venues">
            {venues.data.items.map((v) => (
              <li key={v.id}>
                <VenueCard
                  venue={v}
                  highlight={v.id === saved}
                  onDeleted={() => setDeleted(true)}
                />
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

/** A new venue, empty or (`?from=<venueId>`) a copy of one of mine. */
export function NewVenuePage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const from = params.get("from");
  const source = useQuery(
    trpc.venues.get.queryOptions({ venueId: from ?? "" }, { enabled: !!from }),
  );
  const create = useMutation(
    trpc.venues.create.mutationOptions({
      onSuccess: (venue) => {
        queryClient.invalidateQueries({ queryKey: trpc.venues.list.queryKey() });
        navigate(`/organizer/venues?created=${encodeURIComponent(venue.id)}`);
      },
    }),
  );
  if (from && source.isPending) return <Loading what="Loading the venue to copy" />;
  const initial = source.data
    ? draftFromVenue(source.data, `${source.data.name} (copy)`)
    : emptyVenue();
  return (
    <div>
      <PageTitle>{source.data ? `New venue from ${source.data.name}` : "New venue"}</PageTitle>
      {source.isError && <ErrorBox error={source.error} title="Could not load the venue to copy" />}
      <VenueBuilder
        key={source.data?.id ?? "new"}
        initial={initial}
        busy={create.isPending}
        error={create.error}
        onSave={(input) => create.mutate(input)}
      />
    </div>
  );
}
