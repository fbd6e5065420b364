/**
 * Wallet passes from an organizer's stored signing set-up (docs/API.md "wallet"): the glue
 * between the database (config, server secret) and the pure pass maker in @boxoffice/mail.
 */
import { createHmac, createPrivateKey, randomBytes, X509Certificate } from "node:crypto";
import { InputError, sameSecret } from "@boxoffice/core";
import {
  appSecretOf,
  type Db,
  type DueMail,
  type TicketDocument,
  type WalletConfig,
  walletConfigOf,
} from "@boxoffice/db";
import { type MailAttachment, type PassSigner, sampleDocument, ticketPass } from "@boxoffice/mail";
import type { Logger } from "./logger.ts";

export const PKPASS_TYPE = "application/vnd.apple.pkpass";

/** The key that derives passes' authentication tokens: made once per database. */
function authSecret(db: Db): string {
  return appSecretOf(db, "wallet_auth", () => randomBytes(32).toString("base64url"), Date.now());
}

/** A pass's `authenticationToken`: HMAC-SHA256 of its serial number under the server secret. */
export function walletAuthToken(db: Db, serialNumber: string): string {
  return createHmac("sha256", authSecret(db)).update(serialNumber).digest("base64url");
}

/** Whether `token` (from an `ApplePass <token>` header) is the serial number's. */
export function walletTokenMatches(db: Db, serialNumber: string, token: string): boolean {
  return sameSecret(token, walletAuthToken(db, serialNumber));
}

type Material = Omit<WalletConfig, "organizerId" | "updatedAt">;

function signerOf(config: Material, token: (serialNumber: string) => string): PassSigner {
  return {
    passTypeIdentifier: config.passTypeIdentifier,
    teamIdentifier: config.teamIdentifier,
    signerCert: config.signerCert,
    signerKey: config.signerKey,
    signerKeyPassphrase: config.signerKeyPassphrase,
    wwdr: config.wwdr,
    authenticationToken: token,
  };
}

/** One ticket's pass, or null: no such ticket in the document, or no Wallet set-up. */
export async function walletPassOf(
  db: Db,
  doc: TicketDocument,
  code: string,
  origin: string,
): Promise<Uint8Array | null> {
  const index = doc.tickets.findIndex((t) => t.code === code);
  const config = walletConfigOf(db, doc.event.organizerId);
  if (index < 0 || !config) return null;
  return ticketPass(
    doc,
    index,
    signerOf(config, (serial) => walletAuthToken(db, serial)),
    origin,
  );
}

/**
 * For the dispatcher (RenderOptions.passesFor): one `<code>.pkpass` per ticket of a booking
 * mail when the event's organizer set up Wallet, else none. `origin` is read at send time. A
 * set-up that no longer signs (an expired certificate) costs the passes, never the mail.
 */
export function walletPassesFor(
  db: Db,
  origin: () => string,
  logger?: Logger,
): (mail: DueMail) => Promise<readonly MailAttachment[]> {
  return async (mail) => {
    const doc = mail.document;
    if (!doc) return [];
    const config = walletConfigOf(db, doc.event.organizerId);
    if (!config) return [];
    try {
      const signer = signerOf(config, (serial) => walletAuthToken(db, serial));
      return await Promise.all(
        doc.tickets.map(async (t, i) => ({
          filename: `${t.code}.pkpass`,
          contentType: PKPASS_TYPE,
          content: await ticketPass(doc, i, signer, origin()),
        })),
      );
    } catch (error) {
      logger?.warn("wallet passes could not be signed", { outboxId: mail.id, error });
      return [];
    }
  };
}

export interface WalletMaterial {
  readonly passTypeIdentifier: string;
  readonly teamIdentifier: string;
  readonly signerCert: string;
  readonly signerKey: string;
  readonly signerKeyPassphrase?: string | undefined;
  readonly wwdr: string;
}

/** A certificate as the organizer reads it: its common name (else its subject) and expiry. */
export function certificateSummary(pem: string): {
  certificateSubject: string;
  certificateExpiresAt: string;
} {
  const cert = new X509Certificate(pem);
  return {
    certificateSubject: /^CN=(.*)$/m.exec(cert.subject)?.[1] ?? cert.subject.replaceAll("\n", ", "),
    certificateExpiresAt: new Date(cert.validTo).toISOString(),
  };
}

function parseCert(pem: string, field: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new InputError([field], "This is not a certificate in PEM form");
  }
}

/**
 * Proves a set-up before it is stored: each part parses, the key opens and belongs to the
 * certificate, the certificate is for the Pass Type ID, and a test pass signs. A refusal names
 * the field to fix.
 */
export async function checkWalletMaterial(input: WalletMaterial): Promise<void> {
  const cert = parseCert(input.signerCert, "signerCert");
  parseCert(input.wwdr, "wwdr");
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey({ key: input.signerKey, passphrase: input.signerKeyPassphrase || "" });
  } catch {
    throw /ENCRYPTED/.test(input.signerKey)
      ? new InputError(["signerKeyPassphrase"], "The passphrase does not open this key")
      : new InputError(["signerKey"], "This is not a private key in PEM form");
  }
  if (!cert.checkPrivateKey(key)) {
    throw new InputError(["signerKey"], "This key does not belong to the pass certificate");
  }
  const uid = /^UID=(.*)$/m.exec(cert.subject)?.[1];
  if (uid && uid !== input.passTypeIdentifier) {
    throw new InputError(["passTypeIdentifier"], `The certificate is for ${uid}`);
  }
  if (Date.parse(cert.validTo) < Date.now()) {
    throw new InputError(["signerCert"], `The certificate expired on ${cert.validTo}`);
  }
  const material = { ...input, signerKeyPassphrase: input.signerKeyPassphrase ?? null };
  try {
    await ticketPass(
      sampleDocument,
      0,
      signerOf(material, () => "0".repeat(32)),
      "https://localhost",
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new InputError(["signerCert"], `A test pass could not be signed: ${message}`);
  }
}
