/**
 * Apple Wallet set-up (`wallet.get/set/remove`): the Pass Type ID, Team ID and signing material
 * (certificate, key, passphrase, Apple's WWDR certificate) pasted as PEM text or chosen as files,
 * read in the browser. Configured, it shows the certificate's subject and expiry.
 */
import { type WalletSetInput, walletSetInput } from "@boxoffice/api/schemas/wallet";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import {
  Button,
  Card,
  ConfirmDialog,
  ErrorBox,
  Field,
  Loading,
  Notice,
} from "../../components/ui.tsx";
import { errorData } from "../../lib/errors.ts";
import { dateTime } from "../../lib/format.ts";
import { type FieldErrors, fieldErrors, serverFieldErrors } from "../../lib/forms.ts";
import { readPemFile } from "../../lib/pem.ts";
import { type RouterOutputs, useTRPC } from "../../lib/trpc.ts";

type Wallet = RouterOutputs["wallet"]["get"];
type Form = Required<{ [K in keyof WalletSetInput]: string }>;

const emptyForm: Form = {
  passTypeIdentifier: "",
  teamIdentifier: "",
  signerCert: "",
  signerKey: "",
  signerKeyPassphrase: "",
  wwdr: "",
};

const DAY = 86_400_000;

/** A PEM text area with a file picker beside it that fills it. */
function PemField({
  label,
  hint,
  kind,
  value,
  error,
  onChange,
}: {
  label: string;
  hint: string;
  kind: "certificate" | "key";
  value: string;
  error: string | undefined;
  onChange: (text: string) => void;
}) {
  const fileId = useId();
  const [readError, setReadError] = useState<string | null>(null);
  return (
    <div className="flex flex-col gap-1">
      <Field label={label} error={error ?? readError ?? undefined} hint={hint}>
        {(p) => (
          <textarea
            {...p}
            rows={4}
            spellCheck={false}
            className={`${p.className} font-mono text-xs`}
            placeholder="-----BEGIN …-----"
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
        )}
      </Field>
      <label htmlFor={fileId} className="text-sm text-slate-800">
        or choose a file ({kind === "certificate" ? ".pem or .cer" : ".pem"}):{" "}
        <input
          id={fileId}
          type="file"
          accept={kind === "certificate" ? ".pem,.cer,.crt" : ".pem,.key"}
          aria-label={`Choose a file for ${label}`}
          className="mt-1 block w-full text-sm file:mr-3 file:min-h-11 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:font-medium"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            setReadError(null);
            readPemFile(file, kind).then(onChange, () =>
              setReadError(`Could not read ${file.name}`),
            );
          }}
        />
      </label>
    </div>
  );
}

function WalletForm({ onCancel, onSaved }: { onCancel?: () => void; onSaved: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(emptyForm);
  const [errors, setErrors] = useState<FieldErrors>({});
  const set = (key: keyof Form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const save = useMutation(
    trpc.wallet.set.mutationOptions({
      onSuccess: (next) => {
        queryClient.setQueryData(trpc.wallet.get.queryKey(), next);
        onSaved();
      },
      onError: (error) => setErrors(serverFieldErrors(errorData(error)?.issues)),
    }),
  );
  function submit(e: FormEvent) {
    e.preventDefault();
    const { signerKeyPassphrase, ...rest } = form;
    const parsed = walletSetInput.safeParse({
      ...rest,
      ...(signerKeyPassphrase ? { signerKeyPassphrase } : {}),
    });
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      requestAnimationFrame(() =>
        document.querySelector<HTMLElement>("form [aria-invalid='true']")?.focus(),
      );
      return;
    }
    setErrors({});
    save.mutate(parsed.data);
  }
  const text = (key: "passTypeIdentifier" | "teamIdentifier", label: string, hint: string) => (
    <Field label={label} error={errors[key]} hint={hint}>
      {(p) => (
        <input
          {...p}
          spellCheck={false}
          autoComplete="off"
          value={form[key]}
          onChange={(e) => set(key)(e.target.value)}
        />
      )}
    </Field>
  );
  const hasFieldError = Object.keys(errors).length > 0;
  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-3">
      {text(
        "passTypeIdentifier",
        "Pass Type ID",
        "As registered with Apple: pass.org.example.tickets",
      )}
      {text("teamIdentifier", "Team ID", "Your Apple Developer Team ID: 10 letters and digits")}
      <PemField
        label="Pass certificate"
        kind="certificate"
        hint="The certificate Apple issued for the Pass Type ID."
        value={form.signerCert}
        error={errors.signerCert}
        onChange={set("signerCert")}
      />
      <PemField
        label="Private key"
        kind="key"
        hint="The certificate's key, as PEM (from a .p12: openssl pkcs12 -in pass.p12 -nocerts)."
        value={form.signerKey}
        error={errors.signerKey}
        onChange={set("signerKey")}
      />
      <Field label="Key passphrase (if the key has one)" error={errors.signerKeyPassphrase}>
        {(p) => (
          <input
            {...p}
            type="password"
            autoComplete="off"
            value={form.signerKeyPassphrase}
            onChange={(e) => set("signerKeyPassphrase")(e.target.value)}
          />
        )}
      </Field>
      <PemField
        label="Apple WWDR certificate"
        kind="certificate"
        hint="Apple's intermediate certificate (Worldwide Developer Relations, G4)."
        value={form.wwdr}
        error={errors.wwdr}
        onChange={set("wwdr")}
      />
      {/* A refusal about a field is shown at it; anything else here. */}
      {!hasFieldError && <ErrorBox error={save.error} />}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" busy={save.isPending}>
          Check and save
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}

function Configured({
  wallet,
  onReplace,
}: {
  wallet: Wallet & { configured: true };
  onReplace: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const remove = useMutation(
    trpc.wallet.remove.mutationOptions({
      onSuccess: (next) => {
        setAsking(false);
        queryClient.setQueryData(trpc.wallet.get.queryKey(), next);
      },
    }),
  );
  const expires = Date.parse(wallet.certificateExpiresAt);
  const left = expires - Date.now();
  return (
    <>
      <dl className="mb-3 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
        <dt className="text-slate-700">Pass Type ID</dt>
        <dd className="break-all font-mono">{wallet.passTypeIdentifier}</dd>
        <dt className="text-slate-700">Team ID</dt>
        <dd className="font-mono">{wallet.teamIdentifier}</dd>
        <dt className="text-slate-700">Certificate</dt>
        <dd className="break-words" data-testid="wallet-subject">
          {wallet.certificateSubject}
        </dd>
        <dt className="text-slate-700">Expires</dt>
        <dd data-testid="wallet-expiry">
          {dateTime(wallet.certificateExpiresAt)}
          {left <= 0 ? (
            <span className="ml-2 font-semibold text-red-800">Expired: no passes can be made</span>
          ) : left < 30 * DAY ? (
            <span className="ml-2 font-semibold text-amber-900">Renew it soon</span>
          ) : null}
        </dd>
      </dl>
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" onClick={onReplace}>
          Replace certificate
        </Button>
        <Button variant="danger" onClick={() => setAsking(true)}>
          Remove Apple Wallet…
        </Button>
      </div>
      <ConfirmDialog
        open={asking}
        title="Remove Apple Wallet?"
        onClose={() => setAsking(false)}
        error={remove.error}
        busy={remove.isPending}
        confirmLabel="Remove"
        onConfirm={() => remove.mutate()}
        keepLabel="Keep it"
      >
        <p>
          Your events' tickets will no longer offer Wallet passes, and the certificate and key are
          deleted from Boxoffice. Passes already added stay in people's Wallets.
        </p>
      </ConfirmDialog>
    </>
  );
}

export function WalletSettings() {
  const trpc = useTRPC();
  const wallet = useQuery(trpc.wallet.get.queryOptions());
  const [replacing, setReplacing] = useState(false);
  const [saved, setSaved] = useState(false);
  return (
    <Card>
      <h2 className="mb-1 text-lg font-semibold">Apple Wallet</h2>
      <p className="mb-3 text-sm text-slate-700">
        With your Pass Type certificate from Apple, your buyers can add each ticket to Apple Wallet
        from their mail and their order page; without it, no Wallet passes are offered.
      </p>
      {saved && wallet.data?.configured && (
        <div className="mb-3">
          <Notice>Saved: your tickets now come with Apple Wallet passes.</Notice>
        </div>
      )}
      {wallet.isPending ? (
        <Loading what="Loading your Wallet set-up" />
      ) : wallet.isError ? (
        <ErrorBox error={wallet.error} title="Could not load your Wallet set-up" />
      ) : wallet.data.configured && !replacing ? (
        <Configured
          wallet={wallet.data}
          onReplace={() => {
            setSaved(false);
            setReplacing(true);
          }}
        />
      ) : (
        <WalletForm
          {...(wallet.data.configured ? { onCancel: () => setReplacing(false) } : {})}
          onSaved={() => {
            setReplacing(false);
            setSaved(true);
          }}
        />
      )}
    </Card>
  );
}
