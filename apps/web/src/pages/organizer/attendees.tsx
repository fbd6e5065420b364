import { useInfiniteQuery } from "@tanstack/react-query";
import { Empty, ErrorBox, Loading, LoadMore } from "../../components/ui.tsx";
import { dateTime, money } from "../../lib/format.ts";
import { type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { useManagedEvent } from "./manage.tsx";

type Row = RouterOutputs["bookings"]["forEvent"]["items"][number];
type Ticket = Row["booking"]["tickets"][number];

/** The seats of a booking by their labels ("Stalls row C seat 6"), checked-in ones marked. */
function SeatList({ tickets }: { tickets: readonly Ticket[] }) {
  const seated = tickets.filter((t) => t.seatLabel);
  if (seated.length === 0) return null;
  return (
    <ul className="mt-1 text-slate-800" aria-label="Seats">
      {seated.map((t) => (
        <li key={t.id}>
          {t.seatLabel}
          {t.checkedInAt && <span className="text-green-800"> · checked in</span>}
        </li>
      ))}
    </ul>
  );
}

/** What a booking holds: "2 × Stalls", its seats, and how many are in. */
function Tickets({
  booking,
  typeName,
}: {
  booking: Row["booking"];
  typeName: (id: string) => string;
}) {
  return (
    <>
      {booking.items.map((i) => `${i.quantity} × ${typeName(i.ticketTypeId)}`).join(", ")}
      <SeatList tickets={booking.tickets} />
      <div className="text-slate-600">
        {booking.tickets.filter((t) => t.checkedInAt).length} of {booking.tickets.length} checked in
      </div>
    </>
  );
}

function BookingTable({
  rows,
  title,
  typeName,
}: {
  rows: Row[];
  title: string;
  typeName: (id: string) => string;
}) {
  return (
    // At phone width the five columns still fit: smaller type and padding, long words broken.
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-xs sm:text-sm">
        <caption className="sr-only">Bookings for {title}</caption>
        <thead className="bg-slate-100">
          <tr>
            {["Attendee", "Tickets", "Paid", "Status", "Booked"].map((column) => (
              <th key={column} scope="col" className="p-1.5 sm:p-2">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ attendee, booking }) => (
            <tr key={booking.id} className="border-t border-slate-200 align-top">
              <td className="p-1.5 sm:p-2">
                <div className="font-medium">{attendee?.name ?? "—"}</div>
                <div className="break-all text-slate-600">{attendee?.email}</div>
              </td>
              <td className="p-1.5 sm:p-2">
                <Tickets booking={booking} typeName={typeName} />
              </td>
              <td className="p-1.5 sm:p-2">{money(booking.totalCents, booking.currency)}</td>
              <td className="p-1.5 sm:p-2">{booking.status}</td>
              <td className="p-1.5 sm:p-2">{dateTime(booking.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AttendeesPage() {
  const event = useManagedEvent();
  const trpc = useTRPC();
  const page = useInfiniteQuery(
    trpc.bookings.forEvent.infiniteQueryOptions(
      { eventId: event.id, limit: 50 },
      { getNextPageParam: (p) => p.nextCursor ?? undefined },
    ),
  );
  const rows = page.data?.pages.flatMap((p) => p.items) ?? [];
  const typeName = (id: string) => event.ticketTypes.find((t) => t.id === id)?.name ?? "Ticket";
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-xl font-semibold">Attendees</h2>
        <a
          href={`/exports/events/${event.id}/attendees.csv`}
          download
          className="inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-4 font-medium hover:bg-slate-100"
        >
          Download CSV
        </a>
      </div>
      {page.isPending ? (
        <Loading what="Loading attendees" />
      ) : page.isError ? (
        <ErrorBox error={page.error} />
      ) : rows.length === 0 ? (
        <Empty>No bookings yet.</Empty>
      ) : (
        <BookingTable rows={rows} title={event.title} typeName={typeName} />
      )}
      <LoadMore query={page}>More</LoadMore>
    </div>
  );
}
