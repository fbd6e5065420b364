import { describe, expect, it } from "bun:test";
import type { AccountDueMail, DueMail } from "@boxoffice/db";
import { spacedCode } from "./format.ts";
import { type RenderableMail, renderMail } from "./index.ts";
import { sampleDocument, sampleEvent, sampleMails, sampleOrigin } from "./samples.ts";
import { INTERNAL_ID, visibleText, withoutUrls } from "./testing/helpers.ts";

const origin = sampleOrigin;
const event = `${origin}/events/${sampleEvent.id}`;
const manage = `${origin}/organizer/events/${sampleEvent.id}`;

/** Where each kind's main action leads. */
const expectedLink: Record<string, string> = {
  booking_confirmed: `${origin}/orders/q8vn2mk5pl9rt4wz7yb3cd6xjh`,
  waitlist_auto_booked: `${origin}/orders/q8vn2mk5pl9rt4wz7yb3cd6xjh`,
  booking_cancelled: event,
  event_cancelled: event,
  waitlist_joined: event,
  waitlist_offered: `${origin}/checkout/hld_wl_9c2m4k-offer`,
  waitlist_offer_expired: event,
  sale_digest: `${manage}/analytics`,
  sold_out: manage,
  waitlist_growing: `${manage}/waitlist`,
  refund_failed: `${manage}/attendees`,
  broadcast: `${origin}/unsubscribe/k7mq2xw9pd4rt8vn3bz6hc5yfa`,
  password_reset: `${origin}/reset-password/abcdefghijkmnpqrstuvwxyz23456789`,
  email_verification: `${origin}/verify-email/abcdefghijkmnpqrstuvwxyz23456789`,
};

const render = (mail: RenderableMail) => renderMail(mail, { origin });

describe("every kind of mail", () => {
  it("has a sample for every kind the outbox writes", () => {
    expect(Object.keys(sampleMails).sort()).toEqual(Object.keys(expectedLink).sort());
  });

  for (const [kind, mail] of Object.entries(sampleMails)) {
    describe(kind, () => {
      it("has a subject, an HTML part and a plain-text part, to its recipient", async () => {
        const out = await render(mail);
        expect(out.to).toBe(mail.recipient.email);
        expect(out.subject.length).toBeGreaterThan(5);
        expect(out.html).toContain("<html");
        expect(out.html).toContain("</html>");
        expect(out.text.length).toBeGreaterThan(100);
        expect(out.text).not.toContain("<");
      });

      it("leads somewhere: its link in the HTML and as `Label: URL` in the text", async () => {
        const out = await render(mail);
        const link = expectedLink[kind] ?? "";
        expect(out.html).toContain(`href="${link}"`);
        expect(out.text).toMatch(new RegExp(`\\w: ${link.replace(/[.?*+]/g, "\\$&")}`));
      });

      it("names no internal id where a person reads it", async () => {
        const out = await render(mail);
        expect(withoutUrls(out.text)).not.toMatch(INTERNAL_ID);
        expect(visibleText(out.html)).not.toMatch(INTERNAL_ID);
        expect(out.subject).not.toMatch(INTERNAL_ID);
      });

      it("names time zones, never a bare offset", async () => {
        const out = await render(mail);
        expect(out.text).not.toMatch(/GMT[+-−]|UTC[+-−]\d/);
        const timeless = ["broadcast", "sale_digest", "waitlist_growing", "refund_failed"];
        if (!("account" in mail) && !timeless.includes(kind)) {
          expect(out.text).toMatch(/\b(CET|CEST)\b/);
        }
      });
    });
  }
});

describe("booking mails", () => {
  const confirmed = sampleMails.booking_confirmed as DueMail;

  it("list each ticket by seat label, attendee and code, with its QR code beside it", async () => {
    const out = await render(confirmed);
    for (const t of sampleDocument.tickets) {
      expect(out.text).toContain(
        `${t.seatLabel}\nFor ${t.attendeeName}\nCode: ${spacedCode(t.code)}`,
      );
      expect(out.html).toContain(`src="cid:qr-${t.code}@boxoffice"`);
    }
    expect(out.text).toContain("When: Sat, 20 Mar 2027, 19:30 CET");
    expect(out.text).toContain("Total: €118.00");
  });

  it("attach one inline QR code per ticket, the PDF, the calendar file and the passes", async () => {
    const pass = {
      filename: "K7PQM4XD9RWTH3VN8ZBE.pkpass",
      contentType: "x",
      content: new Uint8Array(),
    };
    const out = await renderMail(confirmed, { origin, passesFor: async () => [pass] });
    const names = out.attachments.map((a) => a.filename);
    expect(names).toEqual([
      "ticket-K7PQM4XD9RWTH3VN8ZBE.png",
      "ticket-H3VN8ZBE2YCAK7PQM4XD.png",
      "tickets.pdf",
      "event.ics",
      "K7PQM4XD9RWTH3VN8ZBE.pkpass",
    ]);
    const png = out.attachments[0];
    expect(png?.cid).toBe("qr-K7PQM4XD9RWTH3VN8ZBE@boxoffice");
    expect([...(png?.content.subarray(1, 4) ?? [])]).toEqual([0x50, 0x4e, 0x47]);
  });

  it("say the waitlist booked them, in their own words", async () => {
    const out = await render(sampleMails.waitlist_auto_booked as DueMail);
    expect(out.subject).toBe(
      "A place opened up: your tickets for Nils Frahm live at the Philharmonie",
    );
    expect(out.text).toContain("You were next on the waitlist");
  });

  it("lead to My bookings once the row's order token is gone", async () => {
    const m = confirmed.message;
    if (m.kind !== "booking_confirmed") throw new Error("sample");
    const { orderToken: _gone, ...payload } = m.payload;
    const out = await render({ ...confirmed, message: { kind: m.kind, payload } });
    expect(out.text).toContain(`See My bookings: ${origin}/bookings`);
    expect(out.html).not.toContain("/orders/");
  });

  it("describe the tickets from the row itself when no document was loaded", async () => {
    const { document: _none, ...bare } = confirmed;
    const out = await render(bare);
    expect(out.text).toContain("Stalls row C seat 6\nCode: K7PQ M4XD 9RWT H3VN 8ZBE");
    expect(out.attachments.map((a) => a.filename)).toContain("tickets.pdf");
  });

  it("escape what people typed (names, titles) in the HTML", async () => {
    const out = await render({
      ...confirmed,
      recipient: { email: "ada@example.org", name: "Ada <Lovelace>" },
      event: { ...confirmed.event, title: "Rock & <b>Roll</b>" },
    });
    expect(out.html).not.toContain("<Lovelace>");
    expect(out.html).not.toContain("<b>Roll</b>");
    expect(out.html).toContain("Ada &lt;Lovelace&gt;");
    expect(out.text).toContain("Hello Ada <Lovelace>,");
  });

  it("quote no refund of nothing for free tickets", async () => {
    const m = sampleMails.booking_cancelled as DueMail;
    if (m.message.kind !== "booking_cancelled") throw new Error("sample");
    const payload = { ...m.message.payload, refundCents: 0, feeCents: 0 };
    const out = await render({ ...m, message: { kind: "booking_cancelled", payload } });
    expect(out.text).toContain("There is nothing to refund.");
    expect(out.text).not.toContain("0.00");
  });

  it("give the refund and the fee of a cancellation", async () => {
    const out = await render(sampleMails.booking_cancelled as DueMail);
    expect(out.text).toContain("Refund: €106.20 (after a fee of €11.80).");
  });
});

describe("other mails", () => {
  it("give the offer's deadline in the event's zone, with the held seats by label", async () => {
    const out = await render(sampleMails.waitlist_offered as DueMail);
    expect(out.subject).toContain("until Mon, 1 Mar 2027, 18:00 CET");
    expect(out.text).toContain("Balcony row A seat 12");
    expect(out.text).toContain("Confirm before: Mon, 1 Mar 2027, 18:00 CET");
  });

  it("tell the organizer's reason when the event is cancelled", async () => {
    const out = await render(sampleMails.event_cancelled as DueMail);
    expect(out.text).toContain("Their reason: The artist is ill and cannot travel.");
    expect(out.text).toContain("refunded in full: €118.00");
  });

  it("give the place in the queue while the entry waits", async () => {
    const out = await render(sampleMails.waitlist_joined as DueMail);
    expect(out.text).toContain("Your place: 14");
  });

  it("sum a digest's revenue per currency, never across them", async () => {
    const m = sampleMails.sale_digest as DueMail;
    if (m.message.kind !== "sale_digest") throw new Error("sample");
    const revenue = [
      { currency: "EUR", cents: 10_000 },
      { currency: "USD", cents: 2_500 },
    ];
    const payload = { ...m.message.payload, revenue };
    const out = await render({ ...m, message: { kind: "sale_digest", payload } });
    expect(out.text).toContain("Revenue: €100.00, $25.00");
    expect(out.text).toContain("Sold so far: 1,412 of 2,440");
  });

  it("send a broadcast from the organizer by name, paragraphs kept and URLs as links", async () => {
    const out = await render(sampleMails.broadcast as DueMail);
    expect(out.subject).toBe("Doors open at 18:30, and a note about bags");
    expect(visibleText(out.html)).toContain("Kreuzberg Konzerte, about Nils Frahm");
    expect(out.html).toContain('href="https://www.berliner-philharmoniker.de/en/visit/"');
    expect(out.text).toContain("doors open at 18:30 and the concert starts at 19:30 sharp.\n");
    expect(out.headers).toEqual({
      "List-Unsubscribe": `<${origin}/unsubscribe/k7mq2xw9pd4rt8vn3bz6hc5yfa>, <${origin}/mail/unsubscribe/k7mq2xw9pd4rt8vn3bz6hc5yfa>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
  });

  it("puts no unsubscribe headers on anything but a broadcast", async () => {
    for (const [kind, mail] of Object.entries(sampleMails)) {
      if (kind !== "broadcast") expect((await render(mail)).headers).toEqual({});
    }
  });

  it("gives account mails their link and how long it works", async () => {
    const out = await render(sampleMails.password_reset as AccountDueMail);
    expect(out.subject).toBe("Reset your Boxoffice password");
    expect(out.text).toContain("works once, for an hour");
    expect(out.text).toContain("If you did not ask for this");
    const verify = await render(sampleMails.email_verification as AccountDueMail);
    expect(verify.text).toContain("lena.hoffmann@example.org is your address");
  });
});

describe("Message-ID", () => {
  const mail = sampleMails.booking_confirmed as DueMail;

  it("is the same for every attempt at one row, at the public origin's host", async () => {
    const first = await render(mail);
    const again = await render({ ...mail, attempts: 3 });
    expect(first.messageId).toBe(again.messageId);
    expect(first.messageId).toMatch(/^outbox-1\.[0-9a-f]{16}@tickets\.example\.org$/);
  });

  it("differs for the same row id in another database (another creation time)", async () => {
    const other = await render({ ...mail, createdAt: mail.createdAt + 1 });
    expect(other.messageId).not.toBe((await render(mail)).messageId);
  });
});
