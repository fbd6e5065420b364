/**
 * The files of an order (docs/API.md "exports and files"): its tickets as a PDF, the event as a
 * calendar file, and each ticket as an Apple Wallet pass when the organizer set Wallet up. Plain
 * links to `/files/...`: by the order's secret link (`/files/orders/<token>`) or, signed in, by
 * the booking (`/files/bookings/<id>`).
 */

const linkClass =
  "inline-flex min-h-11 items-center gap-2 rounded-md border border-slate-300 bg-white px-4 font-medium text-slate-900 hover:bg-slate-100";

function Icon({ d }: { d: string }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      className="h-5 w-5"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={d} />
    </svg>
  );
}

/** Where an order's files are: by its secret link, or by the signed-in buyer's booking. */
export function filesBase(by: { orderToken: string } | { bookingId: string }): string {
  return "orderToken" in by
    ? `/files/orders/${encodeURIComponent(by.orderToken)}`
    : `/files/bookings/${encodeURIComponent(by.bookingId)}`;
}

/** "Download tickets (PDF)" and "Add to calendar" for the whole order. */
export function OrderDownloads({ base, eventTitle }: { base: string; eventTitle: string }) {
  return (
    <ul className="flex flex-wrap gap-2" aria-label={`Downloads for ${eventTitle}`}>
      <li>
        <a className={linkClass} href={`${base}/tickets.pdf`} download>
          <Icon d="M12 3v12m0 0l-5-5m5 5l5-5M4 19h16" /> Download tickets (PDF)
        </a>
      </li>
      <li>
        <a className={linkClass} href={`${base}/event.ics`} download>
          <Icon d="M7 3v3m10-3v3M4 8h16M5 5h14v15H5z" /> Add to calendar
        </a>
      </li>
    </ul>
  );
}

/**
 * One ticket's Wallet pass. No `download` attribute: Safari on iPhone opens a `.pkpass` it
 * navigates to in Wallet's "Add" sheet, but saves it to Files when told to download it.
 */
export function WalletLink({ base, code, label }: { base: string; code: string; label: string }) {
  return (
    <a
      className="inline-flex min-h-11 items-center gap-2 self-start rounded-md bg-black px-4 font-medium text-white hover:bg-slate-800"
      href={`${base}/${encodeURIComponent(code)}.pkpass`}
      // The visible words first, then which ticket (the label contains what is seen).
      aria-label={`Add to Apple Wallet, ${label}`}
    >
      Add to Apple Wallet
    </a>
  );
}
