/** Test helpers: what a reader sees of a mail, a zip's entries, a PDF's text, an .ics's lines. */
import { inflateRawSync } from "node:zlib";
import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream, type PDFRef } from "pdf-lib";

/** The HTML's visible text: no head, no tags, no attribute values (where link URLs live). */
export function visibleText(html: string): string {
  return html
    .replace(/<head>[\s\S]*?<\/head>/i, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

/** The text part with its URLs left out: what remains is what a person reads. */
export const withoutUrls = (text: string) => text.replace(/https?:\/\/\S+/g, "");

/** What a reader must never see: internal ids (bookings, holds, entries, events, seats...). */
export const INTERNAL_ID = /\b(bkg|hld|wl|evt|tt|usr|bc)_|\bs\d+-r\d+-\d+\b/;

/** A zip's files by name (stored or deflated entries, read from the central directory). */
export function unzip(bytes: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end -= 1;
  if (end < 0) throw new Error("Not a zip: no end of central directory");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const files = new Map<string, Uint8Array>();
  for (let i = 0; i < count; i += 1) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error("Bad central directory");
    const method = view.getUint16(at + 10, true);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    const dataAt = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const csize = view.getUint32(at + 20, true);
    const raw = bytes.subarray(dataAt, dataAt + csize);
    files.set(name, method === 8 ? new Uint8Array(inflateRawSync(raw)) : raw);
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

/** The strings a PDF's pages show (`<hex> Tj` and `(text) Tj`), page by page. */
export async function pdfPagesText(bytes: Uint8Array): Promise<string[]> {
  return (await pdfPagesContent(bytes)).map((source) => {
    const shown: string[] = [];
    for (const m of source.matchAll(/<([0-9A-Fa-f]*)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj/g)) {
      if (m[1] !== undefined) {
        shown.push(
          (m[1].match(/../g) ?? []).map((h) => String.fromCharCode(parseInt(h, 16))).join(""),
        );
      } else shown.push(m[2] ?? "");
    }
    return shown.join("\n");
  });
}

/** Each page's content stream, decoded: the drawing operators as the PDF has them. */
export async function pdfPagesContent(bytes: Uint8Array): Promise<string[]> {
  const pdf = await PDFDocument.load(bytes);
  return pdf.getPages().map((page) => {
    const contents = page.node.Contents();
    const streams =
      contents instanceof PDFArray
        ? contents.asArray().map((ref) => pdf.context.lookup(ref as PDFRef))
        : [contents];
    return streams
      .map((s) =>
        s instanceof PDFRawStream
          ? new TextDecoder("latin1").decode(decodePDFRawStream(s).decode())
          : "",
      )
      .join("\n");
  });
}

/** An RFC 5545 file's content lines, unfolded, as [name (with params), value] pairs. */
export function icsLines(ics: string): [string, string][] {
  if (!/\r\n/.test(ics)) throw new Error("Lines must end with CRLF");
  return ics
    .replace(/\r\n[ \t]/g, "")
    .split("\r\n")
    .filter((l) => l.length > 0)
    .map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon), line.slice(colon + 1)];
    });
}

/** The properties of the first VEVENT, by name (without parameters). */
export function icsEvent(ics: string): Map<string, string> {
  const lines = icsLines(ics);
  const start = lines.findIndex(([n, v]) => n === "BEGIN" && v === "VEVENT");
  const end = lines.findIndex(([n, v]) => n === "END" && v === "VEVENT");
  if (start < 0 || end < start) throw new Error("No VEVENT");
  const props = new Map<string, string>();
  for (const [name, value] of lines.slice(start + 1, end)) {
    props.set(
      name.split(";")[0] ?? name,
      value.replace(/\\([,;\\])/g, "$1").replace(/\\n/gi, "\n"),
    );
  }
  return props;
}
