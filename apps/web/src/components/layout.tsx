import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Suspense, useState } from "react";
import { NavLink, Outlet, useNavigate } from "react-router";
import { switchUser, useMe } from "../lib/auth.tsx";
import { useFocusHeadingOnNavigation } from "../lib/page-title.ts";
import { useTRPC } from "../lib/trpc.ts";
import { Loading } from "./ui.tsx";

const linkClass = ({ isActive }: { isActive: boolean }) =>
  `rounded-md px-3 py-2 font-medium ${isActive ? "bg-indigo-100 text-indigo-900" : "text-slate-700 hover:bg-slate-100"}`;

function SignOut() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: () => {
        navigate("/");
        switchUser(queryClient, trpc.auth.me.queryKey(), null);
      },
    }),
  );
  return (
    <button
      type="button"
      className="rounded-md px-3 py-2 font-medium text-slate-700 hover:bg-slate-100"
      onClick={() => logout.mutate()}
    >
      Sign out
    </button>
  );
}

export function Layout() {
  const me = useMe();
  const [open, setOpen] = useState(false);
  const role = me.data?.role;
  useFocusHeadingOnNavigation();
  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-2 px-4 py-3">
          <NavLink to="/" className="flex items-center gap-2 text-xl font-bold text-indigo-800">
            <img src="/favicon.svg" alt="" width={28} height={28} />
            Boxoffice
          </NavLink>
          <button
            type="button"
            className="rounded-md border border-slate-300 px-3 py-2 sm:hidden"
            aria-expanded={open}
            aria-controls="main-nav"
            onClick={() => setOpen((v) => !v)}
          >
            Menu
          </button>
          <nav
            id="main-nav"
            aria-label="Main"
            className={`${open ? "flex" : "hidden"} w-full flex-col gap-1 sm:flex sm:w-auto sm:flex-row sm:items-center`}
            onClick={() => setOpen(false)}
            onKeyDown={() => undefined}
          >
            <NavLink to="/" end className={linkClass}>
              Events
            </NavLink>
            {me.data && (
              <NavLink to="/bookings" className={linkClass}>
                My bookings
              </NavLink>
            )}
            {(role === "organizer" || role === "admin") && (
              <NavLink to="/organizer" className={linkClass}>
                Organize
              </NavLink>
            )}
            {role === "admin" && (
              <NavLink to="/admin/users" className={linkClass}>
                Users
              </NavLink>
            )}
            {me.data ? (
              <>
                <NavLink to="/account" className={linkClass}>
                  <span className="sr-only">Account of </span>
                  {me.data.name}
                </NavLink>
                <SignOut />
              </>
            ) : (
              <>
                <NavLink to="/login" className={linkClass}>
                  Sign in
                </NavLink>
                <NavLink to="/register" className={linkClass}>
                  Register
                </NavLink>
              </>
            )}
          </nav>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-6">
        {/* Inside the layout: a page loading its code keeps the header (and the focus logic). */}
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="border-t border-slate-200 py-4 text-center text-sm text-slate-600">
        Boxoffice: fair tickets, no double sales.
      </footer>
    </div>
  );
}
