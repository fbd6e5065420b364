import {
  type ButtonHTMLAttributes,
  type FormEvent,
  type ReactNode,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
import { needsSignIn, SignInAgain } from "../lib/auth.tsx";
import { describeError } from "../lib/errors.ts";
import type { AvailabilityBadge } from "../lib/format.ts";

const variants = {
  primary: "bg-indigo-700 text-white hover:bg-indigo-800 disabled:bg-indigo-300",
  secondary:
    "bg-white text-slate-900 border border-slate-300 hover:bg-slate-100 disabled:text-slate-400",
  danger: "bg-red-700 text-white hover:bg-red-800 disabled:bg-red-300",
} as const;

export function Button({
  variant = "primary",
  busy = false,
  className = "",
  children,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: keyof typeof variants; busy?: boolean }) {
  return (
    <button
      type="button"
      {...props}
      disabled={props.disabled || busy}
      aria-busy={busy || undefined}
      className={`inline-flex min-h-11 items-center justify-center gap-2 rounded-md px-4 py-2 font-medium transition-colors disabled:cursor-not-allowed ${variants[variant]} ${className}`}
    >
      {busy && <Spinner small />}
      {children}
    </button>
  );
}

export function Spinner({ small = false, label }: { small?: boolean; label?: string }) {
  const size = small ? "h-4 w-4" : "h-6 w-6";
  return (
    <span className="inline-flex items-center gap-2" role={label ? "status" : undefined}>
      <span
        aria-hidden="true"
        className={`${size} animate-spin rounded-full border-2 border-current border-t-transparent`}
      />
      {label && <span>{label}</span>}
    </span>
  );
}

export function Loading({ what = "Loading" }: { what?: string }) {
  return (
    <div className="py-10 text-center text-slate-600">
      <Spinner label={`${what}…`} />
    </div>
  );
}

export function ErrorBox({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900">
      {title && <p className="font-semibold">{title}</p>}
      <p>
        {typeof error === "string" ? error : describeError(error)}
        {needsSignIn(error) && (
          <>
            {" "}
            <SignInAgain />
          </>
        )}
      </p>
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <output className="block rounded-md border border-green-300 bg-green-50 p-3 text-green-900">
      {children}
    </output>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <p className="rounded-md border border-dashed border-slate-300 p-6 text-center text-slate-600">
      {children}
    </p>
  );
}

export function Card({ children, className = "" }: { children: ReactNode; className?: string }) {
  return (
    <div className={`rounded-lg border border-slate-200 bg-white p-4 shadow-sm ${className}`}>
      {children}
    </div>
  );
}

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
      <h1 className="text-2xl font-bold tracking-tight">{children}</h1>
      {actions && <div className="flex flex-wrap gap-2">{actions}</div>}
    </div>
  );
}

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (props: {
    id: string;
    "aria-invalid": boolean;
    "aria-describedby": string | undefined;
    className: string;
  }) => ReactNode;
}

/** A labelled control with its hint and inline error wired up for screen readers. */
export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      {children({
        id,
        "aria-invalid": Boolean(error),
        "aria-describedby": described || undefined,
        className: `min-h-11 rounded-md border px-3 py-2 bg-white ${error ? "border-red-600" : "border-slate-400"}`,
      })}
      {hint && (
        <p id={`${id}-hint`} className="text-sm text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-sm font-medium text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

const badgeStyles: Record<AvailabilityBadge, [string, string]> = {
  "on-sale": ["On sale", "bg-green-100 text-green-900"],
  "few-left": ["Few left", "bg-amber-100 text-amber-900"],
  "sold-out": ["Sold out", "bg-slate-200 text-slate-800"],
  waitlist: ["Waitlist", "bg-violet-100 text-violet-900"],
  cancelled: ["Cancelled", "bg-red-100 text-red-900"],
};

export function Badge({ kind }: { kind: AvailabilityBadge }) {
  const [text, style] = badgeStyles[kind];
  return (
    <span
      data-badge={kind}
      className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold ${style}`}
    >
      {text}
    </span>
  );
}

export function StatusPill({ status }: { status: string }) {
  const style =
    status === "published" || status === "confirmed"
      ? "bg-green-100 text-green-900"
      : status === "draft"
        ? "bg-slate-200 text-slate-800"
        : "bg-red-100 text-red-900";
  return (
    <span className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold ${style}`}>
      {status}
    </span>
  );
}

interface PagedQuery {
  readonly hasNextPage: boolean;
  readonly isFetchingNextPage: boolean;
  fetchNextPage(): unknown;
}

/** The "more" button under a cursor-paged list; nothing once the last page is in. */
export function LoadMore({ query, children }: { query: PagedQuery; children: ReactNode }) {
  if (!query.hasNextPage) return null;
  return (
    <div className="mt-4 text-center">
      <Button
        variant="secondary"
        busy={query.isFetchingNextPage}
        onClick={() => query.fetchNextPage()}
      >
        {children}
      </Button>
    </div>
  );
}

/** A labelled search box that reports the trimmed term when submitted. */
export function SearchForm({
  label,
  placeholder,
  initial = "",
  onSearch,
}: {
  label: string;
  placeholder: string;
  initial?: string;
  onSearch: (term: string) => void;
}) {
  const id = useId();
  const [draft, setDraft] = useState(initial);
  function submit(e: FormEvent) {
    e.preventDefault();
    onSearch(draft.trim());
  }
  return (
    <search>
      <form onSubmit={submit} className="mb-4 flex gap-2">
        <label htmlFor={id} className="sr-only">
          {label}
        </label>
        <input
          id={id}
          type="search"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder={placeholder}
          className="min-h-11 flex-1 rounded-md border border-slate-400 bg-white px-3"
        />
        <Button type="submit">Search</Button>
      </form>
    </search>
  );
}

/**
 * A modal dialog (the native <dialog>: focus stays inside, Escape closes it). Focus goes back to
 * whatever had it when the dialog opened (the button that opened it), however it closes.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  /** Escape, or the parent's own close: set `open` to false here. */
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current =
        document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);
  // Unmounted while open (the page moved on): focus still goes back.
  useEffect(() => () => restoreFocus(opener), []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={() => {
        restoreFocus(opener);
        if (open) onClose();
      }}
      className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-5 text-slate-900 shadow-xl backdrop:bg-slate-900/50"
    >
      <h2 id={titleId} className="mb-3 text-lg font-semibold">
        {title}
      </h2>
      {children}
    </dialog>
  );
}

/**
 * A dialog asking to confirm one action: what it does (`children`), its error if it failed, the
 * action's button (busy while it runs) and a button that keeps things as they are.
 */
export function ConfirmDialog({
  open,
  title,
  onClose,
  children,
  error,
  busy,
  confirmLabel,
  confirmVariant = "danger",
  onConfirm,
  keepLabel,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  error: unknown;
  busy: boolean;
  confirmLabel: string;
  confirmVariant?: keyof typeof variants;
  onConfirm: () => void;
  keepLabel: string;
}) {
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      {children}
      <ErrorBox error={error} />
      <div className="mt-3 flex flex-wrap gap-2">
        <Button variant={confirmVariant} busy={busy} onClick={onConfirm}>
          {confirmLabel}
        </Button>
        <Button variant="secondary" onClick={onClose}>
          {keepLabel}
        </Button>
      </div>
    </Dialog>
  );
}

function restoreFocus(opener: { current: HTMLElement | null }): void {
  const target = opener.current;
  opener.current = null;
  if (target?.isConnected) target.focus();
}
