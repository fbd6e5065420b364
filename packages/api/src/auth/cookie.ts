import { SESSION_COOKIE } from "../context.ts";
import type { ApiConfig } from "../trpc.ts";

interface CookieTarget {
  readonly config: ApiConfig;
  /** Null when called without HTTP (createCaller): there is no response to put a cookie on. */
  readonly resHeaders: Headers | null;
}

function attributes(config: ApiConfig, maxAgeSeconds: number): string {
  // Lax, not Strict: following a link to the app from elsewhere should arrive signed in; the
  // Origin check is what keeps other sites' POSTs out. Secure only behind HTTPS, or a local
  // http:// setup could never sign in.
  const secure = config.publicOrigin?.startsWith("https:") ? "; Secure" : "";
  return `HttpOnly; SameSite=Lax; Path=/; Max-Age=${maxAgeSeconds}${secure}`;
}

/** Sets the `session` cookie to `token`, living as long as the session itself. */
export function setSessionCookie(target: CookieTarget, token: string): void {
  const maxAge = target.config.sessionDays * 86_400;
  // Tokens are drawn from [a-z2-9.], so they need no encoding.
  target.resHeaders?.append(
    "set-cookie",
    `${SESSION_COOKIE}=${token}; ${attributes(target.config, maxAge)}`,
  );
}

/** Tells the browser to drop the `session` cookie. */
export function clearSessionCookie(target: CookieTarget): void {
  target.resHeaders?.append("set-cookie", `${SESSION_COOKIE}=; ${attributes(target.config, 0)}`);
}
