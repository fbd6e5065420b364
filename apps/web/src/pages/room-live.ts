/**
 * The buyer's place in an event's on-sale room, live: `room.status` over SSE while the stream
 * is up (an open stream also keeps the place), and `room.position` every few seconds while it is
 * not (which keeps the place too: the server's grace is at least 30 seconds). What the tab must
 * remember across a reload (a guest's entryKey, the token) lives in sessionStorage (lib/room.ts).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useMe } from "../lib/auth.tsx";
import { guestBuyer, rememberGuest } from "../lib/guest-buyer.ts";
import { type LiveState, useLiveState } from "../lib/live-state.tsx";
import {
  type RoomPass,
  type RoomStatus,
  readRoomPass,
  roomStage,
  usableToken,
  writeRoomPass,
} from "../lib/room.ts";
import { type RouterOutputs, useTRPC } from "../lib/trpc.ts";

type EventDto = RouterOutputs["events"]["get"];

/** How often the page asks for its place while the live stream is down. */
const POLL_MS = 5_000;

export interface OnSaleRoom {
  /** The room is switched on for a published event: its status decides what the page shows. */
  readonly enabled: boolean;
  /** The latest status, from the stream or a poll; null until the first arrives. */
  readonly status: RoomStatus | null;
  readonly live: LiveState;
  readonly pass: RoomPass;
  /** The token to present with a hold, while the buyer's turn lasts. */
  readonly admission: { token: string; expiresAt: number } | null;
  readonly enter: ReturnType<typeof useEnter>;
  /** A hold refused with NOT_ADMITTED: forget the token and ask where the buyer stands. */
  refused(): void;
}

function useEnter(onEntered: (status: RoomStatus, email?: string) => void) {
  const trpc = useTRPC();
  return useMutation(
    trpc.room.enter.mutationOptions({
      onSuccess: (status, input) => onEntered(status, input.email),
    }),
  );
}

export function useOnSaleRoom(event: EventDto, now: number): OnSaleRoom {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useMe();
  const enabled = event.onSaleRoom.enabled && event.status === "published" && !me.isPending;
  const [pass, setPass] = useState<RoomPass>(() => readRoomPass(event.id));
  const save = useCallback(
    (next: RoomPass) => {
      writeRoomPass(event.id, next);
      setPass(next);
    },
    [event.id],
  );
  // An account's entry is found by the account; a guest's by the key `room.enter` gave.
  const entryKey = me.data ? undefined : pass.entryKey;
  const input = useMemo(
    () => (entryKey ? { eventId: event.id, entryKey } : { eventId: event.id }),
    [event.id, entryKey],
  );
  const inputKey = `${me.data?.id ?? "guest"}|${entryKey ?? ""}`;
  // The latest word, from whichever source spoke last (for the current input only).
  const [latest, setLatest] = useState<{ key: string; at: number; status: RoomStatus } | null>(
    null,
  );
  const subscription = useSubscription(
    trpc.room.status.subscriptionOptions(input, {
      enabled,
      onData: (message) => setLatest({ key: inputKey, at: Date.now(), status: message.data }),
    }),
  );
  const live = useLiveState(subscription, enabled);
  const polled = useQuery(
    trpc.room.position.queryOptions(input, {
      enabled: enabled && live !== "live",
      refetchInterval: POLL_MS,
      staleTime: 0,
    }),
  );
  const { refetch } = polled;
  const fromPoll = polled.data
    ? { key: inputKey, at: polled.dataUpdatedAt, status: polled.data }
    : null;
  const current = [latest, fromPoll]
    .filter((s) => s !== null && s.key === inputKey)
    .sort((a, b) => (b?.at ?? 0) - (a?.at ?? 0))[0];
  const status = current?.status ?? null;

  const enter = useEnter((entered, email) => {
    save({
      ...(entered.entryKey ? { entryKey: entered.entryKey } : {}),
      ...(email ? { email } : {}),
    });
    // Checkout asks a guest for their email: the one their turn belongs to, already filled in.
    if (email) rememberGuest({ email, name: guestBuyer()?.name ?? "" });
    const key = `${me.data?.id ?? "guest"}|${me.data ? "" : (entered.entryKey ?? "")}`;
    setLatest({ key, at: Date.now(), status: entered });
  });

  // Keep what a reload needs: the token while it lasts, the first place seen after the draw.
  const stage = status ? roomStage(status) : null;
  useEffect(() => {
    if (!status) return;
    const next: RoomPass = { ...pass };
    if (status.admissionToken && status.tokenExpiresAt) {
      next.admissionToken = status.admissionToken;
      next.tokenExpiresAt = status.tokenExpiresAt;
    } else if (status.state !== "admitted") {
      delete next.admissionToken;
      delete next.tokenExpiresAt;
    }
    if (status.state === "waiting" && status.position !== null) {
      next.firstPosition ??= status.position;
    } else if (status.state !== "admitted") delete next.firstPosition;
    if (JSON.stringify(next) !== JSON.stringify(pass)) save(next);
  }, [status, pass, save]);
  // The doors opened: the page shows the event as usual, with fresh figures.
  useEffect(() => {
    if (stage === "open") {
      queryClient.invalidateQueries({ queryKey: trpc.events.get.queryKey({ eventId: event.id }) });
    }
  }, [stage, queryClient, trpc, event.id]);

  const refused = useCallback(() => {
    const { admissionToken: _, tokenExpiresAt: __, ...rest } = readRoomPass(event.id);
    save(rest);
    // Asked at once, stream or not (a refetch runs even while polling is off).
    void refetch();
    queryClient.invalidateQueries({ queryKey: trpc.events.get.queryKey({ eventId: event.id }) });
  }, [event.id, save, queryClient, trpc, refetch]);

  return {
    enabled,
    status,
    live,
    pass,
    admission: enabled ? usableToken(status, pass, now) : null,
    enter,
    refused,
  };
}
