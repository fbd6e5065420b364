import { useInfiniteQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import {
  Badge,
  Empty,
  ErrorBox,
  Loading,
  LoadMore,
  PageTitle,
  SearchForm,
} from "../components/ui.tsx";
import { availabilityBadge, money } from "../lib/format.ts";
import { type RouterOutputs, useTRPC } from "../lib/trpc.ts";
import { useNow } from "../lib/use-now.ts";
import { formatInZone } from "../lib/zoned-time.ts";
import { SalesBadge, salesBadgeText } from "./event-times.tsx";

type Summary = RouterOutputs["events"]["list"]["items"][number];

export function EventCard({ event, to, now }: { event: Summary; to: string; now: number }) {
  const sales = salesBadgeText(event, now);
  return (
    <li>
      <Link
        to={to}
        className="flex h-full flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm hover:border-indigo-400"
      >
        <div className="flex items-start justify-between gap-2">
          <h2 className="text-lg font-semibold">{event.title}</h2>
          {sales ? <SalesBadge text={sales} /> : <Badge kind={availabilityBadge(event)} />}
        </div>
        <p className="text-slate-700">
          <time dateTime={event.startsAt}>{formatInZone(event.startsAt, event.timezone)}</time>
          {event.venueName && <> · {event.venueName}</>}
        </p>
        <p className="mt-auto text-sm text-slate-600">
          {event.minPriceCents === null
            ? ""
            : event.minPriceCents === 0
              ? "Free"
              : `From ${money(event.minPriceCents, event.currency)}`}
          {" · "}
          {event.availability.available} of {event.availability.capacity} left
        </p>
      </Link>
    </li>
  );
}

export function EventsListPage() {
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const search = params.get("q") ?? "";
  const events = useInfiniteQuery(
    trpc.events.list.infiniteQueryOptions(
      { search: search || undefined, limit: 12 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];
  // Badges say when sales open: a minute is fine enough for a list.
  const now = useNow(30_000);

  return (
    <div>
      <PageTitle>Upcoming events</PageTitle>
      <SearchForm
        label="Search events"
        placeholder="Search by title or venue"
        initial={search}
        onSearch={(term) => setParams(term ? { q: term } : {})}
      />
      {events.isPending ? (
        <Loading what="Loading events" />
      ) : events.isError ? (
        <ErrorBox error={events.error} title="Could not load events" />
      ) : items.length === 0 ? (
        <Empty>
          {search ? `No upcoming events match “${search}”.` : "No upcoming events yet."}
        </Empty>
      ) : (
        <>
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Events">
            {items.map((event) => (
              <EventCard key={event.id} event={event} to={`/events/${event.id}`} now={now} />
            ))}
          </ul>
          <LoadMore query={events}>Show more events</LoadMore>
        </>
      )}
    </div>
  );
}
