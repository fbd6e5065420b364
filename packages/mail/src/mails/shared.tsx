/** What the mail modules share: the draft they return, and the event as buyers read it. */
import type { DueMail } from "@boxoffice/db";
import type { ReactElement } from "react";
import { Facts, Small } from "../components/layout.tsx";
import { formatInstant } from "../format.ts";
import type { Links } from "../links.ts";

/** A mail before rendering: its subject and its body as a React element. */
export interface Draft {
  readonly subject: string;
  readonly element: ReactElement;
}

export interface DraftContext {
  readonly links: Links;
  /** `cid:` sources of the QR code images attached, by ticket code. */
  readonly qr: ReadonlyMap<string, string>;
}

type EventLike = Pick<DueMail["event"], "startsAt" | "timezone" | "venueName">;

/** When and where, in the event's own zone with the zone named. */
export const EventFacts = ({ event }: { event: EventLike }) => (
  <Facts
    rows={[
      ["When", formatInstant(event.startsAt, event.timezone)],
      event.venueName ? ["Where", event.venueName] : null,
    ]}
  />
);

/** The footer of a buyer's mail: why they get it. */
export const BuyerFooter = ({ why, email }: { why: string; email: string }) => (
  <Small>
    You get this mail because {why}. It was sent to {email} by Boxoffice.
  </Small>
);
