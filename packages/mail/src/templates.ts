/**
 * One small template per kind of notification. Each says what happened as a list of blocks
 * (paragraphs, lists); `compose` turns the blocks into a plain-text and an HTML body, escaping
 * everything that came from users (names, titles, reasons).
 */
import type { AccountDueMail, BookingMail, DueMail, OutboxMessage } from "@boxoffice/db";

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
};

function cachedFormat(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let format = instantFormats.get(key);
  if (!format) {
    format = make();
    instantFormats.set(key, format);
  }
  return format;
}

const zoneNameParts = (ms: number, timeZone: string, locale: string, style: "short" | "long") =>
  cachedFormat(
    `${locale}|${style}|${timeZone}`,
    () => new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: style }),
  )
    .formatToParts(ms)
    .find((p) => p.type === "timeZoneName")?.value ?? timeZone;

/**
 * The zone's name at `ms` as readers know it: "CET", "BST", "PST" (the British abbreviation, else
 * the American one), else the long name ("Japan Standard Time"), never a bare "GMT-8".
 */
export function zoneName(ms: number, timeZone: string): string {
  for (const locale of ["en-GB", "en-US"]) {
    const short = zoneNameParts(ms, timeZone, locale, "short");
    if (!/^(GMT|UTC)[+\-−]/.test(short)) return short;
  }
  return zoneNameParts(ms, timeZone, "en-GB", "long");
}

/** An instant in the event's time zone, with the zone named: `Tue, 1 Dec 2026, 20:00 CET`. */
export function formatInstant(ms: number, timeZone: string): string {
  let zone = timeZone;
  let format: Intl.DateTimeFormat;
  try {
    format = cachedFormat(
      timeZone,
      () => new Intl.DateTimeFormat("en-GB", { ...instantOptions, timeZone }),
    );
  } catch {
    zone = "UTC";
    format = cachedFormat(
      "UTC",
      () => new Intl.DateTimeFormat("en-GB", { ...instantOptions, timeZone: "UTC" }),
    );
  }
  return `${format.format(ms)} ${zoneName(ms, zone)}`;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** A seat as people read it ("Stalls row C seat 6"), or null: never the seat's internal id. */
const seatLabelOf = (mail: DueMail, seatId: string | null): string | null =>
  seatId === null ? null : (mail.seatLabels?.get(seatId) ?? null);

function ticketLines(mail: DueMail, booking: BookingMail): string[] {
  return booking.tickets.map((t) => {
    // A seat's label already starts with its section, which is its ticket type.
    const what = seatLabelOf(mail, t.seatId) ?? mail.ticketTypes.get(t.ticketTypeId) ?? "Ticket";
    return `${what}: ${t.code}`;
  });
}

/** The order page a booking mail links to: `<origin>/orders/<token>`. */
export const orderLink = (origin: string, token: string): string =>
  `${origin}/orders/${encodeURIComponent(token)}`;

function booked(
  mail: DueMail,
  booking: BookingMail,
  fromWaitlist: boolean,
  origin: string | undefined,
): Draft {
  const { event } = mail;
  // The order page: tickets with QR codes, names and answers, cancelling; no account needed.
  const manage =
    booking.orderToken && origin
      ? [
          "Manage your order: see your tickets with their QR codes, change names and answers, or cancel, here:",
          orderLink(origin, booking.orderToken),
        ]
      : ["Your tickets are also in My bookings, with a QR code for each to show at the door."];
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
      booking.totalCents === 0
        ? "Free tickets: nothing to pay."
        : `Total: ${formatMoney(booking.totalCents, booking.currency)}.`,
      ...manage,
    ],
  };
}

function draft(mail: DueMail, origin: string | undefined): Draft {
  const { event } = mail;
  const message: OutboxMessage = mail.message;
  switch (message.kind) {
    case "booking_confirmed":
      return booked(mail, message.payload, false, origin);
    case "waitlist_auto_booked":
      return booked(mail, message.payload, true, origin);
    case "booking_cancelled": {
      const p = message.payload;
      const fee = p.feeCents > 0 ? ` (after a fee of ${formatMoney(p.feeCents, p.currency)})` : "";
      return {
        subject: `Booking cancelled: ${event.title}`,
        blocks: [
          p.reason === "organizer"
            ? `The organizer cancelled your booking for ${event.title}.`
            : `Your booking for ${event.title} is cancelled.`,
          // Nothing back and no fee: a free ticket (or a non-refundable one): no "Refund: $0.00".
          p.refundCents === 0 && p.feeCents === 0
            ? "There is nothing to refund."
            : `Refund: ${formatMoney(p.refundCents, p.currency)}${fee}.`,
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
          // Refunded in full: nothing back means the tickets were free.
          p.refundCents === 0
            ? "Your booking is cancelled. Your tickets were free, so there is nothing to refund."
            : `Your booking is cancelled and refunded in full: ${formatMoney(p.refundCents, p.currency)}.`,
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
      const seats = (p.seatIds ?? []).flatMap((id) => seatLabelOf(mail, id) ?? []);
      const items =
        seats.length > 0
          ? seats
          : p.items.map(
              (i) => `${i.quantity} × ${mail.ticketTypes.get(i.ticketTypeId) ?? "ticket"}`,
            );
      const total = p.totalCents === 0 ? "Free" : formatMoney(p.totalCents, p.currency);
      return {
        subject: `Tickets for ${event.title} are held for you until ${deadline}`,
        blocks: [
          `Good news: tickets for ${event.title} freed up and are held for you.`,
          { list: items },
          `Total: ${total}. Confirm them before ${deadline} on the event's page or in My bookings; after that the offer passes to the next person in the queue.`,
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

/** Account mails: a link to follow, how long it works, and what to do if it was not you. */
function accountDraft(mail: AccountDueMail): Draft {
  const { message } = mail;
  const until = formatInstant(message.payload.expiresAt, "UTC");
  if (message.kind === "password_reset") {
    return {
      subject: "Reset your Boxoffice password",
      blocks: [
        "Someone (we hope you) asked to reset the password of your Boxoffice account. Choose a new one here:",
        message.payload.link,
        `The link works once, for an hour (until ${until}). Resetting signs you out everywhere else.`,
        "If you did not ask for this, ignore this mail: your password stays as it is.",
      ],
    };
  }
  return {
    subject: "Confirm your email address for Boxoffice",
    blocks: [
      `Please confirm that ${message.payload.email} is your address by opening this link:`,
      message.payload.link,
      `The link works for a day (until ${until}). If you did not ask for this, ignore this mail.`,
    ],
  };
}

function compose(mail: Pick<DueMail, "recipient">, d: Draft): Mail {
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

/**
 * The mail for one outbox row: subject, plain text and HTML, to its recipient. `origin` is where
 * links in booking mails point (PUBLIC_ORIGIN, else the listen address), read at send time.
 */
export function renderMail(mail: DueMail | AccountDueMail, origin?: string): Mail {
  if ("account" in mail) return compose(mail, accountDraft(mail));
  return compose(mail, draft(mail, origin));
}
