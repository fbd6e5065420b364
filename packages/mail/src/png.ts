/**
 * A tiny PNG writer: Wallet's required icons (a square in the pass's colour with a lighter ticket
 * shape, made in code so no binary asset has to be kept in the repository) and QR codes.
 */
import { deflateSync } from "node:zlib";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

type Rgb = readonly [number, number, number];

/** A `size`×`size` RGB PNG: `background`, with a `foreground` ticket (notched bar) across it. */
export function iconPng(size: number, background: Rgb, foreground: Rgb): Uint8Array {
  const row = 1 + size * 3;
  const raw = new Uint8Array(row * size);
  const top = Math.round(size * 0.3);
  const bottom = Math.round(size * 0.7);
  const side = Math.round(size * 0.15);
  const notch = Math.max(1, Math.round(size * 0.08));
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const inside = y >= top && y < bottom && x >= side && x < size - side;
      const notched =
        Math.abs(y - size / 2) < notch && (x < side + notch || x >= size - side - notch);
      const [r, g, b] = inside && !notched ? foreground : background;
      raw.set([r, g, b], y * row + 1 + x * 3);
    }
  }
  return encodePng(size, size, 2, raw);
}

/**
 * A PNG of 8-bit samples: `colorType` 0 (grey, one byte a pixel) or 2 (RGB, three), from `raw`
 * rows that each start with their filter byte (0: none).
 */
export function encodePng(width: number, height: number, colorType: 0 | 2, raw: Uint8Array) {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, colorType, 0, 0, 0], 8);
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", new Uint8Array(deflateSync(raw))),
    chunk("IEND", new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
