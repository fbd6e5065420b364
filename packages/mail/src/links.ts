/**
 * Where mails lead: every link is built from the configured origin (PUBLIC_ORIGIN, else the
 * listen address), never from a request. Ids appear in paths only, never in what people read.
 */
const seg = encodeURIComponent;

export function linksOf(origin: string) {
  return {
    /** The order page (tickets, names, cancelling), no account needed. */
    order: (orderToken: string) => `${origin}/orders/${seg(orderToken)}`,
    event: (eventId: string) => `${origin}/events/${seg(eventId)}`,
    /** A waitlist offer: the held tickets, to pay for. */
    offer: (holdId: string) => `${origin}/checkout/${seg(holdId)}`,
    account: `${origin}/account`,
    bookings: `${origin}/bookings`,
    /** The organizer's page of an event, or one of its tabs. */
    manage: (eventId: string, tab?: "analytics" | "waitlist" | "attendees") =>
      `${origin}/organizer/events/${seg(eventId)}${tab ? `/${tab}` : ""}`,
    /** An organizer's notice preferences and Wallet set-up. */
    organizerSettings: `${origin}/organizer/settings`,
    /** The page that asks a person to confirm, and the RFC 8058 one-click endpoint. */
    unsubscribe: (token: string) => `${origin}/unsubscribe/${seg(token)}`,
    oneClickUnsubscribe: (token: string) => `${origin}/mail/unsubscribe/${seg(token)}`,
  };
}

export type Links = ReturnType<typeof linksOf>;
