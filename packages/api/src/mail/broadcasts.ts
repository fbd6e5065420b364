/**
 * An organizer's messages to an event's attendees (docs/API.md "mail.broadcast"): who would get
 * one, the mail as they would read it, writing it (one outbox row per address, in one
 * transaction) and the log of what was written.
 */
import { DomainError, InputError, newId, randomString } from "@boxoffice/core";
import {
  type BroadcastSummary,
  broadcastAudienceOf,
  broadcastsOf,
  createOutboxStore,
  type EventRow,
  ticketTypesOf,
  writeBroadcast,
} from "@boxoffice/db";
import { renderMail } from "@boxoffice/mail";
import type { BroadcastInput } from "../schemas/mail.ts";
import type { Services } from "../trpc.ts";
import { mailOrigin } from "./origin.ts";

type Ctx = Pick<Services, "db" | "clock" | "config">;

/** The ticket types a broadcast goes to (null: everyone); an id the event lacks is refused. */
function ticketTypesOfAudience(ctx: Ctx, event: EventRow, to: BroadcastInput["to"]) {
  if (to === "all") return null;
  const known = new Set(ticketTypesOf(ctx.db, event.id).map((t) => t.id));
  to.forEach((id, i) => {
    if (!known.has(id)) throw new InputError(["to", i], "No such ticket type in this event");
  });
  return [...new Set(to)];
}

export interface BroadcastPreview {
  /** How many addresses it would go to now. */
  readonly recipients: number;
  /** How many were left out because they unsubscribed from the organizer. */
  readonly unsubscribed: number;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** Who would get the broadcast now, and the mail as the first of them would read it. */
export async function previewBroadcast(
  ctx: Ctx,
  event: EventRow,
  input: BroadcastInput,
): Promise<BroadcastPreview> {
  const types = ticketTypesOfAudience(ctx, event, input.to);
  const audience = broadcastAudienceOf(ctx.db, event.id, event.organizerId, types);
  const first = audience.recipients[0] ?? { email: "attendee@example.org", name: "Attendee" };
  const due = createOutboxStore(ctx.db).preview(
    {
      kind: "broadcast",
      payload: { eventId: event.id, broadcastId: "preview", unsubscribeToken: "preview" },
    },
    first,
    ctx.clock.now(),
    { subject: input.subject, body: input.body },
  );
  if (!due) throw new Error(`No event ${event.id} to preview a broadcast of`);
  const mail = await renderMail(due, { origin: mailOrigin(ctx.config) });
  return {
    recipients: audience.recipients.length,
    unsubscribed: audience.unsubscribed,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
  };
}

/** Writes the broadcast and one mail per address; NO_RECIPIENTS when nobody would get it. */
export function sendBroadcast(
  ctx: Ctx,
  event: EventRow,
  authorId: string,
  input: BroadcastInput,
): BroadcastSummary {
  const types = ticketTypesOfAudience(ctx, event, input.to);
  const id = newId("broadcast");
  const written = writeBroadcast(ctx.db, {
    id,
    eventId: event.id,
    organizerId: event.organizerId,
    authorId,
    subject: input.subject,
    body: input.body,
    audience: types === null ? { to: "all" } : { to: "ticketTypes", ticketTypeIds: types },
    at: ctx.clock.now(),
    newToken: () => randomString(26),
  });
  if (!written) {
    throw new DomainError("NO_RECIPIENTS", "Nobody would get this message");
  }
  const summary = broadcastsOf(ctx.db, event.id).find((b) => b.id === id);
  if (!summary) throw new Error(`Broadcast ${id} was written but cannot be read`);
  return summary;
}

/** `broadcast` as docs/API.md has it. */
export function broadcastDto(b: BroadcastSummary) {
  return {
    id: b.id,
    subject: b.subject,
    body: b.body,
    to: b.audience.to === "all" ? ("all" as const) : b.audience.ticketTypeIds,
    createdAt: new Date(b.createdAt).toISOString(),
    author: { name: b.authorName },
    recipients: b.recipients,
    sent: b.sent,
    pending: b.pending,
    failed: b.failed,
    skipped: b.skipped,
  };
}

/** `a•••@example.org`: enough for a person to recognise their address, not to harvest it. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "•••";
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}
