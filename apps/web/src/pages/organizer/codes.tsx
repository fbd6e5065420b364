import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import {
  Button,
  ConfirmDialog,
  Empty,
  ErrorBox,
  Loading,
  LoadMore,
  Notice,
  SearchForm,
} from "../../components/ui.tsx";
import { discountText, listWords } from "../../lib/codes.ts";
import { dateTime } from "../../lib/format.ts";
import { type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { CodeForm } from "./code-form.tsx";
import { type ManagedEvent, useManagedEvent } from "./manage.tsx";

type Code = RouterOutputs["codes"]["list"]["items"][number];

/** "Valid Jun 1 – Jun 10", "Valid until …", "Always valid". */
function validity(c: Code, zone: string): string {
  if (c.validFrom && c.validUntil) {
    return `Valid ${dateTime(c.validFrom, zone)} – ${dateTime(c.validUntil, zone)}`;
  }
  if (c.validFrom) return `Valid from ${dateTime(c.validFrom, zone)}`;
  if (c.validUntil) return `Valid until ${dateTime(c.validUntil, zone)}`;
  return "Always valid";
}

/** What a code does, in a line: its discount, the types it applies to, what it unlocks. */
function effect(c: Code, event: ManagedEvent): string {
  const name = (id: string) => event.ticketTypes.find((t) => t.id === id)?.name ?? "a removed type";
  const parts: string[] = [];
  if (c.discount) {
    parts.push(
      `${discountText(c.discount, event.currency)}${"amountCents" in c.discount ? " each" : ""} ${
        c.ticketTypeIds === null ? "on every type" : `on ${listWords(c.ticketTypeIds.map(name))}`
      }`,
    );
  } else if (c.ticketTypeIds !== null) {
    parts.push(`Lets buy ${listWords(c.ticketTypeIds.map(name))}`);
  }
  if (c.unlocksTicketTypeIds.length > 0) {
    parts.push(`unlocks ${listWords(c.unlocksTicketTypeIds.map(name))}`);
  }
  if (c.opensSalesAt) parts.push(`presale from ${dateTime(c.opensSalesAt, event.timezone)}`);
  const text = parts.join("; ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function CodeRow({
  c,
  event,
  onEdit,
  onToggle,
}: {
  c: Code;
  event: ManagedEvent;
  onEdit: () => void;
  onToggle: () => void;
}) {
  return (
    <li className="flex flex-wrap items-start justify-between gap-2 rounded-md border border-slate-200 bg-white p-3">
      <div className="min-w-0">
        <p className="flex flex-wrap items-center gap-2">
          <span className="break-all font-mono font-semibold" data-testid="code-text">
            {c.code}
          </span>
          <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-semibold text-slate-800">
            {c.kind === "discount" ? "Discount" : "Access"}
          </span>
          {c.disabled && (
            <span className="rounded-full bg-red-100 px-2 py-0.5 text-xs font-semibold text-red-900">
              Disabled
            </span>
          )}
        </p>
        <p className="text-sm text-slate-800">{effect(c, event)}</p>
        <p className="text-sm text-slate-700">
          {validity(c, event.timezone)}
          {c.maxUsesPerBuyer !== null && ` · ${c.maxUsesPerBuyer} per buyer`}
        </p>
      </div>
      <div className="flex flex-col items-start gap-2 sm:items-end">
        <p className="text-sm font-medium" data-testid="code-uses">
          {c.uses} / {c.maxUses ?? "∞"} used
        </p>
        <div className="flex gap-2">
          <Button variant="secondary" onClick={onEdit}>
            Edit<span className="sr-only"> {c.code}</span>
          </Button>
          <Button variant="secondary" onClick={onToggle}>
            {c.disabled ? "Enable" : "Disable"}
            <span className="sr-only"> {c.code}</span>
          </Button>
        </div>
      </div>
    </li>
  );
}

/** Asks before a code stops (or starts again) working for new buyers. */
function ToggleDialog({ code, onClose }: { code: Code | null; onClose: (msg: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toggle = useMutation(
    trpc.codes.disable.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.codes.list.pathKey() }),
    }),
  );
  const disabling = code ? !code.disabled : true;
  return (
    <ConfirmDialog
      open={code !== null}
      title={`${disabling ? "Disable" : "Enable"} ${code?.code ?? ""}?`}
      onClose={() => onClose("")}
      error={toggle.error}
      busy={toggle.isPending}
      confirmLabel={disabling ? "Disable code" : "Enable code"}
      confirmVariant={disabling ? "danger" : "primary"}
      onConfirm={() =>
        code &&
        toggle.mutate(
          { eventId: code.eventId, codeId: code.id, disabled: disabling },
          {
            onSuccess: (c) => {
              toggle.reset();
              onClose(`${c.code} is ${c.disabled ? "disabled" : "enabled"}.`);
            },
          },
        )
      }
      keepLabel={`Keep it ${disabling ? "working" : "disabled"}`}
    >
      <p className="mb-3">
        {disabling
          ? "Buyers can no longer use this code. Holds and bookings that already carry it keep it."
          : "Buyers can use this code again, within its limits and dates."}
      </p>
    </ConfirmDialog>
  );
}

export function CodesPage() {
  const event = useManagedEvent();
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const [editing, setEditing] = useState<Code | "new" | null>(null);
  const [toggling, setToggling] = useState<Code | null>(null);
  const [message, setMessage] = useState("");
  const list = useInfiniteQuery(
    trpc.codes.list.infiniteQueryOptions(
      { eventId: event.id, limit: 100, ...(search ? { search } : {}) },
      { getNextPageParam: (p) => p.nextCursor ?? undefined },
    ),
  );
  const codes = list.data?.pages.flatMap((p) => p.items) ?? [];
  const done = (msg: string) => {
    setEditing(null);
    setToggling(null);
    setMessage(msg);
  };
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-xl font-semibold">Codes</h2>
        <div className="flex flex-wrap gap-2">
          {editing === null && (
            <Button
              onClick={() => {
                setMessage("");
                setEditing("new");
              }}
            >
              New codes
            </Button>
          )}
          <a
            href={`/exports/events/${event.id}/codes.csv`}
            download
            className="inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-4 font-medium hover:bg-slate-100"
          >
            Download CSV
          </a>
        </div>
      </div>
      <p className="mb-4 text-slate-800">
        Discount codes lower prices; access codes unlock hidden ticket types or open a presale. A
        use is one order, counted while its hold lives and kept once it is booked.
      </p>
      {message && (
        <div className="mb-4">
          <Notice>{message}</Notice>
        </div>
      )}
      {editing !== null && (
        <CodeForm
          key={editing === "new" ? "new" : editing.id}
          event={event}
          {...(editing === "new" ? {} : { saved: editing })}
          onDone={done}
        />
      )}
      <SearchForm label="Search codes" placeholder="Code starts with…" onSearch={setSearch} />
      {list.isPending ? (
        <Loading what="Loading codes" />
      ) : list.isError ? (
        <ErrorBox error={list.error} />
      ) : codes.length === 0 ? (
        <Empty>{search ? `No code starts with “${search}”.` : "No codes yet."}</Empty>
      ) : (
        <ul className="flex flex-col gap-2" aria-label="Codes">
          {codes.map((c) => (
            <CodeRow
              key={c.id}
              c={c}
              event={event}
              onEdit={() => {
                setMessage("");
                setEditing(c);
              }}
              onToggle={() => setToggling(c)}
            />
          ))}
        </ul>
      )}
      <LoadMore query={list}>More</LoadMore>
      <ToggleDialog code={toggling} onClose={done} />
    </div>
  );
}
