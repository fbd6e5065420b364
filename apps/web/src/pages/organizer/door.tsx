import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { Button, ErrorBox } from "../../components/ui.tsx";
import { dateTime } from "../../lib/format.ts";
import { type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { useManagedEvent } from "./manage.tsx";

type Scan = RouterOutputs["checkin"]["scan"];

const looks: Record<Scan["result"], { title: string; style: string; icon: string }> = {
  ok: { title: "Welcome in", style: "bg-green-700 text-white", icon: "✓" },
  already: { title: "Already checked in", style: "bg-amber-400 text-black", icon: "!" },
  invalid: { title: "Invalid ticket", style: "bg-red-700 text-white", icon: "✕" },
  cancelled: { title: "Booking cancelled", style: "bg-red-700 text-white", icon: "✕" },
};

function ScanResult({ scan }: { scan: Scan }) {
  const look = looks[scan.result];
  return (
    <div
      role="alert"
      data-result={scan.result}
      className={`rounded-xl p-6 text-center ${look.style}`}
    >
      <p aria-hidden="true" className="text-6xl font-black">
        {look.icon}
      </p>
      <p className="text-3xl font-bold">{look.title}</p>
      {"attendee" in scan && scan.attendee && (
        <p className="mt-2 text-xl">
          {scan.attendee.name}
          {/* A seat's label starts with its section, which is the ticket type. */}
          {!scan.ticket?.seatLabel && ` · ${scan.ticket?.ticketTypeName}`}
        </p>
      )}
      {"ticket" in scan && scan.ticket?.seatLabel && (
        <p className="mt-1 text-2xl font-bold" data-testid="scan-seat">
          {scan.ticket.seatLabel}
        </p>
      )}
      {scan.result === "already" && scan.checkedInAt && (
        <p className="mt-1">First scanned {dateTime(scan.checkedInAt)}</p>
      )}
      {scan.result === "invalid" && (
        <p className="mt-1">Unknown code, or a ticket of another event.</p>
      )}
    </div>
  );
}

/** Door staff type a code, or a USB/Bluetooth scanner types it and presses Enter. */
export function DoorPage() {
  const event = useManagedEvent();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [code, setCode] = useState("");
  const statsKey = trpc.checkin.stats.queryKey({ eventId: event.id });
  const stats = useQuery(trpc.checkin.stats.queryOptions({ eventId: event.id }));
  const scan = useMutation(
    trpc.checkin.scan.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: statsKey }),
      onSettled: () => {
        setCode("");
        input.current?.focus();
      },
    }),
  );

  // A mistaken scan (the wrong person's phone, a test scan) is taken back, so it scans again.
  const undo = useMutation(
    trpc.checkin.undo.mutationOptions({
      onSuccess: () => {
        queryClient.invalidateQueries({ queryKey: statsKey });
        scan.reset();
      },
      onSettled: () => input.current?.focus(),
    }),
  );
  const admitted = scan.data?.result === "ok" ? scan.data.ticket : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    undo.reset();
    if (code.trim()) scan.mutate({ eventId: event.id, code });
  }

  return (
    <div className="mx-auto max-w-xl">
      <h2 className="mb-1 text-xl font-semibold">Door check-in</h2>
      <p className="mb-4 text-slate-700" aria-live="polite">
        {stats.data ? `${stats.data.checkedIn} of ${stats.data.total} tickets checked in` : "…"}
      </p>
      <form onSubmit={submit} className="mb-6 flex flex-col gap-2 sm:flex-row">
        <label htmlFor="door-code" className="sr-only">
          Ticket code
        </label>
        <input
          id="door-code"
          ref={input}
          // biome-ignore lint/a11y/noAutofocus: the door page exists to take codes at once.
          autoFocus
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          placeholder="Scan or type a ticket code"
          className="min-h-14 flex-1 rounded-md border-2 border-slate-400 bg-white px-4 font-mono text-xl"
        />
        <Button type="submit" className="min-h-14 text-lg" busy={scan.isPending}>
          Check in
        </Button>
      </form>
      <ErrorBox error={scan.error ?? undo.error} />
      {scan.data && <ScanResult scan={scan.data} />}
      {admitted && (
        <div className="mt-3 text-center">
          <Button
            variant="secondary"
            busy={undo.isPending}
            onClick={() => undo.mutate({ eventId: event.id, code: admitted.code })}
          >
            Undo this check-in
          </Button>
        </div>
      )}
      {undo.isSuccess && (
        <p className="mt-3 text-center text-slate-800" role="status">
          Check-in undone: that ticket can be scanned again.
        </p>
      )}
    </div>
  );
}
