/**
 * One small template per kind of notification. Each says what happened as a list of blocks
 * (paragraphs, lists); `compose` turns the blocks into a plain-text and an HTML body, escaping
 * everything that came from users (names, titles, reasons).
 */
import type { BookingMail, DueMail, OutboxMessage } from "@boxoffice/db";

export interface Mail {
  /** The recipient's address, and their name for the To header. */
  readonly to: string;
  readonly toName: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

type Block = string | { readonly list: readonly string[] };

interface Draft {
  readonly subject: string;
  readonly blocks: readonly Block[];
}

// Building an Intl formatter costs far more than using one, and every booking's mail needs them:
// one per currency and per time zone is kept.
const moneyFormats = new Map<string, Intl.NumberFormat | null>();
const instantFormats = new Map<string, Intl.DateTimeFormat>();

/** Money as people read it: `$15.00`, `€7.50`. */
export function formatMoney(cents: number, currency: string): string {
  let format = moneyFormats.get(currency);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat("en", { style: "currency", currency });
    } catch {
      format = null;
    }
    moneyFormats.set(currency, format);
  }
  return format ? format.format(cents / 100) : `${(cents / 100).toFixed(2)} ${currency}`;
}

const instantOptions: Intl.DateTimeFormatOptions = {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZoneName: "short",
};

/** An instant in the event's time zone, with the zone named: `Tue, 1 Dec 2026, 20:00 UTC`. */
export function formatInstant(ms: number, timeZone: string): string {
  let format = instantFormats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat("en-GB", { ...instantOptions, timeZone });
    } catch {
      format = new Intl.DateTimeFormat("en-GB", { ...instantOptions, timeZone: "UTC" });
    }
    instantFormats.set(timeZone, format);
  }
  return format.format(ms);
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function ticketLines(mail: DueMail, booking: BookingMail): string[] {
  return booking.tickets.map((t) => {
    const type = mail.ticketTypes.get(t.ticketTypeId) ?? "Ticket";
    return `${type}${t.seatId ? ` (seat ${t.seatId})` : ""}: ${t.code}`;
  });
}

function booked(mail: DueMail, booking: BookingMail, fromWaitlist: boolean): Draft {
  const { event } = mail;
  const when = formatInstant(event.startsAt, event.timezone);
  const where = event.venueName ? ` at ${event.venueName}` : "";
  return {
    subject: fromWaitlist
      ? `A place opened up: your tickets for ${event.title}`
      : `Your tickets for ${event.title}`,
    blocks: [
      fromWaitlist
        ? `You were next on the waitlist for ${event.title}, so we booked your tickets for you.`
        : `Your booking for ${event.title} is confirmed.`,
      `${event.title}: ${when}${where}.`,
      `Your ${booking.tickets.length === 1 ? "ticket code" : "ticket codes"}, to show at the door:`,
      { list: ticketLines(mail, booking) },
      `Total: ${formatMoney(booking.totalCents, booking.currency)}. Booking reference: ${booking.bookingId}.`,
    ],
  };
}

function draft(mail: DueMail): Draft {
  const { event } = mail;
  const message: OutboxMessage = mail.message;
  switch (message.kind) {
    case "booking_confirmed":
      return booked(mail, message.payload, false);
    case "waitlist_auto_booked":
      return booked(mail, message.payload, true);
    case "booking_cancelled": {
      const p = message.payload;
      const fee = p.feeCents > 0 ? ` (after a fee of ${formatMoney(p.feeCents, p.currency)})` : "";
      return {
        subject: `Booking cancelled: ${event.title}`,
        blocks: [
          p.reason === "organizer"
            ? `The organizer cancelled your booking ${p.bookingId} for ${event.title}.`
            : `Your booking ${p.bookingId} for ${event.title} is cancelled.`,
          `Refund: ${formatMoney(p.refundCents, p.currency)}${fee}.`,
        ],
      };
    }
    case "event_cancelled": {
      const p = message.payload;
      return {
        subject: `Cancelled: ${event.title}`,
        blocks: [
          `${event.title}, planned for ${formatInstant(event.startsAt, event.timezone)}, has been cancelled by its organizer.`,
          ...(event.cancelReason ? [`Their reason: ${event.cancelReason}`] : []),
          `Your booking ${p.bookingId} is cancelled and refunded in full: ${formatMoney(p.refundCents, p.currency)}.`,
        ],
      };
    }
    case "waitlist_joined": {
      const p = message.payload;
      const type = p.ticketTypeId ? ` (${mail.ticketTypes.get(p.ticketTypeId) ?? "ticket"})` : "";
      return {
        subject: `You are on the waitlist for ${event.title}`,
        blocks: [
          `You are on the waitlist for ${event.title} for ${plural(p.quantity, "ticket")}${type}.`,
          ...(mail.waitlistPosition ? [`Your place in the queue: ${mail.waitlistPosition}.`] : []),
          "Tickets that free up go to the queue in order. We will write when it is your turn.",
        ],
      };
    }
    case "waitlist_offered": {
      const p = message.payload;
      const deadline = formatInstant(p.expiresAt, event.timezone);
      const items = p.items.map(
        (i) => `${i.quantity} × ${mail.ticketTypes.get(i.ticketTypeId) ?? "ticket"}`,
      );
      return {
        subject: `Tickets for ${event.title} are held for you until ${deadline}`,
        blocks: [
          `Good news: tickets for ${event.title} freed up and are held for you.`,
          { list: items },
          `Total: ${formatMoney(p.totalCents, p.currency)}. Confirm before ${deadline} (hold ${p.holdId}); after that the offer passes to the next person in the queue.`,
        ],
      };
    }
    case "waitlist_offer_expired":
      return {
        subject: `Your offer for ${event.title} has expired`,
        blocks: [
          `The tickets held for you for ${event.title} were not confirmed in time, so they passed to the next person on the waitlist.`,
        ],
      };
  }
}

function compose(mail: DueMail, d: Draft): Mail {
  const greeting = `Hello ${mail.recipient.name},`;
  const signature = "Boxoffice";
  const text = [greeting, ...d.blocks, signature]
    .map((b) => (typeof b === "string" ? b : b.list.map((line) => `  - ${line}`).join("\n")))
    .join("\n\n");
  const html = [greeting, ...d.blocks, signature]
    .map((b) =>
      typeof b === "string"
        ? `<p>${escapeHtml(b)}</p>`
        : `<ul>${b.list.map((line) => `<li>${escapeHtml(line)}</li>`).join("")}</ul>`,
    )
    .join("\n");
  return {
    to: mail.recipient.email,
    toName: mail.recipient.name,
    subject: d.subject,
    text: `${text}\n`,
    html: `<!doctype html>\n<html><body>\n${html}\n</body></html>\n`,
  };
}

/** The mail for one outbox row: subject, plain text and HTML, to its recipient. */
export function renderMail(mail: DueMail): Mail {
  return compose(mail, draft(mail));
}
