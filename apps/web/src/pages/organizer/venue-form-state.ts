/**
 * The venue builder's state (strings, as inputs hold them) and its translation to
 * `venues.create`'s (and `venues.update`'s) input, validated with the server's own zod schema.
 */
import { createVenueInput, venueSectionInput } from "@boxoffice/api/schemas/venues";
import { type FieldErrors, fieldErrors } from "../../lib/forms.ts";
import type { RouterInputs, RouterOutputs } from "../../lib/trpc.ts";

export interface RowDraft {
  key: number;
  label: string;
  seats: string;
}

export interface SectionDraft {
  key: number;
  name: string;
  price: string;
  rows: RowDraft[];
}

export interface VenueDraft {
  name: string;
  sections: SectionDraft[];
}

export type CreateVenueInput = RouterInputs["venues"]["create"];

let nextKey = 1;
/** Stable React keys for rows and sections, so removing one keeps the others' inputs. */
export const newKey = () => nextKey++;

export function emptySection(index: number): SectionDraft {
  return {
    key: newKey(),
    name: index === 0 ? "Stalls" : "",
    price: "0",
    rows: [{ key: newKey(), label: "A", seats: "10" }],
  };
}

export function emptyVenue(): VenueDraft {
  return { name: "", sections: [emptySection(0)] };
}

type VenueDto = RouterOutputs["venues"]["get"];

/** A saved venue as the builder holds it: to edit it, or (with a new `name`) to copy it. */
export function draftFromVenue(venue: VenueDto, name = venue.name): VenueDraft {
  return {
    name,
    sections: venue.sections.map((s) => ({
      key: newKey(),
      name: s.name,
      price: (s.priceCents / 100).toFixed(2),
      rows: s.rows.map((r) => ({ key: newKey(), label: r.label, seats: String(r.seats) })),
    })),
  };
}

/** A, B, …, Z, AA, AB, … */
export function letterLabel(i: number): string {
  let n = i + 1;
  let out = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/**
 * `count` labels for new rows after `existing`: numbers when the last label is a number,
 * otherwise letters; never one already in use (labels must differ within a section).
 */
export function nextRowLabels(existing: readonly string[], count: number): string[] {
  const used = new Set(existing.map((l) => l.trim().toLowerCase()));
  const last = existing[existing.length - 1]?.trim() ?? "";
  const numeric = /^\d+$/.test(last);
  const out: string[] = [];
  for (let i = 0; out.length < count && i < count + used.size + 1000; i++) {
    const label = numeric ? String(i + 1) : letterLabel(i);
    if (!used.has(label.toLowerCase())) {
      used.add(label.toLowerCase());
      out.push(label);
    }
  }
  return out;
}

/** "" → NaN-free undefined; anything else → a number (NaN stays NaN so zod names the field). */
const num = (text: string) => (text.trim() === "" ? undefined : Number(text));

export function toVenueShape(d: VenueDraft) {
  return {
    name: d.name,
    sections: d.sections.map((s) => {
      const price = num(s.price);
      return {
        name: s.name,
        priceCents: price === undefined ? undefined : Math.round(price * 100),
        rows: s.rows.map((r) => ({ label: r.label, seats: num(r.seats) })),
      };
    }),
  };
}

export function validateVenue(
  d: VenueDraft,
): { ok: true; input: CreateVenueInput } | { ok: false; errors: FieldErrors } {
  const shape = toVenueShape(d);
  const parsed = createVenueInput.safeParse(shape);
  if (parsed.success) return { ok: true, input: parsed.data };
  const errors = fieldErrors(parsed.error);
  // zod runs a refinement only on an otherwise valid value: check each section on its own too,
  // so a repeated row label shows up while another section still has mistakes.
  shape.sections.forEach((section, i) => {
    const own = venueSectionInput.safeParse(section);
    if (own.success) return;
    for (const [path, message] of Object.entries(fieldErrors(own.error))) {
      errors[`sections.${i}.${path}`] ??= message;
    }
  });
  return { ok: false, errors };
}

/** Seats in a section / the venue, counting only rows with a sensible number. */
export function sectionSeats(s: SectionDraft): number {
  return s.rows.reduce((sum, r) => {
    const n = Number(r.seats);
    return sum + (Number.isInteger(n) && n > 0 ? n : 0);
  }, 0);
}

export function venueSeats(d: VenueDraft): number {
  return d.sections.reduce((sum, s) => sum + sectionSeats(s), 0);
}
