import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Empty, ErrorBox, Loading, Notice } from "../../components/ui.tsx";
import { dateTime } from "../../lib/format.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { useManagedEvent } from "./manage.tsx";

export function WaitlistAdminPage() {
  const event = useManagedEvent();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const entries = useQuery(
    trpc.waitlist.entries.queryOptions({ eventId: event.id }, { refetchInterval: 10_000 }),
  );
  const offer = useMutation(
    trpc.waitlist.offerNext.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({
          queryKey: trpc.waitlist.entries.queryKey({ eventId: event.id }),
        }),
    }),
  );
  const typeName = (id: string | null) =>
    id === null ? "Any type" : (event.ticketTypes.find((t) => t.id === id)?.name ?? id);
  if (!event.waitlist.enabled)
    return <Empty>This event has no waitlist. Turn it on in Edit.</Empty>;
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-xl font-semibold">Waitlist ({event.waitlist.mode} mode)</h2>
        <Button busy={offer.isPending} onClick={() => offer.mutate({ eventId: event.id })}>
          Offer next
        </Button>
      </div>
      <ErrorBox error={offer.error} />
      {offer.isSuccess && (
        <Notice>
          {offer.data.offer
            ? `Offered tickets until ${dateTime(offer.data.offer.expiresAt)}.`
            : "Nobody could be offered tickets: no free tickets fit the next request."}
        </Notice>
      )}
      {entries.isPending ? (
        <Loading what="Loading the waitlist" />
      ) : entries.isError ? (
        <ErrorBox error={entries.error} />
      ) : entries.data.length === 0 ? (
        <Empty>Nobody is waiting.</Empty>
      ) : (
        <ol className="mt-4 flex flex-col gap-2">
          {entries.data.map((e) => (
            <li
              key={e.id}
              className="flex flex-wrap justify-between gap-2 rounded-md border border-slate-200 bg-white p-3"
            >
              <span>
                <strong>#{e.position ?? "—"}</strong> {e.name} ({e.email})
              </span>
              <span className="text-sm text-slate-700">
                {e.quantity} × {typeName(e.ticketTypeId)} · {e.state}
                {e.offer && ` until ${dateTime(e.offer.expiresAt)}`} · joined {dateTime(e.joinedAt)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
