import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { Button, Card, ErrorBox, Field, Loading, Notice, PageTitle } from "../../components/ui.tsx";
import { errorData } from "../../lib/errors.ts";
import { type FieldErrors, serverFieldErrors } from "../../lib/forms.ts";
import { useTRPC } from "../../lib/trpc.ts";
import {
  type EventFormState,
  emptyForm,
  formFromEvent,
  type RuleRow,
  type TicketTypeRow,
  toUpdate,
  validateEvent,
} from "./event-form-state.ts";
import { useManagedEvent } from "./manage.tsx";

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="rounded-lg border border-slate-200 bg-white p-4">
      <legend className="px-1 text-lg font-semibold">{title}</legend>
      <div className="grid gap-4 sm:grid-cols-2">{children}</div>
    </fieldset>
  );
}

interface FormProps {
  initial: EventFormState;
  submitLabel: string;
  busy: boolean;
  serverError: unknown;
  lockedTypeIds?: boolean;
  onSubmit: (state: EventFormState, input: ReturnType<typeof validateEvent> & { ok: true }) => void;
}

/** New events only: general admission with ticket types, or the seats of one of my venues. */
function Seating({
  s,
  error,
  set,
}: {
  s: EventFormState;
  error: string | undefined;
  set: <K extends keyof EventFormState>(key: K, value: EventFormState[K]) => void;
}) {
  const trpc = useTRPC();
  const venues = useQuery(trpc.venues.list.queryOptions());
  const items = venues.data?.items ?? [];
  return (
    <fieldset className="rounded-lg border border-slate-200 bg-white p-4">
      <legend className="px-1 text-lg font-semibold">Seating</legend>
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
      {s.seating === "seated" && (
        <div className="mt-3 max-w-md">
          {venues.isPending ? (
            <Loading what="Loading your seat maps" />
          ) : items.length === 0 ? (
            <p className="text-slate-700">
              You have no seat maps yet.{" "}
              <Link className="font-medium text-indigo-700 underline" to="/organizer/venues/new">
                Build one first
              </Link>
              .
            </p>
          ) : (
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
          )}
          <p className="mt-2 text-sm">
            <Link className="font-medium text-indigo-700 underline" to="/organizer/venues">
              Manage seat maps
            </Link>
          </p>
        </div>
      )}
    </fieldset>
  );
}

function EventForm({ initial, submitLabel, busy, serverError, onSubmit }: FormProps) {
  const [s, setS] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const all = { ...serverFieldErrors(errorData(serverError)?.issues), ...errors };
  const set = <K extends keyof EventFormState>(key: K, value: EventFormState[K]) =>
    setS((prev) => ({ ...prev, [key]: value }));
  const setType = (i: number, patch: Partial<TicketTypeRow>) =>
    set(
      "ticketTypes",
      s.ticketTypes.map((t, j) => (j === i ? { ...t, ...patch } : t)),
    );
  const setRule = (i: number, patch: Partial<RuleRow>) =>
    set(
      "rules",
      s.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)),
    );
  const text = (key: keyof EventFormState, label: string, type = "text", hint?: string) => (
    <Field label={label} error={all[key]} hint={hint}>
      {(p) => (
        <input
          {...p}
          name={key}
          type={type}
          value={s[key] as string}
          onChange={(e) => set(key, e.target.value as never)}
        />
      )}
    </Field>
  );

  function submit(e: FormEvent) {
    e.preventDefault();
    const result = validateEvent(s);
    if (!result.ok) {
      setErrors(result.errors);
      // Move focus to the first invalid field so keyboard and screen-reader users land on it.
      requestAnimationFrame(() =>
        document.querySelector<HTMLElement>("[aria-invalid='true']")?.focus(),
      );
      return;
    }
    setErrors({});
    onSubmit(s, result);
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-6">
      <Section title="Basics">
        {text("title", "Title")}
        {text("venueName", "Venue")}
        <div className="sm:col-span-2">
          <Field label="Description" error={all.description}>
            {(p) => (
              <textarea
                {...p}
                rows={3}
                value={s.description}
                onChange={(e) => set("description", e.target.value)}
              />
            )}
          </Field>
        </div>
        {text("startsAt", "Starts at", "datetime-local")}
        {text("endsAt", "Ends at (optional)", "datetime-local")}
        {text("timezone", "Time zone", "text", "IANA name, e.g. Europe/Berlin")}
        {text("currency", "Currency", "text", "Three letters, e.g. USD")}
      </Section>

      {!s.sectionTypes && <Seating s={s} error={all.venueId} set={set} />}

      {s.seating === "general" && (
        <fieldset className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
          <legend className="px-1 text-lg font-semibold">
            {s.sectionTypes ? "Sections (from the seat map)" : "Ticket types"}
          </legend>
          {s.sectionTypes && (
            <p className="mb-2 text-sm text-slate-700">
              Sections can be renamed and repriced; their seats stay as they are.
            </p>
          )}
          {all.ticketTypes && (
            <p className="mb-2 text-sm font-medium text-red-700">{all.ticketTypes}</p>
          )}
          <ul className="flex flex-col gap-4">
            {s.ticketTypes.map((t, i) => (
              <li
                key={i}
                className="grid gap-3 border-b border-slate-100 pb-4 sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)_auto] sm:items-end"
              >
                <Field label={`Type ${i + 1} name`} error={all[`ticketTypes.${i}.name`]}>
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
                  error={all[`ticketTypes.${i}.priceCents`]}
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
                <Field label={`Type ${i + 1} capacity`} error={all[`ticketTypes.${i}.capacity`]}>
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
                  className={s.sectionTypes ? "invisible" : ""}
                  disabled={s.ticketTypes.length === 1 || t.id !== undefined}
                  title={t.id ? "Saved ticket types stay (they may have sales)" : undefined}
                  onClick={() =>
                    set(
                      "ticketTypes",
                      s.ticketTypes.filter((_, j) => j !== i),
                    )
                  }
                >
                  Remove<span className="sr-only"> type {i + 1}</span>
                </Button>
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
      )}

      <Section title="Limits and sales window">
        {text("capacity", "Total capacity (optional)", "text", "Caps all types together")}
        {text(
          "holdMinutes",
          "Hold time (minutes)",
          "text",
          "How long a buyer keeps tickets while paying",
        )}
        {text("maxPerOrder", "Max tickets per order")}
        {text("maxPerUser", "Max tickets per person (optional)")}
        {text("salesStartAt", "Sales start (optional)", "datetime-local")}
        {text("salesEndAt", "Sales end (optional)", "datetime-local")}
      </Section>

      <Section title="Waitlist">
        <label className="flex items-center gap-2 sm:col-span-2">
          <input
            type="checkbox"
            checked={s.waitlistEnabled}
            onChange={(e) => set("waitlistEnabled", e.target.checked)}
          />
          Keep a waitlist when sold out
        </label>
        {s.waitlistEnabled && (
          <>
            <Field label="Mode" error={all["waitlist.mode"]}>
              {(p) => (
                <select
                  {...p}
                  value={s.waitlistMode}
                  onChange={(e) => set("waitlistMode", e.target.value as "auto" | "offer")}
                >
                  <option value="offer">Offer: the next in line gets a hold to pay for</option>
                  <option value="auto">Auto: book the next in line directly (free events)</option>
                </select>
              )}
            </Field>
            <Field label="Offer time (hours)" error={all["waitlist.offerSeconds"]}>
              {(p) => (
                <input
                  {...p}
                  value={s.offerHours}
                  onChange={(e) => set("offerHours", e.target.value)}
                />
              )}
            </Field>
          </>
        )}
      </Section>

      <fieldset className="rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 text-lg font-semibold">Cancellation policy</legend>
        <label className="mb-3 flex items-center gap-2">
          <input
            type="checkbox"
            checked={s.refundable}
            onChange={(e) => set("refundable", e.target.checked)}
          />
          Refundable
        </label>
        {s.refundable && (
          <>
            <div className="mb-3 max-w-xs">
              <Field label="Cancellation fee" error={all["cancellationPolicy.feeCents"]}>
                {(p) => <input {...p} value={s.fee} onChange={(e) => set("fee", e.target.value)} />}
              </Field>
            </div>
            <p className="mb-2 text-sm text-slate-700">
              Rules: the highest refund whose deadline has not passed applies. No rules: full refund
              until the start.
            </p>
            <ul className="flex flex-col gap-3">
              {s.rules.map((r, i) => (
                <li key={i} className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
                  <Field
                    label={`Rule ${i + 1}: hours before start`}
                    error={all[`cancellationPolicy.rules.${i}.hoursBeforeStart`]}
                  >
                    {(p) => (
                      <input
                        {...p}
                        value={r.hoursBeforeStart}
                        onChange={(e) => setRule(i, { hoursBeforeStart: e.target.value })}
                      />
                    )}
                  </Field>
                  <Field
                    label={`Rule ${i + 1}: refund %`}
                    error={all[`cancellationPolicy.rules.${i}.refundPercent`]}
                  >
                    {(p) => (
                      <input
                        {...p}
                        value={r.refundPercent}
                        onChange={(e) => setRule(i, { refundPercent: e.target.value })}
                      />
                    )}
                  </Field>
                  <Button
                    variant="secondary"
                    onClick={() =>
                      set(
                        "rules",
                        s.rules.filter((_, j) => j !== i),
                      )
                    }
                  >
                    Remove<span className="sr-only"> rule {i + 1}</span>
                  </Button>
                </li>
              ))}
            </ul>
            <Button
              variant="secondary"
              className="mt-3"
              onClick={() =>
                set("rules", [...s.rules, { hoursBeforeStart: "48", refundPercent: "50" }])
              }
            >
              Add refund rule
            </Button>
          </>
        )}
      </fieldset>

      {Object.keys(errors).length > 0 && (
        <ErrorBox error="Some fields need attention: see the messages next to them." />
      )}
      <ErrorBox error={serverError} />
      <div>
        <Button type="submit" busy={busy}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}

export function NewEventPage() {
  const trpc = useTRPC();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.events.create.mutationOptions({
      onSuccess: (event) => {
        queryClient.invalidateQueries({ queryKey: trpc.events.list.pathKey() });
        navigate(`/organizer/events/${event.id}`);
      },
    }),
  );
  return (
    <div className="mx-auto max-w-3xl">
      <PageTitle>New event</PageTitle>
      <p className="mb-4 text-slate-700">
        Events start as drafts: publish when ready. Times are in your browser's time zone.
      </p>
      <EventForm
        initial={emptyForm(params.get("venueId") ?? "")}
        submitLabel="Create draft"
        busy={create.isPending}
        serverError={create.error}
        onSubmit={(_, result) => create.mutate(result.input)}
      />
    </div>
  );
}

export function EditEventPage() {
  const event = useManagedEvent();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const update = useMutation(
    trpc.events.update.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.events.pathKey() }),
    }),
  );
  if (event.status === "cancelled") return <Card>A cancelled event cannot be edited.</Card>;
  return (
    <div className="mx-auto max-w-3xl">
      {update.isSuccess && <Notice>Saved.</Notice>}
      <EventForm
        // Remount after a save that added types, so the new rows carry their ids.
        key={event.ticketTypes.map((t) => t.id).join()}
        initial={formFromEvent(event)}
        submitLabel="Save changes"
        busy={update.isPending}
        serverError={update.error}
        onSubmit={(state, result) => update.mutate(toUpdate(event.id, state, result.input))}
      />
    </div>
  );
}
