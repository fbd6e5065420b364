import { loginInput, registerInput } from "@boxoffice/api/schemas/auth";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { Button, Card, ErrorBox, Field } from "../components/ui.tsx";
import { switchUser } from "../lib/auth.tsx";
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
