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
  /** The WWDR stand-in as binary DER, the form Apple hands out (`AppleWWDRCAG4.cer`). */
  readonly wwdrDer: Uint8Array;
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

/** Made once per Pass Type ID in a test process (RSA keys take a moment). */
const made = new Map<string, TestWalletMaterial>();

export function testWalletMaterial(
  passTypeIdentifier = "pass.org.example.tickets",
): TestWalletMaterial {
  const done = made.get(passTypeIdentifier);
  if (done) return done;
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
      "365",
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
      "365",
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
    openssl(dir, "x509", "-in", "ca.pem", "-outform", "DER", "-out", "ca.der");
    const read = (name: string) => readFileSync(join(dir, name), "utf8");
    const material: TestWalletMaterial = {
      passTypeIdentifier,
      teamIdentifier: "ABCDE12345",
      signerCert: read("signer.pem"),
      signerKey: read("signer.key"),
      wwdr: read("ca.pem"),
      strangerKey: read("stranger.key"),
      encryptedKey: read("encrypted.key"),
      wwdrDer: new Uint8Array(readFileSync(join(dir, "ca.der"))),
      passphrase: "open sesame",
    };
    made.set(passTypeIdentifier, material);
    return material;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
