import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button, Empty, ErrorBox, Loading, LoadMore, Notice } from "../../components/ui.tsx";
import { describeError, duration, reasonOf } from "../../lib/errors.ts";
import { dateTime } from "../../lib/format.ts";
import { type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { useManagedEvent } from "./manage.tsx";

type History = RouterOutputs["waitlist"]["history"];
type Entry = History["items"][number];
type State = Entry["state"];

const states: [State, string][] = [
  ["waiting", "Waiting"],
  ["offered", "Offered"],
  ["converted", "Booked"],
  ["expired", "Expired"],
  ["left", "Left"],
];

const stateStyles: Record<State, string> = {
  waiting: "bg-violet-100 text-violet-900",
  offered: "bg-amber-100 text-amber-900",
  converted: "bg-green-100 text-green-900",
  expired: "bg-slate-200 text-slate-800",
  left: "bg-slate-200 text-slate-800",
};

/** What Offer next's refusals mean to the organizer (the buyer's sentences would mislead). */
function offerRefusal(error: unknown): string {
  switch (reasonOf(error)) {
    case "NOT_ON_WAITLIST":
      return "Nobody is waiting any more: there is no one to offer tickets to.";
    case "SOLD_OUT":
      return "No one waiting asks for what is free: every request needs more tickets, or another type, than are free now.";
    default:
      return describeError(error);
  }
}

/** How an entry stands or ended, in a few words. */
function entryStory(e: Entry): string {
  switch (e.state) {
    case "waiting":
      return `#${e.position} in line`;
    case "offered":
      return e.offer ? `Offer open until ${dateTime(e.offer.expiresAt)}` : "Offer ending";
    case "converted":
      return e.endedAt ? `Booked ${dateTime(e.endedAt)}` : "Booked";
    case "expired":
      return e.offerExpiresAt
        ? `Offer ran out ${dateTime(e.offerExpiresAt)}`
        : `Closed ${e.endedAt ? dateTime(e.endedAt) : ""}`;
    case "left":
      return `${e.offerExpiresAt ? "Declined the offer" : "Left"} ${e.endedAt ? dateTime(e.endedAt) : ""}`;
  }
}

function EntryRow({ e, typeName }: { e: Entry; typeName: (id: string | null) => string }) {
  const label = states.find(([s]) => s === e.state)?.[1] ?? e.state;
  return (
    <li className="flex flex-wrap items-start justify-between gap-2 rounded-md border border-slate-200 bg-white p-3">
      <div className="min-w-0">
        <p className="font-medium">{e.name ?? "Former user"}</p>
        <p className="break-all text-sm text-slate-700">{e.email}</p>
        <p className="text-sm text-slate-700">
          {e.quantity} × {typeName(e.ticketTypeId)} · joined {dateTime(e.joinedAt)}
        </p>
      </div>
      <div className="text-sm sm:text-right">
        <span
          data-state={e.state}
          className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold ${stateStyles[e.state]}`}
        >
          {label}
        </span>
        <p className="mt-1 text-slate-800">{entryStory(e)}</p>
      </div>
    </li>
  );
}

function Filter({
  value,
  counts,
  onChange,
}: {
  value: State | undefined;
  counts: History["counts"] | undefined;
  onChange: (state: State | undefined) => void;
}) {
  const total = counts ? Object.values(counts).reduce((n, c) => n + c, 0) : undefined;
  const options: [State | undefined, string, number | undefined][] = [
    [undefined, "Everyone", total],
    ...states.map(([s, label]): [State, string, number | undefined] => [s, label, counts?.[s]]),
  ];
  return (
    <fieldset className="mb-3 flex flex-wrap gap-2">
      <legend className="sr-only">Show</legend>
      {options.map(([state, label, count]) => (
        <Button
          key={label}
          variant={value === state ? "primary" : "secondary"}
          aria-pressed={value === state}
          onClick={() => onChange(state)}
        >
          {label}
          {count !== undefined && ` (${count})`}
        </Button>
      ))}
    </fieldset>
  );
}

export function WaitlistAdminPage() {
  const event = useManagedEvent();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<State | undefined>();
  // The event's figures (who waits, what is free) and the list, kept fresh while the page is open.
  const live = useQuery(
    trpc.events.get.queryOptions({ eventId: event.id }, { refetchInterval: 10_000 }),
  );
  const history = useInfiniteQuery(
    trpc.waitlist.history.infiniteQueryOptions(
      { eventId: event.id, state: filter, limit: 50 },
      { getNextPageParam: (p) => p.nextCursor ?? undefined, refetchInterval: 10_000 },
    ),
  );
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.waitlist.history.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.events.get.queryKey({ eventId: event.id }) }),
    ]);
  const offer = useMutation(trpc.waitlist.offerNext.mutationOptions({ onSettled: refresh }));
  const entries = history.data?.pages.flatMap((p) => p.items) ?? [];
  const counts = history.data?.pages[0]?.counts;
  const typeName = (id: string | null) =>
    id === null
      ? "any type"
      : (event.ticketTypes.find((t) => t.id === id)?.name ?? "a removed type");
  if (!event.waitlist.enabled) {
    return <Empty>This event has no waitlist. Turn it on in Edit.</Empty>;
  }
  const current = live.data ?? event;
  const { waitlistLength: waiting, available } = current.availability;
  const offerMode = current.waitlist.mode === "offer";
  const canOffer = offerMode && current.status === "published" && waiting > 0 && available > 0;
  const offered = offer.data && entries.find((e) => e.id === offer.data.entryId);
  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-xl font-semibold">Waitlist</h2>
        {canOffer && (
          <Button busy={offer.isPending} onClick={() => offer.mutate({ eventId: event.id })}>
            Offer next
          </Button>
        )}
      </div>
      <p className="mb-1 text-slate-800">
        {offerMode
          ? `Offer mode: when tickets free up, the first person in line whose request fits gets an offer to confirm within ${duration(current.waitlist.offerSeconds)}.`
          : "Auto mode: freed tickets go to the next in line by themselves, booked at once."}
      </p>
      <p className="mb-4 font-medium" aria-live="polite">
        {waiting === 0 ? "Nobody is waiting." : `${waiting} waiting`}
        {` · ${available} ticket${available === 1 ? "" : "s"} free`}
        {waiting > 0 &&
          offerMode &&
          available === 0 &&
          " · Offer next appears when tickets are free."}
        {waiting > 0 && !offerMode && available > 0 && " · No one waiting asks for what is free."}
      </p>
      {offer.isError && <ErrorBox error={offerRefusal(offer.error)} />}
      {offer.isSuccess && (
        <Notice>
          {offer.data.offer
            ? `Offered ${offered ? `${offered.quantity} ticket${offered.quantity === 1 ? "" : "s"} to ${offered.name}` : "tickets to the next in line"} until ${dateTime(offer.data.offer.expiresAt)}.`
            : `Booked tickets for ${offered?.name ?? "the next in line"}.`}
        </Notice>
      )}
      <h3 className="mt-4 mb-2 font-semibold">Everyone who joined, in order of joining</h3>
      <Filter value={filter} counts={counts} onChange={setFilter} />
      {history.isPending ? (
        <Loading what="Loading the waitlist" />
      ) : history.isError ? (
        <ErrorBox error={history.error} />
      ) : entries.length === 0 ? (
        <Empty>
          {filter === undefined ? "Nobody has joined the waitlist yet." : "Nobody in this state."}
        </Empty>
      ) : (
        <ol className="flex flex-col gap-2" aria-label="Waitlist entries">
          {entries.map((e) => (
            <EntryRow key={e.id} e={e} typeName={typeName} />
          ))}
        </ol>
      )}
      <LoadMore query={history}>More</LoadMore>
    </div>
  );
}
