import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { type FormEvent, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { Badge, Button, Card, ErrorBox, Loading, StatusPill } from "../components/ui.tsx";
import { useMe } from "../lib/auth.tsx";
import { availabilityBadge, countdown, dateTime, money } from "../lib/format.ts";
import { type RouterOutputs, useTRPC } from "../lib/trpc.ts";
import { useNow } from "../lib/use-now.ts";
import { SeatPicker } from "./seat-picker.tsx";
import { WaitlistPanel } from "./waitlist-panel.tsx";

type EventDto = RouterOutputs["events"]["get"];
type Availability = EventDto["availability"];

/** Live availability: one message at once, then one per change; the page refetches details. */
function useLiveAvailability(eventId: string, enabled: boolean) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [live, setLive] = useState<Availability | null>(null);
  const subscription = useSubscription(
    trpc.events.availability.subscriptionOptions(
      { eventId },
      {
        enabled,
        onData: (message) => {
          setLive(message.data);
          queryClient.invalidateQueries({ queryKey: trpc.events.get.queryKey({ eventId }) });
          queryClient.invalidateQueries({ queryKey: trpc.waitlist.status.queryKey({ eventId }) });
        },
      },
    ),
  );
  return { live, status: subscription.status };
}

function SalesWindow({ event, now }: { event: EventDto; now: number }) {
  if (event.salesStartAt && Date.parse(event.salesStartAt) > now) {
    return <p className="text-amber-900">Sales open {dateTime(event.salesStartAt)}.</p>;
  }
  if (event.salesEndAt && Date.parse(event.salesEndAt) <= now) {
    return <p className="text-slate-700">Sales have closed.</p>;
  }
  if (event.salesEndAt) {
    return (
      <p className="text-slate-700">
        Sales close in {countdown(Date.parse(event.salesEndAt) - now)} ({dateTime(event.salesEndAt)}
        ).
      </p>
    );
  }
  return null;
}

function TicketPicker({ event }: { event: EventDto }) {
  const trpc = useTRPC();
  const me = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const hold = useMutation(
    trpc.bookings.hold.mutationOptions({ onSuccess: (h) => navigate(`/checkout/${h.id}`) }),
  );
  const items = Object.entries(quantities)
    .filter(([, q]) => q > 0)
    .map(([ticketTypeId, quantity]) => ({ ticketTypeId, quantity }));
  const count = items.reduce((sum, i) => sum + i.quantity, 0);
  const total = event.ticketTypes.reduce(
    (sum, t) => sum + (quantities[t.id] ?? 0) * t.priceCents,
    0,
  );

  function submit(e: FormEvent) {
    e.preventDefault();
    if (items.length > 0) hold.mutate({ eventId: event.id, items });
  }

  return (
    <form onSubmit={submit} aria-label="Choose tickets">
      <ul className="mb-4 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
        {event.ticketTypes.map((type) => {
          const max = Math.min(event.maxPerOrder, type.available);
          const id = `qty-${type.id}`;
          return (
            <li key={type.id} className="flex flex-wrap items-center justify-between gap-3 p-4">
              <div>
                <p className="font-semibold">{type.name}</p>
                <p className="text-sm text-slate-700">
                  {money(type.priceCents, event.currency)} ·{" "}
                  {type.available > 0 ? `${type.available} left` : "Sold out"}
                </p>
              </div>
              <div className="flex items-center gap-2">
                <label htmlFor={id} className="text-sm">
                  Quantity<span className="sr-only"> of {type.name}</span>
                </label>
                <select
                  id={id}
                  disabled={max <= 0}
                  value={quantities[type.id] ?? 0}
                  onChange={(e) =>
                    setQuantities((q) => ({ ...q, [type.id]: Number(e.target.value) }))
                  }
                  className="min-h-11 rounded-md border border-slate-400 bg-white px-3"
                >
                  {Array.from({ length: Math.max(0, max) + 1 }, (_, n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </div>
            </li>
          );
        })}
      </ul>
      <ErrorBox error={hold.error} />
      <div className="mt-3 flex flex-wrap items-center justify-between gap-3">
        <p className="text-lg">
          {count > 0 ? (
            <>
              {count} ticket{count === 1 ? "" : "s"} ·{" "}
              <strong>{money(total, event.currency)}</strong>
            </>
          ) : (
            "Choose how many tickets you want."
          )}
        </p>
        {me.data ? (
          <Button type="submit" disabled={count === 0} busy={hold.isPending}>
            Hold tickets
          </Button>
        ) : (
          <Link
            to={`/login?next=${encodeURIComponent(location.pathname)}`}
            className="rounded-md bg-indigo-700 px-4 py-2.5 font-medium text-white"
          >
            Sign in to buy
          </Link>
        )}
      </div>
      <p className="mt-2 text-sm text-slate-600">
        Held tickets are yours for {Math.round(event.holdSeconds / 60)} minutes while you pay. At
        most {event.maxPerOrder} per order
        {event.maxPerUser ? `, ${event.maxPerUser} per person` : ""}.
      </p>
    </form>
  );
}

export function EventPage() {
  const { eventId = "" } = useParams();
  const trpc = useTRPC();
  const now = useNow();
  const event = useQuery(trpc.events.get.queryOptions({ eventId }));
  const visible = event.data !== undefined && event.data.status !== "cancelled";
  const { live } = useLiveAvailability(eventId, visible);

  if (event.isPending) return <Loading what="Loading the event" />;
  if (event.isError) return <ErrorBox error={event.error} title="Could not load this event" />;
  const e = event.data;
  const availability = live ?? e.availability;
  const soldOut = availability.available <= 0;
  return (
    <article className="grid gap-6 md:grid-cols-3">
      <div className="min-w-0 md:col-span-2">
        <div className="mb-2 flex flex-wrap items-center gap-2">
          <Badge
            kind={
              soldOut && e.waitlist.enabled && e.status === "published"
                ? "waitlist"
                : availabilityBadge({ status: e.status, availability })
            }
          />
          {e.status !== "published" && <StatusPill status={e.status} />}
        </div>
        <h1 className="mb-2 text-3xl font-bold tracking-tight">{e.title}</h1>
        <p className="mb-4 text-lg text-slate-700">
          <time dateTime={e.startsAt}>{dateTime(e.startsAt, e.timezone)}</time>
          {e.venueName && <> · {e.venueName}</>}
        </p>
        {e.description && <p className="mb-6 whitespace-pre-line">{e.description}</p>}
        {e.status === "cancelled" ? (
          <ErrorBox error="This event has been cancelled. Every booking was refunded in full." />
        ) : (
          <>
            <SalesWindow event={e} now={now} />
            <h2 className="mt-4 mb-2 text-xl font-semibold">{e.venueId ? "Seats" : "Tickets"}</h2>
            {e.venueId ? <SeatPicker event={e} /> : <TicketPicker event={e} />}
          </>
        )}
      </div>
      <aside className="flex flex-col gap-4">
        <Card>
          <h2 className="mb-2 font-semibold">Availability</h2>
          <p aria-live="polite" className="text-3xl font-bold" data-testid="live-available">
            {availability.available}
            <span className="text-base font-normal text-slate-600">
              {" "}
              of {availability.capacity} left
            </span>
          </p>
          <p className="mt-1 text-sm text-slate-600">
            {availability.held > 0 && `${availability.held} held by buyers right now. `}
            {availability.waitlistLength > 0 && `${availability.waitlistLength} on the waitlist. `}
            {live ? "Updates live." : ""}
          </p>
        </Card>
        {e.waitlist.enabled && e.status === "published" && (
          <WaitlistPanel event={e} soldOut={soldOut} />
        )}
        <Card>
          <h2 className="mb-2 font-semibold">Cancellation policy</h2>
          <PolicyText event={e} />
        </Card>
      </aside>
    </article>
  );
}

function PolicyText({ event }: { event: EventDto }) {
  const p = event.cancellationPolicy;
  if (!p.refundable) return <p className="text-sm">Tickets are not refundable.</p>;
  const rules = [...p.rules].sort((a, b) => b.hoursBeforeStart - a.hoursBeforeStart);
  return (
    <ul className="list-disc pl-5 text-sm">
      {rules.length === 0 && <li>Full refund until the event starts.</li>}
      {rules.map((r) => (
        <li key={`${r.hoursBeforeStart}-${r.refundPercent}`}>
          {r.refundPercent}% back{" "}
          {r.hoursBeforeStart === 0
            ? "until the event starts"
            : `up to ${r.hoursBeforeStart} h before the start`}
        </li>
      ))}
      {p.feeCents > 0 && <li>Cancellation fee {money(p.feeCents, event.currency)}</li>}
    </ul>
  );
}
