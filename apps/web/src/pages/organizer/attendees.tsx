import { useInfiniteQuery } from "@tanstack/react-query";
import { Empty, ErrorBox, Loading, LoadMore } from "../../components/ui.tsx";
import { dateTime, money } from "../../lib/format.ts";
import { type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { answerText } from "../order-edit.tsx";
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

/** The names on a booking's tickets, in order ("1. Ada Lovelace"), where tickets carry names. */
function AttendeeNames({ tickets }: { tickets: readonly Ticket[] }) {
  if (!tickets.some((t) => t.attendee)) return null;
  return (
    <ol className="mt-1 list-inside list-decimal text-slate-800" aria-label="Names on tickets">
      {tickets.map((t) => (
        <li key={t.id}>
          {t.attendee?.name ?? "—"}
          {t.attendee?.email && (
            <span className="break-all text-slate-600"> · {t.attendee.email}</span>
          )}
        </li>
      ))}
    </ol>
  );
}

/** The booking's answers, per order then per ticket, behind a disclosure. */
function Answers({ booking }: { booking: Row["booking"] }) {
  if (booking.answers.length === 0) return null;
  const order = booking.answers.filter((a) => a.ticketIndex === null);
  const perTicket = booking.answers.filter((a) => a.ticketIndex !== null);
  return (
    <details className="mt-1">
      <summary className="cursor-pointer font-medium text-indigo-800 underline">
        Answers ({booking.answers.length})
      </summary>
      <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2">
        {[...order, ...perTicket].map((a) => (
          <div key={`${a.questionId}-${a.ticketIndex}`} className="contents">
            <dt className="text-slate-600">
              {a.ticketIndex === null ? "" : `Ticket ${a.ticketIndex + 1} · `}
              {a.label}
            </dt>
            <dd className="break-words">{answerText(a.value)}</dd>
          </div>
        ))}
      </dl>
    </details>
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
      <AttendeeNames tickets={booking.tickets} />
      <Answers booking={booking} />
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
                <div className="font-medium">{attendee?.name ?? booking.buyer.name}</div>
                <div className="break-all text-slate-600">
                  {attendee?.email ?? booking.buyer.email}
                </div>
                {!attendee && <div className="text-slate-600">Guest (no account)</div>}
              </td>
              <td className="p-1.5 sm:p-2">
                <Tickets booking={booking} typeName={typeName} />
              </td>
              <td className="p-1.5 sm:p-2">
                {money(booking.totalCents, booking.currency)}
                {booking.code && (
                  <div className="break-words font-mono text-slate-600">{booking.code.code}</div>
                )}
              </td>
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
