/**
 * Throwaway Wallet signing material for tests, made with the openssl CLI: a CA standing in for
 * Apple's WWDR certificate and a pass certificate it issued (subject UID = the Pass Type ID).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestWalletMaterial {
  readonly passTypeIdentifier: string;
  readonly teamIdentifier: string;
  readonly signerCert: string;
  readonly signerKey: string;
  readonly wwdr: string;
  /** Another key, belonging to no certificate here. */
  readonly strangerKey: string;
  /** The signer key encrypted with `passphrase`. */
  readonly encryptedKey: string;
  readonly passphrase: string;
}

function openssl(dir: string, ...args: string[]): void {
  const run = Bun.spawnSync(["openssl", ...args], { cwd: dir, stderr: "pipe" });
  if (run.exitCode !== 0) throw new Error(`openssl ${args[0]}: ${run.stderr.toString()}`);
}

let made: TestWalletMaterial | null = null;

export function testWalletMaterial(passTypeIdentifier = "pass.org.example.tickets") {
  if (made) return made;
  const dir = mkdtempSync(join(tmpdir(), "wallet-"));
  try {
    const key = ["-newkey", "rsa:2048", "-nodes"];
    openssl(
      dir,
      "req",
      "-x509",
      ...key,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "3",
      "-subj",
      "/CN=Test WWDR",
    );
    openssl(
      dir,
      "req",
      ...key,
      "-keyout",
      "signer.key",
      "-out",
      "signer.csr",
      "-subj",
      `/UID=${passTypeIdentifier}/CN=Pass Type ID: ${passTypeIdentifier}/OU=ABCDE12345/O=Test/C=DE`,
    );
    openssl(
      dir,
      "x509",
      "-req",
      "-in",
      "signer.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "signer.pem",
      "-days",
      "3",
    );
    openssl(dir, "genrsa", "-out", "stranger.key", "2048");
    openssl(
      dir,
      "pkey",
      "-in",
      "signer.key",
      "-aes256",
      "-passout",
      "pass:open sesame",
      "-out",
      "encrypted.key",
    );
    const read = (name: string) => readFileSync(join(dir, name), "utf8");
    made = {
      passTypeIdentifier,
      teamIdentifier: "ABCDE12345",
      signerCert: read("signer.pem"),
      signerKey: read("signer.key"),
      wwdr: read("ca.pem"),
      strangerKey: read("stranger.key"),
      encryptedKey: read("encrypted.key"),
      passphrase: "open sesame",
    };
    return made;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
