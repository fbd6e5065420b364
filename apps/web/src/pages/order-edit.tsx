/**
 * An order's names and answers on the order page: read, and edited until the event's edit
 * cutoff (`editableUntil`, said in the event's zone) with the same fields and checks as checkout.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { Button, Card, ErrorBox } from "../components/ui.tsx";
import {
  answerKey,
  type CheckoutFormState,
  type Personalization,
  type QuestionView,
  readCheckoutForm,
  type TicketSlot,
  toFormValue,
} from "../lib/checkout-form.ts";
import { errorData } from "../lib/errors.ts";
import { dateTime } from "../lib/format.ts";
import { type FieldErrors, serverFieldErrors } from "../lib/forms.ts";
import { type RouterOutputs, useTRPC } from "../lib/trpc.ts";
import { asksDetails, CheckoutDetails } from "./checkout-details.tsx";

type Order = RouterOutputs["orders"]["get"];
type Answer = Order["booking"]["answers"][number];

/** An answer in words: "Yes", "Vegan, Gluten-free", "2030-06-01". */
export function answerText(value: Answer["value"]): string {
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (Array.isArray(value)) return value.length > 0 ? value.join(", ") : "—";
  return String(value);
}

/** The answers of one ticket (or, with `ticketIndex` null, of the order), under their labels. */
export function AnswerList({
  answers,
  ticketIndex,
}: {
  answers: readonly Answer[];
  ticketIndex: number | null;
}) {
  const mine = answers.filter((a) => (a.ticketIndex ?? null) === ticketIndex);
  if (mine.length === 0) return null;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
      {mine.map((a) => (
        <div key={`${a.questionId}-${a.ticketIndex}`} className="contents">
          <dt className="text-slate-600">{a.label}</dt>
          <dd className="break-words text-slate-900">{answerText(a.value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function formFromOrder(order: Order, questions: readonly QuestionView[]): CheckoutFormState {
  const current = new Set(questions.map((q) => q.id));
  const answers: CheckoutFormState["answers"] = {};
  for (const a of order.booking.answers) {
    if (current.has(a.questionId)) {
      answers[answerKey(a.questionId, a.ticketIndex ?? undefined)] = toFormValue(a.value);
    }
  }
  return {
    attendees: order.booking.tickets.map((t) => ({
      name: t.attendee?.name ?? "",
      email: t.attendee?.email ?? "",
    })),
    answers,
  };
}

export function EditOrder({
  token,
  order,
  slots,
}: {
  token: string;
  order: Order;
  slots: TicketSlot[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const questions = order.event.questions as readonly QuestionView[];
  const personalized = order.event.personalizedTickets as Personalization;
  const [editing, setEditing] = useState<CheckoutFormState | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  const doneRef = useRef<HTMLParagraphElement>(null);
  const update = useMutation(
    trpc.orders.update.mutationOptions({
      onSuccess: (next) => {
        // orders.update answers the order without what orders.get adds (walletPasses): kept.
        queryClient.setQueryData(trpc.orders.get.queryKey({ orderToken: token }), (prev) =>
          prev ? { ...prev, ...next } : prev,
        );
        setEditing(null);
        setSaved(true);
        requestAnimationFrame(() => doneRef.current?.focus());
      },
    }),
  );
  const orderAnswers = order.booking.answers.filter((a) => a.ticketIndex === null);
  const asks = asksDetails(questions, slots, personalized);
  if (!asks && orderAnswers.length === 0) return null;
  const until = dateTime(order.editableUntil, order.event.timezone);
  const fromServer = serverFieldErrors(errorData(update.error)?.issues);
  const shown = { ...fromServer, ...errors };

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!editing) return;
    const read = readCheckoutForm(editing, questions, slots, personalized);
    if (!read.ok) {
      setErrors(read.errors);
      requestAnimationFrame(() =>
        document.querySelector<HTMLElement>("form [aria-invalid='true']")?.focus(),
      );
      return;
    }
    setErrors({});
    update.mutate({
      orderToken: token,
      ...(read.attendees ? { attendees: read.attendees } : {}),
      answers: read.answers,
    });
  }

  return (
    <Card>
      <h2 className="mb-2 text-lg font-semibold">
        {personalized !== "off" ? "Names and answers" : "Your answers"}
      </h2>
      {order.editable ? (
        <p className="mb-3 text-slate-800">
          You can change {personalized !== "off" ? "names and answers" : "your answers"} until{" "}
          <strong>{until}</strong>.
        </p>
      ) : (
        <p className="mb-3 text-slate-800">
          {Date.parse(order.editableUntil) <= Date.now()
            ? `Changes closed on ${until}.`
            : "This order can no longer be changed."}
        </p>
      )}
      <p
        ref={doneRef}
        tabIndex={-1}
        role="status"
        className="mb-2 font-medium text-green-800 outline-none empty:hidden"
      >
        {saved ? "Saved." : ""}
      </p>
      {editing ? (
        <form onSubmit={submit} noValidate className="flex flex-col gap-4">
          <CheckoutDetails
            questions={questions}
            slots={slots}
            personalized={personalized}
            state={editing}
            errors={shown}
            onChange={(next) => {
              setEditing(next);
              if (Object.keys(errors).length > 0) {
                const read = readCheckoutForm(next, questions, slots, personalized);
                setErrors(read.ok ? {} : read.errors);
              }
            }}
          />
          {Object.keys(shown).length > 0 ? (
            <ErrorBox error="Some answers need attention: see the messages next to them." />
          ) : (
            <ErrorBox error={update.error} title="Not saved" />
          )}
          <div className="flex flex-wrap gap-2">
            <Button type="submit" busy={update.isPending}>
              Save changes
            </Button>
            <Button
              variant="secondary"
              onClick={() => {
                setEditing(null);
                setErrors({});
                update.reset();
              }}
            >
              Discard changes
            </Button>
          </div>
        </form>
      ) : (
        <>
          <AnswerList answers={order.booking.answers} ticketIndex={null} />
          {order.editable && asks && (
            <Button
              variant="secondary"
              className="mt-3"
              onClick={() => {
                setSaved(false);
                setEditing(formFromOrder(order, questions));
              }}
            >
              {personalized !== "off" ? "Change names or answers" : "Change answers"}
            </Button>
          )}
        </>
      )}
    </Card>
  );
}
