/**
 * Joining an event's on-sale room: a guest's email (signed out), the bot check (the ALTCHA
 * widget, proof-of-work in the browser, loaded on demand), and "Join the room". The check's
 * challenge is fetched through tRPC when the widget starts, so it is always fresh.
 */
import { emailSchema } from "@boxoffice/api/schemas/auth";
import type { AltchaWidgetElement } from "altcha/types/generic";
import type {} from "altcha/types/react";
import { type FormEvent, useEffect, useImperativeHandle, useRef, useState } from "react";
import { Link } from "react-router";
import { Button, ErrorBox, Field } from "../components/ui.tsx";
import { useMe } from "../lib/auth.tsx";
import { errorData } from "../lib/errors.ts";
import { guestBuyer } from "../lib/guest-buyer.ts";
import { type RouterOutputs, useTRPCClient } from "../lib/trpc.ts";
import type { OnSaleRoom } from "./room-live.ts";

type EventDto = RouterOutputs["events"]["get"];

interface BotCheckHandle {
  /** The widget's payload, solving the challenge first if it is not solved yet. */
  solve(): Promise<string | null>;
  reset(): void;
}

/** The widget, configured to take its challenges from `room.challenge`. */
function BotCheck({ eventId, ref }: { eventId: string; ref: React.Ref<BotCheckHandle> }) {
  const client = useTRPCClient();
  const widget = useRef<AltchaWidgetElement>(null);
  const payload = useRef<string | null>(null);
  const [broken, setBroken] = useState(false);
  // Settles once the widget is loaded and told where its challenges come from: a press of "Join"
  // before then waits for it instead of solving nothing.
  const ready = useRef<{ promise: Promise<void>; resolve: () => void } | null>(null);
  ready.current ??= (() => {
    let resolve = () => {};
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    return { promise, resolve };
  })();

  useImperativeHandle(ref, () => ({
    async solve() {
      if (payload.current) return payload.current;
      await ready.current?.promise;
      const result = await widget.current?.verify?.();
      return result?.payload ?? null;
    },
    reset() {
      payload.current = null;
      widget.current?.reset?.();
    },
  }));

  useEffect(() => {
    const el = widget.current;
    if (!el) return;
    let mounted = true;
    const onState = (e: Event) => {
      const detail = (e as CustomEvent<{ state: string; payload: string | null }>).detail;
      payload.current = detail.state === "verified" ? detail.payload : null;
    };
    const configure = async () => {
      await el.configure({
        // A name, not a URL to call: `fetch` below asks the API instead.
        challenge: "room-challenge",
        fetch: (async () => {
          const challenge = await client.room.challenge.query({ eventId });
          return new Response(JSON.stringify(challenge), {
            headers: { "content-type": "application/json" },
          });
        }) as unknown as typeof fetch,
        // Nothing that links away: the check is self-hosted.
        hideFooter: true,
        hideLogo: true,
        humanInteractionSignature: false,
      });
      ready.current?.resolve();
    };
    el.addEventListener("statechange", onState);
    import("../lib/altcha.ts")
      .then(() => {
        if (!mounted) return;
        // Its methods exist once the element has mounted, which it announces with "load".
        if ((el as Partial<AltchaWidgetElement>).configure) void configure();
        else el.addEventListener("load", () => void configure(), { once: true });
      })
      .catch(() => mounted && setBroken(true));
    return () => {
      mounted = false;
      el.removeEventListener("statechange", onState);
    };
  }, [client, eventId]);

  // The check needs Web Crypto, which browsers give secure pages only (https, or this machine).
  if (!window.isSecureContext) {
    return (
      <ErrorBox error="The bot check only works over a secure connection. Please open this page with https:// to join the room." />
    );
  }
  return (
    <div className="min-h-16">
      <altcha-widget ref={widget} type="checkbox" display="standard" name="altcha" />
      {broken && (
        <ErrorBox error="The check could not load. Please reload the page to join the room." />
      )}
    </div>
  );
}

/** The form: who (a guest's email), the check, and the button. */
export function RoomJoin({
  event,
  room,
  again = false,
}: {
  event: EventDto;
  room: OnSaleRoom;
  /** Their place ended: joining again puts them at the back. */
  again?: boolean;
}) {
  const me = useMe();
  const check = useRef<BotCheckHandle>(null);
  const [email, setEmail] = useState(() => room.pass.email ?? guestBuyer()?.email ?? "");
  const [emailError, setEmailError] = useState<string | undefined>();
  const [solving, setSolving] = useState(false);
  const [checkError, setCheckError] = useState<string | null>(null);
  const signedOut = !me.data;
  const { enter } = room;
  const issues = errorData(enter.error)?.issues ?? [];
  const serverEmailError = issues.find((i) => i.path === "email")?.message;
  const solutionRefused = issues.some((i) => i.path === "solution");

  // A solution the server refused (expired, used): the widget starts over.
  useEffect(() => {
    if (solutionRefused) check.current?.reset();
  }, [solutionRefused]);

  if (signedOut && !event.guestCheckout) {
    const next = encodeURIComponent(`/events/${event.id}`);
    return (
      <p className="mt-3">
        This event sells to signed-in buyers only.{" "}
        <Link className="font-medium text-indigo-800 underline" to={`/login?next=${next}`}>
          Sign in to join the room
        </Link>
        .
      </p>
    );
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    let guestEmail: string | undefined;
    if (signedOut) {
      const parsed = emailSchema.safeParse(email);
      if (!parsed.success) {
        setEmailError(parsed.error.issues[0]?.message ?? "Enter your email");
        return;
      }
      setEmailError(undefined);
      guestEmail = parsed.data;
    }
    setCheckError(null);
    setSolving(true);
    const solution = await check.current?.solve().catch(() => null);
    setSolving(false);
    if (!solution) {
      setCheckError("The check did not finish. Please try again.");
      return;
    }
    enter.mutate({
      eventId: event.id,
      solution,
      ...(guestEmail ? { email: guestEmail } : {}),
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Join the on-sale room" className="mt-4">
      {signedOut && (
        <div className="mb-3 max-w-md">
          <Field
            label="Your email"
            error={emailError ?? serverEmailError}
            hint="Your place is kept for this address: use the same one at checkout."
          >
            {(p) => (
              <input
                {...p}
                type="email"
                name="email"
                autoComplete="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            )}
          </Field>
          <p className="mt-1 text-sm text-slate-700">
            Have an account?{" "}
            <Link
              className="font-medium text-indigo-800 underline"
              to={`/login?next=${encodeURIComponent(`/events/${event.id}`)}`}
            >
              Sign in
            </Link>{" "}
            instead.
          </p>
        </div>
      )}
      <p className="mb-2 text-sm text-slate-700">
        Before you join, your browser solves a small puzzle by itself, which takes a moment: it
        costs you nothing, but makes it expensive for bots to join thousands of times.
      </p>
      <BotCheck eventId={event.id} ref={check} />
      {checkError && <ErrorBox error={checkError} />}
      {solutionRefused ? (
        <ErrorBox error="That check ran out or was already used. Please try again: a new one starts." />
      ) : (
        !serverEmailError && <ErrorBox error={enter.error} />
      )}
      <Button type="submit" className="mt-3" busy={solving || enter.isPending}>
        {solving ? "Checking your browser…" : again ? "Join the room again" : "Join the room"}
      </Button>
    </form>
  );
}
