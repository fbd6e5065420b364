/**
 * Inputs of the venues router (seated events). Plain zod, shared with the web app's forms.
 * Limits: 1..200 sections, 1..500 rows a section, 1..500 seats a row, and at most
 * MAX_VENUE_SEATS seats in all, so that one event's seat map stays servable in one response.
 */
import { z } from "zod";
import { duplicateNameIssues, MAX_PRICE_CENTS } from "./events.ts";
import { idSchema as id, singleLine } from "./text.ts";

export const MAX_SECTIONS = 200;
export const MAX_ROWS = 500;
export const MAX_SEATS_PER_ROW = 500;
export const MAX_VENUE_SEATS = 100_000;

export const venueRowInput = z.object({
  label: singleLine(1, 16),
  seats: z.number().int().min(1).max(MAX_SEATS_PER_ROW),
});

export const venueSectionInput = z
  .object({
    name: singleLine(1, 100),
    priceCents: z.number().int().min(0).max(MAX_PRICE_CENTS),
    rows: z.array(venueRowInput).min(1).max(MAX_ROWS),
  })
  .superRefine((section, ctx) => {
    const seen = new Set<string>();
    for (const [i, row] of section.rows.entries()) {
      const key = row.label.toLowerCase();
      if (seen.has(key)) {
        ctx.addIssue({
          code: "custom",
          path: ["rows", i, "label"],
          message: "Row labels must differ within a section",
        });
      }
      seen.add(key);
    }
  });

export const createVenueInput = z
  .object({
    name: singleLine(1, 200),
    sections: z.array(venueSectionInput).min(1).max(MAX_SECTIONS),
  })
  .superRefine((venue, ctx) => {
    // Sections become ticket types, whose names must differ.
    const issues = duplicateNameIssues(
      venue.sections.map((s) => s.name),
      (i) => `sections.${i}.name`,
    );
    for (const issue of issues) {
      const message = "Section names must differ";
      ctx.addIssue({ code: "custom", path: issue.path.split("."), message });
    }
    const seats = venue.sections.reduce(
      (sum, s) => sum + s.rows.reduce((n, r) => n + r.seats, 0),
      0,
    );
    if (seats > MAX_VENUE_SEATS) {
      ctx.addIssue({
        code: "custom",
        path: ["sections"],
        message: `At most ${MAX_VENUE_SEATS} seats in a venue`,
      });
    }
  });

export const venueIdInput = z.object({ venueId: id });

/** The whole venue again (as for create), replacing name and layout; only while no event uses it. */
export const updateVenueInput = createVenueInput.safeExtend({ venueId: id });

export const listVenuesInput = z
  .object({ limit: z.number().int().min(1).max(200).default(100) })
  .default({ limit: 100 });

export type CreateVenueInput = z.infer<typeof createVenueInput>;
export type UpdateVenueInput = z.infer<typeof updateVenueInput>;
