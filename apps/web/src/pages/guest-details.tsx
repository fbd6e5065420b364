/**
 * Buying without an account: after "Continue", the event page asks for an email and a name
 * (checked with the server's `buyerInput`), with a way to sign in instead that keeps what was
 * picked. Fields only: the picker's own form submits them with the hold.
 */
import { buyerInput } from "@boxoffice/api/schemas/checkout";
import { useEffect, useRef } from "react";
import { Link } from "react-router";
import { Field } from "../components/ui.tsx";
import { type FieldErrors, fieldErrors } from "../lib/forms.ts";
import { guestBuyer } from "../lib/guest-buyer.ts";

export interface GuestDraft {
  email: string;
  name: string;
}

/** What this tab's guest said last time, or blanks. */
export const initialGuest = (): GuestDraft => guestBuyer() ?? { email: "", name: "" };

export function readGuest(
  draft: GuestDraft,
): { ok: true; buyer: { email: string; name: string } } | { ok: false; errors: FieldErrors } {
  const parsed = buyerInput.safeParse(draft);
  return parsed.success
    ? { ok: true, buyer: parsed.data }
    : { ok: false, errors: fieldErrors(parsed.error) };
}

/** A buyer refusal's field errors: `buyer.email` → `email`. */
export function guestServerErrors(issues: { path: string; message: string }[] | undefined) {
  const out: FieldErrors = {};
  for (const issue of issues ?? []) {
    const key = issue.path.replace(/^buyer\./, "");
    if (key === "email" || key === "name") out[key] ??= issue.message;
  }
  return out;
}

export function GuestDetails({
  draft,
  errors,
  signInHref,
  onChange,
}: {
  draft: GuestDraft;
  errors: FieldErrors;
  signInHref: string;
  onChange: (draft: GuestDraft) => void;
}) {
  const first = useRef<HTMLInputElement>(null);
  // Shown after "Continue": where to type next.
  useEffect(() => first.current?.focus(), []);
  return (
    <section
      aria-labelledby="guest-heading"
      className="mt-4 rounded-lg border border-indigo-200 bg-indigo-50/40 p-4"
    >
      <h3 id="guest-heading" className="text-lg font-semibold">
        Your details
      </h3>
      <p className="mb-3 text-sm text-slate-700">
        No account needed: your tickets and a link to manage your order go to this email.{" "}
        <Link className="font-medium text-indigo-800 underline" to={signInHref}>
          Or sign in
        </Link>{" "}
        (your selection is kept).
      </p>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Email" error={errors.email}>
          {(p) => (
            <input
              {...p}
              ref={first}
              type="email"
              name="email"
              autoComplete="email"
              value={draft.email}
              onChange={(e) => onChange({ ...draft, email: e.target.value })}
            />
          )}
        </Field>
        <Field label="Your name" error={errors.name}>
          {(p) => (
            <input
              {...p}
              name="name"
              autoComplete="name"
              value={draft.name}
              onChange={(e) => onChange({ ...draft, name: e.target.value })}
            />
          )}
        </Field>
      </div>
    </section>
  );
}
