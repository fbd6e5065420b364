import { spacedTicketCode } from "@boxoffice/api/schemas/checkin";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { QrCode } from "../components/qr-code.tsx";
import { filesBase, OrderDownloads, WalletLink } from "../components/ticket-downloads.tsx";
import {
  Button,
  Card,
  Empty,
  ErrorBox,
  Loading,
  LoadMore,
  Notice,
  PageTitle,
  StatusPill,
} from "../components/ui.tsx";
import { typeNamesOf } from "../lib/checkout-form.ts";
import { amount, dateTime, money } from "../lib/format.ts";
import { type RouterOutputs, useTRPC } from "../lib/trpc.ts";
import { CancelConfirmation } from "./cancel-booking.tsx";
import { HeldList, refreshAfterBookingChange, useMyHolds } from "./held-tickets.tsx";

type Booking = RouterOutputs["bookings"]["mine"]["items"][number];

/**
 * Cached lists of bookings (the paged list here, or a plain page elsewhere) with `booking` in
 * place of its old self: the change shows at once, before the refetch confirms it.
 */
function replaceBooking(data: unknown, booking: Omit<Booking, "walletPasses">): unknown {
  // What the list adds to a booking (walletPasses) stays as it was.
  const swap = (page: { items: Booking[] }) => ({
    ...page,
    items: page.items.map((b) => (b.id === booking.id ? { ...b, ...booking } : b)),
  });
  if (!data || typeof data !== "object") return data;
  if ("pages" in data && Array.isArray(data.pages)) return { ...data, pages: data.pages.map(swap) };
  if ("items" in data && Array.isArray(data.items)) return swap(data as { items: Booking[] });
  return data;
}

/** Groups a code into fours so people can read it out at the door. */

function CancelBooking({ booking, onDone }: { booking: Booking; onDone: (msg: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  // Nothing was paid, so nothing comes back: no "refund $0.00".
  const free = booking.totalCents === 0;
  const quote = useQuery(
    trpc.bookings.refundQuote.queryOptions(
      { bookingId: booking.id },
      { enabled: asking, staleTime: 0 },
    ),
  );
  const cancel = useMutation(
    trpc.bookings.cancel.mutationOptions({
      onSuccess: (result) => {
        queryClient.setQueriesData({ queryKey: trpc.bookings.mine.pathKey() }, (data) =>
          replaceBooking(data, result.booking),
        );
        refreshAfterBookingChange(queryClient, trpc, booking.eventId);
        onDone(
          free
            ? "Booking cancelled."
            : `Booking cancelled. Refund: ${amount(result.refundCents, booking.currency)}.`,
        );
        setAsking(false);
      },
    }),
  );
  if (!asking) {
    return (
      <Button variant="secondary" onClick={() => setAsking(true)}>
        Cancel booking…
      </Button>
    );
  }
  return (
    <section
      aria-label="Cancel this booking"
      className="rounded-md border border-red-200 bg-red-50 p-3"
    >
      <CancelConfirmation
        booking={booking}
        quote={quote}
        cancel={cancel}
        onConfirm={() => cancel.mutate({ bookingId: booking.id })}
        onKeep={() => setAsking(false)}
      />
    </section>
  );
}

function BookingCard({ booking, highlight }: { booking: Booking; highlight: boolean }) {
  const trpc = useTRPC();
  const [message, setMessage] = useState<string | null>(null);
  const event = useQuery(trpc.events.get.queryOptions({ eventId: booking.eventId }));
  const typeName = typeNamesOf(booking.items);
  const cancelled = booking.status === "cancelled";
  const files = filesBase({ bookingId: booking.id });
  return (
    <li>
      <Card className={highlight ? "ring-2 ring-indigo-500" : ""}>
        <div className="mb-3 flex flex-wrap items-start justify-between gap-2">
          <div>
            <h2 className="text-lg font-semibold">
              <Link className="hover:underline" to={`/events/${booking.eventId}`}>
                {event.data?.title ?? "Event"}
              </Link>
            </h2>
            {event.data && (
              <p className="text-slate-700">{dateTime(event.data.startsAt, event.data.timezone)}</p>
            )}
            <p className="text-sm text-slate-600">
              Booked {dateTime(booking.createdAt)} · {money(booking.totalCents, booking.currency)}
              {booking.code && ` with code ${booking.code.code}`}
              {cancelled &&
                booking.totalCents > 0 &&
                ` · refunded ${amount(booking.refundCents, booking.currency)}`}
            </p>
          </div>
          <StatusPill status={booking.status} />
        </div>
        {message && <Notice>{message}</Notice>}
        {!cancelled && (
          <OrderDownloads base={files} eventTitle={event.data?.title ?? "this booking"} />
        )}
        {!cancelled && (
          <ul className="my-3 grid gap-4 sm:grid-cols-2" aria-label="Tickets">
            {booking.tickets.map((ticket, i) => (
              <li
                key={ticket.id}
                className="flex flex-col gap-2 rounded-md border border-slate-200 p-3"
              >
                <div className="flex items-center gap-3">
                  <QrCode value={ticket.code} size={120} />
                  <div className="min-w-0">
                    {/* A seat's label names its section, which is the ticket type. */}
                    {!ticket.seatLabel && (
                      <p className="font-medium">{typeName(ticket.ticketTypeId)}</p>
                    )}
                    {ticket.seatLabel && (
                      <p
                        className="text-sm font-semibold text-indigo-900"
                        data-testid="ticket-seat"
                      >
                        {ticket.seatLabel}
                      </p>
                    )}
                    {ticket.attendee && (
                      <p className="font-medium" data-testid="ticket-attendee">
                        {ticket.attendee.name}
                      </p>
                    )}
                    <p className="break-all font-mono text-sm" data-testid="ticket-code">
                      {spacedTicketCode(ticket.code)}
                    </p>
                    {ticket.checkedInAt && (
                      <p className="text-sm text-green-800">
                        Checked in {dateTime(ticket.checkedInAt)}
                      </p>
                    )}
                  </div>
                </div>
                {booking.walletPasses && (
                  <WalletLink base={files} code={ticket.code} label={`ticket ${i + 1}`} />
                )}
              </li>
            ))}
          </ul>
        )}
        {!cancelled &&
          (booking.tickets.some((t) => t.checkedInAt) ? (
            // Used at the door: the server refuses its attendee's cancellation (ALREADY_CHECKED_IN).
            <p className="text-sm text-slate-700">
              Used at the door: this booking can no longer be cancelled or refunded.
            </p>
          ) : (
            <CancelBooking booking={booking} onDone={setMessage} />
          ))}
      </Card>
    </li>
  );
}

export function MyBookingsPage() {
  const trpc = useTRPC();
  const [params] = useSearchParams();
  const booked = params.get("booked");
  const bookings = useInfiniteQuery(
    trpc.bookings.mine.infiniteQueryOptions(
      { limit: 20 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const items = bookings.data?.pages.flatMap((p) => p.items) ?? [];
  const { holds, now } = useMyHolds();
  return (
    <div>
      <PageTitle>My bookings</PageTitle>
      {booked && (
        <Notice>You are booked! Your tickets are below; show the QR code at the door.</Notice>
      )}
      <div className="mt-4">
        <HeldList holds={holds} now={now} />
        {holds.length > 0 && items.length > 0 && (
          <h2 className="mb-3 text-xl font-semibold">Booked</h2>
        )}
        {bookings.isPending ? (
          <Loading what="Loading your bookings" />
        ) : bookings.isError ? (
          <ErrorBox error={bookings.error} title="Could not load your bookings" />
        ) : items.length === 0 && holds.length > 0 ? (
          <Empty>No confirmed bookings yet: pay for the tickets held above to book them.</Empty>
        ) : items.length === 0 ? (
          <Empty>
            No bookings yet.{" "}
            <Link className="font-medium text-indigo-700 underline" to="/">
              Find an event
            </Link>
          </Empty>
        ) : (
          <ul className="flex flex-col gap-4">
            {items.map((b) => (
              <BookingCard key={b.id} booking={b} highlight={b.id === booked} />
            ))}
          </ul>
        )}
        <LoadMore query={bookings}>Show older bookings</LoadMore>
      </div>
    </div>
  );
}
