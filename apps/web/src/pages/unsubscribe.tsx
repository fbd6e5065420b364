/**
 * The unsubscribe link of an organizer's message (`/unsubscribe/<token>`): it asks first (mail
 * scanners open links on their own, and opening must not unsubscribe anyone), then stops that
 * organizer's messages to the address (`mail.unsubscribe`), with an Undo (`mail.resubscribe`).
 * Ticket mails are not affected either way.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { Link, useParams } from "react-router";
import { Button, ErrorBox, Notice } from "../components/ui.tsx";
import { errorData } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";

const link = "font-medium text-indigo-700 underline";

function UnknownLink() {
  return (
    <>
      <h1 className="mb-3 text-2xl font-bold tracking-tight">This unsubscribe link doesn't work</h1>
      <p className="mb-3 text-slate-800">
        We do not know this link. Check that you opened the whole link from the message: a link cut
        short does not work. The newest message from the organizer has a link that does.
      </p>
      <Link className={link} to="/">
        Upcoming events
      </Link>
    </>
  );
}

/** The button pressed is gone with the step it was on: focus goes to the new step's heading. */
function useFocusHeadingWhenChanged(step: string) {
  const last = useRef(step);
  useEffect(() => {
    if (last.current === step) return;
    last.current = step;
    const heading = document.querySelector<HTMLElement>("#main h1");
    if (!heading) return;
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }, [step]);
}

export function UnsubscribePage() {
  const { token = "" } = useParams();
  const trpc = useTRPC();
  // Reading the link changes nothing: it names whose messages, and where the address stands.
  const subscription = useQuery({
    ...trpc.mail.subscription.queryOptions({ token }),
    retry: false,
  });
  const unsubscribe = useMutation(trpc.mail.unsubscribe.mutationOptions());
  const resubscribe = useMutation(trpc.mail.resubscribe.mutationOptions());
  const notFound = (e: unknown) => errorData(e)?.code === "NOT_FOUND";
  // The last answer says where things stand: unsubscribed, or subscribed again by Undo; before
  // any, an address already unsubscribed is shown as such.
  const again = resubscribe.data;
  const done = again
    ? null
    : (unsubscribe.data ?? (subscription.data?.unsubscribed ? subscription.data : null));
  const who = (again ?? done ?? subscription.data)?.organizerName;
  const email = (again ?? done ?? subscription.data)?.email;
  const unknown =
    notFound(subscription.error) || notFound(unsubscribe.error) || notFound(resubscribe.error);
  useFocusHeadingWhenChanged(unknown ? "unknown" : done ? "done" : again ? "again" : "ask");
  if (unknown) {
    return (
      <div className="mx-auto max-w-lg">
        <UnknownLink />
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-lg">
      {done ? (
        <>
          <h1 className="mb-3 text-2xl font-bold tracking-tight">You're unsubscribed</h1>
          <Notice>
            You will get no more messages from <strong>{who}</strong> at {email}.
          </Notice>
          <p className="mt-3 text-slate-800">
            Your tickets still come by mail, and so does news about your bookings, such as a
            cancelled event.
          </p>
          <div className="mt-4 flex flex-wrap items-center gap-3">
            <Button
              variant="secondary"
              busy={resubscribe.isPending}
              onClick={() => resubscribe.mutate({ token })}
            >
              Undo
            </Button>
          </div>
          <ErrorBox error={resubscribe.error} />
        </>
      ) : again ? (
        <>
          <h1 className="mb-3 text-2xl font-bold tracking-tight">You're subscribed again</h1>
          <Notice>
            You will get messages from <strong>{who}</strong> at {email} again.
          </Notice>
          <div className="mt-4">
            <Button
              variant="secondary"
              busy={unsubscribe.isPending}
              onClick={() => {
                resubscribe.reset();
                unsubscribe.mutate({ token });
              }}
            >
              Unsubscribe after all
            </Button>
          </div>
        </>
      ) : (
        <>
          <h1 className="mb-3 text-2xl font-bold tracking-tight">
            Stop messages from {who ?? "this organizer"}?
          </h1>
          <p className="mb-3 text-slate-800">
            {email ? <>{email} will </> : <>You will </>}
            stop getting the messages {who ?? "this organizer"} writes to the attendees of their
            events.
          </p>
          <p className="mb-4 text-slate-800">
            Your tickets still come by mail, and so does news about your bookings, such as a
            cancelled event.
          </p>
          <ErrorBox error={unsubscribe.error} />
          <div className="mt-3">
            <Button busy={unsubscribe.isPending} onClick={() => unsubscribe.mutate({ token })}>
              Unsubscribe
            </Button>
          </div>
        </>
      )}
    </div>
  );
}
