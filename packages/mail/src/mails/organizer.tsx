/** What organizer notices share: the footer saying why they get it and where to stop it. */
import type { DueMail } from "@boxoffice/db";
import { FooterLink, Small } from "../components/layout.tsx";
import type { Links } from "../links.ts";

export const OrganizerFooter = ({ mail, links }: { mail: DueMail; links: Links }) => (
  <Small>
    You get this notice because you organize {mail.event.title} on Boxoffice. Choose which notices
    you get in your <FooterLink href={links.organizerSettings}>settings</FooterLink>.
  </Small>
);
