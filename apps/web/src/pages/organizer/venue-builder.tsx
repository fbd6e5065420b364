/**
 * The venue builder: sections with a price, rows front to back, an "add N rows of M seats"
 * shortcut, the server's own zod schema validating inline (live after the first try), and a
 * preview of the layout as it grows. Creates a venue, or edits one no event uses yet.
 */
import { type FormEvent, type ReactNode, useState } from "react";
import { Button, Card, ErrorBox, Field } from "../../components/ui.tsx";
import { errorData } from "../../lib/errors.ts";
import { serverFieldErrors } from "../../lib/forms.ts";
import {
  type CreateVenueInput,
  emptySection,
  newKey,
  nextRowLabels,
  type SectionDraft,
  sectionSeats,
  type VenueDraft,
  validateVenue,
  venueSeats,
} from "./venue-form-state.ts";

const MAX_ROWS = 500;
const MAX_SEATS_PER_ROW = 500;

export interface PreviewSection {
  name: string;
  priceCents?: number | undefined;
  rows: { label: string; seats: number }[];
}

/**
 * The layout drawn as dots: one element per row whatever its size (a repeating gradient draws
 * the seats), so even 100,000 seats preview instantly.
 */
export function VenuePreview({
  sections,
  compact = false,
}: {
  sections: PreviewSection[];
  compact?: boolean;
}) {
  const dot = compact ? 4 : 6;
  const total = sections.reduce((n, s) => n + s.rows.reduce((m, r) => m + r.seats, 0), 0);
  const summary = sections
    .map(
      (s) =>
        `${s.name || "Unnamed section"}: ${s.rows.length} rows, ${s.rows.reduce((m, r) => m + r.seats, 0)} seats`,
    )
    .join("; ");
  return (
    <figure className="mt-3" data-testid={compact ? undefined : "venue-preview"}>
      <div
        role="img"
        aria-label={`Layout preview, ${total} seats. ${summary}`}
        className={`${compact ? "max-h-40" : "max-h-[60vh]"} overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3`}
      >
        <div className="w-max min-w-full">
          <div className="mx-auto mb-3 h-2 w-1/2 rounded-b-full bg-slate-300" />
          {sections.map((s, i) => (
            <div key={`${i}-${s.name}`} className="mb-3">
              {!compact && (
                <p className="mb-1 text-center text-xs font-semibold text-slate-700">
                  {s.name || `Section ${i + 1}`}
                  {s.priceCents !== undefined && Number.isFinite(s.priceCents)
                    ? ` · ${s.priceCents === 0 ? "free" : (s.priceCents / 100).toFixed(2)}`
                    : ""}
                </p>
              )}
              {s.rows.map((r, j) => (
                <div key={`${j}-${r.label}`} className="flex items-center justify-center gap-1">
                  {!compact && (
                    <span className="w-6 text-right text-[10px] text-slate-500">{r.label}</span>
                  )}
                  <div
                    style={{
                      width: Math.max(0, r.seats) * dot,
                      height: dot,
                      marginBlock: 1,
                      backgroundImage: `radial-gradient(circle at ${dot / 2}px ${dot / 2}px, var(--color-indigo-600) ${dot / 2 - 1}px, transparent ${dot / 2}px)`,
                      backgroundSize: `${dot}px ${dot}px`,
                    }}
                  />
                  {!compact && <span className="w-6 text-[10px] text-slate-500">{r.label}</span>}
                </div>
              ))}
            </div>
          ))}
        </div>
      </div>
      {!compact && (
        <figcaption className="mt-1 text-sm text-slate-700">
          {total.toLocaleString()} seats in {sections.length} section
          {sections.length === 1 ? "" : "s"}
        </figcaption>
      )}
    </figure>
  );
}

function SmallInput({
  label,
  value,
  error,
  onChange,
  className = "",
  numeric = false,
}: {
  label: string;
  value: string;
  error?: string | undefined;
  onChange: (value: string) => void;
  className?: string;
  numeric?: boolean;
}) {
  return (
    <label className={`flex flex-col ${className}`}>
      <span className="sr-only">{label}</span>
      <input
        value={value}
        inputMode={numeric ? "numeric" : undefined}
        aria-invalid={Boolean(error)}
        onChange={(e) => onChange(e.target.value)}
        className={`min-h-11 w-full rounded-md border bg-white px-2 ${error ? "border-red-600" : "border-slate-400"}`}
      />
      {error && <span className="text-xs font-medium text-red-700">{error}</span>}
    </label>
  );
}

interface SectionEditorProps {
  index: number;
  section: SectionDraft;
  errors: Record<string, string>;
  canRemove: boolean;
  onChange: (section: SectionDraft) => void;
  onRemove: () => void;
}

function SectionEditor({
  index,
  section,
  errors,
  canRemove,
  onChange,
  onRemove,
}: SectionEditorProps) {
  const n = index + 1;
  const [addRows, setAddRows] = useState("5");
  const [addSeats, setAddSeats] = useState("20");
  const [shortcutError, setShortcutError] = useState<string | null>(null);
  const err = (path: string) => errors[`sections.${index}.${path}`];
  const setRow = (i: number, patch: Partial<SectionDraft["rows"][number]>) =>
    onChange({ ...section, rows: section.rows.map((r, j) => (j === i ? { ...r, ...patch } : r)) });

  function addMany() {
    const count = Number(addRows);
    const seats = Number(addSeats);
    const room = MAX_ROWS - section.rows.length;
    if (!Number.isInteger(count) || count < 1 || count > room) {
      setShortcutError(`Add between 1 and ${room} rows.`);
      return;
    }
    if (!Number.isInteger(seats) || seats < 1 || seats > MAX_SEATS_PER_ROW) {
      setShortcutError(`A row has between 1 and ${MAX_SEATS_PER_ROW} seats.`);
      return;
    }
    setShortcutError(null);
    const labels = nextRowLabels(
      section.rows.map((r) => r.label),
      count,
    );
    onChange({
      ...section,
      rows: [
        ...section.rows,
        ...labels.map((label) => ({ key: newKey(), label, seats: String(seats) })),
      ],
    });
  }

  return (
    <fieldset className="rounded-lg border border-slate-200 bg-white p-4">
      <legend className="px-1 text-lg font-semibold">
        Section {n}
        {section.name ? `: ${section.name}` : ""}
      </legend>
      <div className="mb-3 grid gap-3 sm:grid-cols-2">
        <Field label={`Section ${n} name`} error={err("name")}>
          {(p) => (
            <input
              {...p}
              value={section.name}
              onChange={(e) => onChange({ ...section, name: e.target.value })}
            />
          )}
        </Field>
        <Field
          label={`Section ${n} price`}
          error={err("priceCents")}
          hint="Per seat, in the event's currency; 0 is free"
        >
          {(p) => (
            <input
              {...p}
              inputMode="decimal"
              value={section.price}
              onChange={(e) => onChange({ ...section, price: e.target.value })}
            />
          )}
        </Field>
      </div>
      <p className="mb-1 text-sm font-medium text-slate-800">
        Rows, front to back ({sectionSeats(section).toLocaleString()} seats)
      </p>
      {err("rows") && <p className="mb-1 text-sm font-medium text-red-700">{err("rows")}</p>}
      <p
        aria-hidden="true"
        className="grid grid-cols-[4rem_1fr_1fr_2.75rem] gap-2 text-xs font-medium text-slate-600"
      >
        <span />
        <span>Label</span>
        <span>Seats</span>
      </p>
      <ol
        className="mb-3 flex max-h-96 flex-col gap-2 overflow-y-auto"
        aria-label={`Rows of section ${n}`}
      >
        {section.rows.map((row, i) => (
          <li key={row.key} className="grid grid-cols-[4rem_1fr_1fr_auto] items-start gap-2">
            <span className="pt-3 text-sm text-slate-600" aria-hidden="true">
              Row {i + 1}
            </span>
            <SmallInput
              label={`Section ${n} row ${i + 1} label`}
              value={row.label}
              error={err(`rows.${i}.label`)}
              onChange={(label) => setRow(i, { label })}
            />
            <SmallInput
              label={`Section ${n} row ${i + 1} seats`}
              numeric
              value={row.seats}
              error={err(`rows.${i}.seats`)}
              onChange={(seats) => setRow(i, { seats })}
            />
            <Button
              variant="secondary"
              className="px-3"
              disabled={section.rows.length === 1}
              onClick={() => onChange({ ...section, rows: section.rows.filter((_, j) => j !== i) })}
            >
              <span aria-hidden="true">×</span>
              <span className="sr-only">
                Remove section {n} row {i + 1}
              </span>
            </Button>
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap items-end gap-2">
        <Button
          variant="secondary"
          onClick={() =>
            onChange({
              ...section,
              rows: [
                ...section.rows,
                {
                  key: newKey(),
                  label:
                    nextRowLabels(
                      section.rows.map((r) => r.label),
                      1,
                    )[0] ?? "",
                  seats: section.rows[section.rows.length - 1]?.seats ?? "10",
                },
              ],
            })
          }
        >
          Add row<span className="sr-only"> to section {n}</span>
        </Button>
        <div className="flex flex-wrap items-center gap-2 rounded-md border border-dashed border-slate-300 p-2">
          <span>Add</span>
          <SmallInput
            label={`Rows to add to section ${n}`}
            numeric
            className="w-16"
            value={addRows}
            onChange={setAddRows}
          />
          <span>rows of</span>
          <SmallInput
            label={`Seats per added row in section ${n}`}
            numeric
            className="w-16"
            value={addSeats}
            onChange={setAddSeats}
          />
          <span>seats</span>
          <Button variant="secondary" onClick={addMany}>
            Add rows<span className="sr-only"> to section {n}</span>
          </Button>
        </div>
        <Button variant="secondary" className="ml-auto" disabled={!canRemove} onClick={onRemove}>
          Remove section {n}
        </Button>
      </div>
      {shortcutError && (
        <p className="mt-1 text-sm font-medium text-red-700" role="alert">
          {shortcutError}
        </p>
      )}
    </fieldset>
  );
}

/** What the builder draws: the draft with only sensible numbers, so the preview never breaks. */
function previewOf(draft: VenueDraft): PreviewSection[] {
  return draft.sections.map((s) => {
    const price = Number(s.price);
    return {
      name: s.name,
      priceCents:
        s.price.trim() !== "" && Number.isFinite(price) ? Math.round(price * 100) : undefined,
      rows: s.rows.map((r) => {
        const seats = Number(r.seats);
        return {
          label: r.label,
          seats: Number.isInteger(seats) ? Math.min(Math.max(seats, 0), MAX_SEATS_PER_ROW) : 0,
        };
      }),
    };
  });
}

export function VenueBuilder({
  initial,
  busy,
  error,
  onSave,
  children,
}: {
  initial: VenueDraft;
  busy: boolean;
  /** The server's refusal, if any: its fields show inline. */
  error: unknown;
  onSave: (input: CreateVenueInput) => void;
  /** Shown beside the save button (a cancel link, say). */
  children?: ReactNode;
}) {
  const [draft, setDraft] = useState<VenueDraft>(initial);
  const [tried, setTried] = useState(false);
  const check = validateVenue(draft);
  const errors = {
    ...serverFieldErrors(errorData(error)?.issues),
    ...(tried && !check.ok ? check.errors : {}),
  };
  const setSection = (i: number, section: SectionDraft) =>
    setDraft((d) => ({ ...d, sections: d.sections.map((s, j) => (j === i ? section : s)) }));

  function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    if (!check.ok) {
      requestAnimationFrame(() =>
        document.querySelector<HTMLElement>("[aria-invalid='true']")?.focus(),
      );
      return;
    }
    onSave(check.input);
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-6 lg:grid-cols-[3fr_2fr]">
      <div className="flex min-w-0 flex-col gap-4">
        <Card>
          <Field label="Venue name" error={errors.name}>
            {(p) => (
              <input
                {...p}
                value={draft.name}
                onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))}
              />
            )}
          </Field>
        </Card>
        {errors.sections && <p className="text-sm font-medium text-red-700">{errors.sections}</p>}
        {draft.sections.map((section, i) => (
          <SectionEditor
            key={section.key}
            index={i}
            section={section}
            errors={errors}
            canRemove={draft.sections.length > 1}
            onChange={(s) => setSection(i, s)}
            onRemove={() =>
              setDraft((d) => ({ ...d, sections: d.sections.filter((_, j) => j !== i) }))
            }
          />
        ))}
        <div>
          <Button
            variant="secondary"
            onClick={() =>
              setDraft((d) => ({
                ...d,
                sections: [...d.sections, emptySection(d.sections.length)],
              }))
            }
          >
            Add section
          </Button>
        </div>
        {tried && !check.ok && (
          <ErrorBox error="Some fields need attention: see the messages next to them." />
        )}
        <ErrorBox error={error} />
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" busy={busy}>
            Save venue
          </Button>
          {children}
        </div>
      </div>
      <aside className="min-w-0 lg:sticky lg:top-4 lg:self-start">
        <Card>
          <h2 className="font-semibold">Preview</h2>
          <p className="text-sm text-slate-600">Stage at the top; rows front to back.</p>
          <VenuePreview sections={previewOf(draft)} />
          {venueSeats(draft) > 100_000 && (
            <p className="mt-1 text-sm font-medium text-red-700">At most 100,000 seats.</p>
          )}
        </Card>
      </aside>
    </form>
  );
}
