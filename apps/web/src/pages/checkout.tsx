import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { CodePrice } from "../components/code-field.tsx";
import { Button, Card, ErrorBox, Loading, Notice, PageTitle } from "../components/ui.tsx";
import { useMe } from "../lib/auth.tsx";
import {
  type CheckoutFormState,
  initialCheckoutForm,
  type QuestionView,
  readCheckoutForm,
  ticketSlots,
  typeNamesOf,
} from "../lib/checkout-form.ts";
import { errorData, reasonOf } from "../lib/errors.ts";
import { countdown, money } from "../lib/format.ts";
import { type FieldErrors, serverFieldErrors } from "../lib/forms.ts";
import { guestBuyer } from "../lib/guest-buyer.ts";
import { seatSectionOf } from "../lib/seats.ts";
import { useTRPC } from "../lib/trpc.ts";
import { randomKey, useNow } from "../lib/use-now.ts";
import { asksDetails, CheckoutDetails } from "./checkout-details.tsx";
import { refreshAfterBookingChange } from "./held-tickets.tsx";
import { useSeatLabels } from "./seat-picker.tsx";

/** The booking a paid hold became, as the server names it to the hold's owner. */
function paidAs(error: unknown): string | null {
  const data = errorData(error);
  const id = data?.reason === "HOLD_NOT_FOUND" ? data.details?.bookingId : undefined;
  return typeof id === "string" ? id : null;
}

const buttonLink =
  "inline-flex min-h-11 items-center rounded-md bg-indigo-700 px-4 font-medium text-white hover:bg-indigo-800";

/** A checkout opened again after paying (Back, a bookmark): it says so, and where to look. */
function AlreadyPaid({ bookingId, guestEmail }: { bookingId: string; guestEmail?: string }) {
  return (
    <div className="mx-auto max-w-lg">
      <PageTitle>Checkout</PageTitle>
      <Notice>
        <span className="font-semibold">These tickets are paid for.</span> Nothing more to do:{" "}
        {guestEmail
          ? `your tickets and the link to your order page were mailed to ${guestEmail}.`
          : "your tickets and their codes are in your booking."}
      </Notice>
      {!guestEmail && (
        <Link
          to={`/bookings?booked=${encodeURIComponent(bookingId)}`}
          className={`mt-4 ${buttonLink}`}
        >
          See your booking
        </Link>
      )}
    </div>
  );
}

/**
 * A checkout opened signed out, with no guest buyer in this tab: most often a waitlist offer's
 * mailed link (offers are for accounts), else a guest's checkout begun in another tab.
 */
function GuestUnknown() {
  const { holdId = "" } = useParams();
  return (
    <div className="mx-auto max-w-lg">
      <PageTitle>Checkout</PageTitle>
      <p className="mb-4 text-slate-800">
        Sign in to see these tickets: a waitlist offer, or tickets you held while signed in, wait in
        your account.
      </p>
      <Link className={buttonLink} to={`/login?next=${encodeURIComponent(`/checkout/${holdId}`)}`}>
        Sign in to continue
      </Link>
      <p className="mt-6 text-sm text-slate-700">
        Started as a guest in another browser tab? Please finish there, or{" "}
        <Link to="/" className="font-medium text-indigo-700 underline">
          pick your tickets again
        </Link>
        .
      </p>
    </div>
  );
}

const focusFirstInvalid = () =>
  requestAnimationFrame(() =>
    document.querySelector<HTMLElement>("form [aria-invalid='true']")?.focus(),
  );

export function CheckoutPage() {
  const me = useMe();
  if (me.isPending) return <Loading what="Loading your hold" />;
  const buyer = me.data ? undefined : guestBuyer();
  if (buyer === null) return <GuestUnknown />;
  return <Checkout buyer={buyer} />;
}

function Checkout({ buyer }: { buyer: { email: string; name: string } | undefined }) {
  const { holdId = "" } = useParams();
  const trpc = useTRPC();
  const me = useMe();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const now = useNow(250);
  const [card, setCard] = useState<"ok" | "decline">("ok");
  const [form, setForm] = useState<CheckoutFormState | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const holdInput = buyer ? { holdId, buyer } : { holdId };
  const hold = useQuery(trpc.bookings.getHold.queryOptions(holdInput, { staleTime: Infinity }));
  // Once paid or released, the cached hold is stale: it is forgotten as the page is left (not
  // before, which would fetch it again at once), so Back asks the server, which says what became
  // of it.
  const ended = useRef(false);
  useEffect(
    () => () => {
      if (ended.current) queryClient.removeQueries({ queryKey: trpc.bookings.getHold.pathKey() });
    },
    [queryClient, trpc],
  );
  const eventId = hold.data?.eventId ?? "";
  const seated = (hold.data?.seatIds.length ?? 0) > 0;
  const seatLabel = useSeatLabels(eventId, seated);
  const seatMap = useQuery(
    trpc.events.seatMapCompact.queryOptions({ eventId }, { enabled: seated, staleTime: 60_000 }),
  );
  const event = useQuery(trpc.events.get.queryOptions({ eventId }, { enabled: !!hold.data }));
  const confirm = useMutation(
    trpc.bookings.confirm.mutationOptions({
      onSuccess: (booking) => {
        ended.current = true;
        refreshAfterBookingChange(queryClient, trpc, booking.eventId);
        // A guest manages the order by its link; an account in My bookings.
        if (buyer && booking.orderToken) navigate(`/orders/${booking.orderToken}?paid=1`);
        else navigate(`/bookings?booked=${booking.id}`);
      },
      onError: (error) => {
        if (errorData(error)?.issues?.length) focusFirstInvalid();
      },
    }),
  );
  const release = useMutation(
    trpc.bookings.releaseHold.mutationOptions({
      onSuccess: () => {
        ended.current = true;
        refreshAfterBookingChange(queryClient, trpc, hold.data?.eventId);
        navigate(hold.data ? `/events/${hold.data.eventId}` : "/");
      },
    }),
  );

  const slots = useMemo(
    () =>
      hold.data
        ? ticketSlots(hold.data, typeNamesOf(hold.data.items), {
            label: seatLabel,
            type: seatSectionOf(seatMap.data),
          })
        : [],
    [hold.data, seatLabel, seatMap.data],
  );
  const questions: readonly QuestionView[] = event.data?.questions ?? [];
  const personalized = event.data?.personalizedTickets ?? "off";
  const state = form ?? initialCheckoutForm(slots, buyer ?? me.data ?? null);
  const fromServer = serverFieldErrors(errorData(confirm.error)?.issues);
  const shown = { ...fromServer, ...errors };

  const paidBooking = paidAs(hold.error) ?? paidAs(confirm.error);
  if (paidBooking) return <AlreadyPaid bookingId={paidBooking} guestEmail={buyer?.email} />;
  if (hold.isPending) return <Loading what="Loading your hold" />;
  if (hold.isError) {
    return (
      <div className="mx-auto max-w-lg">
        <PageTitle>Checkout</PageTitle>
        <ErrorBox error={hold.error} />
        <Link to="/" className="mt-4 inline-block font-medium text-indigo-700 underline">
          Back to events
        </Link>
      </div>
    );
  }
  const h = hold.data;
  const left = Date.parse(h.expiresAt) - now;
  const expired = left <= 0 || reasonOf(confirm.error) === "HOLD_EXPIRED";
  const details = event.data !== undefined && asksDetails(questions, slots, personalized);

  function submit(e: FormEvent) {
    e.preventDefault();
    const read = readCheckoutForm(state, questions, slots, personalized);
    if (!read.ok) {
      setErrors(read.errors);
      focusFirstInvalid();
      return;
    }
    setErrors({});
    confirm.mutate({
      holdId,
      ...(buyer ? { buyer } : {}),
      ...(read.attendees ? { attendees: read.attendees } : {}),
      ...(read.answers.length > 0 ? { answers: read.answers } : {}),
      // A fresh key per attempt: a declined card followed by a good one are two attempts.
      idempotencyKey: randomKey(),
      payment: { method: "mock", token: card === "decline" ? "decline" : undefined },
    });
  }

  const invalid = Object.keys(shown).length;
  return (
    <div className="mx-auto max-w-lg">
      <PageTitle>Checkout</PageTitle>
      <Card className="mb-4">
        <h2 className="text-lg font-semibold">{event.data?.title ?? "Your tickets"}</h2>
        <ul className="my-3 divide-y divide-slate-200">
          {h.items.map((item) => (
            <li key={item.ticketTypeId} className="flex justify-between py-2">
              <span>
                {item.quantity} × {item.ticketTypeName}
              </span>
              <span>
                <CodePrice
                  listCents={item.listPriceCents * item.quantity}
                  cents={item.unitPriceCents * item.quantity}
                  currency={h.currency}
                />
              </span>
            </li>
          ))}
        </ul>
        {h.code && <CodeSaving code={h.code.code} hold={h} />}
        {h.seatIds.length > 0 && (
          <ul className="mb-3 flex flex-wrap gap-2" aria-label="Your seats">
            {h.seatIds.map((id) => (
              <li key={id} className="rounded-full bg-indigo-50 px-3 py-1 text-sm text-indigo-950">
                {seatLabel(id)}
              </li>
            ))}
          </ul>
        )}
        <p className="flex justify-between border-t border-slate-300 pt-2 text-lg font-bold">
          <span>Total</span>
          <span data-testid="checkout-total">{money(h.totalCents, h.currency)}</span>
        </p>
        {buyer && (
          <p className="mt-2 text-sm text-slate-700">
            Buying as {buyer.name} ({buyer.email}): the tickets and a link to manage the order go to
            this email.
          </p>
        )}
      </Card>
      <div
        className={`mb-4 rounded-md p-3 text-center ${expired ? "bg-red-50 text-red-900" : left < 60_000 ? "bg-amber-50 text-amber-900" : "bg-indigo-50 text-indigo-900"}`}
      >
        {expired ? (
          <p role="alert">
            Your hold has expired and the tickets went back on sale.{" "}
            <Link className="font-medium underline" to={`/events/${h.eventId}`}>
              Pick tickets again
            </Link>
          </p>
        ) : (
          <p>
            Tickets held for you for{" "}
            <strong role="timer" aria-label={`${Math.ceil(left / 60_000)} minutes left`}>
              {countdown(left)}
            </strong>
          </p>
        )}
      </div>
      {!expired && (
        <Card>
          <form onSubmit={submit} noValidate className="flex flex-col gap-4">
            {details && (
              <section aria-labelledby="details-heading" className="flex flex-col gap-3">
                <h2 id="details-heading" className="text-lg font-semibold">
                  {personalized !== "off" ? "Who is coming" : "A few questions"}
                </h2>
                <CheckoutDetails
                  questions={questions}
                  slots={slots}
                  personalized={personalized}
                  state={state}
                  errors={shown}
                  onChange={(next) => {
                    setForm(next);
                    // After a refused attempt, messages follow the answers as they are fixed.
                    if (Object.keys(errors).length > 0) {
                      const read = readCheckoutForm(next, questions, slots, personalized);
                      setErrors(read.ok ? {} : read.errors);
                    }
                    if (Object.keys(fromServer).length > 0) confirm.reset();
                  }}
                />
              </section>
            )}
            {h.totalCents > 0 ? (
              <fieldset className="flex flex-col gap-2">
                <legend className="mb-1 font-medium">Payment (test mode, no real charge)</legend>
                <label className="flex items-center gap-2">
                  <input
                    type="radio"
                    name="card"
                    checked={card === "ok"}
                    onChange={() => setCard("ok")}
                  />
                  Test card that pays
                </label>
                <label className="flex items-center gap-2">
                  <input
                    type="radio"
                    name="card"
                    checked={card === "decline"}
                    onChange={() => setCard("decline")}
                  />
                  Test card that is declined
                </label>
              </fieldset>
            ) : (
              <p>{h.code ? "Free with your code" : "These tickets are free"}: no payment needed.</p>
            )}
            {invalid > 0 ? (
              <ErrorBox
                error={`${invalid === 1 ? "One answer needs" : `${invalid} answers need`} attention: see the messages next to ${invalid === 1 ? "it" : "them"}. Nothing was charged.`}
              />
            ) : (
              <ErrorBox error={confirm.error} title="Not booked yet" />
            )}
            <div className="flex flex-wrap gap-2">
              <Button type="submit" busy={confirm.isPending}>
                {h.totalCents > 0 ? `Pay ${money(h.totalCents, h.currency)}` : "Confirm booking"}
              </Button>
              <Button
                variant="secondary"
                busy={release.isPending}
                onClick={() => release.mutate(holdInput)}
              >
                Release tickets
              </Button>
            </div>
            <ErrorBox error={release.error} />
          </form>
        </Card>
      )}
    </div>
  );
}

/** "Code PRESS: you save $4.00." under the lines of a hold that carries a code. */
function CodeSaving({
  code,
  hold,
}: {
  code: string;
  hold: {
    items: { quantity: number; unitPriceCents: number; listPriceCents: number }[];
    currency: string;
  };
}) {
  const saved = hold.items.reduce(
    (n, i) => n + (i.listPriceCents - i.unitPriceCents) * i.quantity,
    0,
  );
  return (
    <p className="mb-3 text-green-900" data-testid="checkout-code">
      Code <strong className="font-mono">{code}</strong>
      {saved > 0 ? `: you save ${money(saved, hold.currency)}.` : " applied."}
    </p>
  );
}
