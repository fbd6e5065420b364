/**
 * What gc-server.ts prints after the collections a SIGUSR2 asks for, followed by the heap's size
 * in bytes: processes.ts reads it as the heap of that memory reading (README, Performance).
 */
export const GC_HEAP_LINE = "bench-gc-heap ";
