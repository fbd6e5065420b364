/**
 * Plain-HTTP exports beside tRPC: files a browser downloads with the session cookie (or a script
 * with its bearer token). Same access rule as the organizer procedures: the event's organizer or
 * an admin.
 */
import { type Context as ApiContext, organizerEvent, type Services } from "@boxoffice/api";
import { type AnswerValue, ForbiddenError, NotFoundError, type Question } from "@boxoffice/core";
import {
  type AttendeeExportRow,
  answersOfBookings,
  attendeeExportPage,
  type CodeRow,
  codesForExport,
  type EventRow,
} from "@boxoffice/db";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../app.ts";

/** Rows fetched per pull: bounds memory however large the event. */
const PAGE_SIZE = 500;

const HEADER = [
  "Booking ID",
  "Ticket code",
  "Ticket type",
  "Seat",
  "Attendee name",
  "Attendee email",
  "Status",
  "Checked in at",
  "Buyer name",
  "Buyer email",
  "Code",
];

/** An answer as a cell: lists joined with "; ", checkboxes yes/no. */
function answerCell(value: AnswerValue | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.join("; ");
  return String(value);
}

type Answers = ReturnType<typeof answersOfBookings>;

/** One cell per question: per-order answers on every ticket, per-ticket ones on their ticket. */
function answerCells(row: AttendeeExportRow, questions: readonly Question[], answers: Answers) {
  const given = answers.get(row.bookingId) ?? [];
  return questions.map((q) => {
    const index = q.per === "ticket" ? row.ticketIndex : null;
    const answer = given.find((a) => a.questionId === q.id && a.ticketIndex === index);
    return answerCell(answer?.value);
  });
}

/**
 * One CSV cell. Spreadsheets run a cell starting with = + - @ (or a tab/CR that hides one) as a
 * formula, so such cells get a leading apostrophe (OWASP's advice); then RFC 4180 quoting.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const csvLine = (cells: readonly string[]) => `${cells.map(csvCell).join(",")}\r\n`;

function rowCells(row: AttendeeExportRow): string[] {
  return [
    row.bookingId,
    row.code,
    row.ticketTypeName,
    // The label people read ("Stalls row C seat 6"), never the seat's id; empty for a type's ticket.
    row.seatLabel ?? "",
    row.attendeeName,
    row.attendeeEmail,
    row.status,
    row.checkedInAt === null ? "" : new Date(row.checkedInAt).toISOString(),
    row.buyerName,
    row.buyerEmail,
    row.promoCode ?? "",
  ];
}

const CODES_HEADER = [
  "Code",
  "Kind",
  "Discount",
  "Max uses",
  "Uses",
  "Valid from",
  "Valid until",
  "Disabled",
];

const isoCell = (ms: number | null) => (ms === null ? "" : new Date(ms).toISOString());

/** "25%" or "5.00 EUR": the discount in the event's currency, in minor units written out. */
function discountCell(code: CodeRow, currency: string): string {
  if (code.discount === null) return "";
  if ("percent" in code.discount) return `${code.discount.percent}%`;
  return `${(code.discount.amountCents / 100).toFixed(2)} ${currency}`;
}

/** Every code of the event with its uses (at most 10,000 a generation: one read is fine). */
function codesCsv(services: Services, event: EventRow): string {
  const lines = codesForExport(services.db, event.id).map((code) =>
    csvLine([
      code.code,
      code.kind,
      discountCell(code, event.currency),
      code.maxUses === null ? "" : String(code.maxUses),
      String(code.uses),
      isoCell(code.validFrom),
      isoCell(code.validUntil),
      code.disabled ? "yes" : "no",
    ]),
  );
  return `\uFEFF${csvLine(CODES_HEADER)}${lines.join("")}`;
}

/** Pages through the event's tickets as the client reads, never holding the whole list. */
function attendeesCsv(services: Services, event: EventRow): ReadableStream<Uint8Array> {
  const eventId = event.id;
  const { questions } = event;
  const encoder = new TextEncoder();
  let after: AttendeeExportRow["position"] | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!started) {
        started = true;
        // The byte-order mark makes Excel read the file as UTF-8 (accented names); CSV parsers
        // skip it.
        const header = [...HEADER, ...questions.map((q) => q.label)];
        controller.enqueue(encoder.encode(`\uFEFF${csvLine(header)}`));
        return;
      }
      const rows = attendeeExportPage(services.db, eventId, after, PAGE_SIZE);
      if (rows.length > 0) {
        const answers = answersOfBookings(
          services.db,
          rows.map((r) => r.bookingId),
        );
        const lines = rows.map((r) => [...rowCells(r), ...answerCells(r, questions, answers)]);
        controller.enqueue(encoder.encode(lines.map(csvLine).join("")));
      }
      const last = rows.at(-1);
      if (rows.length < PAGE_SIZE || !last) controller.close();
      else after = last.position;
    },
  });
}

export function exportsRoute(services: Services, contextOf: (c: Context<AppEnv>) => ApiContext) {
  const app = new Hono<AppEnv>();

  /** The event if the caller may manage it; else the response to send instead. */
  function managedEvent(c: Context<AppEnv>): EventRow | Response {
    // The same context and the same organizer check as the tRPC procedures.
    const ctx = contextOf(c);
    if (!ctx.user) return c.json({ error: "Sign in first" }, 401);
    try {
      return organizerEvent(ctx, ctx.user, c.req.param("eventId") ?? "");
    } catch (error) {
      if (error instanceof NotFoundError) return c.json({ error: error.message }, 404);
      if (error instanceof ForbiddenError) return c.json({ error: error.message }, 403);
      throw error;
    }
  }

  /** Event ids are [a-z0-9_]: safe inside the quoted filename as they are. */
  const csvHeaders = (name: string) => ({
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${name}"`,
    "Cache-Control": "no-store",
  });

  app.get("/events/:eventId/codes.csv", (c) => {
    const event = managedEvent(c);
    if (event instanceof Response) return event;
    return c.body(codesCsv(services, event), 200, csvHeaders(`codes-${event.id}.csv`));
  });

  app.get("/events/:eventId/attendees.csv", (c) => {
    const event = managedEvent(c);
    if (event instanceof Response) return event;
    return c.body(attendeesCsv(services, event), 200, csvHeaders(`attendees-${event.id}.csv`));
  });

  return app;
}
