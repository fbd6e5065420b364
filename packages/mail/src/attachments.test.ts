import { describe, expect, it } from "bun:test";
import type { TicketDocument } from "@boxoffice/db";
import { PDFDocument } from "pdf-lib";
import { spacedCode } from "./format.ts";
import { eventIcs, ticketPass, ticketsPdf } from "./index.ts";
import { qrMatrix } from "./qr.ts";
import { sampleDocument, sampleOrigin } from "./samples.ts";
import { testWalletMaterial } from "./testing/certificates.ts";
import { icsEvent, icsLines, pdfPagesContent, pdfPagesText, unzip } from "./testing/helpers.ts";

const cancelled: TicketDocument = { ...sampleDocument, status: "cancelled" };

describe("tickets.pdf", () => {
  it("parses, with one page per ticket showing its code as text", async () => {
    const bytes = await ticketsPdf(sampleDocument);
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBe(sampleDocument.tickets.length);
    const pages = await pdfPagesText(bytes);
    for (const [i, t] of sampleDocument.tickets.entries()) {
      expect(pages[i]).toContain(spacedCode(t.code));
      expect(pages[i]).toContain(t.seatLabel ?? "");
      expect(pages[i]).toContain(`For ${t.attendeeName}`);
      expect(pages[i]).toContain("Nils Frahm live at the Philharmonie");
      expect(pages[i]).toContain("Sat, 20 Mar 2027, 19:30 CET");
      expect(pages[i]).toContain("Philharmonie Berlin");
      expect(pages[i]).not.toContain("CANCELLED");
    }
  });

  it("draws each ticket's own QR code, module by module", async () => {
    const pages = await pdfPagesContent(await ticketsPdf(sampleDocument));
    for (const [i, t] of sampleDocument.tickets.entries()) {
      // Every dark module is covered by exactly one rectangle (a run of a row): their area in
      // modules is the code's count of dark modules.
      const qr = qrMatrix(t.code);
      let dark = 0;
      for (let r = 0; r < qr.size; r += 1)
        for (let c = 0; c < qr.size; c += 1) if (qr.dark(r, c)) dark += 1;
      const rects = [
        ...(pages[i] ?? "").matchAll(/(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re/g),
      ];
      const unit = Math.min(...rects.map((m) => Number(m[4])));
      const area = rects.reduce((sum, m) => sum + Number(m[3]) * Number(m[4]), 0);
      expect(Math.round(area / unit ** 2)).toBe(dark);
    }
  });

  it("marks a cancelled booking's tickets", async () => {
    const pages = await pdfPagesText(await ticketsPdf(cancelled));
    for (const page of pages) expect(page).toContain("CANCELLED");
  });

  it("still makes a ticket for a name its font cannot write", async () => {
    const ticket = { ...sampleDocument.tickets[0]!, attendeeName: "李小龍 Zoë" };
    const bytes = await ticketsPdf({ ...sampleDocument, tickets: [ticket] });
    const [page] = await pdfPagesText(bytes);
    expect(page).toContain("For ??? Zoë");
  });
});

describe("event.ics", () => {
  const ics = eventIcs(sampleDocument, sampleOrigin);

  it("parses, and its start and end are the event's, as UTC instants", () => {
    const event = icsEvent(ics);
    expect(event.get("DTSTART")).toBe("20270320T183000Z");
    expect(event.get("DTEND")).toBe("20270320T210000Z");
    expect(event.get("SUMMARY")).toBe("Nils Frahm live at the Philharmonie");
    expect(event.get("LOCATION")).toBe("Philharmonie Berlin");
    expect(event.get("URL")).toBe(`${sampleOrigin}/events/${sampleDocument.event.id}`);
    expect(event.get("STATUS")).toBe("CONFIRMED");
  });

  it("names the event's zone for calendars that show it", () => {
    expect(icsLines(ics)).toContainEqual(["X-WR-TIMEZONE", "Europe/Berlin"]);
  });

  it("has a UID stable per booking, so adding it again updates one entry", () => {
    const uid = icsEvent(ics).get("UID");
    expect(uid).toBe(`${sampleDocument.bookingId}@tickets.example.org`);
    expect(icsEvent(eventIcs(sampleDocument, sampleOrigin)).get("UID")).toBe(uid);
  });

  it("takes an event without an end to last two hours", () => {
    const open = { ...sampleDocument, event: { ...sampleDocument.event, endsAt: null } };
    expect(icsEvent(eventIcs(open, sampleOrigin)).get("DTEND")).toBe("20270320T203000Z");
  });

  it("says CANCELLED once the booking is cancelled", () => {
    expect(icsEvent(eventIcs(cancelled, sampleOrigin)).get("STATUS")).toBe("CANCELLED");
  });
});

describe("Wallet passes", () => {
  const material = testWalletMaterial();
  const signer = { ...material, authenticationToken: (s: string) => `token-for-${s}-0123456789` };

  it("are zips with pass.json, manifest.json and a signature", async () => {
    const files = unzip(await ticketPass(sampleDocument, 1, signer, sampleOrigin));
    expect([...files.keys()]).toEqual(
      expect.arrayContaining(["pass.json", "manifest.json", "signature", "icon.png"]),
    );
    const manifest = JSON.parse(new TextDecoder().decode(files.get("manifest.json")));
    expect(Object.keys(manifest)).toContain("pass.json");
    expect(files.get("signature")?.length).toBeGreaterThan(500);
  });

  it("describe the ticket: its code as serial and QR barcode, its seat, its attendee", async () => {
    const files = unzip(await ticketPass(sampleDocument, 1, signer, sampleOrigin));
    const pass = JSON.parse(new TextDecoder().decode(files.get("pass.json")));
    const ticket = sampleDocument.tickets[1]!;
    expect(pass.serialNumber).toBe(ticket.code);
    expect(pass.passTypeIdentifier).toBe("pass.org.example.tickets");
    expect(pass.teamIdentifier).toBe("ABCDE12345");
    expect(pass.barcodes[0]).toMatchObject({ format: "PKBarcodeFormatQR", message: ticket.code });
    expect(pass.voided).toBe(false);
    expect(pass.webServiceURL).toBe(`${sampleOrigin}/wallet`);
    expect(pass.authenticationToken).toBe(`token-for-${ticket.code}-0123456789`);
    const fields = JSON.stringify(pass.eventTicket);
    for (const text of ["Stalls row C seat 7", "Jonas Becker", "Sat, 20 Mar 2027, 19:30 CET"]) {
      expect(fields).toContain(text);
    }
  });

  it("are voided once the booking is cancelled", async () => {
    const files = unzip(await ticketPass(cancelled, 0, signer, sampleOrigin));
    expect(JSON.parse(new TextDecoder().decode(files.get("pass.json"))).voided).toBe(true);
  });
});
