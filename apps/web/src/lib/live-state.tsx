/**
 * The honest state of a live subscription (SSE through tRPC's httpSubscriptionLink): connecting,
 * live, or reconnecting after the connection dropped. The browser's EventSource reconnects by
 * itself after a network error; when it gives up (a proxy's 502, a server that ended the stream),
 * this starts the subscription again, waiting longer each time (2 s doubling up to 30 s).
 */
import { useEffect, useRef, useState } from "react";
import { errorData } from "./errors.ts";

export type LiveState = "off" | "connecting" | "live" | "reconnecting";

/** What `useSubscription` answers, as far as the connection goes. */
interface Subscription {
  readonly status: "idle" | "connecting" | "pending" | "error";
  readonly error: unknown;
  reset(): void;
}

const FIRST_RETRY_MS = 2_000;
const MAX_RETRY_MS = 30_000;

/** A refusal (4xx: no such event, not visible) is not a lost connection: retrying repeats it. */
function refused(error: unknown): boolean {
  const status = errorData(error)?.httpStatus ?? 0;
  return status >= 400 && status < 500;
}

export function useLiveState(subscription: Subscription, enabled: boolean): LiveState {
  const { status, error, reset } = subscription;
  const wasLive = useRef(false);
  const [retryMs, setRetryMs] = useState(FIRST_RETRY_MS);
  const stopped = enabled && (status === "error" || status === "idle") && !refused(error);

  if (status === "pending") wasLive.current = true;
  useEffect(() => {
    if (status === "pending") setRetryMs(FIRST_RETRY_MS);
  }, [status]);
  useEffect(() => {
    if (!stopped) return;
    const timer = setTimeout(() => {
      setRetryMs((ms) => Math.min(ms * 2, MAX_RETRY_MS));
      reset();
    }, retryMs);
    return () => clearTimeout(timer);
  }, [stopped, retryMs, reset]);

  if (!enabled || (status === "error" && refused(error))) return "off";
  if (status === "pending") return "live";
  return wasLive.current || status === "error" || status === "idle" ? "reconnecting" : "connecting";
}

const dots: Record<Exclude<LiveState, "off">, string> = {
  live: "bg-green-600",
  connecting: "bg-slate-400",
  reconnecting: "animate-pulse bg-amber-500",
};

const words: Record<Exclude<LiveState, "off">, string> = {
  live: "Updates live.",
  connecting: "Connecting for live updates…",
  reconnecting: "Reconnecting… what you see may be out of date.",
};

/** A dot and a sentence; announced politely when it changes. */
export function LiveStatus({ state, className = "" }: { state: LiveState; className?: string }) {
  if (state === "off") return null;
  return (
    <span
      role="status"
      data-testid="live-state"
      data-state={state}
      className={`inline-flex items-center gap-1.5 ${state === "reconnecting" ? "font-medium text-amber-900" : ""} ${className}`}
    >
      <span aria-hidden="true" className={`inline-block h-2 w-2 rounded-full ${dots[state]}`} />
      {words[state]}
    </span>
  );
}
