import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { Button, Card, ErrorBox } from "../components/ui.tsx";
import { useMe } from "../lib/auth.tsx";
import { countdown, dateTime } from "../lib/format.ts";
import { type RouterOutputs, useTRPC } from "../lib/trpc.ts";
import { useNow } from "../lib/use-now.ts";

type EventDto = RouterOutputs["events"]["get"];

/**
 * Join, see your place, accept an offer before its deadline, or leave. A buyer who holds tickets
 * of the event (`heldByMe`: perhaps the very last ones) is sent to checkout, not to the queue.
 */
export function WaitlistPanel({
  event,
  soldOut,
  heldByMe = 0,
}: {
  event: EventDto;
  soldOut: boolean;
  heldByMe?: number;
}) {
  const trpc = useTRPC();
  const me = useMe();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const now = useNow();
  const [quantity, setQuantity] = useState(1);
  const statusKey = trpc.waitlist.status.queryKey({ eventId: event.id });
  const status = useQuery(
    trpc.waitlist.status.queryOptions(
      { eventId: event.id },
      // Offers are made by the server at any time; the live availability also triggers a refetch.
      { enabled: Boolean(me.data), refetchInterval: 5_000 },
    ),
  );
  const refresh = () => {
    queryClient.invalidateQueries({ queryKey: statusKey });
    // Leaving with an offer gives its hold back.
    queryClient.invalidateQueries({ queryKey: trpc.bookings.myHolds.pathKey() });
    queryClient.invalidateQueries({ queryKey: trpc.events.get.queryKey({ eventId: event.id }) });
  };
  const join = useMutation(trpc.waitlist.join.mutationOptions({ onSuccess: refresh }));
  const leave = useMutation(trpc.waitlist.leave.mutationOptions({ onSuccess: refresh }));

  if (!me.data) {
    return soldOut ? (
      <Card>
        <h2 className="mb-2 font-semibold">Waitlist</h2>
        <p className="text-sm">
          <Link className="font-medium text-indigo-700 underline" to="/login">
            Sign in
          </Link>{" "}
          to join the waitlist.
        </p>
      </Card>
    ) : null;
  }
  const s = status.data;
  const state = s?.state ?? "none";
  const active = state === "waiting" || state === "offered";
  if (!soldOut && !active) return null;
  if (!active && heldByMe > 0) {
    return (
      <Card>
        <h2 className="mb-2 font-semibold">Waitlist</h2>
        <p className="text-sm" data-testid="waitlist-held">
          You are holding {heldByMe} ticket{heldByMe === 1 ? "" : "s"} for this event: finish
          checkout before your hold runs out. Once you have booked, you can join the waitlist if you
          want more.
        </p>
      </Card>
    );
  }

  return (
    <Card>
      <h2 className="mb-2 font-semibold">Waitlist</h2>
      {status.isPending && <p className="text-sm text-slate-600">Checking your place…</p>}
      <ErrorBox error={status.error ?? join.error ?? leave.error} />
      {state === "waiting" && (
        <p className="mb-3" data-testid="waitlist-position">
          You are <strong>number {s?.position}</strong> in line. We will offer you tickets as soon
          as some free up.
        </p>
      )}
      {state === "offered" && s?.offer && (
        <div className="mb-3 rounded-md border border-violet-300 bg-violet-50 p-3">
          <p className="font-semibold">Tickets are waiting for you!</p>
          <p className="text-sm">
            Accept before {dateTime(s.offer.expiresAt)} (
            <span role="timer">{countdown(Date.parse(s.offer.expiresAt) - now)}</span> left).
          </p>
          <Button className="mt-2" onClick={() => navigate(`/checkout/${s.offer?.holdId}`)}>
            Accept offer
          </Button>
        </div>
      )}
      {(state === "converted" || state === "expired" || state === "left") && (
        <p className="mb-3 text-sm text-slate-700">
          {state === "converted"
            ? "Your waitlist offer became a booking: see My bookings."
            : state === "expired"
              ? "Your last offer expired."
              : "You left the waitlist."}
        </p>
      )}
      {active ? (
        <Button
          variant="secondary"
          busy={leave.isPending}
          onClick={() => leave.mutate({ eventId: event.id })}
        >
          Leave the waitlist
        </Button>
      ) : (
        <div className="flex flex-wrap items-end gap-2">
          <div className="flex flex-col gap-1">
            <label htmlFor="waitlist-qty" className="text-sm font-medium">
              Tickets wanted
            </label>
            <select
              id="waitlist-qty"
              value={quantity}
              onChange={(e) => setQuantity(Number(e.target.value))}
              className="min-h-11 rounded-md border border-slate-400 bg-white px-3"
            >
              {Array.from({ length: Math.min(10, event.maxPerOrder) }, (_, i) => (
                <option key={i + 1} value={i + 1}>
                  {i + 1}
                </option>
              ))}
            </select>
          </div>
          <Button
            busy={join.isPending}
            onClick={() => join.mutate({ eventId: event.id, quantity })}
          >
            Join the waitlist
          </Button>
        </div>
      )}
    </Card>
  );
}
