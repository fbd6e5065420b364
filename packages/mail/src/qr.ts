/** QR codes of ticket codes, as PNG bytes (mails' inline images, the PDF, nothing else). */
import QRCode from "qrcode";

/** A ticket code's QR code: error correction M, a quiet zone of 2 modules, 240 px. */
export async function qrPng(code: string): Promise<Uint8Array> {
  const buffer = await QRCode.toBuffer(code, {
    type: "png",
    errorCorrectionLevel: "M",
    margin: 2,
    width: 240,
  });
  return new Uint8Array(buffer);
}
