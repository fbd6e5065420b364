import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { type ReactNode, useId } from "react";
import { Link, useSearchParams } from "react-router";
import { Empty, ErrorBox, Loading, LoadMore, PageTitle, StatusPill } from "../../components/ui.tsx";
import { useMe } from "../../lib/auth.tsx";
import { amount, dateTime } from "../../lib/format.ts";
import { type RouterOutputs, useTRPC } from "../../lib/trpc.ts";

type Money = RouterOutputs["analytics"]["overview"]["revenue"];
type Organizer = RouterOutputs["analytics"]["organizers"]["items"][number];

/** One line per currency: amounts in different currencies are never added up. */
function PerCurrency({ money, field }: { money: Money; field: "revenueCents" | "refundedCents" }) {
  if (money.length === 0)
    return <span className="text-base font-normal text-slate-600">None yet</span>;
  return (
    <ul className="flex flex-col">
      {money.map((m) => (
        <li key={m.currency}>{amount(m[field], m.currency)}</li>
      ))}
    </ul>
  );
}

/** A card as `Card` draws it, as the dt/dd group of a description list. */
const statCard = "rounded-lg border border-slate-200 bg-white p-4 shadow-sm";

function Overview({ organizerId }: { organizerId: string | undefined }) {
  const trpc = useTRPC();
  const overview = useQuery(trpc.analytics.overview.queryOptions({ organizerId }));
  if (!overview.data) return null;
  const o = overview.data;
  const stats: [string, string, ReactNode][] = [
    ["events", "Events", o.events],
    ["tickets", "Tickets sold", o.ticketsSold],
    ["revenue", "Revenue", <PerCurrency key="r" money={o.revenue} field="revenueCents" />],
    ["refunded", "Refunded", <PerCurrency key="f" money={o.revenue} field="refundedCents" />],
  ];
  return (
    <dl className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-4">
      {stats.map(([key, label, value]) => (
        <div key={key} data-stat={key} className={statCard}>
          <dt className="text-sm text-slate-600">{label}</dt>
          <dd className="text-2xl font-bold">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** An admin's filter: every organizer who runs an event, with how many. */
function OrganizerFilter({
  organizers,
  value,
  onChange,
}: {
  organizers: readonly Organizer[];
  value: string | undefined;
  onChange: (organizerId: string | undefined) => void;
}) {
  const id = useId();
  return (
    <div className="mb-4 flex flex-wrap items-center gap-2">
      <label htmlFor={id} className="font-medium text-slate-800">
        Organizer
      </label>
      <select
        id={id}
        value={value ?? ""}
        onChange={(e) => onChange(e.target.value || undefined)}
        className="min-h-11 max-w-full rounded-md border border-slate-400 bg-white px-3"
      >
        <option value="">All organizers</option>
        {organizers.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({o.events} event{o.events === 1 ? "" : "s"})
          </option>
        ))}
      </select>
    </div>
  );
}

function emptyText(admin: boolean, filtered: boolean): string {
  if (!admin) return "You have no events yet. Create your first one.";
  return filtered ? "This organizer has no events." : "No organizer has created an event yet.";
}

export function MyEventsPage() {
  const trpc = useTRPC();
  const me = useMe();
  const admin = me.data?.role === "admin";
  const [params, setParams] = useSearchParams();
  const organizerId = (admin && params.get("organizer")) || undefined;
  const organizers = useQuery(
    trpc.analytics.organizers.queryOptions(undefined, { enabled: admin }),
  );
  const names = new Map((organizers.data?.items ?? []).map((o) => [o.id, o.name]));
  const events = useInfiniteQuery(
    trpc.events.list.infiniteQueryOptions(
      { mine: true, includePast: true, limit: 20, organizerId },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];
  const choose = (id: string | undefined) =>
    setParams(id ? { organizer: id } : {}, { replace: true });
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
              to="/organizer/settings"
              className="inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-4 font-medium text-slate-900 hover:bg-slate-100"
            >
              Settings
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
        {admin ? "All events" : "My events"}
      </PageTitle>
      {admin && (
        <OrganizerFilter
          organizers={organizers.data?.items ?? []}
          value={organizerId}
          onChange={choose}
        />
      )}
      <Overview organizerId={organizerId} />
      {events.isPending ? (
        <Loading what="Loading events" />
      ) : events.isError ? (
        <ErrorBox error={events.error} />
      ) : items.length === 0 ? (
        <Empty>{emptyText(admin, organizerId !== undefined)}</Empty>
      ) : (
        <ul className="flex flex-col gap-3" aria-label="Events">
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
                  {admin && (
                    <p className="text-sm text-slate-700">
                      by {names.get(e.organizerId) ?? "another organizer"}
                    </p>
                  )}
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
