import { type Clock, systemClock } from "@boxoffice/core";
import { createGroupCommitWriter, type Db, type GroupCommitWriter } from "@boxoffice/db";
import { AuthRateLimits } from "./auth/rate-limit.ts";
import { createSessionStore } from "./auth/session.ts";
import { EventRegistry } from "./engine/registry.ts";
import { createLogger, type Logger } from "./logger.ts";
import { createMockPaymentProvider, type PaymentProvider } from "./payments.ts";
import type { ApiConfig, Services } from "./trpc.ts";

export interface ServiceOptions {
  readonly db: Db;
  readonly config: ApiConfig;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly payments?: PaymentProvider;
  /** false commits each command on its own (GROUP_COMMIT=0), for comparison. */
  readonly groupCommit?: boolean;
  readonly actorIdleMs?: number;
}

export interface RunningServices extends Services {
  readonly writer: GroupCommitWriter;
  /** Stops the actors (draining their mailboxes) and the housekeeping timers. */
  stop(): Promise<void>;
}

export function createServices(options: ServiceOptions): RunningServices {
  const clock = options.clock ?? systemClock;
  const groupCommit = options.groupCommit ?? true;
  const writer = createGroupCommitWriter(options.db, { groupCommit });
  const logger = options.logger ?? createLogger();
  const registry = new EventRegistry({
    onError: (eventId, error) => logger.error("event actor error", { eventId, error }),
    db: options.db,
    clock,
    journal: writer,
    maxBatch: groupCommit ? 512 : 1,
    idleMs: options.actorIdleMs,
  });
  const rateLimits = new AuthRateLimits(options.db, options.config.rateLimitAuthPerMinute);
  const housekeeping = setInterval(() => {
    registry.evictIdle();
    rateLimits.sweep(clock.now());
  }, 15_000);
  housekeeping.unref();
  return {
    db: options.db,
    clock,
    config: options.config,
    registry,
    writer,
    payments: options.payments ?? createMockPaymentProvider(),
    logger,
    rateLimits,
    sessions: createSessionStore(options.db, options.config.sessionDays),
    async stop() {
      clearInterval(housekeeping);
      await registry.stop();
      await writer.flushed();
    },
  };
}
