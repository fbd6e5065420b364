/**
 * The buyer's live holds (`bookings.myHolds`) wherever they can be lost track of: a banner on the
 * event page and a list on My bookings, each with its countdown and a way back to checkout; and
 * the one place that says which cached reads a change of holds or bookings makes stale.
 */
import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import { Button, Card, ErrorBox } from "../components/ui.tsx";
import { useMe } from "../lib/auth.tsx";
import { countdown, dateTime, money } from "../lib/format.ts";
import { type RouterOutputs, useTRPC } from "../lib/trpc.ts";
import { useNow } from "../lib/use-now.ts";
import { useSeatLabels } from "./seat-picker.tsx";

export type MyHold = RouterOutputs["bookings"]["myHolds"][number];

/** Tickets (or seats) in a hold. */
export const ticketsIn = (hold: { items: readonly { quantity: number }[] }) =>
  hold.items.reduce((n, i) => n + i.quantity, 0);

/** "2 tickets", "1 seat". */
function ticketWords(hold: MyHold): string {
  const n = ticketsIn(hold);
  const noun = hold.seatIds.length > 0 ? "seat" : "ticket";
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/**
 * The signed-in buyer's holds still live now (all events, or one), re-filtered every second.
 * Empty when signed out; `known` once it is clear which holds (if any) are theirs.
 */
export function useMyHolds(eventId?: string): { holds: MyHold[]; now: number; known: boolean } {
  const trpc = useTRPC();
  const me = useMe();
  const now = useNow();
  const query = useQuery(
    trpc.bookings.myHolds.queryOptions(eventId === undefined ? {} : { eventId }, {
      enabled: Boolean(me.data),
    }),
  );
  const holds = me.data ? (query.data ?? []) : [];
  const known = me.isSuccess && (!me.data || query.isSuccess);
  return { holds: holds.filter((h) => Date.parse(h.expiresAt) > now), now, known };
}

/**
 * Everything a hold, a payment, a release or a cancellation changes on screen: the buyer's
 * holds and bookings, and the event's figures and seats. Call it after any of them.
 */
export function refreshAfterBookingChange(
  queryClient: QueryClient,
  trpc: ReturnType<typeof useTRPC>,
  eventId: string | undefined,
) {
  queryClient.invalidateQueries({ queryKey: trpc.bookings.myHolds.pathKey() });
  // pathKey: the list is an infinite query, which a plain queryKey() would not match.
  queryClient.invalidateQueries({ queryKey: trpc.bookings.mine.pathKey() });
  if (eventId === undefined) return;
  queryClient.invalidateQueries({ queryKey: trpc.events.get.queryKey({ eventId }) });
  queryClient.invalidateQueries({ queryKey: trpc.events.seatMapCompact.queryKey({ eventId }) });
  queryClient.invalidateQueries({ queryKey: trpc.waitlist.status.queryKey({ eventId }) });
}

/** On the event page: "You have 2 tickets held — resume checkout (9:41)". */
export function HeldBanner({ eventId }: { eventId: string }) {
  const { holds, now } = useMyHolds(eventId);
  // A waitlist offer has its own panel, with its own deadline.
  const mine = holds.filter((h) => !h.waitlistOffer);
  if (mine.length === 0) return null;
  return (
    <section
      aria-label="Your held tickets"
      className="mb-4 flex flex-col gap-2 rounded-lg border border-indigo-300 bg-indigo-50 p-4 text-indigo-950"
      data-testid="held-banner"
    >
      {mine.map((hold) => (
        <p key={hold.id}>
          You have <strong>{ticketWords(hold)} held</strong> —{" "}
          <Link className="font-semibold text-indigo-800 underline" to={`/checkout/${hold.id}`}>
            resume checkout
          </Link>{" "}
          (
          <span
            role="timer"
            aria-label={`${Math.ceil((Date.parse(hold.expiresAt) - now) / 60_000)} minutes left`}
          >
            {countdown(Date.parse(hold.expiresAt) - now)}
          </span>
          )
        </p>
      ))}
    </section>
  );
}

function HeldCard({ hold, now }: { hold: MyHold; now: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const seatLabel = useSeatLabels(hold.eventId, hold.seatIds.length > 0);
  const release = useMutation(
    trpc.bookings.releaseHold.mutationOptions({
      onSuccess: () => {
        queryClient.removeQueries({
          queryKey: trpc.bookings.getHold.queryKey({ holdId: hold.id }),
        });
        refreshAfterBookingChange(queryClient, trpc, hold.eventId);
      },
    }),
  );
  const left = Date.parse(hold.expiresAt) - now;
  return (
    <li>
      <Card className="border-indigo-300">
        <div className="flex flex-wrap items-start justify-between gap-2">
          <div className="min-w-0">
            <h3 className="text-lg font-semibold">
              <Link className="hover:underline" to={`/events/${hold.eventId}`}>
                {hold.event.title}
              </Link>
            </h3>
            <p className="text-slate-700">{dateTime(hold.event.startsAt, hold.event.timezone)}</p>
            <p className="text-sm text-slate-600">
              {hold.waitlistOffer ? "Waitlist offer: " : ""}
              {ticketWords(hold)} · {money(hold.totalCents, hold.currency)}
            </p>
            {hold.seatIds.length > 0 && (
              <p className="text-sm text-slate-700">{hold.seatIds.map(seatLabel).join(", ")}</p>
            )}
          </div>
          <p
            className={`rounded-full px-3 py-1 text-sm font-semibold ${left < 60_000 ? "bg-amber-100 text-amber-950" : "bg-indigo-100 text-indigo-950"}`}
          >
            Held for{" "}
            <span role="timer" aria-label={`${Math.ceil(left / 60_000)} minutes left`}>
              {countdown(left)}
            </span>
          </p>
        </div>
        <ErrorBox error={release.error} />
        <div className="mt-3 flex flex-wrap gap-2">
          <Link
            to={`/checkout/${hold.id}`}
            className="inline-flex min-h-11 items-center rounded-md bg-indigo-700 px-4 font-medium text-white hover:bg-indigo-800"
          >
            Resume checkout
          </Link>
          <Button
            variant="secondary"
            busy={release.isPending}
            onClick={() => release.mutate({ holdId: hold.id })}
          >
            {hold.waitlistOffer ? "Decline offer" : "Release"}
          </Button>
        </div>
      </Card>
    </li>
  );
}

/** On My bookings: every live hold, soonest to lapse first. */
export function HeldList({ holds, now }: { holds: readonly MyHold[]; now: number }) {
  if (holds.length === 0) return null;
  return (
    <section aria-labelledby="held-heading" className="mb-6">
      <h2 id="held-heading" className="mb-1 text-xl font-semibold">
        Held for you
      </h2>
      <p className="mb-3 text-sm text-slate-600">
        Not booked yet: pay before the time runs out, or the tickets go back on sale.
      </p>
      <ul className="flex flex-col gap-4" data-testid="held-list">
        {holds.map((hold) => (
          <HeldCard key={hold.id} hold={hold} now={now} />
        ))}
      </ul>
    </section>
  );
}
