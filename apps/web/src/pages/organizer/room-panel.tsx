/**
 * The organizer's live view of an event's on-sale room (`room.stats` over SSE): where the room
 * stands, the queue, who is shopping, the admission rate, and, after the draw, the lottery's
 * seed, which anyone auditing the draw replays. A figure that changes tints briefly (not at all
 * with reduced motion).
 */
import { useSubscription } from "@trpc/tanstack-react-query";
import { useState } from "react";
import { Card } from "../../components/ui.tsx";
import { dateTime } from "../../lib/format.ts";
import { LiveStatus, useLiveState } from "../../lib/live-state.tsx";
import { type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import type { ManagedEvent } from "./manage.tsx";

type RoomStats =
  RouterOutputs["room"]["stats"] extends AsyncIterable<infer T>
    ? T extends { data: infer D }
      ? D
      : T
    : never;

const stateWords: Record<RoomStats["state"], string> = {
  off: "Off: buyers buy directly",
  before: "Waiting for opening: buyers are gathering",
  queueing: "Letting buyers in from the queue",
  open: "Doors open: the queue ran empty, buyers buy directly",
};

/** A number that tints for a moment when it changes (the key remounts it). */
function LiveNumber({ value }: { value: number }) {
  return (
    <span key={value} className="changed-tint rounded px-1 tabular-nums">
      {value.toLocaleString()}
    </span>
  );
}

function Figure({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div className="rounded-md border border-slate-200 p-3">
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd className="text-2xl font-bold" data-testid={testId}>
        <LiveNumber value={value} />
      </dd>
    </div>
  );
}

export function RoomStatsPanel({ event }: { event: ManagedEvent }) {
  const trpc = useTRPC();
  const enabled = event.onSaleRoom.enabled;
  const [stats, setStats] = useState<RoomStats | null>(null);
  const subscription = useSubscription(
    trpc.room.stats.subscriptionOptions(
      { eventId: event.id },
      { enabled, onData: (message) => setStats(message.data) },
    ),
  );
  const live = useLiveState(subscription, enabled);
  const zone = event.timezone;
  return (
    <Card className="md:col-span-2">
      <section aria-labelledby="room-stats-heading" data-testid="room-stats">
        <h2 id="room-stats-heading" className="mb-2 text-lg font-semibold">
          On-sale room
        </h2>
        {!enabled ? (
          <p>Off. Switch it on under Edit to sell a busy on-sale through a fair queue.</p>
        ) : !stats ? (
          <p className="text-slate-600">Connecting to the room…</p>
        ) : (
          <>
            <p className="mb-3 font-medium" data-testid="room-state">
              {stateWords[stats.state]}
              {stats.state === "before" && stats.opensAt && (
                <span className="font-normal"> · opens {dateTime(stats.opensAt, zone)}</span>
              )}
            </p>
            <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3">
              <Figure label="Waiting in the queue" value={stats.waiting} testId="room-waiting" />
              <Figure label="Shopping now" value={stats.shopping} testId="room-shopping" />
              <Figure
                label="Let in, last minute"
                value={stats.admittedLastMinute}
                testId="room-last-minute"
              />
              <Figure label="Let in, in all" value={stats.admittedTotal} testId="room-admitted" />
              <Figure label="Ever entered" value={stats.entrants} testId="room-entrants" />
              <Figure label="Lapsed (page closed)" value={stats.lapsedTotal} testId="room-lapsed" />
            </dl>
            <dl className="mt-3 grid gap-1 text-sm sm:grid-cols-[auto_1fr] sm:gap-x-3">
              {stats.drawnAt && (
                <>
                  <dt className="text-slate-600">Lottery drawn</dt>
                  <dd>{dateTime(stats.drawnAt, zone)}</dd>
                </>
              )}
              {stats.seed && (
                <>
                  <dt className="text-slate-600">Lottery seed</dt>
                  <dd>
                    <code className="break-all" data-testid="room-seed">
                      {stats.seed}
                    </code>
                    <span className="block text-slate-600">
                      What an auditor uses to replay the draw: with the entrants in the order they
                      arrived, it gives everyone's place again.
                    </span>
                  </dd>
                </>
              )}
              {stats.doorsOpenAt && (
                <>
                  <dt className="text-slate-600">Doors opened</dt>
                  <dd>{dateTime(stats.doorsOpenAt, zone)}</dd>
                </>
              )}
            </dl>
          </>
        )}
        <LiveStatus state={live} className="mt-3 text-sm text-slate-600" />
      </section>
    </Card>
  );
}
