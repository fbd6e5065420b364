import { describe, expect, test } from "bun:test";
import { certificateText } from "./pem.ts";

const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";

describe("certificate files", () => {
  test("keeps PEM text as it is, without the surrounding blank lines", () => {
    expect(certificateText(new TextEncoder().encode(`\n${pem}\n\n`))).toBe(pem);
  });

  test("wraps a binary DER certificate (Apple's .cer) as PEM in lines of 64", () => {
    const der = new Uint8Array(100).map((_, i) => (i === 0 ? 0x30 : i));
    const text = certificateText(der);
    const lines = text.split("\n");
    expect(lines[0]).toBe("-----BEGIN CERTIFICATE-----");
    expect(lines.at(-1)).toBe("-----END CERTIFICATE-----");
    expect(lines[1]?.length).toBe(64);
    const body = lines.slice(1, -1).join("");
    expect(Uint8Array.from(atob(body), (c) => c.charCodeAt(0))).toEqual(der);
  });

  test("leaves other text alone, for the form to refuse it in words", () => {
    expect(certificateText(new TextEncoder().encode("not a certificate"))).toBe(
      "not a certificate",
    );
  });
});
