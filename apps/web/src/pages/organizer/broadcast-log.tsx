/**
 * What an event's organizer has written to its attendees (`mail.broadcasts`), newest first, with
 * how far each message got: sent, still waiting to go, failed, or skipped because the attendee
 * unsubscribed meanwhile. It refreshes on its own while anything is still waiting.
 */
import { useQuery } from "@tanstack/react-query";
import { Empty, ErrorBox, Loading } from "../../components/ui.tsx";
import { dateTime } from "../../lib/format.ts";
import { type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import type { ManagedEvent } from "./manage.tsx";

type Broadcast = RouterOutputs["mail"]["broadcasts"][number];

const people = (n: number) => `${n} ${n === 1 ? "person" : "people"}`;

/** "All attendees", or the ticket types it went to by name. */
export function audienceText(to: "all" | string[], event: ManagedEvent): string {
  if (to === "all") return "All attendees";
  const names = to.map(
    (id) => event.ticketTypes.find((t) => t.id === id)?.name ?? "a removed type",
  );
  return `Holders of ${names.join(", ")}`;
}

function Progress({ b }: { b: Broadcast }) {
  const [label, style] =
    b.pending > 0
      ? ["Sending", "bg-amber-100 text-amber-900"]
      : b.failed > 0
        ? ["Some failed", "bg-red-100 text-red-900"]
        : ["Sent", "bg-green-100 text-green-900"];
  return (
    <span
      data-progress={label}
      className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold ${style}`}
    >
      {label}
    </span>
  );
}

function Counts({ b }: { b: Broadcast }) {
  const cells: [string, number, string][] = [
    ["Sent", b.sent, "text-slate-900"],
    ["Waiting", b.pending, "text-slate-900"],
    ["Failed", b.failed, b.failed > 0 ? "text-red-800" : "text-slate-900"],
    ["Skipped", b.skipped, "text-slate-900"],
  ];
  return (
    <dl className="mt-2 grid grid-cols-4 gap-2 text-center">
      {cells.map(([label, n, style]) => (
        <div key={label} className="rounded-md bg-slate-50 px-1 py-1">
          <dt className="text-xs text-slate-700">{label}</dt>
          <dd className={`font-semibold ${style}`} data-count={label.toLowerCase()}>
            {n}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Entry({ b, event }: { b: Broadcast; event: ManagedEvent }) {
  return (
    <li className="rounded-md border border-slate-200 bg-white p-3">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h3 className="min-w-0 font-semibold break-words">{b.subject}</h3>
        <Progress b={b} />
      </div>
      <p className="text-sm text-slate-700">
        {dateTime(b.createdAt)} · by {b.author.name} · {audienceText(b.to, event)} ·{" "}
        {people(b.recipients)}
      </p>
      <Counts b={b} />
      {b.skipped > 0 && (
        <p className="mt-1 text-xs text-slate-700">
          Skipped: unsubscribed after the message was written, so it was not sent to them.
        </p>
      )}
      <details className="mt-2">
        <summary className="cursor-pointer text-sm font-medium text-indigo-700">
          Show the message
        </summary>
        <p className="mt-2 whitespace-pre-wrap break-words text-sm text-slate-800">{b.body}</p>
      </details>
    </li>
  );
}

export function BroadcastLog({ event }: { event: ManagedEvent }) {
  const trpc = useTRPC();
  const log = useQuery(
    trpc.mail.broadcasts.queryOptions(
      { eventId: event.id },
      {
        // While a message is still going out, its numbers move: follow them.
        refetchInterval: (query) => (query.state.data?.some((b) => b.pending > 0) ? 2000 : false),
      },
    ),
  );
  return (
    <section aria-labelledby="sent-messages">
      <h2 id="sent-messages" className="mb-3 text-lg font-semibold">
        Sent messages
      </h2>
      {log.isPending ? (
        <Loading what="Loading sent messages" />
      ) : log.isError ? (
        <ErrorBox error={log.error} title="Could not load the sent messages" />
      ) : log.data.length === 0 ? (
        <Empty>No messages sent for this event yet.</Empty>
      ) : (
        <ul className="flex flex-col gap-3" aria-label="Sent messages">
          {log.data.map((b) => (
            <Entry key={b.id} b={b} event={event} />
          ))}
        </ul>
      )}
    </section>
  );
}
