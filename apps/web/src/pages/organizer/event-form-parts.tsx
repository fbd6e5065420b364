/**
 * Pieces of the event form: the time-zone picker, date-time fields read in the event's zone, the
 * venue and seating choice, and the ticket types.
 */
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useMemo } from "react";
import { Link } from "react-router";
import { Button, Field, Loading } from "../../components/ui.tsx";
import type { FieldErrors } from "../../lib/forms.ts";
import { useTRPC } from "../../lib/trpc.ts";
import {
  differsFromViewer,
  formatInZone,
  fromZonedInput,
  isTimeZone,
  timeZoneNames,
  zoneLabel,
} from "../../lib/zoned-time.ts";
import {
  type EventFormState,
  mayRemoveSavedTypes,
  type TicketTypeRow,
} from "./event-form-state.ts";

export type SetField = <K extends keyof EventFormState>(key: K, value: EventFormState[K]) => void;

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
      <legend className="px-1 text-lg font-semibold">{title}</legend>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">{children}</div>
    </fieldset>
  );
}

const ZONE_LIST_ID = "time-zone-names";

/** A searchable IANA zone picker: type "Berlin" and the browser offers "Europe/Berlin". */
export function TimeZoneField({
  s,
  error,
  set,
}: {
  s: EventFormState;
  error?: string | undefined;
  set: SetField;
}) {
  const zones = useMemo(timeZoneNames, []);
  const known = isTimeZone(s.timezone);
  const hint = known
    ? `Every time of this event is ${s.timezone} time. Type a city to search.`
    : "Type a city to search, e.g. Berlin or New York.";
  return (
    <Field label="Time zone" error={error} hint={hint}>
      {(p) => (
        <>
          <input
            {...p}
            name="timezone"
            list={ZONE_LIST_ID}
            autoComplete="off"
            spellCheck={false}
            value={s.timezone}
            onChange={(e) => set("timezone", e.target.value)}
          />
          <datalist id={ZONE_LIST_ID}>
            {zones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}

/**
 * What a wall-clock value is: the zone it is read in, and the viewer's own time when their
 * clock reads differently ("10:00 AM PDT where you are").
 */
export function zonedHint(value: string, zone: string): string | undefined {
  if (!isTimeZone(zone)) return undefined;
  const at = fromZonedInput(value, zone);
  if (!at) return `${zone} time`;
  const here = differsFromViewer(at.ms, zone)
    ? ` · ${formatInZone(at.ms, undefined, { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" })} where you are`
    : "";
  const twice =
    at.kind === "ambiguous" ? " (the first of the two, as clocks go back that night)" : "";
  return `${zone} time, ${zoneLabel(at.ms, zone)}${twice}${here}`;
}

/** A `datetime-local` input whose value means the wall clock in the event's zone. */
export function ZonedTimeField({
  name,
  label,
  s,
  error,
  set,
}: {
  name: "startsAt" | "endsAt" | "salesStartAt" | "salesEndAt";
  label: string;
  s: EventFormState;
  error?: string | undefined;
  set: SetField;
}) {
  const hint = zonedHint(s[name], s.timezone);
  return (
    <Field label={label} error={error} {...(hint ? { hint } : {})}>
      {(p) => (
        <input
          {...p}
          name={name}
          type="datetime-local"
          value={s[name]}
          onChange={(e) => set(name, e.target.value)}
        />
      )}
    </Field>
  );
}

/**
 * Where: for a new event, general admission (a venue name) or reserved seating (one of my seat
 * maps, whose name becomes the venue's: never both). An existing event keeps its seating.
 */
export function Venue({
  s,
  errors,
  set,
}: {
  s: EventFormState;
  errors: FieldErrors;
  set: SetField;
}) {
  const venueField = (
    <Field label="Venue" error={errors.venueName} hint="Optional: where it takes place">
      {(p) => (
        <input
          {...p}
          name="venueName"
          value={s.venueName}
          onChange={(e) => set("venueName", e.target.value)}
        />
      )}
    </Field>
  );
  if (s.status !== "new") {
    return (
      <fieldset className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 text-lg font-semibold">Venue</legend>
        <div className="max-w-md">{venueField}</div>
        {s.sectionTypes && (
          <p className="mt-2 text-sm text-slate-700">
            Reserved seating: the seats come from the seat map.
          </p>
        )}
      </fieldset>
    );
  }
  return (
    <fieldset className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
      <legend className="px-1 text-lg font-semibold">Venue and seating</legend>
      <div className="flex flex-col gap-2">
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name="seating"
            checked={s.seating === "general"}
            onChange={() => set("seating", "general")}
          />
          General admission: ticket types with a capacity each
        </label>
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name="seating"
            checked={s.seating === "seated"}
            onChange={() => set("seating", "seated")}
          />
          Reserved seating: buyers pick seats on a seat map
        </label>
      </div>
      <div className="mt-3 max-w-md">
        {s.seating === "general" ? (
          venueField
        ) : (
          <SeatMapPicker s={s} error={errors.venueId} set={set} />
        )}
      </div>
    </fieldset>
  );
}

function SeatMapPicker({
  s,
  error,
  set,
}: {
  s: EventFormState;
  error: string | undefined;
  set: SetField;
}) {
  const trpc = useTRPC();
  const venues = useQuery(trpc.venues.list.queryOptions());
  const items = venues.data?.items ?? [];
  const chosen = items.find((v) => v.id === s.venueId);
  if (venues.isPending) return <Loading what="Loading your seat maps" />;
  if (items.length === 0) {
    return (
      <p className="text-slate-700">
        You have no seat maps yet.{" "}
        <Link className="font-medium text-indigo-700 underline" to="/organizer/venues/new">
          Build one first
        </Link>
        .
      </p>
    );
  }
  return (
    <>
      <Field
        label="Seat map"
        error={error && !s.venueId ? "Choose one of your seat maps" : error}
        hint="Each section becomes a ticket type with its price; every seat is sold once."
      >
        {(p) => (
          <select {...p} value={s.venueId} onChange={(e) => set("venueId", e.target.value)}>
            <option value="">Choose…</option>
            {items.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name} ({v.seatCount.toLocaleString()} seats)
              </option>
            ))}
          </select>
        )}
      </Field>
      {chosen && <p className="mt-2 text-slate-800">Venue: {chosen.name}</p>}
      <p className="mt-2 text-sm">
        <Link className="font-medium text-indigo-700 underline" to="/organizer/venues">
          Manage seat maps
        </Link>
      </p>
    </>
  );
}

/** The ticket types (or a seated event's sections): saved ones removable while a draft. */
export function TicketTypes({
  s,
  errors,
  set,
}: {
  s: EventFormState;
  errors: FieldErrors;
  set: SetField;
}) {
  const setType = (i: number, patch: Partial<TicketTypeRow>) =>
    set(
      "ticketTypes",
      s.ticketTypes.map((t, j) => (j === i ? { ...t, ...patch } : t)),
    );
  const remove = (i: number) => {
    const id = s.ticketTypes[i]?.id;
    set(
      "ticketTypes",
      s.ticketTypes.filter((_, j) => j !== i),
    );
    if (id) set("removedTypeIds", [...s.removedTypeIds, id]);
  };
  const keepsSaved = !s.sectionTypes && !mayRemoveSavedTypes(s) && s.ticketTypes.some((t) => t.id);
  return (
    <fieldset className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
      <legend className="px-1 text-lg font-semibold">
        {s.sectionTypes ? "Sections (from the seat map)" : "Ticket types"}
      </legend>
      {s.sectionTypes && (
        <p className="mb-2 text-sm text-slate-700">
          Sections can be renamed and repriced; their seats stay as they are.
        </p>
      )}
      {keepsSaved && (
        <p className="mb-2 text-sm text-slate-700">
          Published ticket types stay: buyers may hold them. To stop selling one, lower its capacity
          to what is sold.
        </p>
      )}
      {errors.ticketTypes && (
        <p className="mb-2 text-sm font-medium text-red-700">{errors.ticketTypes}</p>
      )}
      <ul className="flex flex-col gap-4">
        {s.ticketTypes.map((t, i) => (
          <li
            key={t.id ?? `new-${i}`}
            className="grid gap-3 border-b border-slate-100 pb-4 sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)_auto] sm:items-start"
          >
            <Field label={`Type ${i + 1} name`} error={errors[`ticketTypes.${i}.name`]}>
              {(p) => (
                <input
                  {...p}
                  value={t.name}
                  onChange={(e) => setType(i, { name: e.target.value })}
                />
              )}
            </Field>
            <Field
              label={`Type ${i + 1} price (${s.currency || "USD"})`}
              error={errors[`ticketTypes.${i}.priceCents`]}
            >
              {(p) => (
                <input
                  {...p}
                  inputMode="decimal"
                  value={t.price}
                  onChange={(e) => setType(i, { price: e.target.value })}
                />
              )}
            </Field>
            <Field label={`Type ${i + 1} capacity`} error={errors[`ticketTypes.${i}.capacity`]}>
              {(p) => (
                <input
                  {...p}
                  inputMode="numeric"
                  readOnly={s.sectionTypes}
                  value={t.capacity}
                  onChange={(e) => setType(i, { capacity: e.target.value })}
                />
              )}
            </Field>
            <Button
              variant="secondary"
              className={`sm:mt-6 ${s.sectionTypes ? "invisible" : ""}`}
              disabled={
                s.ticketTypes.length === 1 || (t.id !== undefined && !mayRemoveSavedTypes(s))
              }
              onClick={() => remove(i)}
            >
              Remove<span className="sr-only"> type {i + 1}</span>
            </Button>
            {!s.sectionTypes && (
              <label className="flex min-h-11 items-center gap-2 sm:col-span-4">
                <input
                  type="checkbox"
                  className="h-5 w-5"
                  checked={t.hidden ?? false}
                  onChange={(e) => setType(i, { hidden: e.target.checked })}
                />
                <span>
                  Hidden (only with an access code)
                  <span className="sr-only"> for type {i + 1}</span>
                </span>
              </label>
            )}
          </li>
        ))}
      </ul>
      {!s.sectionTypes && (
        <Button
          variant="secondary"
          className="mt-3"
          onClick={() =>
            set("ticketTypes", [...s.ticketTypes, { name: "", price: "0", capacity: "50" }])
          }
        >
          Add ticket type
        </Button>
      )}
    </fieldset>
  );
}
