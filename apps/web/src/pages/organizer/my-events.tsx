import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import {
  Card,
  Empty,
  ErrorBox,
  Loading,
  LoadMore,
  PageTitle,
  StatusPill,
} from "../../components/ui.tsx";
import { amount, dateTime } from "../../lib/format.ts";
import { useTRPC } from "../../lib/trpc.ts";

function Overview() {
  const trpc = useTRPC();
  const overview = useQuery(trpc.analytics.overview.queryOptions());
  if (!overview.data) return null;
  const o = overview.data;
  const stats = [
    ["Events", String(o.events)],
    ["Tickets sold", String(o.ticketsSold)],
    ["Revenue", amount(o.revenueCents, "USD")],
    ["Refunded", amount(o.refundedCents, "USD")],
  ];
  return (
    <dl className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-4">
      {stats.map(([label, value]) => (
        <Card key={label}>
          <dt className="text-sm text-slate-600">{label}</dt>
          <dd className="text-2xl font-bold">{value}</dd>
        </Card>
      ))}
    </dl>
  );
}

export function MyEventsPage() {
  const trpc = useTRPC();
  const events = useInfiniteQuery(
    trpc.events.list.infiniteQueryOptions(
      { mine: true, includePast: true, limit: 20 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div>
      <PageTitle
        actions={
          <>
            <Link
              to="/organizer/venues"
              className="inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-4 font-medium text-slate-900 hover:bg-slate-100"
            >
              Venues
            </Link>
            <Link
              to="/organizer/events/new"
              className="inline-flex min-h-11 items-center rounded-md bg-indigo-700 px-4 font-medium text-white hover:bg-indigo-800"
            >
              New event
            </Link>
          </>
        }
      >
        My events
      </PageTitle>
      <Overview />
      {events.isPending ? (
        <Loading what="Loading your events" />
      ) : events.isError ? (
        <ErrorBox error={events.error} />
      ) : items.length === 0 ? (
        <Empty>You have no events yet. Create your first one.</Empty>
      ) : (
        <ul className="flex flex-col gap-3" aria-label="My events">
          {items.map((e) => (
            <li key={e.id}>
              <Link
                to={`/organizer/events/${e.id}`}
                className="flex flex-wrap items-center justify-between gap-2 rounded-lg border border-slate-200 bg-white p-4 hover:border-indigo-400"
              >
                <div>
                  <p className="font-semibold">{e.title}</p>
                  <p className="text-sm text-slate-700">
                    {dateTime(e.startsAt, e.timezone)} · {e.availability.sold} sold of{" "}
                    {e.availability.capacity}
                  </p>
                </div>
                <StatusPill status={e.status} />
              </Link>
            </li>
          ))}
        </ul>
      )}
      <LoadMore query={events}>More</LoadMore>
    </div>
  );
}
