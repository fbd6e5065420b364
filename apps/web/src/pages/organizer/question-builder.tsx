/**
 * The event form's checkout part: guest checkout, names on tickets, the edit cutoff, and the
 * question builder (add, edit, reorder with buttons, remove) beside a live preview drawn by the
 * same component checkout uses, so the organizer sees exactly what buyers will.
 */
import { MAX_QUESTIONS } from "@boxoffice/api/schemas/checkout";
import { useState } from "react";
import { Button, Field } from "../../components/ui.tsx";
import type { CheckoutFormState, TicketSlot } from "../../lib/checkout-form.ts";
import type { FieldErrors } from "../../lib/forms.ts";
import { CheckoutDetails } from "../checkout-details.tsx";
import { Section, type SetField } from "./event-form-parts.tsx";
import type { EventFormState } from "./event-form-state.ts";
import {
  choosing,
  KIND_NAMES,
  previewQuestions,
  type QuestionRow,
  questionMoves,
} from "./question-form-state.ts";

export function CheckoutSettings({
  s,
  errors,
  set,
}: {
  s: EventFormState;
  errors: FieldErrors;
  set: SetField;
}) {
  return (
    <Section title="Checkout">
      <label className="flex items-start gap-2 sm:col-span-2">
        <input
          type="checkbox"
          className="mt-1 h-5 w-5"
          checked={s.guestCheckout}
          onChange={(e) => set("guestCheckout", e.target.checked)}
        />
        <span>
          Guest checkout: buyers may buy without an account
          <span className="block text-sm text-slate-600">
            They give an email and a name; the order is managed from a link mailed to them.
          </span>
        </span>
      </label>
      <Field label="Names on tickets" error={errors.personalizedTickets}>
        {(p) => (
          <select
            {...p}
            value={s.personalizedTickets}
            onChange={(e) =>
              set("personalizedTickets", e.target.value as EventFormState["personalizedTickets"])
            }
          >
            <option value="off">Off: tickets carry no name</option>
            <option value="name">A name on each ticket</option>
            <option value="nameAndEmail">A name and an email on each ticket</option>
          </select>
        )}
      </Field>
      <Field
        label="Attendees may edit until (hours before the start)"
        error={errors.editCutoffHours}
        hint="Names and answers can be changed from the order page until then; 0: until the start."
      >
        {(p) => (
          <input
            {...p}
            inputMode="numeric"
            name="editCutoffHours"
            value={s.editCutoffHours}
            onChange={(e) => set("editCutoffHours", e.target.value)}
          />
        )}
      </Field>
    </Section>
  );
}

function OptionsEditor({
  q,
  n,
  error,
  change,
  addOption,
}: {
  q: QuestionRow;
  n: number;
  error: string | undefined;
  change: (patch: Partial<QuestionRow>) => void;
  addOption: () => void;
}) {
  const setOption = (k: number, text: string) =>
    change({ options: q.options.map((o, j) => (j === k ? text : o)) });
  return (
    <fieldset className="min-w-0 sm:col-span-2 lg:col-span-1">
      <legend className="mb-1 text-sm font-medium text-slate-800">Options</legend>
      <ul className="flex flex-col gap-2">
        {q.options.map((option, k) => (
          <li key={k} className="flex gap-2">
            <label className="sr-only" htmlFor={`${q.key}-option-${k}`}>
              Question {n} option {k + 1}
            </label>
            <input
              id={`${q.key}-option-${k}`}
              aria-invalid={Boolean(error)}
              value={option}
              placeholder={`Option ${k + 1}`}
              onChange={(e) => setOption(k, e.target.value)}
              className="min-h-11 min-w-0 flex-1 rounded-md border border-slate-400 bg-white px-3"
            />
            <Button
              variant="secondary"
              onClick={() => change({ options: q.options.filter((_, j) => j !== k) })}
            >
              Remove<span className="sr-only"> option {k + 1}</span>
            </Button>
          </li>
        ))}
      </ul>
      {error && <p className="mt-1 text-sm font-medium text-red-700">{error}</p>}
      <Button variant="secondary" className="mt-2" onClick={addOption}>
        Add option<span className="sr-only"> to question {n}</span>
      </Button>
    </fieldset>
  );
}

function QuestionEditor({
  q,
  i,
  count,
  s,
  errors,
  rows,
  setRows,
}: {
  q: QuestionRow;
  i: number;
  count: number;
  s: EventFormState;
  errors: FieldErrors;
  rows: QuestionRow[];
  setRows: (rows: QuestionRow[]) => void;
}) {
  const n = i + 1;
  const change = (patch: Partial<QuestionRow>) => setRows(questionMoves.change(rows, i, patch));
  const err = (field: string) => errors[`questions.${i}.${field}`];
  const types = s.ticketTypes.filter((t): t is typeof t & { id: string } => Boolean(t.id));
  return (
    <li className="rounded-md border border-slate-200 p-3" data-question-row={i}>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-semibold">Question {n}</h3>
        <div className="flex flex-wrap gap-2">
          <Button
            variant="secondary"
            disabled={i === 0}
            onClick={() => setRows(questionMoves.move(rows, i, -1))}
          >
            Move up<span className="sr-only"> question {n}</span>
          </Button>
          <Button
            variant="secondary"
            disabled={i === count - 1}
            onClick={() => setRows(questionMoves.move(rows, i, 1))}
          >
            Move down<span className="sr-only"> question {n}</span>
          </Button>
          <Button variant="secondary" onClick={() => setRows(questionMoves.remove(rows, i))}>
            Remove<span className="sr-only"> question {n}</span>
          </Button>
        </div>
      </div>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-1">
        <Field label={`Question ${n}`} error={err("label")}>
          {(p) => (
            <input {...p} value={q.label} onChange={(e) => change({ label: e.target.value })} />
          )}
        </Field>
        <Field label={`Question ${n} kind`} error={err("kind")}>
          {(p) => (
            <select
              {...p}
              value={q.kind}
              onChange={(e) => change({ kind: e.target.value as QuestionRow["kind"] })}
            >
              {Object.entries(KIND_NAMES).map(([kind, name]) => (
                <option key={kind} value={kind}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {choosing(q.kind) && (
          <OptionsEditor
            q={q}
            n={n}
            error={err("options")}
            change={change}
            addOption={() => setRows(questionMoves.addOption(rows, i))}
          />
        )}
        <Field label={`Question ${n} asked`} error={err("per")}>
          {(p) => (
            <select
              {...p}
              value={q.per}
              onChange={(e) => change({ per: e.target.value as QuestionRow["per"] })}
            >
              <option value="order">Once per order</option>
              <option value="ticket">For each ticket</option>
            </select>
          )}
        </Field>
        <label className="flex items-center gap-2 sm:mt-6 lg:mt-0">
          <input
            type="checkbox"
            className="h-5 w-5"
            checked={q.required}
            onChange={(e) => change({ required: e.target.checked })}
          />
          Required<span className="sr-only"> (question {n})</span>
        </label>
        <div className="sm:col-span-2 lg:col-span-1">
          <Field
            label={`Question ${n} help text (optional)`}
            error={err("helpText")}
            hint="Shown under the question"
          >
            {(p) => (
              <input
                {...p}
                value={q.helpText}
                onChange={(e) => change({ helpText: e.target.value })}
              />
            )}
          </Field>
        </div>
        {types.length > 1 && (
          <fieldset className="min-w-0 sm:col-span-2 lg:col-span-1">
            <legend className="mb-1 text-sm font-medium text-slate-800">
              Only for these ticket types (none ticked: all)
            </legend>
            <div className="flex flex-wrap gap-x-4 gap-y-1">
              {types.map((t) => (
                <label key={t.id} className="flex min-h-8 items-center gap-2">
                  <input
                    type="checkbox"
                    className="h-5 w-5"
                    checked={q.ticketTypeIds.includes(t.id)}
                    onChange={(e) =>
                      change({
                        ticketTypeIds: e.target.checked
                          ? [...q.ticketTypeIds, t.id]
                          : q.ticketTypeIds.filter((id) => id !== t.id),
                      })
                    }
                  />
                  {t.name || "Unnamed type"}
                  <span className="sr-only"> (question {n})</span>
                </label>
              ))}
            </div>
          </fieldset>
        )}
      </div>
    </li>
  );
}

/** What a buyer of one ticket of the chosen type sees at checkout, live. */
function Preview({ s }: { s: EventFormState }) {
  // New types have no id yet: they show by name, and no question can be limited to them.
  const types = s.ticketTypes.map((t, i) => ({
    key: t.id ?? `new-${i}`,
    id: t.id ?? "",
    name: t.name,
  }));
  const [typeKey, setTypeKey] = useState(types[0]?.key ?? "");
  const [state, setState] = useState<CheckoutFormState>({ attendees: [], answers: {} });
  const type = types.find((t) => t.key === typeKey) ?? types[0];
  const slots: TicketSlot[] = [
    { index: 0, ticketTypeId: type?.id ?? "", label: `Ticket 1 · ${type?.name || "Ticket"}` },
  ];
  const questions = previewQuestions(s.questions);
  const empty = s.personalizedTickets === "off" && questions.length === 0;
  return (
    <section
      aria-label="Preview of checkout"
      className="min-w-0 rounded-md border border-dashed border-indigo-300 bg-indigo-50/30 p-3 lg:sticky lg:top-4 lg:max-h-[calc(100vh-2rem)] lg:self-start lg:overflow-y-auto"
    >
      <h3 className="mb-1 font-semibold">Preview: what a buyer sees at checkout</h3>
      {types.length > 1 && (
        <label className="mb-2 flex flex-wrap items-center gap-2 text-sm">
          As a buyer of
          <select
            value={type?.key ?? ""}
            onChange={(e) => setTypeKey(e.target.value)}
            className="min-h-11 rounded-md border border-slate-400 bg-white px-2"
          >
            {types.map((t) => (
              <option key={t.key} value={t.key}>
                {t.name || "Unnamed type"}
              </option>
            ))}
          </select>
        </label>
      )}
      {empty ? (
        <p className="text-sm text-slate-700">Nothing to ask: buyers go straight to payment.</p>
      ) : (
        <CheckoutDetails
          questions={questions}
          slots={slots}
          personalized={s.personalizedTickets}
          state={state}
          errors={{}}
          onChange={setState}
        />
      )}
    </section>
  );
}

export function QuestionBuilder({
  s,
  errors,
  set,
}: {
  s: EventFormState;
  errors: FieldErrors;
  set: SetField;
}) {
  const rows = s.questions;
  const setRows = (next: QuestionRow[]) => set("questions", next);
  return (
    <fieldset className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
      <legend className="px-1 text-lg font-semibold">Questions at checkout</legend>
      <p className="mb-3 text-sm text-slate-700">
        Ask buyers what you need to know (diet, shirt size, company, consent), once per order or for
        each ticket. Answers show in the attendee list, the CSV and analytics.
        {s.ticketTypes.some((t) => !t.id) && " Save new ticket types to limit questions to them."}
      </p>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <div className="min-w-0">
          {rows.length === 0 ? (
            <p className="mb-3 text-slate-700">No questions: checkout asks only for payment.</p>
          ) : (
            <ol className="mb-3 flex flex-col gap-3">
              {rows.map((q, i) => (
                <QuestionEditor
                  key={q.key}
                  q={q}
                  i={i}
                  count={rows.length}
                  s={s}
                  errors={errors}
                  rows={rows}
                  setRows={setRows}
                />
              ))}
            </ol>
          )}
          <Button
            variant="secondary"
            disabled={rows.length >= MAX_QUESTIONS}
            onClick={() => setRows(questionMoves.add(rows))}
          >
            Add question
          </Button>
        </div>
        <Preview s={s} />
      </div>
    </fieldset>
  );
}
