/**
 * `tickets.pdf`: one page per ticket with the event, its time in the event's zone (named), the
 * venue, the ticket's type, seat and attendee, and its code as a QR code and as text. A
 * cancelled booking's pages say so across the top.
 */
import type { TicketDocument } from "@boxoffice/db";
import {
  asPDFNumber,
  fill,
  PDFDocument,
  type PDFFont,
  PDFOperator,
  PDFOperatorNames,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  StandardFonts,
  setFillingRgbColor,
} from "pdf-lib";
import { formatInstant, spacedCode } from "./format.ts";
import { QR_MARGIN, qrMatrix } from "./qr.ts";

// A5 portrait, in points: prints on A4 or Letter and reads on a phone.
const WIDTH = 420;
const HEIGHT = 595;
const MARGIN = 36;
const ink = rgb(0.12, 0.16, 0.2);
const muted = rgb(0.32, 0.38, 0.43);
const red = rgb(0.72, 0.11, 0.11);

/** Each font's characters, read once per font (the list is long). */
const characterSets = new WeakMap<PDFFont, ReadonlySet<number>>();

/**
 * The standard fonts write WinAnsi only: a character they lack becomes "?" instead of making
 * the whole document fail (a name in Greek or Chinese still gets a ticket).
 */
function writable(font: PDFFont, text: string): string {
  let known = characterSets.get(font);
  if (!known) {
    known = new Set(font.getCharacterSet());
    characterSets.set(font, known);
  }
  return [...text.normalize("NFC")]
    .map((ch) => (known?.has(ch.codePointAt(0) ?? 0) ? ch : "?"))
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
  const side = 200;
  const qrTop = y - 12;
  drawQr(page, ticket.code, (WIDTH - side) / 2, qrTop - side, side);
  const code = writable(fonts.mono, spacedCode(ticket.code));
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

/**
 * The ticket code's QR code as vector squares, one path of rectangles (one per run of dark
 * modules in a row) filled at once: sharp at any zoom, and far cheaper than an image per page.
 */
function drawQr(page: PDFPage, code: string, x: number, y: number, side: number): void {
  const qr = qrMatrix(code);
  const unit = side / (qr.size + 2 * QR_MARGIN);
  const rectangles: PDFOperator[] = [];
  for (let r = 0; r < qr.size; r += 1) {
    let c = 0;
    while (c < qr.size) {
      if (!qr.dark(r, c)) {
        c += 1;
        continue;
      }
      const start = c;
      while (c < qr.size && qr.dark(r, c)) c += 1;
      rectangles.push(
        PDFOperator.of(
          PDFOperatorNames.AppendRectangle,
          [
            x + (start + QR_MARGIN) * unit,
            y + side - (r + 1 + QR_MARGIN) * unit,
            (c - start) * unit,
            unit,
          ].map((n) => asPDFNumber(n)),
        ),
      );
    }
  }
  page.pushOperators(
    pushGraphicsState(),
    setFillingRgbColor(0, 0, 0),
    ...rectangles,
    fill(),
    popGraphicsState(),
  );
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
