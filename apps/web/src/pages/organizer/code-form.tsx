import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { Button, ErrorBox, Field } from "../../components/ui.tsx";
import { errorData, reasonOf } from "../../lib/errors.ts";
import { type FieldErrors, serverFieldErrors } from "../../lib/forms.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { zoneLabel } from "../../lib/zoned-time.ts";
import {
  type CodeFormState,
  codeFormFromCode,
  initialCodeForm,
  readCodeForm,
  readCodeUpdate,
  type SavedCode,
} from "./code-form-state.ts";
import type { ManagedEvent } from "./manage.tsx";

type Set = <K extends keyof CodeFormState>(key: K, value: CodeFormState[K]) => void;

function Choice<T extends string>({
  legend,
  value,
  options,
  onChange,
  error,
}: {
  legend: string;
  value: T;
  options: [T, string][];
  onChange: (v: T) => void;
  error?: string | undefined;
}) {
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      <div className="flex flex-wrap gap-x-4">
        {options.map(([v, label]) => (
          <label key={v} className="flex min-h-11 items-center gap-2">
            <input
              type="radio"
              className="h-5 w-5"
              checked={value === v}
              onChange={() => onChange(v)}
            />
            {label}
          </label>
        ))}
      </div>
      {error && <p className="text-sm font-medium text-red-700">{error}</p>}
    </fieldset>
  );
}

function TypeChecks({
  legend,
  types,
  chosen,
  onChange,
  error,
  before,
}: {
  legend: string;
  types: { id: string; name: string }[];
  chosen: string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
  before?: ReactNode;
}) {
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      {before}
      {types.map((t) => (
        <label key={t.id} className="flex min-h-11 items-center gap-2">
          <input
            type="checkbox"
            className="h-5 w-5"
            checked={chosen.includes(t.id)}
            onChange={(e) =>
              onChange(e.target.checked ? [...chosen, t.id] : chosen.filter((id) => id !== t.id))
            }
          />
          {t.name}
        </label>
      ))}
      {error && <p className="text-sm font-medium text-red-700">{error}</p>}
    </fieldset>
  );
}

function TextField({
  label,
  name,
  s,
  set,
  errors,
  hint,
  type = "text",
  inputMode,
}: {
  label: string;
  name: "code" | "count" | "prefix" | "percent" | "amount" | "maxUses" | "maxUsesPerBuyer";
  s: CodeFormState;
  set: Set;
  errors: FieldErrors;
  hint?: string;
  type?: string;
  inputMode?: "numeric" | "decimal";
}) {
  return (
    <Field label={label} error={errors[name]} {...(hint ? { hint } : {})}>
      {(p) => (
        <input
          {...p}
          type={type}
          inputMode={inputMode}
          value={s[name]}
          onChange={(e) => set(name, e.target.value)}
        />
      )}
    </Field>
  );
}

function TimeField({
  label,
  name,
  s,
  set,
  errors,
  zone,
  hint,
}: {
  label: string;
  name: "validFrom" | "validUntil" | "opensSalesAt";
  s: CodeFormState;
  set: Set;
  errors: FieldErrors;
  zone: string;
  hint?: string;
}) {
  return (
    <Field
      label={`${label} (${zoneLabel(Date.now(), zone)})`}
      error={errors[name]}
      {...(hint ? { hint } : {})}
    >
      {(p) => (
        <input
          {...p}
          type="datetime-local"
          value={s[name]}
          onChange={(e) => set(name, e.target.value)}
        />
      )}
    </Field>
  );
}

/** Create one code, generate many, or edit a saved one (`saved`). */
export function CodeForm({
  event,
  saved,
  onDone,
}: {
  event: ManagedEvent;
  saved?: SavedCode;
  onDone: (message: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [s, setState] = useState<CodeFormState>(() =>
    saved ? codeFormFromCode(saved, event.timezone) : initialCodeForm(),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const set: Set = (key, value) => setState((prev) => ({ ...prev, [key]: value }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.codes.list.pathKey() });
  const create = useMutation(trpc.codes.create.mutationOptions({ onSuccess: refresh }));
  const generate = useMutation(trpc.codes.generate.mutationOptions({ onSuccess: refresh }));
  const update = useMutation(trpc.codes.update.mutationOptions({ onSuccess: refresh }));
  const failed = create.error ?? generate.error ?? update.error;
  const server = serverFieldErrors(errorData(failed)?.issues);
  if (reasonOf(failed) === "CODE_TAKEN") server.code = "This event already has that code";
  const shown = { ...server, ...errors };
  const hiddenTypes = event.ticketTypes.filter((t) => t.hidden);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (saved) {
      const read = readCodeUpdate(s, event.id, saved.id, event.timezone);
      setErrors(read.ok ? {} : read.errors);
      if (read.ok) update.mutate(read.input, { onSuccess: (c) => onDone(`Saved ${c.code}.`) });
      return;
    }
    const read = readCodeForm(s, event.id, event.timezone);
    setErrors(read.ok ? {} : read.errors);
    if (!read.ok) return;
    if (read.mode === "one") {
      create.mutate(read.input, { onSuccess: (c) => onDone(`Created ${c.code}.`) });
    } else {
      generate.mutate(read.input, {
        onSuccess: (r) =>
          onDone(`Generated ${r.codes.length} code${r.codes.length === 1 ? "" : "s"}.`),
      });
    }
  }

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={saved ? `Edit code ${saved.code}` : "New code"}
      className="mb-6 flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4"
    >
      {!saved && (
        <Choice
          legend="Make"
          value={s.mode}
          options={[
            ["one", "One code"],
            ["many", "Many single-use codes"],
          ]}
          onChange={(v) => set("mode", v)}
        />
      )}
      {!saved && (
        <Choice
          legend="Kind"
          value={s.kind}
          error={shown.kind}
          options={[
            ["discount", "Discount"],
            ["access", "Access (hidden types, presale)"],
          ]}
          onChange={(v) => set("kind", v)}
        />
      )}
      {!saved && s.mode === "one" && (
        <TextField
          label="Code"
          name="code"
          hint="Letters, digits, - or _. Leave empty to generate one."
          {...{ s, set, errors: shown }}
        />
      )}
      {!saved && s.mode === "many" && (
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField
            label="How many"
            name="count"
            inputMode="numeric"
            {...{ s, set, errors: shown }}
          />
          <TextField
            label="Prefix (optional)"
            name="prefix"
            hint="Up to 10 characters, e.g. SPK-"
            {...{ s, set, errors: shown }}
          />
        </div>
      )}
      {s.kind === "discount" && (
        <div className="grid gap-3 sm:grid-cols-2">
          <Choice
            legend="Discount"
            value={s.discountType}
            options={[
              ["percent", "Percent off"],
              ["amount", `Amount off each ticket (${event.currency})`],
            ]}
            onChange={(v) => set("discountType", v)}
          />
          {s.discountType === "percent" ? (
            <TextField
              label="Percent off (100 makes it free)"
              name="percent"
              inputMode="numeric"
              {...{ s, set, errors: shown }}
            />
          ) : (
            <TextField
              label={`Amount off (${event.currency})`}
              name="amount"
              inputMode="decimal"
              {...{ s, set, errors: shown }}
            />
          )}
        </div>
      )}
      <TypeChecks
        legend={s.kind === "discount" ? "Applies to" : "Lets buy"}
        types={s.allTypes ? [] : event.ticketTypes}
        chosen={s.ticketTypeIds}
        onChange={(ids) => set("ticketTypeIds", ids)}
        error={shown.ticketTypeIds}
        before={
          <label className="flex min-h-11 items-center gap-2">
            <input
              type="checkbox"
              className="h-5 w-5"
              checked={s.allTypes}
              onChange={(e) => set("allTypes", e.target.checked)}
            />
            Every ticket type
          </label>
        }
      />
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label="Max uses (empty: unlimited)"
          name="maxUses"
          inputMode="numeric"
          hint={!saved && s.mode === "many" ? "Each generated code: 1 unless you say" : undefined}
          {...{ s, set, errors: shown }}
        />
        <TextField
          label="Uses per buyer (empty: no limit)"
          name="maxUsesPerBuyer"
          inputMode="numeric"
          {...{ s, set, errors: shown }}
        />
        <TimeField
          label="Valid from"
          name="validFrom"
          zone={event.timezone}
          {...{ s, set, errors: shown }}
        />
        <TimeField
          label="Valid until"
          name="validUntil"
          zone={event.timezone}
          {...{ s, set, errors: shown }}
        />
      </div>
      {hiddenTypes.length > 0 ? (
        <TypeChecks
          legend="Unlocks hidden types"
          types={hiddenTypes}
          chosen={s.unlocksTicketTypeIds}
          onChange={(ids) => set("unlocksTicketTypeIds", ids)}
          error={shown.unlocksTicketTypeIds}
        />
      ) : (
        <p className="text-sm text-slate-700">
          No hidden ticket types: mark one “Hidden” in Edit for a code to unlock it.
        </p>
      )}
      <TimeField
        label="Presale opens"
        name="opensSalesAt"
        zone={event.timezone}
        hint="Holders of the code can buy from then, before public sales open."
        {...{ s, set, errors: shown }}
      />
      {Object.keys(server).length === 0 && <ErrorBox error={failed} />}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" busy={create.isPending || generate.isPending || update.isPending}>
          {saved ? "Save code" : s.mode === "many" ? "Generate codes" : "Create code"}
        </Button>
        <Button variant="secondary" onClick={() => onDone("")}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
