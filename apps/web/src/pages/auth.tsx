import {
  loginInput,
  registerInput,
  requestPasswordResetInput,
  resetPasswordInput,
} from "@boxoffice/api/schemas/auth";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { Button, Card, ErrorBox, Field, Notice, Spinner } from "../components/ui.tsx";
import { switchUser, useMe } from "../lib/auth.tsx";
import { errorData } from "../lib/errors.ts";
import { type FieldErrors, fieldErrors, serverFieldErrors } from "../lib/forms.ts";
import { type RouterOutputs, useTRPC } from "../lib/trpc.ts";

/** After sign-in or sign-up: everything cached belonged to the anonymous visitor. */
function useSignedIn() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return (result: RouterOutputs["auth"]["login"], fallback: string) => {
    switchUser(queryClient, trpc.auth.me.queryKey(), result.user);
    const next = params.get("next");
    // Only local paths: an open redirect would let a link send people anywhere after sign-in.
    navigate(next?.startsWith("/") && !next.startsWith("//") ? next : fallback);
  };
}

export function LoginPage() {
  const trpc = useTRPC();
  const signedIn = useSignedIn();
  const [errors, setErrors] = useState<FieldErrors>({});
  const login = useMutation(
    trpc.auth.login.mutationOptions({ onSuccess: (result) => signedIn(result, "/") }),
  );
  const [params] = useSearchParams();

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const parsed = loginInput.safeParse({
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    });
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setErrors({});
    login.mutate(parsed.data);
  }

  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-4 text-2xl font-bold">Sign in</h1>
      <Card>
        <form className="flex flex-col gap-4" onSubmit={submit} noValidate>
          <Field label="Email" error={errors.email}>
            {(p) => <input {...p} name="email" type="email" autoComplete="email" required />}
          </Field>
          <Field label="Password" error={errors.password}>
            {(p) => (
              <input
                {...p}
                name="password"
                type="password"
                autoComplete="current-password"
                required
              />
            )}
          </Field>
          <ErrorBox error={login.error} />
          <Button type="submit" busy={login.isPending}>
            Sign in
          </Button>
          <Link className="text-center font-medium text-indigo-700 underline" to="/forgot-password">
            Forgot your password?
          </Link>
        </form>
      </Card>
      <p className="mt-4 text-center text-slate-700">
        New here?{" "}
        <Link
          className="font-medium text-indigo-700 underline"
          to={`/register${params.get("next") ? `?next=${encodeURIComponent(params.get("next") ?? "")}` : ""}`}
        >
          Create an account
        </Link>
      </p>
    </div>
  );
}

/** After signing up as an organizer where an admin approves organizers. */
function OrganizerRequestSent() {
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-4 text-2xl font-bold">Your account is ready</h1>
      <Card>
        <p role="status">
          An admin will review your request to organize events. Until then you can buy tickets like
          everyone else; once approved, “Organize” appears in the menu.
        </p>
        <p className="mt-4">
          <Link className="font-medium text-indigo-700 underline" to="/">
            Browse events
          </Link>
        </p>
      </Card>
    </div>
  );
}

export function RegisterPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const signedIn = useSignedIn();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [applied, setApplied] = useState(false);
  const register = useMutation(
    trpc.auth.register.mutationOptions({
      onSuccess: (result) => {
        // ORGANIZER_SIGNUP=approval: signed in as an attendee until an admin approves.
        if (result.user.organizerRequest === "pending") {
          switchUser(queryClient, trpc.auth.me.queryKey(), result.user);
          setApplied(true);
          return;
        }
        signedIn(result, result.user.role === "organizer" ? "/organizer" : "/");
      },
      onError: (error) => setErrors(serverFieldErrors(errorData(error)?.issues)),
    }),
  );
  if (applied) return <OrganizerRequestSent />;

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const parsed = registerInput.safeParse({
      name: String(form.get("name") ?? ""),
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      role: String(form.get("role") ?? "attendee"),
    });
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setErrors({});
    register.mutate(parsed.data);
  }

  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-4 text-2xl font-bold">Create an account</h1>
      <Card>
        <form className="flex flex-col gap-4" onSubmit={submit} noValidate>
          <Field label="Name" error={errors.name}>
            {(p) => <input {...p} name="name" autoComplete="name" required />}
          </Field>
          <Field label="Email" error={errors.email}>
            {(p) => <input {...p} name="email" type="email" autoComplete="email" required />}
          </Field>
          <Field label="Password" error={errors.password} hint="At least 8 characters.">
            {(p) => (
              <input {...p} name="password" type="password" autoComplete="new-password" required />
            )}
          </Field>
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1 text-sm font-medium text-slate-800">I want to</legend>
            <label className="flex items-center gap-2">
              <input type="radio" name="role" value="attendee" defaultChecked /> Buy tickets
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="role" value="organizer" /> Organize events (and buy tickets)
            </label>
          </fieldset>
          <ErrorBox error={register.error} />
          <Button type="submit" busy={register.isPending}>
            Create account
          </Button>
        </form>
      </Card>
      <p className="mt-4 text-center text-slate-700">
        Already have an account?{" "}
        <Link className="font-medium text-indigo-700 underline" to="/login">
          Sign in
        </Link>
      </p>
    </div>
  );
}

const linkClass = "font-medium text-indigo-700 underline";

/** Asks for a reset link. The answer is the same whether or not the email has an account. */
export function ForgotPasswordPage() {
  const trpc = useTRPC();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [sentTo, setSentTo] = useState<string | null>(null);
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const parsed = requestPasswordResetInput.safeParse({ email: String(form.get("email") ?? "") });
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setErrors({});
    request.mutate(parsed.data, { onSuccess: () => setSentTo(parsed.data.email) });
  }

  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-4 text-2xl font-bold">Forgot your password?</h1>
      <Card>
        {sentTo ? (
          <Notice>
            If an account uses {sentTo}, we have sent it a link to choose a new password. The link
            works once, for an hour. No mail? Check the spam folder, or ask again.
          </Notice>
        ) : (
          <form className="flex flex-col gap-4" onSubmit={submit} noValidate>
            <p className="text-slate-700">
              Tell us the email you signed up with and we will mail you a link to choose a new
              password.
            </p>
            <Field label="Email" error={errors.email}>
              {(p) => <input {...p} name="email" type="email" autoComplete="email" required />}
            </Field>
            <ErrorBox error={request.error} />
            <Button type="submit" busy={request.isPending}>
              Mail me a link
            </Button>
          </form>
        )}
      </Card>
      <p className="mt-4 text-center text-slate-700">
        Remembered it?{" "}
        <Link className={linkClass} to="/login">
          Sign in
        </Link>
      </p>
    </div>
  );
}

/** Where a reset link lands: a new password, then signed in here and out everywhere else. */
export function ResetPasswordPage() {
  const { token = "" } = useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<FieldErrors>({});
  const reset = useMutation(
    trpc.auth.resetPassword.mutationOptions({
      onSuccess: (result) => switchUser(queryClient, trpc.auth.me.queryKey(), result.user),
    }),
  );
  const linkDead = errorData(reset.error)?.reason === "LINK_INVALID";

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const parsed = resetPasswordInput.safeParse({
      token,
      newPassword: String(form.get("newPassword") ?? ""),
    });
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setErrors({});
    reset.mutate(parsed.data);
  }

  if (reset.isSuccess) {
    return (
      <div className="mx-auto max-w-md">
        <h1 className="mb-4 text-2xl font-bold">Password changed</h1>
        <Card>
          <Notice>
            Your new password is set and you are signed in as {reset.data.user.email}. Every other
            session was signed out.
          </Notice>
          <p className="mt-4">
            <Link className={linkClass} to="/">
              Browse events
            </Link>
          </p>
        </Card>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-4 text-2xl font-bold">Choose a new password</h1>
      <Card>
        <form className="flex flex-col gap-4" onSubmit={submit} noValidate>
          <Field
            label="New password"
            error={errors.newPassword}
            hint="At least 8 characters. Signs you out on every other device."
          >
            {(p) => <input {...p} name="newPassword" type="password" autoComplete="new-password" />}
          </Field>
          <ErrorBox error={reset.error} />
          {linkDead && (
            <Link className={linkClass} to="/forgot-password">
              Ask for a new link
            </Link>
          )}
          <Button type="submit" busy={reset.isPending} disabled={linkDead}>
            Set new password
          </Button>
        </form>
      </Card>
    </div>
  );
}

/** Where a verification link lands: verified at once, signed in or not. */
export function VerifyEmailPage() {
  const { token = "" } = useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useMe();
  const verify = useMutation(
    trpc.auth.verifyEmail.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() }),
    }),
  );
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    verify.mutate({ token });
  }, [verify, token]);

  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-4 text-2xl font-bold">Verify your email</h1>
      <Card>
        {verify.isSuccess ? (
          <>
            <Notice>Thank you: {verify.data.email} is verified.</Notice>
            <p className="mt-4">
              <Link className={linkClass} to={me.data ? "/account" : "/login"}>
                {me.data ? "Back to your account" : "Sign in"}
              </Link>
            </p>
          </>
        ) : verify.isError ? (
          <>
            <ErrorBox error={verify.error} />
            <p className="mt-4">
              <Link className={linkClass} to={me.data ? "/account" : "/login?next=/account"}>
                {me.data ? "Send a new link from your account" : "Sign in to send a new link"}
              </Link>
            </p>
          </>
        ) : (
          <Spinner label="Verifying your email address…" />
        )}
      </Card>
    </div>
  );
}
