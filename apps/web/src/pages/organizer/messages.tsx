/**
 * Messages to an event's attendees (`mail.broadcast`): compose a subject and a message for
 * everyone or the holders of some ticket types, see it as attendees will read it with how many it
 * reaches (`mail.broadcastPreview`, following the typing), send it after a confirmation, and
 * follow what was sent below.
 */
import { type BroadcastInput, broadcastInput } from "@boxoffice/api/schemas/mail";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useMemo, useState } from "react";
import {
  Button,
  Card,
  ConfirmDialog,
  ErrorBox,
  Field,
  Notice,
  Spinner,
} from "../../components/ui.tsx";
import { errorData, reasonOf } from "../../lib/errors.ts";
import { type FieldErrors, fieldErrors, serverFieldErrors } from "../../lib/forms.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { useDebounced } from "../../lib/use-debounced.ts";
import { BroadcastLog } from "./broadcast-log.tsx";
import { type ManagedEvent, useManagedEvent } from "./manage.tsx";

interface Draft {
  subject: string;
  body: string;
  audience: "all" | "types";
  ticketTypeIds: string[];
}

const emptyDraft: Draft = { subject: "", body: "", audience: "all", ticketTypeIds: [] };

const people = (n: number) => `${n} ${n === 1 ? "person" : "people"}`;

function inputOf(draft: Draft, eventId: string) {
  return {
    eventId,
    subject: draft.subject,
    body: draft.body,
    to: draft.audience === "all" ? ("all" as const) : draft.ticketTypeIds,
  };
}

/** Errors by field of the form: `to.0` and the like belong to the audience. */
function byField(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(errors)) {
    const key = path.startsWith("to") ? "to" : path;
    out[key] ??= message;
  }
  return out;
}

function Audience({
  event,
  draft,
  set,
  error,
}: {
  event: ManagedEvent;
  draft: Draft;
  set: (d: Partial<Draft>) => void;
  error: string | undefined;
}) {
  const radio = (value: Draft["audience"], label: string) => (
    <label className="flex min-h-11 items-center gap-2">
      <input
        type="radio"
        name="audience"
        className="h-5 w-5"
        checked={draft.audience === value}
        onChange={() => set({ audience: value })}
      />
      {label}
    </label>
  );
  return (
    <fieldset className="flex flex-col gap-1" aria-invalid={Boolean(error)}>
      <legend className="text-sm font-medium text-slate-800">To</legend>
      {radio("all", "All attendees")}
      {radio("types", "Holders of chosen ticket types")}
      {draft.audience === "types" && (
        <div className="ml-7 flex flex-col">
          {event.ticketTypes.map((t) => (
            <label key={t.id} className="flex min-h-11 items-center gap-2">
              <input
                type="checkbox"
                className="h-5 w-5"
                checked={draft.ticketTypeIds.includes(t.id)}
                onChange={(e) =>
                  set({
                    ticketTypeIds: e.target.checked
                      ? [...draft.ticketTypeIds, t.id]
                      : draft.ticketTypeIds.filter((id) => id !== t.id),
                  })
                }
              />
              {t.name}
            </label>
          ))}
        </div>
      )}
      {error && <p className="text-sm font-medium text-red-700">{error}</p>}
    </fieldset>
  );
}

type PreviewQuery = ReturnType<typeof useBroadcastPreview>;

/** The preview of `input` once the typing settles; the previous one stays while the next loads. */
function useBroadcastPreview(input: BroadcastInput | null) {
  const trpc = useTRPC();
  // Debounced by value: the parsed input is a new object on every render.
  const settledJson = useDebounced(input ? JSON.stringify(input) : null);
  const settled = useMemo(
    () => (settledJson ? (JSON.parse(settledJson) as BroadcastInput) : null),
    [settledJson],
  );
  const query = useQuery(
    trpc.mail.broadcastPreview.queryOptions(settled ?? inputOfNothing, {
      enabled: settled !== null,
      placeholderData: keepPreviousData,
      staleTime: 5_000,
    }),
  );
  // Who gets it depends on the audience alone: a count stays known while the text changes.
  const [counts, setCounts] = useState<Record<string, number>>({});
  const settledKey = settled ? JSON.stringify(settled.to) : null;
  const recipients = query.isPlaceholderData ? undefined : query.data?.recipients;
  useEffect(() => {
    if (settledKey === null || recipients === undefined) return;
    setCounts((prev) =>
      prev[settledKey] === recipients ? prev : { ...prev, [settledKey]: recipients },
    );
  }, [settledKey, recipients]);
  const count = input ? counts[JSON.stringify(input.to)] : undefined;
  return { query, count };
}

/** The mail as the first recipient gets it, and how many get it; follows the form as it changes. */
function Preview({
  input,
  preview,
}: {
  input: BroadcastInput | null;
  preview: PreviewQuery["query"];
}) {
  return (
    <section aria-labelledby="message-preview" aria-busy={preview.isFetching}>
      <div className="mb-2 flex items-center justify-between gap-2">
        <h2 id="message-preview" className="text-lg font-semibold">
          Preview
        </h2>
        {preview.isFetching && <Spinner small />}
      </div>
      {input === null ? (
        <p className="text-slate-700">
          Write a subject and a message, and choose who gets it, to see it as attendees will.
        </p>
      ) : preview.isError ? (
        <ErrorBox error={preview.error} title="Could not make the preview" />
      ) : !preview.data ? (
        <p className="text-slate-700">Making the preview…</p>
      ) : (
        <div className="flex flex-col gap-3">
          <p data-testid="preview-count">
            <span className="font-semibold">Goes to {people(preview.data.recipients)}</span>
            {preview.data.unsubscribed > 0 && (
              <span className="text-slate-700">
                {" "}
                · {preview.data.unsubscribed} unsubscribed left out
              </span>
            )}
          </p>
          <div className="rounded-md border border-slate-200 bg-slate-50 p-3">
            <p className="text-sm text-slate-700">Subject</p>
            <p className="mb-3 font-semibold break-words" data-testid="preview-subject">
              {preview.data.subject}
            </p>
            <p className="text-sm text-slate-700">Message (the plain-text version)</p>
            <pre
              className="max-h-96 overflow-auto font-sans text-sm whitespace-pre-wrap wrap-anywhere"
              data-testid="preview-text"
            >
              {preview.data.text}
            </pre>
          </div>
        </div>
      )}
    </section>
  );
}

/** A placeholder input for the disabled preview query (never sent). */
const inputOfNothing: BroadcastInput = { eventId: "", subject: "", body: "", to: "all" };

export function MessagesPage() {
  const event = useManagedEvent();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [confirming, setConfirming] = useState<BroadcastInput | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const set = (d: Partial<Draft>) => setDraft((prev) => ({ ...prev, ...d }));
  const parsed = broadcastInput.safeParse(inputOf(draft, event.id));
  const valid = parsed.success ? parsed.data : null;
  const { query: preview, count } = useBroadcastPreview(valid);
  const send = useMutation(
    trpc.mail.broadcast.mutationOptions({
      onSuccess: ({ broadcast }) => {
        setConfirming(null);
        setDraft(emptyDraft);
        setErrors({});
        setSent(`Sending “${broadcast.subject}” to ${people(broadcast.recipients)}.`);
        queryClient.invalidateQueries({ queryKey: trpc.mail.broadcasts.pathKey() });
      },
      onError: (error) => {
        const issues = errorData(error)?.issues;
        if (reasonOf(error) === "NO_RECIPIENTS") {
          setConfirming(null);
          setErrors({
            to: "Nobody would get it: no attendee holds these tickets (or all unsubscribed).",
          });
        } else if (issues?.length) {
          setConfirming(null);
          setErrors(byField(serverFieldErrors(issues)));
        }
      },
    }),
  );

  function submit(e: FormEvent) {
    e.preventDefault();
    setSent(null);
    if (!parsed.success) {
      const found = byField(fieldErrors(parsed.error));
      // The audience is a union ("all" or a list): zod names only the union, not the empty list.
      if (draft.audience === "types" && draft.ticketTypeIds.length === 0) {
        found.to = "Choose at least one ticket type";
      }
      setErrors(found);
      requestAnimationFrame(() =>
        document.querySelector<HTMLElement>("form [aria-invalid='true']")?.focus(),
      );
      return;
    }
    setErrors({});
    send.reset();
    setConfirming(parsed.data);
  }

  const sendLabel = count === undefined ? "Send…" : `Send to ${people(count)}`;
  return (
    <div className="flex flex-col gap-6">
      {/* minmax(0, 1fr) columns: a long link in the preview wraps instead of widening the page. */}
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <Card>
          <h2 className="mb-1 text-lg font-semibold">Write to attendees</h2>
          <p className="mb-3 text-sm text-slate-700">
            An email to everyone with a confirmed booking, each address once. Attendees can
            unsubscribe from your messages (not from their tickets).
          </p>
          <form onSubmit={submit} noValidate className="flex flex-col gap-3">
            <Field label="Subject" error={errors.subject}>
              {(p) => (
                <input
                  {...p}
                  value={draft.subject}
                  maxLength={200}
                  onChange={(e) => set({ subject: e.target.value })}
                />
              )}
            </Field>
            <Field
              label="Message"
              error={errors.body}
              hint="Plain text: a blank line starts a new paragraph, and web addresses become links."
            >
              {(p) => (
                <textarea
                  {...p}
                  rows={8}
                  value={draft.body}
                  onChange={(e) => set({ body: e.target.value })}
                />
              )}
            </Field>
            <Audience event={event} draft={draft} set={set} error={errors.to} />
            <div className="flex flex-wrap items-center gap-3">
              <Button type="submit" disabled={count === 0}>
                {sendLabel}
              </Button>
              {count === 0 && (
                <span className="text-sm text-slate-700">Nobody would get it yet.</span>
              )}
            </div>
            {sent && <Notice>{sent}</Notice>}
          </form>
        </Card>
        <Card>
          <Preview input={valid} preview={preview} />
        </Card>
      </div>
      <BroadcastLog event={event} />
      <ConfirmDialog
        open={confirming !== null}
        title={
          count === undefined ? "Send this message?" : `Send this message to ${people(count)}?`
        }
        onClose={() => setConfirming(null)}
        error={send.error}
        busy={send.isPending}
        confirmLabel={sendLabel.replace("…", " now")}
        confirmVariant="primary"
        onConfirm={() => confirming && send.mutate(confirming)}
        keepLabel="Keep editing"
      >
        <p className="mb-2 break-words">
          <span className="font-semibold">{confirming?.subject}</span>
        </p>
        <p className="mb-3 text-slate-800">
          It goes out by email at once and cannot be taken back. Attendees who unsubscribed from
          your messages are left out.
        </p>
      </ConfirmDialog>
    </div>
  );
}
