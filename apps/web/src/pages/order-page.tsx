/**
 * The order page by secret link (`/orders/<token>`, from the confirmation mail): no account
 * needed. The event (times in its zone), the tickets with their QR codes and names, the answers,
 * editing names and answers until the event's edit cutoff, and cancelling with the refund quote.
 */
import { spacedTicketCode } from "@boxoffice/api/schemas/checkin";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { QrCode } from "../components/qr-code.tsx";
import { filesBase, OrderDownloads, WalletLink } from "../components/ticket-downloads.tsx";
import { Button, Card, Dialog, ErrorBox, Loading, Notice, StatusPill } from "../components/ui.tsx";
import { useMe } from "../lib/auth.tsx";
import { type TicketSlot, typeNamesOf } from "../lib/checkout-form.ts";
import { errorData } from "../lib/errors.ts";
import { amount, dateTime, money } from "../lib/format.ts";
import { type RouterOutputs, useTRPC } from "../lib/trpc.ts";
import { CancelConfirmation } from "./cancel-booking.tsx";
import { AnswerList, EditOrder } from "./order-edit.tsx";

export type Order = RouterOutputs["orders"]["get"];

/** A wrong, altered or old token: one page for all, saying what to try. */
function NoSuchOrder() {
  const me = useMe();
  return (
    <div className="mx-auto max-w-lg">
      <h1 className="mb-3 text-2xl font-bold tracking-tight">This link doesn't match an order</h1>
      <p className="mb-3 text-slate-800">
        Check that you opened the whole link from your confirmation email: a link cut short does not
        work. Orders made before order links existed are in My bookings only.
      </p>
      <p className="text-slate-800">
        {me.data ? (
          <Link className="font-medium text-indigo-700 underline" to="/bookings">
            See My bookings
          </Link>
        ) : (
          <>
            Bought with an account?{" "}
            <Link className="font-medium text-indigo-700 underline" to="/login?next=/bookings">
              Sign in to see your bookings
            </Link>
          </>
        )}{" "}
        ·{" "}
        <Link className="font-medium text-indigo-700 underline" to="/">
          Upcoming events
        </Link>
      </p>
    </div>
  );
}

/** The tickets in the booking's order, as checkout numbered them. */
export function orderSlots(order: Order, typeName: (id: string) => string): TicketSlot[] {
  return order.booking.tickets.map((t, index) => ({
    index,
    ticketTypeId: t.ticketTypeId,
    label: `Ticket ${index + 1} · ${t.seatLabel ?? typeName(t.ticketTypeId)}`,
  }));
}

function CancelOrder({ token, order }: { token: string; order: Order }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const { booking } = order;
  const quote = useQuery(
    trpc.orders.refundQuote.queryOptions({ orderToken: token }, { enabled: asking, staleTime: 0 }),
  );
  const cancel = useMutation(
    trpc.orders.cancel.mutationOptions({
      onSuccess: (result) => {
        queryClient.invalidateQueries({ queryKey: trpc.orders.pathKey() });
        setDone(
          booking.totalCents === 0
            ? "Booking cancelled."
            : `Booking cancelled. Refund: ${amount(result.refundCents, booking.currency)}.`,
        );
        setAsking(false);
      },
    }),
  );
  if (done) return <Notice>{done}</Notice>;
  if (booking.status !== "confirmed" || order.event.status === "cancelled") return null;
  if (booking.tickets.some((t) => t.checkedInAt)) {
    return (
      <p className="text-sm text-slate-700">
        Used at the door: this booking can no longer be cancelled or refunded.
      </p>
    );
  }
  return (
    <>
      <Button variant="secondary" onClick={() => setAsking(true)}>
        Cancel booking…
      </Button>
      <Dialog open={asking} title="Cancel this booking?" onClose={() => setAsking(false)}>
        <CancelConfirmation
          booking={booking}
          quote={quote}
          cancel={cancel}
          onConfirm={() => cancel.mutate({ orderToken: token })}
          onKeep={() => setAsking(false)}
          buttonsClassName="mt-3 flex flex-wrap gap-2"
        />
      </Dialog>
    </>
  );
}

function Tickets({ order, slots, token }: { order: Order; slots: TicketSlot[]; token: string }) {
  const base = filesBase({ orderToken: token });
  return (
    <ul className="grid gap-4 sm:grid-cols-2" aria-label="Tickets">
      {order.booking.tickets.map((ticket, i) => (
        <li key={ticket.id} className="flex flex-col gap-2 rounded-md border border-slate-200 p-3">
          <div className="flex items-center gap-3">
            <QrCode value={ticket.code} size={120} />
            <div className="min-w-0">
              <p className="font-medium">{slots[i]?.label}</p>
              {ticket.attendee && (
                <p className="text-lg font-semibold" data-testid="ticket-attendee">
                  {ticket.attendee.name}
                </p>
              )}
              {ticket.attendee?.email && (
                <p className="break-all text-sm text-slate-700">{ticket.attendee.email}</p>
              )}
              <p className="break-all font-mono text-sm" data-testid="ticket-code">
                {spacedTicketCode(ticket.code)}
              </p>
              {ticket.checkedInAt && (
                <p className="text-sm text-green-800">Checked in {dateTime(ticket.checkedInAt)}</p>
              )}
            </div>
          </div>
          <AnswerList answers={order.booking.answers} ticketIndex={i} />
          {order.walletPasses && (
            <WalletLink base={base} code={ticket.code} label={`ticket ${i + 1}`} />
          )}
        </li>
      ))}
    </ul>
  );
}

export function OrderPage() {
  const { token = "" } = useParams();
  const [params] = useSearchParams();
  const trpc = useTRPC();
  const me = useMe();
  const order = useQuery(trpc.orders.get.queryOptions({ orderToken: token }, { retry: false }));
  if (order.isPending) return <Loading what="Loading your order" />;
  if (order.isError) {
    if (errorData(order.error)?.code === "NOT_FOUND") return <NoSuchOrder />;
    return (
      <div className="mx-auto max-w-lg">
        <h1 className="mb-3 text-2xl font-bold tracking-tight">Your order</h1>
        <ErrorBox error={order.error} title="Could not open this order right now" />
      </div>
    );
  }
  const o = order.data;
  const { booking } = o;
  const e = o.event;
  const slots = orderSlots(o, typeNamesOf(booking.items));
  const cancelled = booking.status === "cancelled";
  return (
    <div className="mx-auto max-w-3xl">
      <p className="text-sm font-semibold tracking-wide text-indigo-800 uppercase">Your order</p>
      <div className="mb-1 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold tracking-tight">{e.title}</h1>
        <StatusPill
          status={cancelled ? "cancelled" : e.status === "cancelled" ? "cancelled" : "confirmed"}
        />
      </div>
      <p className="mb-1 text-lg text-slate-800">
        {dateTime(e.startsAt, e.timezone)}
        {e.venueName ? ` · ${e.venueName}` : ""}
      </p>
      <p className="mb-4 text-sm text-slate-700">
        {booking.buyer.name} · {booking.buyer.email} · booked {dateTime(booking.createdAt)} ·{" "}
        {money(booking.totalCents, booking.currency)}
        {booking.code && ` with code ${booking.code.code}`}
        {cancelled &&
          booking.totalCents > 0 &&
          ` · refunded ${amount(booking.refundCents, booking.currency)}`}
      </p>
      {params.get("paid") && !cancelled && (
        <div className="mb-4">
          <Notice>
            <span className="font-semibold">You are booked!</span> Your tickets and the link to this
            page were mailed to {booking.buyer.email}. Bookmark this page to come back to it.
          </Notice>
        </div>
      )}
      {e.status === "cancelled" && (
        <div className="mb-4">
          <ErrorBox error="This event has been cancelled. Every booking was refunded in full." />
        </div>
      )}
      {!cancelled && (
        <Card className="mb-4">
          <h2 className="mb-3 text-lg font-semibold">Tickets</h2>
          <p className="mb-3 text-sm text-slate-700">Show the QR code at the door.</p>
          <div className="mb-4">
            <OrderDownloads base={filesBase({ orderToken: token })} eventTitle={e.title} />
          </div>
          <Tickets order={o} slots={slots} token={token} />
        </Card>
      )}
      {!cancelled && <EditOrder token={token} order={o} slots={slots} />}
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <CancelOrder token={token} order={o} />
        {me.data && (
          <Link className="font-medium text-indigo-700 underline" to="/bookings">
            My bookings
          </Link>
        )}
        <Link className="font-medium text-indigo-700 underline" to={`/events/${e.id}`}>
          Event page
        </Link>
      </div>
      {!me.data && (
        <p className="mt-4 text-sm text-slate-600">
          Anyone with this page's link can see and change this order: keep it to yourself.
        </p>
      )}
    </div>
  );
}
