/** For priority.test.ts: lowers this worker's priority and says what it became. */
import { getPriority } from "node:os";
import { lowerThisThreadsPriority } from "../priority.ts";

declare const self: Worker;

const lowered = lowerThisThreadsPriority();
self.postMessage({ lowered, niceness: getPriority(0) });
