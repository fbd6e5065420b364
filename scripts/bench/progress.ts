/** One status line on stderr: rewritten in place on a terminal, one line per step otherwise. */
const tty = process.stderr.isTTY === true;
let shown = false;

export function progress(text: string, final = false): void {
  if (tty) {
    process.stderr.write(`\r\x1b[2K[bench] ${text}`);
    shown = !final;
    if (final) process.stderr.write("\n");
  } else if (final) {
    process.stderr.write(`[bench] ${text}\n`);
  }
}

/** A line that must stay visible (a scenario starting, a note), clearing the status line first. */
export function note(text: string): void {
  if (tty && shown) process.stderr.write("\r\x1b[2K");
  shown = false;
  process.stderr.write(`[bench] ${text}\n`);
}
