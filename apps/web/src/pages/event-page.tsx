import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { type FormEvent, useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import {
  type AppliedCode,
  CodeField,
  CodePrice,
  useAppliedCode,
} from "../components/code-field.tsx";
import { Badge, Button, Card, ErrorBox, Loading, StatusPill } from "../components/ui.tsx";
import { useMe } from "../lib/auth.tsx";
import { priceWithCode } from "../lib/codes.ts";
import { describeError, errorData, reasonOf } from "../lib/errors.ts";
import { availabilityBadge, money } from "../lib/format.ts";
import type { FieldErrors } from "../lib/forms.ts";
import { quantitiesParam, readQuantities, rememberGuest, signInFor } from "../lib/guest-buyer.ts";
import { LiveStatus, useLiveState } from "../lib/live-state.tsx";
import { roomStage } from "../lib/room.ts";
import { type RouterOutputs, useTRPC } from "../lib/trpc.ts";
import { useNow } from "../lib/use-now.ts";
import {
  codeSentence,
  PresaleNotice,
  presale,
  type TicketType,
  typesWithCode,
} from "./event-codes.tsx";
import {
  DraftPreviewNotice,
  EventWhen,
  onSale,
  SalesBadge,
  SalesWindowNotice,
  salesBadgeText,
} from "./event-times.tsx";
import {
  GuestDetails,
  type GuestDraft,
  guestServerErrors,
  initialGuest,
  readGuest,
} from "./guest-details.tsx";
import { HeldBanner, refreshAfterBookingChange, ticketsIn, useMyHolds } from "./held-tickets.tsx";
import { RoomPanel, roomBadgeText, YourTurn } from "./on-sale-room.tsx";
import { useOnSaleRoom } from "./room-live.ts";
import { SeatPicker } from "./seat-picker.tsx";
import { WaitlistPanel } from "./waitlist-panel.tsx";

type EventDto = RouterOutputs["events"]["get"];
type Availability = EventDto["availability"];

/**
 * Live availability: one message at once, then one per change; the page refetches details.
 * `state` says whether it is live right now.
 */
function useLiveAvailability(eventId: string, enabled: boolean) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [live, setLive] = useState<Availability | null>(null);
  const last = useRef<string | null>(null);
  const subscription = useSubscription(
    trpc.events.availability.subscriptionOptions(
      { eventId },
      {
        enabled,
        onData: (message) => {
          setLive(message.data);
          // Every committed change sends a message (in an on-sale room, each entry and admission
          // does): the details are read again only when the figures moved.
          const { updatedAt: _, ...counts } = message.data;
          const figures = JSON.stringify(counts);
          if (figures === last.current) return;
          last.current = figures;
          queryClient.invalidateQueries({ queryKey: trpc.events.get.queryKey({ eventId }) });
          queryClient.invalidateQueries({ queryKey: trpc.waitlist.status.queryKey({ eventId }) });
        },
      },
    ),
  );
  return { live, state: useLiveState(subscription, enabled) };
}

/**
 * How many of each type the selects offer: never more than the type has left, nor than the order
 * and the buyer may still take after what the other selects already chose.
 */
function quantityLimits(
  event: EventDto,
  offered: { types: TicketType[]; available: number },
  quantities: Record<string, number>,
  ticketsOfBuyer: number,
): Map<string, number> {
  const personLeft =
    event.maxPerUser === null ? Number.POSITIVE_INFINITY : event.maxPerUser - ticketsOfBuyer;
  const orderLeft = Math.max(0, Math.min(event.maxPerOrder, personLeft, offered.available));
  const chosen = offered.types.reduce((n, t) => n + (quantities[t.id] ?? 0), 0);
  return new Map(
    offered.types.map((t) => {
      const others = chosen - (quantities[t.id] ?? 0);
      return [t.id, Math.max(0, Math.min(t.available, orderLeft - others))];
    }),
  );
}

/** While the on-sale room is in use: the buyer's token, and what to do when it is refused. */
interface Admission {
  readonly token: string | undefined;
  onRefused(error: unknown): void;
}

function TicketPicker({
  event,
  applied,
  admission,
}: {
  event: EventDto;
  applied: AppliedCode;
  admission: Admission;
}) {
  const trpc = useTRPC();
  const me = useMe();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // Back from signing in (or a shared link): the quantities picked before.
  const [quantities, setQuantities] = useState<Record<string, number>>(() =>
    readQuantities(params.get("tickets")),
  );
  // Signed out: "Continue" asks for an email and a name, then holds with them as the buyer.
  const [asking, setAsking] = useState(false);
  const [guest, setGuest] = useState<GuestDraft>(initialGuest);
  const [guestErrors, setGuestErrors] = useState<FieldErrors>({});
  // As `maxPerUser` counts them, from the server (0 signed out).
  const ticketsOfBuyer = event.mine?.tickets ?? 0;
  const offered = typesWithCode(event, applied);
  const limits = quantityLimits(event, offered, quantities, ticketsOfBuyer);
  const code = applied.effect ? applied.code : undefined;
  const queryClient = useQueryClient();
  const hold = useMutation(
    trpc.bookings.hold.mutationOptions({
      onSuccess: (h, input) => {
        if (input.buyer) rememberGuest(input.buyer);
        refreshAfterBookingChange(queryClient, trpc, event.id);
        navigate(`/checkout/${h.id}`);
      },
      onError: (err) => {
        applied.refuse(err);
        if (reasonOf(err) === "NOT_ADMITTED") admission.onRefused(err);
      },
    }),
  );
  const signedOut = !me.data;
  const admissionToken = admission.token;
  const items = Object.entries(quantities)
    .filter(([, q]) => q > 0)
    .map(([ticketTypeId, quantity]) => ({ ticketTypeId, quantity }));
  const count = items.reduce((sum, i) => sum + i.quantity, 0);
  const listTotal = offered.types.reduce(
    (sum, t) => sum + (quantities[t.id] ?? 0) * t.priceCents,
    0,
  );
  const total = offered.types.reduce(
    (sum, t) => sum + (quantities[t.id] ?? 0) * priceWithCode(t, applied.effect),
    0,
  );

  const signIn = signInFor(`/events/${event.id}`, {
    tickets: quantitiesParam(quantities),
    code: applied.code,
  });
  const fromServer = guestServerErrors(errorData(hold.error)?.issues);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (items.length === 0) return;
    if (!signedOut) return hold.mutate({ eventId: event.id, items, code, admissionToken });
    if (!asking) return setAsking(true);
    const read = readGuest(guest);
    setGuestErrors(read.ok ? {} : read.errors);
    if (read.ok) {
      hold.mutate({ eventId: event.id, items, buyer: read.buyer, code, admissionToken });
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Choose tickets">
      <ul className="mb-4 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
        {offered.types.map((type) => {
          const max = limits.get(type.id) ?? 0;
          const id = `qty-${type.id}`;
          return (
            <li key={type.id} className="flex flex-wrap items-center justify-between gap-3 p-4">
              <div>
                <p className="font-semibold">
                  {type.name}
                  {offered.unlockedIds.has(type.id) && (
                    <span className="ml-2 rounded-full bg-violet-100 px-2 py-0.5 text-xs font-semibold text-violet-900">
                      with your code
                    </span>
                  )}
                </p>
                <p className="text-sm text-slate-700">
                  <CodePrice
                    listCents={type.priceCents}
                    cents={priceWithCode(type, applied.effect)}
                    currency={event.currency}
                  />{" "}
                  · {type.available > 0 ? `${type.available} left` : "Sold out"}
                </p>
              </div>
              <div className="flex items-center gap-2">
                <label htmlFor={id} className="text-sm">
                  Quantity<span className="sr-only"> of {type.name}</span>
                </label>
                <select
                  id={id}
                  disabled={max <= 0}
                  // Live availability may shrink below a choice: never show one not offered.
                  value={Math.min(quantities[type.id] ?? 0, max)}
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
      {signedOut && event.guestCheckout && asking && count > 0 && (
        <GuestDetails
          draft={guest}
          errors={{ ...fromServer, ...guestErrors }}
          signInHref={signIn}
          onChange={setGuest}
        />
      )}
      {Object.keys(fromServer).length === 0 && applied.refusal !== hold.error && (
        <ErrorBox error={hold.error} />
      )}
      <div className="mt-3 flex flex-wrap items-center justify-between gap-3">
        <p className="text-lg">
          {count > 0 ? (
            <>
              {count} ticket{count === 1 ? "" : "s"} ·{" "}
              {total === listTotal ? (
                <strong>{money(total, event.currency)}</strong>
              ) : (
                <CodePrice listCents={listTotal} cents={total} currency={event.currency} />
              )}
            </>
          ) : (
            "Choose how many tickets you want."
          )}
        </p>
        {!signedOut ? (
          <Button type="submit" disabled={count === 0} busy={hold.isPending}>
            Hold tickets
          </Button>
        ) : event.guestCheckout ? (
          <Button type="submit" disabled={count === 0} busy={hold.isPending}>
            {asking ? "Continue to checkout" : "Continue"}
          </Button>
        ) : (
          <Link to={signIn} className="rounded-md bg-indigo-700 px-4 py-2.5 font-medium text-white">
            Sign in to buy
          </Link>
        )}
      </div>
      <p className="mt-2 text-sm text-slate-600">
        Held tickets are yours for {Math.round(event.holdSeconds / 60)} minutes while you pay. At
        most {event.maxPerOrder} per order
        {event.maxPerUser ? `, ${event.maxPerUser} per person` : ""}.
        {event.maxPerUser !== null && ticketsOfBuyer > 0 && (
          <>
            {" "}
            You have {ticketsOfBuyer} ticket{ticketsOfBuyer === 1 ? "" : "s"} for this event
            {ticketsOfBuyer >= event.maxPerUser
              ? ", which is as many as one person may have."
              : `: you can have ${event.maxPerUser - ticketsOfBuyer} more ticket${event.maxPerUser - ticketsOfBuyer === 1 ? "" : "s"}.`}
          </>
        )}
      </p>
    </form>
  );
}

/**
 * The tickets part of the page: the picker (ticket types or the seat map), or, while the event's
 * on-sale room is in use, the room until it is the buyer's turn (then the picker, with the token).
 */
function Tickets({
  event: e,
  applied,
  now,
}: {
  event: EventDto;
  applied: AppliedCode;
  now: number;
}) {
  const room = useOnSaleRoom(e, now);
  const [notice, setNotice] = useState<string | null>(null);
  const { refused } = room;
  const token = room.admission?.token;
  const admission = useMemo<Admission>(
    () => ({
      token,
      onRefused: (error) => {
        setNotice(describeError(error));
        refused();
      },
    }),
    [token, refused],
  );
  const stage = room.status ? roomStage(room.status) : null;
  const inRoom = room.enabled && stage !== "open";
  // A stored token shows the picker at once after a reload; the server's word follows.
  const yourTurn = inRoom && room.admission !== null && (stage === "admitted" || stage === null);
  // Back in the queue (or admitted again): the reason they were sent back is history.
  useEffect(() => {
    if (stage === "waiting-for-draw" || stage === "queued" || stage === "admitted") setNotice(null);
  }, [stage]);
  const buying = !inRoom || yourTurn;
  return (
    <>
      <DraftPreviewNotice event={e} />
      {buying &&
        (presale(e, applied, now) ? (
          <PresaleNotice event={e} />
        ) : (
          <SalesWindowNotice event={e} now={now} />
        ))}
      <h2 className="mt-4 mb-2 text-xl font-semibold">
        {!buying ? "On-sale room" : e.venueId ? "Seats" : "Tickets"}
      </h2>
      <HeldBanner eventId={e.id} />
      {!buying ? (
        <RoomPanel event={e} room={room} now={now} notice={notice} />
      ) : (
        <>
          {yourTurn && room.admission && (
            <YourTurn
              event={e}
              expiresAt={room.admission.expiresAt}
              now={now}
              email={room.pass.email}
            />
          )}
          {e.status === "published" && (
            <CodeField applied={applied} sentence={codeSentence(e, applied, now)} />
          )}
          {/* Before sales open (unless the code opens a presale), after they close, and on a
              draft: look, but hold nothing. */}
          <fieldset disabled={!onSale(e, now) && !presale(e, applied, now)} className="min-w-0">
            {e.venueId ? (
              <SeatPicker
                event={e}
                code={applied.effect ? applied.code : undefined}
                admission={admission}
              />
            ) : (
              <TicketPicker event={e} applied={applied} admission={admission} />
            )}
          </fieldset>
        </>
      )}
    </>
  );
}

export function EventPage() {
  const { eventId = "" } = useParams();
  const trpc = useTRPC();
  const now = useNow();
  const event = useQuery(trpc.events.get.queryOptions({ eventId }));
  const visible = event.data !== undefined && event.data.status !== "cancelled";
  const { live, state: liveState } = useLiveAvailability(eventId, visible);
  const { holds: myHolds, known: holdsKnown } = useMyHolds(eventId);
  const [params] = useSearchParams();
  const applied = useAppliedCode(eventId, params.get("code"));

  if (event.isPending) return <Loading what="Loading the event" />;
  if (event.isError) return <ErrorBox error={event.error} title="Could not load this event" />;
  const e = event.data;
  const availability = live ?? e.availability;
  const soldOut = availability.available <= 0;
  // The caller's own holds are not "held by buyers" to them (their offers included).
  const heldByMe = myHolds.reduce((n, h) => n + ticketsIn(h), 0);
  const heldByOthers = Math.max(0, availability.held - heldByMe);
  return (
    <article className="grid gap-6 md:grid-cols-3">
      <div className="min-w-0 md:col-span-2">
        <div className="mb-2 flex flex-wrap items-center gap-2">
          {roomBadgeText(e, now) ? (
            <SalesBadge text={roomBadgeText(e, now) ?? ""} />
          ) : salesBadgeText(e, now) ? (
            <SalesBadge text={salesBadgeText(e, now) ?? ""} />
          ) : (
            <Badge
              kind={
                soldOut && e.waitlist.enabled && e.status === "published"
                  ? "waitlist"
                  : availabilityBadge({ status: e.status, availability })
              }
            />
          )}
          {e.status !== "published" && <StatusPill status={e.status} />}
        </div>
        <h1 className="mb-2 text-3xl font-bold tracking-tight">{e.title}</h1>
        <p className="mb-4 text-lg text-slate-700">
          <EventWhen event={e} venueName={e.venueName} />
        </p>
        {e.description && <p className="mb-6 whitespace-pre-line">{e.description}</p>}
        {e.status === "cancelled" ? (
          <ErrorBox error="This event has been cancelled. Every booking was refunded in full." />
        ) : (
          <Tickets event={e} applied={applied} now={now} />
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
            {heldByMe > 0 && `${heldByMe} held by you. `}
            {/* Not before the buyer's own are known: theirs would be counted as others'. */}
            {holdsKnown &&
              heldByOthers > 0 &&
              `${heldByOthers} held by ${heldByMe === 0 ? "buyers" : heldByOthers === 1 ? "another buyer" : "other buyers"} right now. `}
            {availability.waitlistLength > 0 && `${availability.waitlistLength} on the waitlist. `}
          </p>
          <LiveStatus state={liveState} className="mt-2 text-sm text-slate-600" />
        </Card>
        {e.waitlist.enabled && e.status === "published" && holdsKnown && (
          <WaitlistPanel event={e} soldOut={soldOut} heldByMe={heldByMe} />
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
