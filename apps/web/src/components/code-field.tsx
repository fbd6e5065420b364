import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { describeError, reasonOf } from "../lib/errors.ts";
import { money } from "../lib/format.ts";
import { useTRPC } from "../lib/trpc.ts";
import { Button, Field } from "./ui.tsx";

/**
 * The code a buyer applied on an event page: checked with `events.applyCode` (no use is taken),
 * then sent with the hold. Starts from `initial` (a `?code=` link, or back from signing in).
 */
export function useAppliedCode(eventId: string, initial: string | null) {
  const trpc = useTRPC();
  const [code, setCode] = useState(initial?.trim() ?? "");
  // A hold refused because of the code (used up meanwhile, say): said at the code, not the button.
  const [refusal, setRefusal] = useState<unknown>(null);
  const query = useQuery(
    trpc.events.applyCode.queryOptions(
      { eventId, code },
      { enabled: code !== "", retry: false, staleTime: 30_000, refetchOnWindowFocus: false },
    ),
  );
  return {
    /** The code as typed (what travels with the hold and through sign-in). */
    code,
    /** What it does, once the server said it is good. */
    effect: code !== "" ? (query.data ?? null) : null,
    checking: code !== "" && query.isFetching,
    error: code !== "" ? query.error : null,
    refusal,
    /** Keeps a hold's refusal if it is about the code; says whether it was. */
    refuse: (error: unknown) => {
      const reason = reasonOf(error);
      const about = code !== "" && (reason?.startsWith("CODE_") || reason === "RATE_LIMITED");
      if (about) setRefusal(error);
      return Boolean(about);
    },
    apply: (text: string) => {
      setRefusal(null);
      // The same code again (after a refusal): ask again rather than keep the old answer.
      if (text.trim() === code) void query.refetch();
      else setCode(text.trim());
    },
    remove: () => {
      setRefusal(null);
      setCode("");
    },
  };
}

export type AppliedCode = ReturnType<typeof useAppliedCode>;

/** "Have a code?": a disclosure with a text field and Apply; once applied, what it does. */
export function CodeField({ applied, sentence }: { applied: AppliedCode; sentence: string }) {
  const [text, setText] = useState(applied.code);
  const [open, setOpen] = useState(applied.code !== "");
  if (applied.effect) {
    return (
      <div
        className="mb-4 flex flex-wrap items-center justify-between gap-2 rounded-md border border-green-300 bg-green-50 p-3 text-green-950"
        data-testid="applied-code"
      >
        <div>
          <p>
            Code <strong className="font-mono">{applied.effect.code}</strong>: {sentence}
          </p>
          {applied.refusal != null && (
            <p role="alert" className="font-medium text-red-800">
              {describeError(applied.refusal)}
            </p>
          )}
        </div>
        <Button
          variant="secondary"
          onClick={() => {
            applied.remove();
            setText("");
          }}
        >
          Remove code
        </Button>
      </div>
    );
  }
  if (!open) {
    return (
      <button
        type="button"
        aria-expanded="false"
        className="mb-4 min-h-11 font-medium text-indigo-700 underline"
        onClick={() => setOpen(true)}
      >
        Have a code?
      </button>
    );
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    if (text.trim()) applied.apply(text);
  }
  const error = applied.error ? describeError(applied.error) : undefined;
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label="Apply a code"
      className="mb-4 flex flex-col gap-2"
    >
      <div className="flex flex-wrap items-start gap-2">
        <div className="min-w-0 flex-1 basis-48">
          <Field label="Promo or access code" error={error}>
            {(p) => (
              <input
                {...p}
                value={text}
                autoCapitalize="characters"
                autoComplete="off"
                spellCheck={false}
                maxLength={40}
                onChange={(e) => setText(e.target.value)}
                className={`${p.className} font-mono uppercase`}
              />
            )}
          </Field>
        </div>
        {/* Level with the input (below its label), whether or not an error shows under it. */}
        <Button type="submit" variant="secondary" className="mt-6" busy={applied.checking}>
          Apply
        </Button>
      </div>
    </form>
  );
}

/** A price the code changed: the list price struck through, and the same in words. */
export function CodePrice({
  listCents,
  cents,
  currency,
}: {
  listCents: number;
  cents: number;
  currency: string;
}) {
  if (cents === listCents) return <>{money(listCents, currency)}</>;
  return (
    <>
      <span className="sr-only">
        {money(cents, currency)} with your code instead of {money(listCents, currency)}
      </span>
      <span aria-hidden="true">
        <s className="text-slate-500">{money(listCents, currency)}</s>{" "}
        <strong className="text-green-800">{money(cents, currency)}</strong>
      </span>
    </>
  );
}
