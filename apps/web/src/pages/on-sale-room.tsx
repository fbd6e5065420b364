/**
 * The on-sale room on the event page, at each stage: the countdown to opening and the way in;
 * waiting for the draw; the place in the queue with the people ahead, progress and an honest
 * estimate; "It's your turn" with the time left; and a place that ended. Changes of stage (and
 * the place, now and then) are announced politely; "It's your turn" takes the focus.
 */
import { type ReactNode, useEffect, useRef, useState } from "react";
import { Loading } from "../components/ui.tsx";
import { LiveStatus } from "../lib/live-state.tsx";
import {
  minutesInWords,
  people,
  queueProgress,
  type RoomStatus,
  roomStage,
  type Spoken,
  shouldAnnounce,
  spokenStatus,
  waitInWords,
} from "../lib/room.ts";
import { timeLeft } from "../lib/sales-window.ts";
import type { RouterOutputs } from "../lib/trpc.ts";
import { formatInZone } from "../lib/zoned-time.ts";
import { inEventZone } from "./event-times.tsx";
import { RoomJoin } from "./room-join.tsx";
import type { OnSaleRoom } from "./room-live.ts";

type EventDto = RouterOutputs["events"]["get"];

/** The badge above the title while the room is yet to open: "Room opens Jun 1, 10:00 AM". */
export function roomBadgeText(event: EventDto, now: number): string | null {
  const opensAt = event.onSaleRoom.opensAt;
  if (!event.onSaleRoom.enabled || event.status !== "published" || !opensAt) return null;
  const at = Date.parse(opensAt);
  if (at <= now) return null;
  const when = formatInZone(at, event.timezone, {
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
  });
  return `Room opens ${when}`;
}

/** The room's own time: opensAt from the status (the server's), else from the settings. */
function opensAtOf(event: EventDto, status: RoomStatus | null): string | null {
  return status?.opensAt ?? event.onSaleRoom.opensAt ?? event.salesStartAt;
}

function Timer({ until, now }: { until: number; now: number }) {
  return (
    <span role="timer" className="font-semibold tabular-nums">
      {timeLeft(until - now)}
    </span>
  );
}

/** What a screen reader hears: a stage change at once, the place now and then (lib/room.ts). */
function useAnnouncement(status: RoomStatus | null): string {
  const [said, setSaid] = useState("");
  const last = useRef<Spoken | null>(null);
  useEffect(() => {
    if (!status) return;
    const now = Date.now();
    const first = last.current === null;
    if (first || shouldAnnounce(status, last.current, now)) {
      last.current = { stage: roomStage(status), position: status.position, at: now };
      if (!first) setSaid(spokenStatus(status));
    }
  }, [status]);
  return said;
}

function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section
      aria-labelledby="room-heading"
      className="rounded-lg border border-indigo-200 bg-indigo-50/50 p-4"
      data-testid="on-sale-room"
    >
      <h3 id="room-heading" className="text-lg font-semibold">
        {title}
      </h3>
      {children}
    </section>
  );
}

/** "Closing this page keeps your place for 2 minutes." */
function KeepPlace({ event }: { event: EventDto }) {
  return (
    <p className="mt-3 text-sm text-slate-700">
      You can leave this page open in the background. If you close it, your place is kept for{" "}
      {minutesInWords(event.onSaleRoom.graceSeconds)}.
    </p>
  );
}

function SoldOutNotice({ status }: { status: RoomStatus }) {
  if (!status.soldOut) return null;
  return (
    <p className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
      Everything is sold or held right now. Tickets held by others come back if they are not paid
      for, so waiting may still pay off.
    </p>
  );
}

function Queued({
  event,
  room,
  status,
}: {
  event: EventDto;
  room: OnSaleRoom;
  status: RoomStatus;
}) {
  const position = status.position ?? 1;
  const progress = queueProgress(position, room.pass.firstPosition ?? position);
  const wait = waitInWords(status.estimatedWaitSeconds);
  return (
    <Panel title="You're in the queue">
      <p className="mt-2 text-4xl font-bold tabular-nums" data-testid="room-position">
        <span className="sr-only">Your place: </span>
        <span data-testid="room-place">{position.toLocaleString()}</span>
        <span className="ml-2 text-base font-normal text-slate-700">
          {status.ahead === 0 ? "you're next" : `${people(status.ahead ?? 0)} ahead of you`}
        </span>
      </p>
      <div
        role="progressbar"
        aria-label="Your way to the front of the queue"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(progress * 100)}
        className="mt-3 h-3 overflow-hidden rounded-full bg-indigo-100"
      >
        <div
          className="h-full rounded-full bg-indigo-700 transition-[width] duration-700 motion-reduce:transition-none"
          style={{ width: `${Math.max(2, progress * 100)}%` }}
        />
      </div>
      <p className="mt-3" data-testid="room-estimate">
        {wait
          ? `Your turn comes in ${wait}, at the pace people are being let in now.`
          : "We can't estimate the wait yet: it depends on how fast people ahead of you buy."}
      </p>
      <p className="mt-1 text-sm text-slate-700">
        When it's your turn, you have {minutesInWords(event.onSaleRoom.tokenSeconds)} to choose your
        tickets. {people(status.queueLength)} in the queue, you included.
      </p>
      <SoldOutNotice status={status} />
      <KeepPlace event={event} />
    </Panel>
  );
}

/** "Nobody is in the room yet.", "12 people are in the room, you included." */
function inTheRoom(status: RoomStatus): string {
  const n = status.queueLength;
  const you = status.state === "waiting" ? ", you included" : "";
  if (n === 0) return "Nobody is in the room yet.";
  return `${people(n)} ${n === 1 ? "is" : "are"} in the room${you}.`;
}

function BeforeOpening({
  event,
  status,
  now,
}: {
  event: EventDto;
  status: RoomStatus;
  now: number;
}) {
  const opensAt = opensAtOf(event, status);
  const until = opensAt ? Date.parse(opensAt) : null;
  return (
    <>
      {opensAt && until !== null && until > now ? (
        <p className="mt-2">
          The room opens {inEventZone(opensAt, event.timezone)}: in{" "}
          <Timer until={until} now={now} />.
        </p>
      ) : (
        <p className="mt-2">The room is opening: places are being drawn.</p>
      )}
      <p className="mt-1 text-slate-700">
        At opening, everyone in the room gets a random place in the queue, so joining early gives no
        advantage and there is no need to refresh. {inTheRoom(status)}
      </p>
    </>
  );
}

/** Every stage but the buyer's turn (which shows the ticket picker: see YourTurn). */
export function RoomPanel({
  event,
  room,
  now,
  notice,
}: {
  event: EventDto;
  room: OnSaleRoom;
  now: number;
  /** Why the buyer is back here (a hold refused with NOT_ADMITTED), in words. */
  notice: string | null;
}) {
  const { status } = room;
  const said = useAnnouncement(status);
  let body: ReactNode;
  if (!status) body = <Loading what="Checking the on-sale room" />;
  else {
    const stage = roomStage(status);
    if (stage === "queued") body = <Queued event={event} room={room} status={status} />;
    else if (stage === "waiting-for-draw") {
      body = (
        <Panel title="You're in the room">
          <BeforeOpening event={event} status={status} now={now} />
          <KeepPlace event={event} />
        </Panel>
      );
    } else {
      body = (
        <Panel title={titleOf(event, status, now)}>
          {stage === "spent" && (
            <p className="mt-2">
              You held tickets with your turn: pay for them before the hold runs out, if you haven't
              yet. To buy more, join the room again: you get a place at the back of the queue.
            </p>
          )}
          {stage === "ended" && (
            <p className="mt-2">
              Your turn ran out before you held tickets, or your place lapsed while the page was
              closed for more than {minutesInWords(event.onSaleRoom.graceSeconds)}. Join again to
              get a place at the back of the queue.
            </p>
          )}
          {stage === "outside" &&
            (opened(event, status, now) ? (
              <p className="mt-2">
                Tickets are sold through a queue right now, so that everyone gets a fair chance.{" "}
                {status.queueLength === 0
                  ? "Nobody is waiting: join and your turn comes soon."
                  : `${people(status.queueLength)} waiting. Join to get a place at the back.`}
              </p>
            ) : (
              <BeforeOpening event={event} status={status} now={now} />
            ))}
          <SoldOutNotice status={status} />
          <RoomJoin event={event} room={room} again={stage !== "outside"} />
        </Panel>
      );
    }
  }
  return (
    <div className="flex flex-col gap-3">
      {notice && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900">
          {notice}
        </p>
      )}
      {body}
      <p aria-live="polite" className="sr-only" data-testid="room-announcement">
        {said}
      </p>
      <LiveStatus state={room.live} className="text-sm text-slate-600" />
    </div>
  );
}

/** The opening has passed (the draw is done or under way): newcomers join at the back. */
function opened(event: EventDto, status: RoomStatus, now: number): boolean {
  const opensAt = opensAtOf(event, status);
  return opensAt === null || Date.parse(opensAt) <= now;
}

const titles: Partial<Record<ReturnType<typeof roomStage>, string>> = {
  spent: "You've used your turn",
  ended: "Your place has ended",
};

function titleOf(event: EventDto, status: RoomStatus, now: number): string {
  const stage = roomStage(status);
  if (stage !== "outside") return titles[stage] ?? "Join the queue";
  return opened(event, status, now) ? "Join the queue" : "Wait here for the opening";
}

/** Above the picker while the buyer's token lasts: focused when it appears. */
export function YourTurn({
  event,
  expiresAt,
  now,
  email,
}: {
  event: EventDto;
  expiresAt: number;
  now: number;
  /** A guest's room email: checkout must use it. */
  email?: string | undefined;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section
      aria-labelledby="your-turn"
      className="mb-4 rounded-lg border border-green-300 bg-green-50 p-4 text-green-950"
      data-testid="your-turn"
    >
      <h3 id="your-turn" ref={heading} tabIndex={-1} className="text-xl font-bold outline-none">
        It's your turn
      </h3>
      <p className="mt-1">
        Choose your tickets below within <Timer until={expiresAt} now={now} />. Once held, they're
        yours for {minutesInWords(event.holdSeconds)} while you pay.
      </p>
      {email && (
        <p className="mt-1 text-sm">
          Use <strong>{email}</strong> at checkout: your turn belongs to that address.
        </p>
      )}
    </section>
  );
}
