/**
 * The seat map of a seated event: every seat a button, grouped by section and row, live over
 * `events.seatMapChanges` (SSE). Built for 20,000-seat halls: rows are memoized and get only
 * strings as props, so a live change or a click re-renders just the rows it touches; clicks and
 * arrow keys are handled once on the map (event delegation), and off-screen rows skip layout and
 * paint (`content-visibility: auto`). The map scrolls inside its own box, never the page. The
 * buyer's own seats (held or booked: `mine` from the server) look and read differently.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import {
  type KeyboardEvent,
  type MouseEvent,
  memo,
  useCallback,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
} from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { Button, ErrorBox, Loading } from "../components/ui.tsx";
import { useMe } from "../lib/auth.tsx";
import { errorData, reasonOf, unavailableSeatIds } from "../lib/errors.ts";
import { money } from "../lib/format.ts";
import type { FieldErrors } from "../lib/forms.ts";
import { readSeats, rememberGuest, signInFor } from "../lib/guest-buyer.ts";
import { LiveStatus, useLiveState } from "../lib/live-state.tsx";
import {
  applyMineChanges,
  applySeatChanges,
  type CompactSeatMap,
  type MineSeats,
  mineSet,
  numbersByRow,
  type RowRef,
  rowIndex,
  type SeatChange,
  type SeatStatus,
  seatLabel,
  seatLabeler,
  seatStatus,
  seatsTakenSentence,
  splitSeatId,
  statusOf,
} from "../lib/seats.ts";
import { type RouterOutputs, useTRPC } from "../lib/trpc.ts";
import {
  GuestDetails,
  type GuestDraft,
  guestServerErrors,
  initialGuest,
  readGuest,
} from "./guest-details.tsx";
import { refreshAfterBookingChange } from "./held-tickets.tsx";

type EventDto = RouterOutputs["events"]["get"];

interface MapState {
  map: CompactSeatMap | null;
  index: Map<string, RowRef>;
  /** Ids of the buyer's own seats. */
  mine: ReadonlySet<string>;
}

type MapAction =
  | { type: "map"; map: CompactSeatMap; mine: MineSeats }
  | { type: "snapshot"; map: CompactSeatMap; mine: MineSeats }
  | { type: "changes"; version: number; changes: SeatChange[] }
  | { type: "taken"; seatIds: string[] };

function mapReducer(state: MapState, action: MapAction): MapState {
  switch (action.type) {
    case "map":
      // The first map, or a newer one; never step back.
      if (state.map && action.map.version <= state.map.version) return state;
      return {
        map: action.map,
        index: state.map ? state.index : rowIndex(action.map),
        mine: mineSet(action.mine),
      };
    case "snapshot":
      // The server's state as the subscription (re)starts: always the truth, even with a lower
      // version (a restarted server counts versions from its own start).
      return {
        map: action.map,
        index: state.map ? state.index : rowIndex(action.map),
        mine: mineSet(action.mine),
      };
    case "changes":
      if (!state.map || action.version <= state.map.version) return state;
      return {
        ...state,
        map: applySeatChanges(state.map, action.changes, state.index, action.version),
        mine: applyMineChanges(state.mine, action.changes),
      };
    case "taken": {
      // The server just said these are taken: show them so until the live change confirms it.
      if (!state.map) return state;
      const changes = action.seatIds.map((seatId) => ({ seatId, status: "held" as const }));
      return { ...state, map: applySeatChanges(state.map, changes, state.index) };
    }
  }
}

/** The compact map at once (a plain query), then kept current by the live subscription. */
function useLiveSeatMap(eventId: string) {
  const trpc = useTRPC();
  const [state, dispatch] = useReducer(mapReducer, {
    map: null,
    index: new Map(),
    mine: new Set<string>(),
  });
  const base = useQuery(
    trpc.events.seatMapCompact.queryOptions(
      { eventId },
      { staleTime: Number.POSITIVE_INFINITY, refetchOnWindowFocus: false },
    ),
  );
  useEffect(() => {
    if (!base.data) return;
    const { mine, ...map } = base.data;
    dispatch({ type: "map", map, mine });
  }, [base.data]);
  const subscription = useSubscription(
    trpc.events.seatMapChanges.subscriptionOptions(
      { eventId },
      {
        onData: ({ data }) => {
          if (data.type === "snapshot") {
            const { mine, ...map } = data.seatMap;
            dispatch({ type: "snapshot", map, mine });
          } else dispatch({ type: "changes", version: data.version, changes: data.changes });
        },
      },
    ),
  );
  const live = useLiveState(subscription, true);
  return { ...state, error: base.error, live, dispatch };
}

const seatBase =
  "h-8 w-8 shrink-0 rounded-t-lg rounded-b-sm border text-[11px] font-semibold leading-none";
/** How a seat looks: its status, or the buyer's own pick, hold or booking. */
type SeatLook = SeatStatus | "selected" | "heldByYou" | "bookedByYou";

const seatStyles: Record<SeatLook, string> = {
  free: "border-slate-400 bg-white text-slate-800 hover:border-indigo-600 hover:bg-indigo-50",
  selected: "border-indigo-950 bg-indigo-700 text-white",
  held: "cursor-not-allowed border-dashed border-amber-700 bg-amber-100 text-amber-900",
  booked: "cursor-not-allowed border-slate-700 bg-slate-500 text-white",
  heldByYou: "border-2 border-dashed border-teal-800 bg-teal-100 text-teal-950",
  bookedByYou: "border-teal-950 bg-teal-700 text-white",
};
/** Not by colour alone: every state has its own mark too. */
const seatMarks: Record<Exclude<SeatLook, "free">, string> = {
  selected: "✓",
  held: "–",
  booked: "×",
  heldByYou: "◆",
  bookedByYou: "★",
};
/** What a screen reader hears after the seat's name. */
const seatWords: Record<SeatLook, string> = {
  free: "free",
  selected: "free",
  held: "held",
  booked: "booked",
  heldByYou: "held by you",
  bookedByYou: "booked by you",
};

function lookOf(status: SeatStatus, selected: boolean, mine: boolean): SeatLook {
  if (status === "free") return selected ? "selected" : "free";
  if (mine) return status === "held" ? "heldByYou" : "bookedByYou";
  return status;
}

interface SeatRowProps {
  /** Row number across the whole map (for arrow keys). */
  r: number;
  sectionName: string;
  label: string;
  prefix: string;
  statuses: string;
  /** Selected seat numbers of this row as ",3,4," ("" for none): a string, so memo compares. */
  selected: string;
  /** The buyer's own seat numbers of this row, the same way. */
  mine: string;
  /** The seat number that takes Tab focus (0: none in this row). */
  tabStop: number;
}

const SeatRow = memo(function SeatRow(props: SeatRowProps) {
  const { r, sectionName, label, prefix, statuses, selected, mine, tabStop } = props;
  const seats = [];
  for (let n = 1; n <= statuses.length; n++) {
    const status = statusOf(statuses[n - 1]);
    const isSelected = status === "free" && selected !== "" && selected.includes(`,${n},`);
    const look = lookOf(status, isSelected, mine !== "" && mine.includes(`,${n},`));
    seats.push(
      <button
        key={n}
        type="button"
        data-seat={`${prefix}${n}`}
        data-r={r}
        data-n={n}
        data-look={look === "free" || look === status ? undefined : look}
        tabIndex={n === tabStop ? 0 : -1}
        aria-label={`${seatLabel(sectionName, label, n)}, ${seatWords[look]}`}
        aria-pressed={status === "free" ? isSelected : undefined}
        aria-disabled={status === "free" ? undefined : true}
        className={`${seatBase} ${seatStyles[look]}`}
      >
        {look === "free" ? n : seatMarks[look]}
      </button>,
    );
  }
  // Off-screen rows skip layout and paint; their size is known, so scrolling stays exact.
  const width = (statuses.length + 2) * 36;
  return (
    <fieldset
      aria-label={`${sectionName} row ${label}`}
      className="flex items-center justify-center gap-1 py-0.5"
      style={{ contentVisibility: "auto", containIntrinsicSize: `auto ${width}px auto 36px` }}
    >
      <span aria-hidden="true" className="w-7 shrink-0 text-right text-xs font-bold text-slate-600">
        {label}
      </span>
      {seats}
      <span aria-hidden="true" className="w-7 shrink-0 text-xs font-bold text-slate-600">
        {label}
      </span>
    </fieldset>
  );
});

/** The buyer's own kinds of seat are shown only to a buyer who has some. */
function Legend({ heldByYou, bookedByYou }: { heldByYou: boolean; bookedByYou: boolean }) {
  const items: [string, string, string][] = [
    [seatStyles.free, "5", "Free"],
    [seatStyles.selected, seatMarks.selected, "Your pick"],
    [seatStyles.held, seatMarks.held, "Held by a buyer"],
    [seatStyles.booked, seatMarks.booked, "Booked"],
  ];
  if (heldByYou) items.push([seatStyles.heldByYou, seatMarks.heldByYou, "Held by you"]);
  if (bookedByYou) items.push([seatStyles.bookedByYou, seatMarks.bookedByYou, "Booked by you"]);
  return (
    <ul className="mb-2 flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-700" aria-label="Legend">
      {items.map(([style, mark, text]) => (
        <li key={text} className="flex items-center gap-1.5">
          <span
            aria-hidden="true"
            className={`${seatBase} ${style} inline-flex items-center justify-center`}
          >
            {mark}
          </span>
          {text}
        </li>
      ))}
    </ul>
  );
}

/** Seats rendered per pass: the first pass paints quickly, later ones keep the page responsive. */
const CHUNK_SEATS = 2000;

/** The row index after `from` plus enough rows to hold `seats` seats. */
function rowsCovering(rows: readonly number[], from: number, seats: number): number {
  let end = from;
  let count = 0;
  while (end < rows.length && count < seats) count += rows[end++] ?? 0;
  return end;
}

interface SeatGridProps {
  map: CompactSeatMap;
  currency: string;
  selectedByPrefix: Map<string, string>;
  mineByPrefix: Map<string, string>;
  active: string | null;
  onActivate: (seatId: string) => void;
  onToggle: (seatId: string) => void;
}

function SeatGrid({
  map,
  currency,
  selectedByPrefix,
  mineByPrefix,
  active,
  onActivate,
  onToggle,
}: SeatGridProps) {
  const box = useRef<HTMLDivElement>(null);
  // Rows in order across sections: where the arrow keys go.
  const rows = useMemo(
    () => map.sections.flatMap((s) => s.rows.map((row) => row.statuses.length)),
    [map],
  );
  const freeCounts = useMemo(
    () =>
      map.sections.map((s) =>
        s.rows.reduce(
          (sum, row) => sum + row.statuses.length - row.statuses.replace(/f/g, "").length,
          0,
        ),
      ),
    [map],
  );
  // A big hall fills in a chunk of rows at a time, so the first rows are on screen and clickable
  // at once and the page never freezes while the rest arrive.
  const [limit, setLimit] = useState(() => rowsCovering(rows, 0, CHUNK_SEATS));
  useEffect(() => {
    if (limit >= rows.length) return;
    const timer = setTimeout(() => setLimit((l) => rowsCovering(rows, l, CHUNK_SEATS)), 0);
    return () => clearTimeout(timer);
  }, [limit, rows]);
  const activeSeat = active ? splitSeatId(active) : null;
  const firstPrefix = map.sections[0]?.rows[0]?.seatIdPrefix;

  const seatOf = (target: EventTarget) =>
    (target as HTMLElement).closest<HTMLButtonElement>("button[data-seat]");

  function click(e: MouseEvent) {
    const seat = seatOf(e.target);
    if (seat?.dataset.seat) onToggle(seat.dataset.seat);
  }

  function keyDown(e: KeyboardEvent) {
    const seat = seatOf(e.target);
    if (!seat) return;
    let r = Number(seat.dataset.r);
    let n = Number(seat.dataset.n);
    switch (e.key) {
      case "ArrowLeft":
        n -= 1;
        break;
      case "ArrowRight":
        n += 1;
        break;
      case "ArrowUp":
        r -= 1;
        break;
      case "ArrowDown":
        r += 1;
        break;
      case "Home":
        n = 1;
        break;
      case "End":
        n = rows[r] ?? 1;
        break;
      default:
        return;
    }
    e.preventDefault();
    const count = rows[r];
    if (count === undefined) return;
    n = Math.min(Math.max(n, 1), count);
    const next = box.current?.querySelector<HTMLButtonElement>(`[data-r="${r}"][data-n="${n}"]`);
    if (next?.dataset.seat) {
      next.focus();
      onActivate(next.dataset.seat);
    }
  }

  function focus(e: React.FocusEvent) {
    const seat = seatOf(e.target);
    if (seat?.dataset.seat && seat.dataset.seat !== active) onActivate(seat.dataset.seat);
  }

  let r = 0;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: one delegated handler for every seat button inside
    <div
      ref={box}
      className="max-h-[70vh] overflow-auto overscroll-contain rounded-lg border border-slate-300 bg-slate-50"
      data-testid="seat-map"
      onClick={click}
      onKeyDown={keyDown}
      onFocus={focus}
    >
      <div className="w-max min-w-full p-3">
        <p
          aria-hidden="true"
          className="mx-auto mb-4 max-w-md rounded-b-3xl bg-slate-300 py-1 text-center text-xs font-semibold tracking-widest text-slate-700 uppercase"
        >
          Stage
        </p>
        {map.sections.map((section, s) => (
          <section key={section.id} aria-label={section.name} className="mb-4">
            <h3 className="sticky left-0 mb-1 inline-block font-semibold">
              {section.name} · {money(section.priceCents, currency)}{" "}
              <span className="font-normal text-slate-600">· {freeCounts[s]} free</span>
            </h3>
            {section.rows.map((row) => {
              const prefix = row.seatIdPrefix;
              if (r >= limit) {
                r++;
                return (
                  <div
                    key={prefix}
                    style={{ height: 36, width: (row.statuses.length + 2) * 36 }}
                    className="mx-auto"
                  />
                );
              }
              const tabStop = activeSeat
                ? activeSeat.prefix === prefix
                  ? activeSeat.n
                  : 0
                : prefix === firstPrefix
                  ? 1
                  : 0;
              return (
                <SeatRow
                  key={prefix}
                  r={r++}
                  sectionName={section.name}
                  label={row.label}
                  prefix={prefix}
                  statuses={row.statuses}
                  selected={selectedByPrefix.get(prefix) ?? ""}
                  mine={mineByPrefix.get(prefix) ?? ""}
                  tabStop={tabStop}
                />
              );
            })}
          </section>
        ))}
      </div>
    </div>
  );
}

/** Pick seats on the map, see the total, hold them and go to checkout. */
export const SeatPicker = memo(function SeatPicker({
  event,
  code,
  admission,
}: {
  event: EventDto;
  /** An applied promo or access code: sent with the hold (its prices show at checkout). */
  code?: string | undefined;
  /** While the on-sale room is in use: the buyer's token, and what a refusal of it does. */
  admission: { readonly token: string | undefined; onRefused(error: unknown): void };
}) {
  const trpc = useTRPC();
  const me = useMe();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const { map, index, mine, error, live, dispatch } = useLiveSeatMap(event.id);
  // Back from signing in: the seats picked before (any taken meanwhile drop out below).
  const [selected, setSelected] = useState<string[]>(() =>
    readSeats(params.get("seats")).slice(0, event.maxPerOrder),
  );
  const [asking, setAsking] = useState(false);
  const [guest, setGuest] = useState<GuestDraft>(initialGuest);
  const [guestErrors, setGuestErrors] = useState<FieldErrors>({});
  const [active, setActive] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; alert: boolean } | null>(null);
  const label = useMemo(() => seatLabeler(map ?? undefined), [map]);
  const holding = useRef(false);
  const hold = useMutation(
    trpc.bookings.hold.mutationOptions({
      onMutate: () => {
        holding.current = true;
      },
      onSuccess: (h, input) => {
        if (input.buyer) rememberGuest(input.buyer);
        refreshAfterBookingChange(queryClient, trpc, event.id);
        navigate(`/checkout/${h.id}`);
      },
      onError: (err) => {
        holding.current = false;
        if (reasonOf(err) === "NOT_ADMITTED") admission.onRefused(err);
        const taken = unavailableSeatIds(err);
        if (taken.length === 0) return;
        setSelected((s) => s.filter((id) => !taken.includes(id)));
        dispatch({ type: "taken", seatIds: taken });
        setMessage({ text: seatsTakenSentence(taken.map(label)), alert: true });
      },
    }),
  );
  const seatTaken = unavailableSeatIds(hold.error).length > 0;

  // A picked seat someone else took meanwhile (seen live): drop it and say so. One the buyer
  // took themselves (in another tab) just leaves the selection.
  useEffect(() => {
    if (!map || holding.current) return;
    const gone = selected.filter((id) => {
      const status = seatStatus(map, index, id);
      return status !== undefined && status !== "free";
    });
    if (gone.length === 0) return;
    setSelected((s) => s.filter((id) => !gone.includes(id)));
    const taken = gone.filter((id) => !mine.has(id));
    if (taken.length > 0) setMessage({ text: seatsTakenSentence(taken.map(label)), alert: true });
  }, [map, index, mine, selected, label]);

  const selectedByPrefix = useMemo(() => numbersByRow(selected), [selected]);
  const mineByPrefix = useMemo(() => numbersByRow(mine), [mine]);
  const mineStatuses = useMemo(() => {
    const found = new Set(map ? [...mine].map((id) => seatStatus(map, index, id)) : []);
    return { held: found.has("held"), booked: found.has("booked") };
  }, [map, index, mine]);

  const latest = useRef({ map, index, mine, selected, max: event.maxPerOrder, label });
  latest.current = { map, index, mine, selected, max: event.maxPerOrder, label };
  const toggle = useCallback(
    (seatId: string) => {
      const { map, index, mine, selected, max, label } = latest.current;
      if (!map) return;
      hold.reset();
      const status = seatStatus(map, index, seatId);
      if (selected.includes(seatId)) {
        setSelected(selected.filter((id) => id !== seatId));
        setMessage(null);
      } else if (status !== "free" && mine.has(seatId)) {
        setMessage({
          text:
            status === "booked"
              ? `${label(seatId)} is already yours: its ticket is in My bookings.`
              : `${label(seatId)} is held by you: resume checkout to pay for it.`,
          alert: false,
        });
      } else if (status !== "free") {
        setMessage({ text: `${label(seatId)} is ${status ?? "not available"}.`, alert: false });
      } else if (selected.length >= max) {
        setMessage({
          text: `You can pick at most ${max} seat${max === 1 ? "" : "s"} in one order.`,
          alert: false,
        });
      } else {
        setSelected([...selected, seatId]);
        setMessage(null);
      }
    },
    [hold.reset],
  );

  if (error) return <ErrorBox error={error} title="Could not load the seat map" />;
  if (!map) return <Loading what="Loading the seat map" />;

  const priceOf = (seatId: string) => {
    const ref = index.get(splitSeatId(seatId)?.prefix ?? "");
    return (ref && map.sections[ref.section]?.priceCents) || 0;
  };
  const total = selected.reduce((sum, id) => sum + priceOf(id), 0);
  const signedOut = !me.data;
  const admissionToken = admission.token;
  const signIn = signInFor(`/events/${event.id}`, { seats: selected.join(","), code: code ?? "" });
  const fromServer = guestServerErrors(errorData(hold.error)?.issues);
  const holdAsGuest = () => {
    if (!asking) return setAsking(true);
    const read = readGuest(guest);
    setGuestErrors(read.ok ? {} : read.errors);
    if (read.ok) {
      hold.mutate({
        eventId: event.id,
        seatIds: selected,
        buyer: read.buyer,
        code,
        admissionToken,
      });
    }
  };

  return (
    <div>
      <Legend heldByYou={mineStatuses.held} bookedByYou={mineStatuses.booked} />
      <p className="mb-2 text-sm text-slate-600">
        Pick up to {event.maxPerOrder} seats. Arrow keys move between seats; Enter or Space picks
        one. <LiveStatus state={live} />
      </p>
      <SeatGrid
        map={map}
        currency={event.currency}
        selectedByPrefix={selectedByPrefix}
        mineByPrefix={mineByPrefix}
        active={active}
        onActivate={setActive}
        onToggle={toggle}
      />
      <div aria-live="polite" className="mt-3">
        {message &&
          (message.alert ? (
            <p
              role="alert"
              className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900"
              data-testid="seat-message"
            >
              {message.text}
            </p>
          ) : (
            <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
              {message.text}
            </p>
          ))}
      </div>
      {signedOut && event.guestCheckout && asking && selected.length > 0 && (
        <GuestDetails
          draft={guest}
          errors={{ ...fromServer, ...guestErrors }}
          signInHref={signIn}
          onChange={setGuest}
        />
      )}
      {!seatTaken && Object.keys(fromServer).length === 0 && <ErrorBox error={hold.error} />}
      {selected.length > 0 && (
        <ul className="mt-3 flex flex-wrap gap-2" aria-label="Your seats">
          {selected.map((id) => (
            <li
              key={id}
              className="flex items-center gap-2 rounded-full border border-indigo-300 bg-indigo-50 py-1 pr-1 pl-3 text-sm"
            >
              {label(id)} · {money(priceOf(id), event.currency)}
              <button
                type="button"
                className="h-7 w-7 rounded-full text-indigo-900 hover:bg-indigo-200"
                aria-label={`Remove ${label(id)}`}
                onClick={() => toggle(id)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="mt-3 flex flex-wrap items-center justify-between gap-3">
        <p className="text-lg" data-testid="seat-total">
          {selected.length > 0 ? (
            <>
              {selected.length} seat{selected.length === 1 ? "" : "s"} ·{" "}
              <strong>{money(total, event.currency)}</strong>
            </>
          ) : (
            "Choose your seats on the map."
          )}
        </p>
        {me.data ? (
          <Button
            disabled={selected.length === 0}
            busy={hold.isPending}
            onClick={() =>
              hold.mutate({ eventId: event.id, seatIds: selected, code, admissionToken })
            }
          >
            Hold {selected.length === 1 ? "seat" : "seats"}
          </Button>
        ) : event.guestCheckout ? (
          <Button disabled={selected.length === 0} busy={hold.isPending} onClick={holdAsGuest}>
            {asking ? "Continue to checkout" : "Continue"}
          </Button>
        ) : (
          <Link to={signIn} className="rounded-md bg-indigo-700 px-4 py-2.5 font-medium text-white">
            Sign in to buy
          </Link>
        )}
      </div>
      <p className="mt-2 text-sm text-slate-600">
        Held seats are yours for {Math.round(event.holdSeconds / 60)} minutes while you pay.
        {event.maxPerUser ? ` At most ${event.maxPerUser} per person.` : ""}
      </p>
    </div>
  );
});

/** "Stalls row A seat 5 and Stalls row A seat 6", for pages that list seats of a hold or booking. */
export function useSeatLabels(eventId: string, enabled: boolean) {
  const trpc = useTRPC();
  const map = useQuery(
    trpc.events.seatMapCompact.queryOptions({ eventId }, { enabled, staleTime: 60_000 }),
  );
  return useMemo(() => seatLabeler(map.data), [map.data]);
}
