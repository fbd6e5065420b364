/**
 * Apple Wallet passes (docs/API.md "wallet"): an event ticket per ticket code, signed with the
 * organizer's certificate. Pure: the caller hands in the signing material and the token maker.
 */
import type { TicketDocument } from "@boxoffice/db";
import { PKPass } from "passkit-generator";
import { formatInstant } from "./format.ts";
import { linksOf } from "./links.ts";
import { iconPng } from "./png.ts";

/** An organizer's Wallet signing set-up, with the server's token for a serial number. */
export interface PassSigner {
  readonly passTypeIdentifier: string;
  readonly teamIdentifier: string;
  /** PEM text. */
  readonly signerCert: string;
  readonly signerKey: string;
  readonly signerKeyPassphrase?: string | null;
  readonly wwdr: string;
  /** The pass's `authenticationToken` (an HMAC of the serial number under a server secret). */
  authenticationToken(serialNumber: string): string;
}

const BLUE = [29, 78, 216] as const;
const PALE = [219, 234, 254] as const;

let icons: Record<string, Buffer> | null = null;
/** Wallet wants an icon (and shows a logo); the same few bytes for every pass. */
function images(): Record<string, Buffer> {
  icons ??= {
    "icon.png": Buffer.from(iconPng(29, BLUE, PALE)),
    "icon@2x.png": Buffer.from(iconPng(58, BLUE, PALE)),
    "icon@3x.png": Buffer.from(iconPng(87, BLUE, PALE)),
  };
  return icons;
}

/** The pass.json of one ticket. */
export function passJson(
  doc: TicketDocument,
  ticketIndex: number,
  signer: Pick<PassSigner, "passTypeIdentifier" | "teamIdentifier" | "authenticationToken">,
  origin: string,
) {
  const ticket = doc.tickets[ticketIndex];
  if (!ticket) throw new RangeError(`No ticket ${ticketIndex} in this booking`);
  const { event } = doc;
  const url = linksOf(origin).event(event.id);
  const optional = (key: string, label: string, value: string | null) =>
    value ? [{ key, label, value }] : [];
  return {
    formatVersion: 1,
    passTypeIdentifier: signer.passTypeIdentifier,
    teamIdentifier: signer.teamIdentifier,
    serialNumber: ticket.code,
    organizationName: event.organizerName,
    description: `Ticket for ${event.title}`,
    logoText: event.organizerName,
    foregroundColor: "rgb(255, 255, 255)",
    backgroundColor: `rgb(${BLUE.join(", ")})`,
    labelColor: `rgb(${PALE.join(", ")})`,
    relevantDate: new Date(event.startsAt).toISOString(),
    voided: doc.status === "cancelled" || event.status === "cancelled",
    webServiceURL: `${origin}/wallet`,
    authenticationToken: signer.authenticationToken(ticket.code),
    barcodes: [
      {
        format: "PKBarcodeFormatQR",
        message: ticket.code,
        messageEncoding: "iso-8859-1",
        altText: ticket.code,
      },
    ],
    eventTicket: {
      primaryFields: [{ key: "event", label: "EVENT", value: event.title }],
      secondaryFields: [
        { key: "when", label: "WHEN", value: formatInstant(event.startsAt, event.timezone) },
        ...optional("where", "WHERE", event.venueName),
      ],
      auxiliaryFields: [
        { key: "type", label: "TICKET", value: ticket.ticketTypeName },
        ...optional("seat", "SEAT", ticket.seatLabel),
        ...optional("attendee", "FOR", ticket.attendeeName),
      ],
      backFields: [
        { key: "code", label: "Ticket code", value: ticket.code },
        { key: "buyer", label: "Booked by", value: doc.buyerName },
        { key: "link", label: "Event", value: url },
      ],
    },
  };
}

/** One ticket's signed `.pkpass` (a zip: pass.json, images, manifest.json, signature). */
export function ticketPass(
  doc: TicketDocument,
  ticketIndex: number,
  signer: PassSigner,
  origin: string,
): Uint8Array {
  const json = passJson(doc, ticketIndex, signer, origin);
  const pass = new PKPass(
    { "pass.json": Buffer.from(JSON.stringify(json)), ...images() },
    {
      wwdr: signer.wwdr,
      signerCert: signer.signerCert,
      signerKey: signer.signerKey,
      ...(signer.signerKeyPassphrase ? { signerKeyPassphrase: signer.signerKeyPassphrase } : {}),
    },
  );
  return new Uint8Array(pass.getAsBuffer());
}
