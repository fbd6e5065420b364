/**
 * QR codes of ticket codes: the module matrix (the PDF draws it as vectors) and a PNG of it
 * (mails' inline images). Drawn here from `qrcode`'s matrix rather than through its PNG
 * renderer, which costs ~20× more: a confirmation carries one per ticket.
 */
import QRCode from "qrcode";
import { encodePng } from "./png.ts";

/** Modules of quiet zone around the code (the standard asks for 4; 2 scans reliably on screens). */
export const QR_MARGIN = 2;

export interface QrMatrix {
  /** Modules per side, without the quiet zone. */
  readonly size: number;
  /** True where the module at (row, column) is dark. */
  readonly dark: (row: number, column: number) => boolean;
}

/** A ticket code's QR code, error correction M. */
export function qrMatrix(code: string): QrMatrix {
  const { modules } = QRCode.create(code, { errorCorrectionLevel: "M" });
  return { size: modules.size, dark: (row, column) => modules.get(row, column) === 1 };
}

/** The QR code as a greyscale PNG of whole pixels per module, about 240 px a side. */
export function qrPng(code: string): Uint8Array {
  const qr = qrMatrix(code);
  const modules = qr.size + 2 * QR_MARGIN;
  const scale = Math.max(1, Math.round(240 / modules));
  const side = modules * scale;
  const row = 1 + side;
  const raw = new Uint8Array(row * side).fill(255);
  for (let y = 0; y < side; y += 1) {
    raw[y * row] = 0; // filter: none
    const r = Math.floor(y / scale) - QR_MARGIN;
    if (r < 0 || r >= qr.size) continue;
    for (let c = 0; c < qr.size; c += 1) {
      if (!qr.dark(r, c)) continue;
      const from = y * row + 1 + (c + QR_MARGIN) * scale;
      raw.fill(0, from, from + scale);
    }
  }
  return encodePng(side, side, 0, raw);
}
