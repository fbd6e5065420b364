/**
 * Names on tickets and answers to the organizer's questions, as checkout asks them and the
 * order page edits them: one group per ticket ("Ticket 1 · General") with its attendee and its
 * per-ticket questions, then the questions asked once per order.
 */
import { useId } from "react";
import { QuestionFields, RequiredNote } from "../components/question-fields.tsx";
import {
  answerKey,
  type CheckoutFormState,
  type FormValue,
  orderQuestions,
  type Personalization,
  type QuestionView,
  type TicketSlot,
  ticketQuestions,
} from "../lib/checkout-form.ts";
import type { FieldErrors } from "../lib/forms.ts";

function AttendeeInput({
  label,
  ticket,
  type,
  value,
  error,
  autoComplete,
  onChange,
}: {
  label: string;
  ticket: number;
  type: "text" | "email";
  value: string;
  error: string | undefined;
  autoComplete: string;
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
        <span className="sr-only"> on ticket {ticket}</span>
        <span aria-hidden="true" className="text-red-700">
          {" "}
          *
        </span>
        <span className="sr-only"> (required)</span>
      </label>
      <input
        id={id}
        type={type}
        value={value}
        autoComplete={autoComplete}
        aria-invalid={Boolean(error)}
        aria-required
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
        className={`min-h-11 rounded-md border bg-white px-3 py-2 ${error ? "border-red-600" : "border-slate-400"}`}
      />
      {error && (
        <p id={`${id}-error`} className="text-sm font-medium text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/** Whether checkout has anything to ask besides the payment. */
export function asksDetails(
  questions: readonly QuestionView[],
  slots: readonly TicketSlot[],
  personalized: Personalization,
): boolean {
  return (
    personalized !== "off" ||
    orderQuestions(questions, slots).length > 0 ||
    slots.some((s) => ticketQuestions(questions, s).length > 0)
  );
}

export function CheckoutDetails({
  questions,
  slots,
  personalized,
  state,
  errors,
  onChange,
}: {
  questions: readonly QuestionView[];
  slots: readonly TicketSlot[];
  personalized: Personalization;
  state: CheckoutFormState;
  errors: FieldErrors;
  onChange: (next: CheckoutFormState) => void;
}) {
  const setAnswer = (key: string, value: FormValue) =>
    onChange({ ...state, answers: { ...state.answers, [key]: value } });
  const setAttendee = (i: number, patch: Partial<{ name: string; email: string }>) =>
    onChange({
      ...state,
      attendees: slots.map((_, j) => {
        const row = state.attendees[j] ?? { name: "", email: "" };
        return j === i ? { ...row, ...patch } : row;
      }),
    });
  const perOrder = orderQuestions(questions, slots);
  const tickets = slots.filter(
    (s) => personalized !== "off" || ticketQuestions(questions, s).length > 0,
  );
  if (tickets.length === 0 && perOrder.length === 0) return null;
  return (
    <div className="flex flex-col gap-4">
      <RequiredNote />
      {tickets.map((slot) => {
        const row = state.attendees[slot.index] ?? { name: "", email: "" };
        const n = slot.index + 1;
        return (
          <fieldset
            key={slot.index}
            className="flex min-w-0 flex-col gap-3 rounded-md border border-slate-200 p-3"
            data-ticket={slot.index}
          >
            <legend className="px-1 font-semibold">{slot.label}</legend>
            {personalized !== "off" && (
              <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
                <AttendeeInput
                  label="Name"
                  ticket={n}
                  type="text"
                  autoComplete={slot.index === 0 ? "name" : "off"}
                  value={row.name}
                  error={errors[`attendees.${slot.index}.name`]}
                  onChange={(name) => setAttendee(slot.index, { name })}
                />
                {personalized === "nameAndEmail" && (
                  <AttendeeInput
                    label="Email"
                    ticket={n}
                    type="email"
                    autoComplete={slot.index === 0 ? "email" : "off"}
                    value={row.email}
                    error={errors[`attendees.${slot.index}.email`]}
                    onChange={(email) => setAttendee(slot.index, { email })}
                  />
                )}
              </div>
            )}
            <QuestionFields
              questions={ticketQuestions(questions, slot)}
              values={state.answers}
              errors={errors}
              keyOf={(q) => answerKey(q.id, slot.index)}
              onChange={setAnswer}
            />
          </fieldset>
        );
      })}
      {perOrder.length > 0 && (
        <fieldset className="flex min-w-0 flex-col gap-3 rounded-md border border-slate-200 p-3">
          <legend className="px-1 font-semibold">About your order</legend>
          <QuestionFields
            questions={perOrder}
            values={state.answers}
            errors={errors}
            keyOf={(q) => answerKey(q.id)}
            onChange={setAnswer}
          />
        </fieldset>
      )}
    </div>
  );
}
