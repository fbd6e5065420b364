/** The tickets: `booking_confirmed`, and `waitlist_auto_booked` in its own words. */
import type { BookingMail, DueMail } from "@boxoffice/db";
import {
  Action,
  Facts,
  Layout,
  LinkLine,
  P,
  Small,
  type TicketLine,
  Tickets,
} from "../components/layout.tsx";
import { formatMoney } from "../format.ts";
import { BuyerFooter, type Draft, type DraftContext, EventFacts } from "./shared.tsx";

/** The tickets as people read them: from the ticket document, else from the row's payload. */
export function ticketLines(mail: DueMail, booking: BookingMail, ctx: DraftContext): TicketLine[] {
  if (mail.document) {
    return mail.document.tickets.map((t) => ({
      code: t.code,
      what: t.ticketTypeName,
      seat: t.seatLabel,
      attendee: t.attendeeName,
      qrSrc: ctx.qr.get(t.code) ?? null,
    }));
  }
  return booking.tickets.map((t) => ({
    code: t.code,
    what: mail.ticketTypes.get(t.ticketTypeId) ?? "Ticket",
    seat: t.seatId === null ? null : (mail.seatLabels?.get(t.seatId) ?? null),
    attendee: null,
    qrSrc: ctx.qr.get(t.code) ?? null,
  }));
}

export function bookingConfirmed(
  mail: DueMail,
  booking: BookingMail,
  fromWaitlist: boolean,
  ctx: DraftContext,
): Draft {
  const { event } = mail;
  const { links } = ctx;
  const tickets = ticketLines(mail, booking, ctx);
  const count = tickets.length === 1 ? "Your ticket" : `Your ${tickets.length} tickets`;
  const total =
    booking.totalCents === 0 ? "Free" : formatMoney(booking.totalCents, booking.currency);
  const subject = fromWaitlist
    ? `A place opened up: your tickets for ${event.title}`
    : `Your tickets for ${event.title}`;
  const element = (
    <Layout
      preview={`${count} for ${event.title}: show the QR code at the door.`}
      title={fromWaitlist ? `A place opened up for ${event.title}` : `${count} for ${event.title}`}
      greeting={`Hello ${mail.recipient.name},`}
      footer={
        <>
          <BuyerFooter
            why={
              fromWaitlist
                ? `you were on the waitlist for ${event.title} and it booked your tickets`
                : `you booked tickets for ${event.title}`
            }
            email={mail.recipient.email}
          />
          <Small>Attached: your tickets as a PDF and the event for your calendar.</Small>
        </>
      }
    >
      <P>
        {fromWaitlist
          ? `You were next on the waitlist for ${event.title}, so we booked your tickets for you. Your booking is confirmed.`
          : `Your booking for ${event.title} is confirmed. Show each ticket's QR code at the door, on your phone or printed.`}
      </P>
      <EventFacts event={event} />
      <Tickets tickets={tickets} />
      <Facts rows={[["Total", total]]} />
      {booking.orderToken ? (
        <>
          <Action href={links.order(booking.orderToken)}>View your order</Action>
          <P>On your order's page you can see your tickets, change names and answers, or cancel.</P>
        </>
      ) : (
        <Action href={links.bookings}>See My bookings</Action>
      )}
      <LinkLine href={links.event(event.id)}>About the event</LinkLine>
    </Layout>
  );
  return { subject, element };
}
