/**
 * An event's times as buyers see them: in the event's zone and labelled with it ("7:00 PM
 * CEST"), with the buyer's own time beside it when their clock reads differently; and where the
 * sales window stands: "Sales open …" with a live countdown, open, or "Sales closed".
 */
import { Link } from "react-router";
import { type SalesWindow, salesWindow, timeLeft } from "../lib/sales-window.ts";
import { differsFromViewer, formatInZone } from "../lib/zoned-time.ts";

interface Timed {
  readonly id: string;
  readonly status: string;
  readonly startsAt: string;
  readonly endsAt: string | null;
  readonly timezone: string;
  readonly salesStartAt: string | null;
  readonly salesEndAt: string | null;
}

const dayAndTime: Intl.DateTimeFormatOptions = {
  weekday: "short",
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
};

const shortDayAndTime: Intl.DateTimeFormatOptions = {
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
};

/** "Sat, Jun 1, 10:00 AM CEST (1:00 AM PDT your time)": an event time, and the viewer's. */
export function inEventZone(iso: string, zone: string, options?: Intl.DateTimeFormatOptions) {
  const ms = Date.parse(iso);
  const own = differsFromViewer(ms, zone)
    ? ` (${formatInZone(ms, undefined, dayAndTime)} your time)`
    : "";
  return `${formatInZone(ms, zone, options)}${own}`;
}

/**
 * The start in the event's zone (and the venue), then the viewer's own time on a line of its own
 * when their clock reads differently.
 */
export function EventWhen({ event, venueName }: { event: Timed; venueName: string | null }) {
  const ms = Date.parse(event.startsAt);
  return (
    <>
      <time dateTime={event.startsAt}>{formatInZone(ms, event.timezone)}</time>
      {venueName && <> · {venueName}</>}
      {differsFromViewer(ms, event.timezone) && (
        <span className="block text-base text-slate-600">
          {formatInZone(ms, undefined, dayAndTime)} your time
        </span>
      )}
    </>
  );
}

/** The badge's words while sales are not open (or are over); null while they are open. */
export function salesBadgeText(event: Timed, now: number): string | null {
  if (event.status === "cancelled") return null;
  const window = salesWindow(event, now);
  if (window.state === "closed") return "Sales closed";
  if (window.state === "not-open") {
    return `Sales open ${formatInZone(window.opensAt, event.timezone, shortDayAndTime)}`;
  }
  return null;
}

export function SalesBadge({ text }: { text: string }) {
  return (
    <span
      data-badge="sales-window"
      className="inline-block rounded-xl bg-sky-100 px-2.5 py-0.5 text-xs font-semibold text-sky-900"
    >
      {text}
    </span>
  );
}

/** Whether buyers can hold tickets now, as far as the window and the status say. */
export function onSale(event: Timed, now: number): boolean {
  return event.status === "published" && salesWindow(event, now).state === "open";
}

function Countdown({ until, now }: { until: number; now: number }) {
  return (
    <span role="timer" className="font-semibold tabular-nums">
      {timeLeft(until - now)}
    </span>
  );
}

/** Above the tickets: when sales open (and in how long), how long they still run, or that they ended. */
export function SalesWindowNotice({ event, now }: { event: Timed; now: number }) {
  const window: SalesWindow = salesWindow(event, now);
  if (window.state === "not-open") {
    const at = new Date(window.opensAt).toISOString();
    return (
      <div className="rounded-md border border-sky-300 bg-sky-50 p-3 text-sky-950">
        <p className="font-semibold">Sales open {inEventZone(at, event.timezone)}.</p>
        <p>
          Opens in <Countdown until={window.opensAt} now={now} />: tickets can be held from then.
        </p>
      </div>
    );
  }
  if (window.state === "closed") {
    return (
      <p className="rounded-md border border-slate-300 bg-slate-100 p-3 font-semibold text-slate-800">
        Sales closed. Tickets for this event are no longer sold.
      </p>
    );
  }
  if (window.closesAt === null) return null;
  return (
    <p className="text-slate-700">
      Sales close {inEventZone(new Date(window.closesAt).toISOString(), event.timezone)}:{" "}
      <Countdown until={window.closesAt} now={now} /> left.
    </p>
  );
}

/** A draft seen by its organizer: what this page is, and the way back. */
export function DraftPreviewNotice({ event }: { event: Timed }) {
  if (event.status !== "draft") return null;
  return (
    <div className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
      <p className="font-semibold">Preview: this draft is visible only to you.</p>
      <p>
        Buyers see this page once you publish the event.{" "}
        <Link className="font-medium underline" to={`/organizer/events/${event.id}/edit`}>
          Back to editing
        </Link>
      </p>
    </div>
  );
}
