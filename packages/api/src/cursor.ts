import { InputError } from "@boxoffice/core";

/** Opaque pagination cursors: base64url of a small JSON object. */
export function encodeCursor(value: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** Decodes a cursor made by encodeCursor, checking its fields; anything else is a 400 on `cursor`. */
export function decodeCursor<K extends string>(
  cursor: string | undefined,
  fields: Record<K, "string" | "number">,
): Record<K, string | number> | null {
  if (cursor === undefined) return null;
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
    for (const [key, type] of Object.entries(fields)) {
      if (typeof value[key] !== type) throw new Error(`bad ${key}`);
    }
    return value as Record<K, string | number>;
  } catch {
    throw new InputError(["cursor"], "Not a cursor this API gave out");
  }
}
