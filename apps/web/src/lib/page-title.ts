/**
 * What a screen reader or a tab strip is told about the page: the document title of each route,
 * and focus on the page's main heading after a navigation inside the app (a full page load
 * leaves focus where the browser puts it).
 */
import { useEffect, useRef } from "react";
import { useLocation } from "react-router";

export const APP_NAME = "Boxoffice";

/** "Jazz on the River — Boxoffice"; just "Boxoffice" while there is nothing to name. */
export function documentTitle(title: string | null | undefined): string {
  const name = title?.replace(/\s+/g, " ").trim();
  return name ? `${name} — ${APP_NAME}` : APP_NAME;
}

/** The text of the page's main heading, or null while it has none (loading). */
function mainHeading(): HTMLElement | null {
  return document.querySelector<HTMLElement>("#main h1");
}

/** Calls `found` with the main heading once it is there (now or later); returns a canceller. */
function whenMainHeading(found: (heading: HTMLElement) => void, timeoutMs: number): () => void {
  const now = mainHeading();
  if (now) {
    found(now);
    return () => undefined;
  }
  const main = document.getElementById("main");
  if (!main) return () => undefined;
  const observer = new MutationObserver(() => {
    const heading = mainHeading();
    if (!heading) return;
    stop();
    found(heading);
  });
  const timer = setTimeout(() => stop(), timeoutMs);
  function stop() {
    observer.disconnect();
    clearTimeout(timer);
  }
  observer.observe(main, { childList: true, subtree: true });
  return stop;
}

export type RouteTitle =
  /** A fixed title: "My bookings". */
  | string
  /** The page's own heading (an event's title), after `prefix` when given: "Door: Jazz night". */
  | { readonly heading: true; readonly prefix?: string };

/**
 * Keeps `document.title` to the route's title. A title taken from the heading follows it as it
 * loads and changes; the title goes back to the app's name when the route is left.
 */
export function useRouteTitle(title: RouteTitle): void {
  const fixed = typeof title === "string" ? title : null;
  const prefix = typeof title === "string" ? undefined : title.prefix;
  useEffect(() => {
    if (fixed !== null) {
      document.title = documentTitle(fixed);
      return;
    }
    const main = document.getElementById("main");
    const update = () => {
      const heading = mainHeading()?.textContent?.trim();
      const parts = [prefix, heading].filter(Boolean).join(": ");
      const next = documentTitle(parts || null);
      if (document.title !== next) document.title = next;
    };
    update();
    if (!main) return;
    const observer = new MutationObserver(update);
    observer.observe(main, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [fixed, prefix]);
  useEffect(
    () => () => {
      document.title = APP_NAME;
    },
    [],
  );
}

/**
 * After each navigation inside the app (a new path), focus goes to the page's main heading once
 * it is rendered, so that a screen reader announces the new page and Tab starts from its top.
 * Not on the first load, and not when the person has moved on (clicked or typed) meanwhile.
 */
export function useFocusHeadingOnNavigation(): void {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    let interacted = false;
    const onInteract = () => {
      interacted = true;
    };
    document.addEventListener("pointerdown", onInteract, true);
    document.addEventListener("keydown", onInteract, true);
    const cancel = whenMainHeading((heading) => {
      if (interacted && document.activeElement !== document.body) return;
      if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
      heading.focus();
    }, 10_000);
    return () => {
      cancel();
      document.removeEventListener("pointerdown", onInteract, true);
      document.removeEventListener("keydown", onInteract, true);
    };
  }, [pathname]);
}
