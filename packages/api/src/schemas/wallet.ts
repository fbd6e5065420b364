/** Inputs of the wallet router (docs/API.md "wallet"): an organizer's Apple Wallet set-up. */
import { z } from "zod";
import { isSingleLine, multiLine, singleLine } from "./text.ts";

/** Text of this pattern; control characters are refused once, as for any single-line text. */
const matching = (min: number, max: number, pattern: RegExp, message: string) =>
  singleLine(min, max).refine((v) => !isSingleLine(v) || pattern.test(v), message);

const PEM_MAX = 20_000;

/** PEM text: one or more `-----BEGIN …-----` blocks. */
const pem = (what: string) =>
  multiLine(PEM_MAX).refine((text) => /-----BEGIN [A-Z0-9 ]+-----/.test(text), {
    message: `Paste the ${what} in PEM form (-----BEGIN …-----)`,
  });

export const walletSetInput = z.object({
  /** `pass.org.example.tickets`: the Pass Type ID the certificate was issued for. */
  passTypeIdentifier: matching(
    3,
    128,
    /^pass\.[A-Za-z0-9.-]+$/,
    "A Pass Type ID starts with pass. (e.g. pass.org.example.tickets)",
  ),
  /** The Apple Developer Team ID: 10 capitals and digits. */
  teamIdentifier: matching(1, 10, /^[A-Z0-9]{10}$/, "10 capital letters and digits"),
  signerCert: pem("pass certificate"),
  signerKey: pem("private key"),
  signerKeyPassphrase: singleLine(0, 256).optional(),
  /** Apple's WWDR intermediate certificate (G4). */
  wwdr: pem("Apple WWDR certificate"),
});

export type WalletSetInput = z.infer<typeof walletSetInput>;
