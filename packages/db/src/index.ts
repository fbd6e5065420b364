export * from "./event-load.ts";
export * from "./event-writes.ts";
export * from "./open.ts";
export * from "./queries/bookings.ts";
export * from "./queries/events.ts";
export type { CancellationPolicyRow, LineItemRow } from "./schema.ts";
export * as tables from "./schema.ts";
export { schema } from "./schema.ts";
export * from "./writer.ts";
