/**
 * Apple Wallet signing material for tests, made with the openssl command line: a stand-in for
 * Apple's WWDR intermediate (a self-made CA, also as binary DER, the form Apple hands it out
 * in), a pass certificate it signed with its key, and a second key that matches nothing.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const PASS_TYPE_ID = "pass.test.boxoffice.tickets";
export const TEAM_ID = "ABCDE12345";

export interface WalletCerts {
  readonly signerCert: string;
  readonly signerKey: string;
  readonly wwdr: string;
  /** The WWDR certificate as binary DER, as Apple's `AppleWWDRCAG4.cer` comes. */
  readonly wwdrDer: Buffer;
  /** A key that is not the certificate's. */
  readonly otherKey: string;
}

function openssl(dir: string, args: string[]): void {
  const run = Bun.spawnSync(["openssl", ...args], { cwd: dir, stdout: "pipe", stderr: "pipe" });
  if (run.exitCode !== 0) throw new Error(`openssl ${args[0]} failed: ${run.stderr.toString()}`);
}

export function makeWalletCerts(): WalletCerts {
  const dir = mkdtempSync(join(tmpdir(), "boxoffice-wallet-"));
  try {
    const key = (name: string) =>
      openssl(dir, [
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        name,
      ]);
    key("ca.key");
    key("signer.key");
    key("other.key");
    openssl(dir, [
      "req",
      "-x509",
      "-new",
      "-key",
      "ca.key",
      "-days",
      "3650",
      "-out",
      "ca.pem",
      "-subj",
      "/CN=Test Worldwide Developer Relations/O=Test Apple/C=US",
    ]);
    openssl(dir, ["x509", "-in", "ca.pem", "-outform", "DER", "-out", "ca.der"]);
    openssl(dir, [
      "req",
      "-new",
      "-key",
      "signer.key",
      "-out",
      "signer.csr",
      "-subj",
      `/UID=${PASS_TYPE_ID}/CN=Pass Type ID: ${PASS_TYPE_ID}/OU=${TEAM_ID}/O=Riverside Hall/C=US`,
    ]);
    openssl(dir, [
      "x509",
      "-req",
      "-in",
      "signer.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      "365",
      "-out",
      "signer.pem",
    ]);
    const text = (name: string) => readFileSync(join(dir, name), "utf8");
    return {
      signerCert: text("signer.pem"),
      signerKey: text("signer.key"),
      wwdr: text("ca.pem"),
      wwdrDer: readFileSync(join(dir, "ca.der")),
      otherKey: text("other.key"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
