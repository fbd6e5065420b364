import { changePasswordInput } from "@boxoffice/api/schemas/auth";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button, Card, ErrorBox, Field, Notice, PageTitle } from "../components/ui.tsx";
import { useMe } from "../lib/auth.tsx";
import { type FieldErrors, fieldErrors } from "../lib/forms.ts";
import { useTRPC } from "../lib/trpc.ts";

/** Whether the address is verified, and a button that mails a link when it is not. */
function EmailVerification({ email, verified }: { email: string; verified: boolean }) {
  const trpc = useTRPC();
  const request = useMutation(trpc.auth.requestEmailVerification.mutationOptions());
  if (verified) {
    return <span className="block text-sm font-medium text-green-800">Verified</span>;
  }
  return (
    <div className="mt-1 flex flex-col items-start gap-2">
      <span className="text-sm text-slate-700">Not verified yet.</span>
      {request.isSuccess ? (
        <Notice>We sent a link to {email}. Open it within a day to verify your address.</Notice>
      ) : (
        <Button variant="secondary" busy={request.isPending} onClick={() => request.mutate()}>
          Send verification link
        </Button>
      )}
      <ErrorBox error={request.error} />
    </div>
  );
}

export function AccountPage() {
  const trpc = useTRPC();
  const me = useMe();
  const [errors, setErrors] = useState<FieldErrors>({});
  const change = useMutation(trpc.auth.changePassword.mutationOptions());

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const parsed = changePasswordInput.safeParse({
      currentPassword: String(form.get("currentPassword") ?? ""),
      newPassword: String(form.get("newPassword") ?? ""),
    });
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setErrors({});
    change.mutate(parsed.data, { onSuccess: () => formEl.reset() });
  }

  return (
    <div className="mx-auto max-w-md">
      <PageTitle>Your account</PageTitle>
      {me.data && (
        <Card className="mb-6">
          <dl className="grid grid-cols-3 gap-2">
            <dt className="text-slate-600">Name</dt>
            <dd className="col-span-2">{me.data.name}</dd>
            <dt className="text-slate-600">Email</dt>
            <dd className="col-span-2">
              <span className="break-all">{me.data.email}</span>
              <EmailVerification email={me.data.email} verified={me.data.emailVerified} />
            </dd>
            <dt className="text-slate-600">Role</dt>
            <dd className="col-span-2">
              {me.data.role}
              {me.data.organizerRequest === "pending" && (
                <span className="block text-sm text-slate-600">
                  Your request to organize events waits for an admin.
                </span>
              )}
            </dd>
          </dl>
        </Card>
      )}
      <h2 className="mb-2 text-lg font-semibold">Change password</h2>
      <Card>
        <form className="flex flex-col gap-4" onSubmit={submit} noValidate>
          <Field label="Current password" error={errors.currentPassword}>
            {(p) => (
              <input
                {...p}
                name="currentPassword"
                type="password"
                autoComplete="current-password"
              />
            )}
          </Field>
          <Field
            label="New password"
            error={errors.newPassword}
            hint="At least 8 characters. Signs you out everywhere else."
          >
            {(p) => <input {...p} name="newPassword" type="password" autoComplete="new-password" />}
          </Field>
          <ErrorBox error={change.error} />
          {change.isSuccess && <Notice>Password changed. Other sessions were signed out.</Notice>}
          <Button type="submit" busy={change.isPending}>
            Change password
          </Button>
        </form>
      </Card>
    </div>
  );
}
