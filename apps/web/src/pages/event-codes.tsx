/** The event page's parts that depend on an applied code (docs/API.md, "codes"). */
import type { AppliedCode } from "../components/code-field.tsx";
import { describeCode, presaleOpen } from "../lib/codes.ts";
import { salesWindow } from "../lib/sales-window.ts";
import type { RouterOutputs } from "../lib/trpc.ts";
import { inEventZone } from "./event-times.tsx";

type EventDto = RouterOutputs["events"]["get"];
export type TicketType = EventDto["ticketTypes"][number];

/** The public types plus the hidden ones the applied code unlocks (marked by id). */
export function typesWithCode(event: EventDto, applied: AppliedCode) {
  const unlocked = (applied.effect?.unlocks ?? []).filter(
    (u) => !event.ticketTypes.some((t) => t.id === u.id),
  );
  return {
    types: [...event.ticketTypes, ...unlocked] as TicketType[],
    unlockedIds: new Set(unlocked.map((u) => u.id)),
    // Public availability leaves hidden types out: theirs come on top.
    available: event.availability.available + unlocked.reduce((n, u) => n + u.available, 0),
  };
}

/** Whether the applied code lets this buyer hold now, before the public sale opens. */
export function presale(event: EventDto, applied: AppliedCode, now: number): boolean {
  return (
    event.status === "published" &&
    salesWindow(event, now).state === "not-open" &&
    presaleOpen(applied.effect, now)
  );
}

export function codeSentence(event: EventDto, applied: AppliedCode, now: number): string {
  if (!applied.effect) return "";
  const names = new Map(
    [...event.ticketTypes, ...applied.effect.unlocks].map((t) => [t.id, t.name]),
  );
  return describeCode(applied.effect, {
    currency: event.currency,
    typeName: (id) => names.get(id),
    salesNotOpen: salesWindow(event, now).state === "not-open",
    now,
    formatInstant: (iso) => inEventZone(iso, event.timezone),
  });
}

export function PresaleNotice({ event }: { event: EventDto }) {
  return (
    <div className="rounded-md border border-violet-300 bg-violet-50 p-3 text-violet-950">
      <p className="font-semibold">Presale: your code lets you buy now.</p>
      {event.salesStartAt && (
        <p>Sales open to everyone else {inEventZone(event.salesStartAt, event.timezone)}.</p>
      )}
    </div>
  );
}
