import { useInfiniteQuery } from "@tanstack/react-query";
import { Empty, ErrorBox, Loading, LoadMore } from "../../components/ui.tsx";
import { dateTime, money } from "../../lib/format.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { useManagedEvent } from "./manage.tsx";

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
  const typeName = (id: string) => event.ticketTypes.find((t) => t.id === id)?.name ?? id;
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
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Bookings for {event.title}</caption>
            <thead className="bg-slate-100">
              <tr>
                <th scope="col" className="p-2">
                  Attendee
                </th>
                <th scope="col" className="p-2">
                  Tickets
                </th>
                <th scope="col" className="p-2">
                  Paid
                </th>
                <th scope="col" className="p-2">
                  Status
                </th>
                <th scope="col" className="p-2">
                  Booked
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ attendee, booking }) => (
                <tr key={booking.id} className="border-t border-slate-200">
                  <td className="p-2">
                    <div className="font-medium">{attendee?.name ?? "—"}</div>
                    <div className="text-slate-600">{attendee?.email}</div>
                  </td>
                  <td className="p-2">
                    {booking.items
                      .map((i) => `${i.quantity} × ${typeName(i.ticketTypeId)}`)
                      .join(", ")}
                    <div className="text-slate-600">
                      {booking.tickets.filter((t) => t.checkedInAt).length} of{" "}
                      {booking.tickets.length} checked in
                    </div>
                  </td>
                  <td className="p-2">{money(booking.totalCents, booking.currency)}</td>
                  <td className="p-2">{booking.status}</td>
                  <td className="p-2">{dateTime(booking.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore query={page}>More</LoadMore>
    </div>
  );
}
