/**
 * An organizer's settings (`/organizer/settings`): which mails Boxoffice sends them about their
 * events (`mail.settings`), and Apple Wallet passes for their tickets (`wallet.*`).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Link } from "react-router";
import { Button, Card, ErrorBox, Loading, PageTitle } from "../../components/ui.tsx";
import { type RouterOutputs, useTRPC } from "../../lib/trpc.ts";
import { WalletSettings } from "./wallet-settings.tsx";

type MailSettings = RouterOutputs["mail"]["settings"];

const notices: [Exclude<keyof MailSettings, "saleDigest">, string, string][] = [
  ["soldOut", "Sold out", "Once, when an event's tickets are all sold."],
  [
    "waitlistGrowing",
    "Waitlist growing",
    "When the people waiting for an event reach 10, 25, 50, 100 and so on.",
  ],
  [
    "refundFailed",
    "Refund failed",
    "When the payment provider does not take a refund (it is retried until it goes through).",
  ],
];

function Toggle({
  label,
  hint,
  checked,
  onChange,
}: {
  label: string;
  hint: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="flex items-start gap-3 py-2">
      <input
        type="checkbox"
        className="mt-0.5 h-5 w-5 shrink-0"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
      />
      <span>
        <span className="block font-medium">{label}</span>
        <span className="block text-sm text-slate-700">{hint}</span>
      </span>
    </label>
  );
}

function MailSettingsForm({ saved }: { saved: MailSettings }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [s, setS] = useState<MailSettings>(saved);
  const [done, setDone] = useState(false);
  useEffect(() => setS(saved), [saved]);
  const update = useMutation(
    trpc.mail.updateSettings.mutationOptions({
      onSuccess: (next) => {
        queryClient.setQueryData(trpc.mail.settings.queryKey(), next);
        setDone(true);
      },
    }),
  );
  const change = (patch: Partial<MailSettings>) => {
    setDone(false);
    setS((prev) => ({ ...prev, ...patch }));
  };
  function submit(e: FormEvent) {
    e.preventDefault();
    update.mutate(s);
  }
  return (
    <form onSubmit={submit} className="flex flex-col">
      <fieldset>
        <legend className="sr-only">Mails about your events</legend>
        <Toggle
          label="Daily sale digest"
          hint="Per event, after each day with sales or cancellations: tickets sold and cancelled, revenue, and how full it is."
          checked={s.saleDigest === "daily"}
          onChange={(on) => change({ saleDigest: on ? "daily" : "off" })}
        />
        {notices.map(([key, label, hint]) => (
          <Toggle
            key={key}
            label={label}
            hint={hint}
            checked={s[key]}
            onChange={(on) => change({ [key]: on } as Partial<MailSettings>)}
          />
        ))}
      </fieldset>
      <ErrorBox error={update.error} />
      <div className="mt-2 flex items-center gap-3">
        <Button type="submit" busy={update.isPending}>
          Save mail settings
        </Button>
        {/* Announced where the button is: the confirmation is next to what was pressed. */}
        <output className="font-medium text-green-800">{done ? "Saved." : ""}</output>
      </div>
    </form>
  );
}

function MailSection() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.mail.settings.queryOptions());
  return (
    <Card>
      <h2 className="mb-1 text-lg font-semibold">Mail from Boxoffice</h2>
      <p className="mb-2 text-sm text-slate-700">
        What we mail you about your events, each with a link to the event. Your attendees' ticket
        mails go out whatever you choose here.
      </p>
      {settings.isPending ? (
        <Loading what="Loading your mail settings" />
      ) : settings.isError ? (
        <ErrorBox error={settings.error} title="Could not load your mail settings" />
      ) : (
        <MailSettingsForm saved={settings.data} />
      )}
    </Card>
  );
}

export function OrganizerSettingsPage() {
  return (
    <div className="mx-auto max-w-3xl">
      <PageTitle
        actions={
          <Link
            className="inline-flex min-h-11 items-center font-medium text-indigo-700 underline"
            to="/organizer"
          >
            My events
          </Link>
        }
      >
        Settings
      </PageTitle>
      <div className="flex flex-col gap-6">
        <MailSection />
        <WalletSettings />
      </div>
    </div>
  );
}
