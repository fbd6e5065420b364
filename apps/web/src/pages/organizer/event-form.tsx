/**
 * Creating and editing an event. Times are entered and shown in the event's own time zone;
 * errors name fields by their labels; "Saved." shows (and is announced) next to the button.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { Button, Card, ConfirmDialog, ErrorBox, Field, PageTitle } from "../../components/ui.tsx";
import { capacitySentence, errorData } from "../../lib/errors.ts";
import { type FieldErrors, serverFieldErrors } from "../../lib/forms.ts";
import { useTRPC } from "../../lib/trpc.ts";
import {
  Section,
  type SetField,
  TicketTypes,
  TimeZoneField,
  Venue,
  ZonedTimeField,
} from "./event-form-parts.tsx";
import {
  type EventFormState,
  emptyForm,
  formErrors,
  formFromEvent,
  labelOf,
  type RuleRow,
  toUpdate,
  validateEvent,
} from "./event-form-state.ts";
import { type ManagedEvent, useManagedEvent } from "./manage.tsx";
import { CheckoutSettings, QuestionBuilder } from "./question-builder.tsx";
import { RoomSettings } from "./room-settings.tsx";

interface FormProps {
  initial: EventFormState;
  submitLabel: string;
  busy: boolean;
  serverError: unknown;
  /** The stored start of an edited event: a start already past may stay as it is. */
  savedStartsAt?: string;
  /** Shown (and announced) next to the button, e.g. "Saved."; null for nothing. */
  done?: string | null;
  onChange?: () => void;
  onSubmit: (state: EventFormState, input: ReturnType<typeof validateEvent> & { ok: true }) => void;
}

/** A refusal's field errors in the form's keys and words (a capacity refusal on its field). */
function serverErrors(error: unknown, s: EventFormState): FieldErrors {
  const data = errorData(error);
  if (data?.reason === "CAPACITY_BELOW_SOLD") {
    const typeId = data.details?.ticketTypeId;
    const i = s.ticketTypes.findIndex((t) => t.id === typeId);
    const key = typeId === undefined ? "capacity" : `ticketTypes.${i}.capacity`;
    return { [key]: capacitySentence(data.details, "The capacity") };
  }
  return formErrors(serverFieldErrors(data?.issues));
}

const focusFirstInvalid = () =>
  requestAnimationFrame(() =>
    document.querySelector<HTMLElement>("form [aria-invalid='true']")?.focus(),
  );

function EventForm(props: FormProps) {
  const { initial, submitLabel, busy, serverError, done = null, onSubmit } = props;
  const [s, setS] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const fromServer = serverErrors(serverError, s);
  const all = { ...fromServer, ...errors };
  const doneRef = useRef<HTMLParagraphElement>(null);
  const set: SetField = (key, value) => {
    props.onChange?.();
    setS((prev) => ({ ...prev, [key]: value }));
  };
  const setRule = (i: number, patch: Partial<RuleRow>) =>
    set(
      "rules",
      s.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)),
    );
  const text = (key: keyof EventFormState, label: string, hint?: string) => (
    <Field label={label} error={all[key]} {...(hint ? { hint } : {})}>
      {(p) => (
        <input
          {...p}
          name={key}
          value={s[key] as string}
          onChange={(e) => set(key, e.target.value as never)}
        />
      )}
    </Field>
  );

  // Where the user is: the confirmation takes the focus (which scrolls it into view).
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);
  // A refusal naming fields: the first of them takes the focus.
  useEffect(() => {
    if (serverError) focusFirstInvalid();
  }, [serverError]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const result = validateEvent(s, Date.now(), props.savedStartsAt ?? null);
    if (!result.ok) {
      setErrors(result.errors);
      focusFirstInvalid();
      return;
    }
    setErrors({});
    onSubmit(s, result);
  }

  const invalid = [...new Set(Object.keys(errors).map(labelOf))];
  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-6">
      <Section title="Basics">
        {text("title", "Title")}
        {text("currency", "Currency", "Three letters, e.g. USD")}
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
        <div className="sm:col-span-2">
          <TimeZoneField s={s} error={all.timezone} set={set} />
        </div>
        <ZonedTimeField name="startsAt" label="Starts at" s={s} error={all.startsAt} set={set} />
        <ZonedTimeField
          name="endsAt"
          label="Ends at (optional)"
          s={s}
          error={all.endsAt}
          set={set}
        />
      </Section>

      <Venue s={s} errors={all} set={set} />
      {s.seating === "general" && <TicketTypes s={s} errors={all} set={set} />}

      <Section title="Limits and sales window">
        {text("capacity", "Total capacity (optional)", "Caps all types together")}
        {text("holdMinutes", "Hold time (minutes)", "How long a buyer keeps tickets while paying")}
        {text("maxPerOrder", "Max tickets per order")}
        {text("maxPerUser", "Max tickets per person (optional)")}
        <ZonedTimeField
          name="salesStartAt"
          label="Sales start (optional)"
          s={s}
          error={all.salesStartAt}
          set={set}
        />
        <ZonedTimeField
          name="salesEndAt"
          label="Sales end (optional)"
          s={s}
          error={all.salesEndAt}
          set={set}
        />
      </Section>

      <RoomSettings s={s} errors={all} set={set} />

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
            {text("offerHours", "Offer time (hours)")}
          </>
        )}
      </Section>

      <CheckoutSettings s={s} errors={all} set={set} />
      <QuestionBuilder s={s} errors={all} set={set} />

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

      {invalid.length > 0 && (
        <ErrorBox
          error={`Some fields need attention: ${invalid.join(", ")}. See the messages next to them.`}
        />
      )}
      {/* A refusal whose fields show inline needs no second sentence in words for machines. */}
      {Object.keys(fromServer).length > 0 && errorData(serverError)?.issues ? (
        <ErrorBox
          error={`Please check: ${[...new Set(Object.keys(fromServer).map(labelOf))].join(", ")}.`}
        />
      ) : (
        <ErrorBox error={serverError} />
      )}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" busy={busy}>
          {submitLabel}
        </Button>
        <p
          ref={doneRef}
          role="status"
          tabIndex={-1}
          className="font-medium text-green-800 outline-none focus-visible:ring-2 focus-visible:ring-green-600"
        >
          {done}
        </p>
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
        Events start as drafts: preview, then publish when ready. Times are in the event's time
        zone, which starts as yours.
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

/** A draft's own actions: look at it as buyers will, or throw it away. */
function DraftActions({ event }: { event: ManagedEvent }) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(
    trpc.events.delete.mutationOptions({
      onSuccess: () => {
        queryClient.removeQueries({ queryKey: trpc.events.get.queryKey({ eventId: event.id }) });
        queryClient.invalidateQueries({ queryKey: trpc.events.list.pathKey() });
        queryClient.invalidateQueries({ queryKey: trpc.venues.pathKey() });
        navigate("/organizer", { replace: true, state: { notice: "Draft deleted." } });
      },
    }),
  );
  return (
    <Card className="mb-6">
      <p className="mb-3">This event is a draft: only you can see it.</p>
      <div className="flex flex-wrap items-center gap-3">
        <Link
          to={`/events/${event.id}`}
          className="inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-4 font-medium text-slate-900 hover:bg-slate-100"
        >
          Preview the public page
        </Link>
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Delete draft…
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Delete this draft?"
        onClose={() => setConfirming(false)}
        error={remove.error}
        busy={remove.isPending}
        confirmLabel="Delete this draft"
        onConfirm={() => remove.mutate({ eventId: event.id })}
        keepLabel="Keep it"
      >
        <p className="mb-4">
          “{event.title}” and its ticket types are deleted for good. Nobody has booked it: it was
          never published.
        </p>
      </ConfirmDialog>
    </Card>
  );
}

export function EditEventPage() {
  const event = useManagedEvent();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.events.update.mutationOptions({
      // The form shows what was saved first (it remounts when types were added or removed),
      // then says so: one focus move, onto the confirmation.
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.events.pathKey() });
        setSaved(true);
      },
    }),
  );
  if (event.status === "cancelled") return <Card>A cancelled event cannot be edited.</Card>;
  return (
    <div className="mx-auto max-w-3xl">
      {event.status === "draft" && <DraftActions event={event} />}
      <EventForm
        // Remount after a save that added or removed types or questions, so the rows carry
        // their ids (a question sent without its id would be a new one).
        key={`${event.ticketTypes.map((t) => t.id).join()}|${event.questions.map((q) => q.id).join()}`}
        initial={formFromEvent(event)}
        submitLabel="Save changes"
        busy={update.isPending}
        serverError={update.error}
        savedStartsAt={event.startsAt}
        done={saved ? "Saved." : null}
        onChange={() => setSaved(false)}
        onSubmit={(state, result) => {
          setSaved(false);
          update.mutate(toUpdate(event.id, state, result.input));
        }}
      />
    </div>
  );
}
