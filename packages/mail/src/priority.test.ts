import { describe, expect, it } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { getPriority } from "node:os";
import { MailRenderer } from "./index.ts";
import { RENDER_NICENESS } from "./priority.ts";
import { sampleMails, sampleOrigin } from "./samples.ts";

/** Each thread of this process with its nice value (Linux's /proc/self/task/<tid>/stat). */
function threadNiceness(): Map<string, number> {
  const nice = new Map<string, number>();
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      // After "(comm)": state is field 3, nice field 19 of proc(5).
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      nice.set(tid, Number(fields[16]));
    } catch {
      // The thread ended while being read.
    }
  }
  return nice;
}

const thisThread = () => readFileSync("/proc/thread-self/stat", "utf8").split(" ")[0] as string;

describe.skipIf(process.platform !== "linux")("the mail renderer's priority", () => {
  it("lowers the priority of the thread that asks, and of no other", async () => {
    const worker = new Worker(new URL("./testing/priority-worker.ts", import.meta.url).href);
    try {
      const reply = await new Promise<{ lowered: boolean; niceness: number }>((resolve) => {
        worker.onmessage = (event) => resolve(event.data);
      });
      expect(reply).toEqual({ lowered: true, niceness: RENDER_NICENESS });
      expect(getPriority(0)).toBe(0);
    } finally {
      worker.terminate();
    }
  });

  it("renders on a thread of the lowest priority while this one keeps its own", async () => {
    const confirmation = sampleMails.booking_confirmed;
    if (!confirmation) throw new Error("no sample confirmation");
    const before = threadNiceness();
    const renderer = new MailRenderer();
    try {
      const mail = await renderer.render(confirmation, { origin: sampleOrigin });
      expect(mail.subject.length).toBeGreaterThan(0);
      const started = [...threadNiceness()].filter(([tid]) => !before.has(tid));
      expect(started.map(([, nice]) => nice)).toContain(RENDER_NICENESS);
      expect(threadNiceness().get(thisThread())).toBe(0);
    } finally {
      renderer.close();
    }
  });
});
