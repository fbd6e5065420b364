/**
 * Text in inputs. Names, titles, labels, emails, codes, ids and search strings end up in mail
 * headers, CSV exports and log lines, where a CR, LF, NUL or ESC could forge a header or a line:
 * single-line text refuses every control character, C0 (U+0000–U+001F), DEL and C1
 * (U+007F–U+009F). Multi-line text (an event's description) allows line breaks (LF, CRLF) and
 * tabs, and no other. Plain zod, shared with the web app's forms.
 */
import { z } from "zod";

export const CONTROL_CHARACTERS = "Must not contain control characters";

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point.
const anyControl = /[\u0000-\u001f\u007f-\u009f]/;
// Tab, LF and the CR of a CRLF are allowed; a lone CR is not (it would be a line break for some).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point.
const controlButLineBreaks = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/;

/** True when `text` has no control character at all. */
export const isSingleLine = (text: string): boolean => !anyControl.test(text);

/**
 * Single-line text: no control characters (checked before trimming, so none is trimmed away
 * unnoticed), then trimmed, then `min`..`max` characters.
 */
export function singleLine(min: number, max: number) {
  return z.string().refine(isSingleLine, CONTROL_CHARACTERS).trim().min(min).max(max);
}

/** Multi-line text of at most `max` characters, not trimmed: line breaks and tabs only. */
export function multiLine(max: number) {
  return z
    .string()
    .max(max)
    .refine((text) => !controlButLineBreaks.test(text), CONTROL_CHARACTERS);
}

/** An opaque id as clients send it back (at most 64 characters). */
export const idSchema = singleLine(1, 64);

/** A list cursor as the server handed it out. */
export const cursorSchema = (max = 200) => singleLine(0, max);
