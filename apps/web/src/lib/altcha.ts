/**
 * The ALTCHA widget, loaded only where the on-sale room asks for it (a dynamic import: buyers of
 * events without a room never download it). The `external` build ships no inline styles and no
 * workers made from blobs, so the app's strict Content-Security-Policy holds: its stylesheet is a
 * file, and the proof-of-work runs in workers that Vite emits as files of their own.
 */
import "altcha/external";
import "altcha/altcha.css";
import Pbkdf2Worker from "altcha/workers/pbkdf2?worker";
import ShaWorker from "altcha/workers/sha?worker";

for (const algorithm of ["PBKDF2/SHA-256", "PBKDF2/SHA-384", "PBKDF2/SHA-512"]) {
  globalThis.$altcha.algorithms.set(algorithm, () => new Pbkdf2Worker());
}
for (const algorithm of ["SHA-256", "SHA-384", "SHA-512"]) {
  globalThis.$altcha.algorithms.set(algorithm, () => new ShaWorker());
}
