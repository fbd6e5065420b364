/**
 * Zod compiles parsers with `new Function` when it may; the page's Content-Security-Policy
 * (no 'unsafe-eval') forbids that, and zod's probe would be reported as a violation on every
 * load. Jitless parsing needs no eval. Imported first by main.tsx, before any schema is built.
 */
import { z } from "zod";

z.config({ jitless: true });
