/**
 * The organizer's questions as buyers answer them: one input fit for each kind, with its help
 * text, a required mark and its error wired up for screen readers. Checkout, the order page and
 * the event form's preview all render questions through this one component.
 */
import { type ReactNode, useId } from "react";
import type { FormValue, QuestionView } from "../lib/checkout-form.ts";

const controlClass = (error: string | undefined) =>
  `min-h-11 w-full rounded-md border px-3 py-2 bg-white ${error ? "border-red-600" : "border-slate-400"}`;

/** Choices up to this many show as radio buttons; more as a select. */
const RADIO_MAX = 5;

function RequiredMark({ required }: { required: boolean }) {
  if (!required) return null;
  return (
    <>
      <span aria-hidden="true" className="text-red-700">
        {" "}
        *
      </span>
      <span className="sr-only"> (required)</span>
    </>
  );
}

function Help({
  id,
  text,
  error,
}: {
  id: string;
  text?: string | null | undefined;
  error?: string;
}) {
  return (
    <>
      {text && (
        <p id={`${id}-hint`} className="text-sm text-slate-600">
          {text}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-sm font-medium text-red-700">
          {error}
        </p>
      )}
    </>
  );
}

const describedBy = (id: string, hint: unknown, error: unknown) =>
  [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;

interface FieldProps {
  question: QuestionView;
  value: FormValue | undefined;
  error?: string | undefined;
  onChange: (value: FormValue) => void;
  /** Read-only (a preview without state, or an order no longer editable). */
  disabled?: boolean;
}

/** A group of choices (radio buttons or checkboxes) under the question as its legend. */
function Group({
  id,
  question,
  error,
  children,
}: {
  id: string;
  question: QuestionView;
  error: string | undefined;
  children: ReactNode;
}) {
  return (
    <fieldset
      className="flex min-w-0 flex-col gap-1"
      aria-describedby={describedBy(id, question.helpText, error)}
      data-question={question.id}
    >
      <legend className="mb-1 text-sm font-medium text-slate-800">
        {question.label}
        <RequiredMark required={question.required} />
      </legend>
      {children}
      <Help id={id} text={question.helpText} error={error} />
    </fieldset>
  );
}

export function QuestionField({ question: q, value, error, onChange, disabled }: FieldProps) {
  const id = useId();
  const common = {
    id,
    disabled,
    "aria-invalid": Boolean(error),
    "aria-required": q.required || undefined,
    "aria-describedby": describedBy(id, q.helpText, error),
    className: controlClass(error),
  };
  const text = typeof value === "string" ? value : "";
  const options = q.options ?? [];

  if (q.kind === "checkbox") {
    return (
      <div className="flex flex-col gap-1" data-question={q.id}>
        <label htmlFor={id} className="flex items-start gap-2">
          <input
            id={id}
            type="checkbox"
            disabled={disabled}
            className="mt-1 h-5 w-5 shrink-0"
            checked={value === true}
            aria-invalid={Boolean(error)}
            aria-required={q.required || undefined}
            aria-describedby={describedBy(id, q.helpText, error)}
            onChange={(e) => onChange(e.target.checked)}
          />
          <span>
            {q.label}
            <RequiredMark required={q.required} />
          </span>
        </label>
        <Help id={id} text={q.helpText} error={error} />
      </div>
    );
  }
  if (q.kind === "multichoice") {
    const picked = Array.isArray(value) ? value : [];
    return (
      <Group id={id} question={q} error={error}>
        {options.map((option) => (
          <label key={option} className="flex min-h-8 items-center gap-2">
            <input
              type="checkbox"
              disabled={disabled}
              aria-invalid={Boolean(error)}
              className="h-5 w-5"
              checked={picked.includes(option)}
              onChange={(e) =>
                onChange(
                  e.target.checked
                    ? options.filter((o) => o === option || picked.includes(o))
                    : picked.filter((o) => o !== option),
                )
              }
            />
            {option}
          </label>
        ))}
      </Group>
    );
  }
  if (q.kind === "choice" && options.length <= RADIO_MAX) {
    return (
      <Group id={id} question={q} error={error}>
        {options.map((option) => (
          <label key={option} className="flex min-h-8 items-center gap-2">
            <input
              type="radio"
              name={id}
              disabled={disabled}
              aria-invalid={Boolean(error)}
              className="h-5 w-5"
              checked={text === option}
              onChange={() => onChange(option)}
            />
            {option}
          </label>
        ))}
      </Group>
    );
  }

  let control: ReactNode;
  if (q.kind === "choice") {
    control = (
      <select {...common} value={text} onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose…</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  } else if (q.kind === "longtext") {
    control = (
      <textarea {...common} rows={3} value={text} onChange={(e) => onChange(e.target.value)} />
    );
  } else {
    const input = {
      text: { type: "text" },
      number: { type: "text", inputMode: "decimal" as const },
      email: { type: "email", autoComplete: "off" },
      phone: { type: "tel", autoComplete: "off" },
      date: { type: "date" },
    }[q.kind];
    control = (
      <input {...common} {...input} value={text} onChange={(e) => onChange(e.target.value)} />
    );
  }
  return (
    <div className="flex flex-col gap-1" data-question={q.id}>
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {q.label}
        <RequiredMark required={q.required} />
      </label>
      {control}
      <Help id={id} text={q.helpText} error={error} />
    </div>
  );
}

/** Several questions, their values and errors under `keyOf(question)`. */
export function QuestionFields({
  questions,
  values,
  errors,
  keyOf,
  onChange,
  disabled,
}: {
  questions: readonly QuestionView[];
  values: Record<string, FormValue>;
  errors: Record<string, string>;
  keyOf: (q: QuestionView) => string;
  onChange: (key: string, value: FormValue) => void;
  disabled?: boolean;
}) {
  return (
    <div className="flex flex-col gap-4">
      {questions.map((q) => {
        const key = keyOf(q);
        return (
          <QuestionField
            key={q.id}
            question={q}
            value={values[key]}
            error={errors[key]}
            disabled={disabled}
            onChange={(value) => onChange(key, value)}
          />
        );
      })}
    </div>
  );
}

/** "* required", shown once above a form with required marks. */
export function RequiredNote() {
  return (
    <p className="text-sm text-slate-600">
      <span aria-hidden="true" className="text-red-700">
        *
      </span>{" "}
      marks what is required.
    </p>
  );
}
