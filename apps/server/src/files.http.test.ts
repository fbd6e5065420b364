/**
 * Ticket downloads over HTTP on a real server (docs/API.md "exports and files"): the PDF and the
 * calendar file by an order's secret link (misses counted as for orders.*) and by booking for
 * its buyer, its organizer or an admin; nobody else learns the booking exists.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { schema } from "@boxoffice/db";
import { spacedCode } from "@boxoffice/mail";
import { icsEvent, pdfPagesText } from "@boxoffice/mail/testing";
import { eq } from "drizzle-orm";
import { publishedEvent, startTestServer, type TestServer } from "./testing.ts";

let ts: TestServer;

beforeAll(async () => {
  ts = await startTestServer({ GUEST_HOLDS_PER_IP_PER_MINUTE: "100000" });
});

afterAll(async () => {
  await ts.stop();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${ts.url}${path}`, { headers });

/** A published seated-free concert with an end, and a guest's order of two named tickets. */
async function guestOrder() {
  const organizer = await ts.register("organizer", "Kreuzberg Konzerte");
  const startsAt = "2031-03-20T18:30:00.000Z";
  const event = await publishedEvent(organizer.client, {
    title: "Nils Frahm live",
    startsAt,
    endsAt: "2031-03-20T21:00:00.000Z",
    timezone: "Europe/Berlin",
    venueName: "Philharmonie Berlin",
    ticketTypes: [{ name: "Stalls", priceCents: 5_900, capacity: 50 }],
  });
  const booked = await ts.client().bookings.book.mutate({
    eventId: event.id,
    items: [{ ticketTypeId: event.ticketTypes[0]?.id ?? "", quantity: 2 }],
    buyer: { email: `lena-${Math.random().toString(36).slice(2, 8)}@example.test`, name: "Lena" },
    attendees: [{ name: "Lena Hoffmann" }, { name: "Jonas Becker" }],
  });
  if (booked.status !== "confirmed") throw new Error("not booked");
  return {
    organizer,
    event,
    startsAt,
    booking: booked.booking,
    token: booked.booking.orderToken ?? "",
  };
}

describe("downloads by an order's secret link", () => {
  it("serve the tickets as a PDF with one page per ticket, each with its code", async () => {
    const { booking, token } = await guestOrder();
    const response = await get(`/files/orders/${token}/tickets.pdf`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-disposition")).toContain('filename="tickets.pdf"');
    const pages = await pdfPagesText(new Uint8Array(await response.arrayBuffer()));
    expect(pages).toHaveLength(2);
    for (const [i, ticket] of booking.tickets.entries()) {
      expect(pages[i]).toContain(spacedCode(ticket.code));
      expect(pages[i]).toContain("Nils Frahm live");
    }
    expect(pages[0]).toContain("For Lena Hoffmann");
    expect(pages[1]).toContain("For Jonas Becker");
    expect(pages[0]).toContain("19:30 CET");
  });

  it("serve the calendar file, starting when the event starts", async () => {
    const { startsAt, token, event } = await guestOrder();
    const response = await get(`/files/orders/${token}/event.ics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toStartWith("text/calendar");
    const vevent = icsEvent(await response.text());
    expect(vevent.get("DTSTART")).toBe(startsAt.replace(/[-:]/g, "").replace(".000", ""));
    expect(vevent.get("DTEND")).toBe("20310320T210000Z");
    expect(vevent.get("LOCATION")).toBe("Philharmonie Berlin");
    expect(vevent.get("URL")).toBe(`${ts.url}/events/${event.id}`);
  });

  it("mark the tickets cancelled once the order is cancelled", async () => {
    const { token } = await guestOrder();
    await ts.client().orders.cancel.mutate({ orderToken: token });
    const pages = await pdfPagesText(
      new Uint8Array(await (await get(`/files/orders/${token}/tickets.pdf`)).arrayBuffer()),
    );
    expect(pages[0]).toContain("CANCELLED");
    const ics = icsEvent(await (await get(`/files/orders/${token}/event.ics`)).text());
    expect(ics.get("STATUS")).toBe("CANCELLED");
  });

  it("answer 404 for an unknown file or a pass without a Wallet set-up", async () => {
    const { token, booking } = await guestOrder();
    expect((await get(`/files/orders/${token}/secrets.txt`)).status).toBe(404);
    const pass = await get(`/files/orders/${token}/${booking.tickets[0]?.code}.pkpass`);
    expect(pass.status).toBe(404);
    expect((await ts.client().orders.get.query({ orderToken: token })).walletPasses).toBe(false);
  });
});

describe("downloads by booking", () => {
  /** A signed-in buyer's booking of one ticket, and the path of its PDF. */
  async function bookedBySignedInBuyer() {
    const organizer = await ts.register("organizer");
    const event = await publishedEvent(organizer.client);
    const buyer = await ts.register();
    const booked = await buyer.client.bookings.book.mutate({
      eventId: event.id,
      items: [{ ticketTypeId: event.ticketTypes[0]?.id ?? "", quantity: 1 }],
    });
    if (booked.status !== "confirmed") throw new Error("not booked");
    return { organizer, buyer, booked, path: `/files/bookings/${booked.booking.id}/tickets.pdf` };
  }
  it("serve the buyer signed in, the event's organizer and an admin", async () => {
    const { organizer, buyer, booked, path } = await bookedBySignedInBuyer();
    const admin = ts.user();
    ts.server.services.db
      .update(schema.users)
      .set({ role: "admin" })
      .where(eq(schema.users.id, admin.userId))
      .run();
    for (const token of [buyer.token, organizer.token, admin.token]) {
      const response = await get(path, bearer(token));
      expect(response.status).toBe(200);
      const [page] = await pdfPagesText(new Uint8Array(await response.arrayBuffer()));
      expect(page).toContain(spacedCode(booked.booking.tickets[0]?.code ?? "?"));
    }
    // The session cookie works as well as a bearer token.
    expect((await get(path, { cookie: `session=${buyer.token}` })).status).toBe(200);
    const ics = await get(`/files/bookings/${booked.booking.id}/event.ics`, bearer(buyer.token));
    expect(ics.status).toBe(200);
  });

  it("answer 401 signed out and 404 to anyone else, as for an unknown booking", async () => {
    const { path } = await bookedBySignedInBuyer();
    expect((await get(path)).status).toBe(401);
    const stranger = await ts.register();
    const otherOrganizer = await ts.register("organizer");
    for (const token of [stranger.token, otherOrganizer.token]) {
      const response = await get(path, bearer(token));
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: "No such booking" });
    }
    const unknown = await get("/files/bookings/bkg_nothing/tickets.pdf", bearer(stranger.token));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: "No such booking" });
  });
});

describe("guessing order links", () => {
  it("answers 404 to unknown tokens, counts them, and refuses the guesser with 429", async () => {
    const guarded = await startTestServer({ ORDER_TOKEN_MISSES_PER_IP_PER_MINUTE: "3" });
    try {
      const fetchFile = (token: string) =>
        fetch(`${guarded.url}/files/orders/${token}/tickets.pdf`);
      for (let i = 0; i < 3; i += 1) {
        const miss = await fetchFile(`wrongtoken${i}abcdefghijkmnpq`);
        expect(miss.status).toBe(404);
        expect(await miss.json()).toEqual({ error: "No such order" });
      }
      const refused = await fetchFile("wrongtoken9abcdefghijkmnpq");
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      // The misses are the same count as orders.*: the order page is refused too.
      const page = await guarded
        .client()
        .orders.get.query({ orderToken: "wrongtoken8abcdefghijkmnpq" })
        .catch((e) => e);
      expect(page.data?.reason).toBe("RATE_LIMITED");
    } finally {
      await guarded.stop();
    }
  });
});
