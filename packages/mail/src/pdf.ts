/**
 * `tickets.pdf`: one page per ticket with the event, its time in the event's zone (named), the
 * venue, the ticket's type, seat and attendee, and its code as a QR code and as text. A
 * cancelled booking's pages say so across the top.
 */
import type { TicketDocument } from "@boxoffice/db";
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import { formatInstant } from "./format.ts";
import { qrPng } from "./qr.ts";

// A5 portrait, in points: prints on A4 or Letter and reads on a phone.
const WIDTH = 420;
const HEIGHT = 595;
const MARGIN = 36;
const ink = rgb(0.12, 0.16, 0.2);
const muted = rgb(0.32, 0.38, 0.43);
const red = rgb(0.72, 0.11, 0.11);

/**
 * The standard fonts write WinAnsi only: a character they lack becomes "?" instead of making
 * the whole document fail (a name in Greek or Chinese still gets a ticket).
 */
function writable(font: PDFFont, text: string): string {
  const known = new Set(font.getCharacterSet());
  return [...text.normalize("NFC")]
    .map((ch) => (known.has(ch.codePointAt(0) ?? 0) ? ch : "?"))
    .join("");
}

/** Text cut into lines that fit `width`, at spaces where it can. */
function wrap(font: PDFFont, size: number, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) <= width || !line) line = next;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines.slice(0, 3);
}

interface Fonts {
  readonly regular: PDFFont;
  readonly bold: PDFFont;
  readonly mono: PDFFont;
}

/** Writes lines downwards from `y`; returns where the next line goes. */
function write(page: PDFPage, font: PDFFont, size: number, text: string, y: number, color = ink) {
  let at = y;
  for (const line of wrap(font, size, writable(font, text), WIDTH - 2 * MARGIN)) {
    page.drawText(line, { x: MARGIN, y: at, size, font, color });
    at -= size * 1.35;
  }
  return at;
}

async function ticketPage(
  pdf: PDFDocument,
  fonts: Fonts,
  doc: TicketDocument,
  index: number,
): Promise<void> {
  const ticket = doc.tickets[index];
  if (!ticket) return;
  const { event } = doc;
  const page = pdf.addPage([WIDTH, HEIGHT]);
  let y = HEIGHT - MARGIN - 14;
  if (doc.status === "cancelled" || event.status === "cancelled") {
    y = write(page, fonts.bold, 14, "CANCELLED: this ticket is no longer valid", y, red) - 6;
  }
  y = write(page, fonts.bold, 20, event.title, y) - 4;
  y = write(page, fonts.regular, 12, formatInstant(event.startsAt, event.timezone), y);
  if (event.venueName) y = write(page, fonts.regular, 12, event.venueName, y);
  y -= 10;
  y = write(page, fonts.bold, 14, ticket.ticketTypeName, y);
  if (ticket.seatLabel) y = write(page, fonts.regular, 12, ticket.seatLabel, y);
  if (ticket.attendeeName) y = write(page, fonts.regular, 12, `For ${ticket.attendeeName}`, y);
  const qr = await pdf.embedPng(await qrPng(ticket.code));
  const side = 200;
  const qrTop = y - 12;
  page.drawImage(qr, { x: (WIDTH - side) / 2, y: qrTop - side, width: side, height: side });
  const code = writable(fonts.mono, ticket.code);
  const codeWidth = fonts.mono.widthOfTextAtSize(code, 14);
  page.drawText(code, {
    x: (WIDTH - codeWidth) / 2,
    y: qrTop - side - 22,
    size: 14,
    font: fonts.mono,
    color: ink,
  });
  const footer = `Ticket ${index + 1} of ${doc.tickets.length}, booked by ${doc.buyerName}. Organized by ${event.organizerName}.`;
  write(page, fonts.regular, 9, footer, MARGIN + 12, muted);
}

/** The booking's tickets as a PDF. */
export async function ticketsPdf(doc: TicketDocument): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Tickets: ${doc.event.title}`);
  pdf.setAuthor(doc.event.organizerName);
  pdf.setCreator("Boxoffice");
  const fonts: Fonts = {
    regular: await pdf.embedFont(StandardFonts.Helvetica),
    bold: await pdf.embedFont(StandardFonts.HelveticaBold),
    mono: await pdf.embedFont(StandardFonts.Courier),
  };
  for (let i = 0; i < doc.tickets.length; i += 1) await ticketPage(pdf, fonts, doc, i);
  return pdf.save();
}
