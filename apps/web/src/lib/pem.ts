/**
 * Certificates and keys chosen as files for the Wallet set-up, read in the browser (nothing is
 * uploaded until the form is saved). The server takes PEM text; Apple hands out certificates
 * (the pass certificate `pass.cer`, the WWDR intermediate `AppleWWDRCAG4.cer`) in binary DER,
 * which is the same thing without the base64 armour, so a certificate file that is not PEM is
 * wrapped as one. A key must already be PEM (`openssl pkcs12 -in pass.p12 -nocerts`).
 */

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----/;

/** Base64 in lines of 64, as PEM writes it. */
function base64Lines(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return (btoa(binary).match(/.{1,64}/g) ?? []).join("\n");
}

/** A DER certificate (an ASN.1 SEQUENCE: first byte 0x30) as PEM text; anything else as read. */
export function certificateText(bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes);
  if (PEM_BLOCK.test(text)) return text.trim();
  if (bytes[0] !== 0x30) return text;
  return `-----BEGIN CERTIFICATE-----\n${base64Lines(bytes)}\n-----END CERTIFICATE-----`;
}

/** A chosen file's contents for a PEM field: certificates may come as DER, keys must be PEM. */
export async function readPemFile(file: File, kind: "certificate" | "key"): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  return kind === "certificate" ? certificateText(bytes) : new TextDecoder().decode(bytes).trim();
}
