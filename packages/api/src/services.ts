import { type Clock, type EventEvent, type Journal, systemClock } from "@boxoffice/core";
import {
  createGroupCommitWriter,
  createOutboxStore,
  type Db,
  type GroupCommitWriter,
  NOTIFYING_EVENTS,
  type WriterStats,
} from "@boxoffice/db";
import { createEngine, createMockPaymentProvider, type PaymentProvider } from "@boxoffice/engine";
import { AuthRateLimits } from "./auth/rate-limit.ts";
import { createSessionStore } from "./auth/session.ts";
import { createLogger, type Logger } from "./logger.ts";
import { type DispatcherTimings, MailDispatcher } from "./mail/dispatcher.ts";
import { OrganizerNotices } from "./mail/notices.ts";
import { mailOrigin } from "./mail/origin.ts";
import { createMailTransport, type MailConfig, type MailTransport } from "./mail/transports.ts";
import { type ApiConfig, DEFAULT_LIMITS, type Limits, type Services } from "./trpc.ts";
import { walletPassesFor } from "./wallet.ts";

export interface ServiceOptions {
  readonly db: Db;
  /** Limits not given take their defaults (DEFAULT_LIMITS). */
  readonly config: Omit<ApiConfig, "limits"> & { readonly limits?: Partial<Limits> };
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly payments?: PaymentProvider;
  /** false commits each command on its own (GROUP_COMMIT=0), for comparison. */
  readonly groupCommit?: boolean;
  /**
   * Commits on a thread of their own, with its own connection, so that neither an fsync nor an
   * outside lock ever blocks the event loop (the server's setting; tests on one connection, or in
   * memory, leave it off).
   */
  readonly writerThread?: boolean;
  readonly actorIdleMs?: number;
  /**
   * Where notifications go. Without it the outbox is still written (in the commits) but nothing
   * delivers it: for tests that are not about mail.
   */
  readonly mail?: MailOptions;
}

export interface MailOptions extends MailConfig {
  /** Replaces the transport that `transport` names: for tests. */
  readonly sender?: MailTransport;
  /** Poll interval and backoff; tests shorten them. */
  readonly timings?: DispatcherTimings;
}

export interface RunningServices extends Services {
  /** Delivers the outbox; null when no mail options were given. */
  readonly mail: MailDispatcher | null;
  /** Decides organizer notices (sold out, waitlist, digests); runs with the dispatcher. */
  readonly notices: OrganizerNotices | null;
  /** What the group-commit writer has done since the start (GET /healthz shows it). */
  writerStats(): WriterStats;
  /** Stops the actors (draining their mailboxes) and the housekeeping timers. */
  stop(): Promise<void>;
}

export function createServices(options: ServiceOptions): RunningServices {
  const clock = options.clock ?? systemClock;
  const config: ApiConfig = {
    ...options.config,
    limits: { ...DEFAULT_LIMITS, ...options.config.limits },
  };
  const groupCommit = options.groupCommit ?? true;
  const writer = createGroupCommitWriter(options.db, {
    groupCommit,
    thread: options.writerThread,
  });
  const logger = options.logger ?? createLogger();
  // Known once the server listens: links in mails never come from a request's Host header.
  const origin = () => mailOrigin(config);
  const mail = options.mail
    ? createDispatcher(options.db, options.mail, clock, logger, origin)
    : null;
  // Made once the engine exists (it reads the figures); commits nudge it from then on.
  let notices: OrganizerNotices | null = null;
  const engine = createEngine({
    db: options.db,
    clock,
    journal: mail ? nudgingAfterCommit(writer, mail, (id) => notices?.nudge(id)) : writer,
    payments: options.payments ?? createMockPaymentProvider(),
    logger,
    maxBatch: groupCommit ? 512 : 1,
    idleMs: options.actorIdleMs,
    limits: {
      heldTicketsPerBuyer: config.limits.heldTicketsPerBuyer,
      holdsPerBuyerPerMinute: config.limits.holdsPerBuyerPerMinute,
      guestHoldsPerIpPerMinute: config.limits.guestHoldsPerIpPerMinute,
      orderTokenMissesPerIpPerMinute: config.limits.orderTokenMissesPerIpPerMinute,
      codeMissesPerIpPerMinute: config.limits.codeMissesPerIpPerMinute,
    },
  });
  const rateLimits = new AuthRateLimits(options.db, options.config.rateLimitAuthPerMinute);
  const sessions = createSessionStore(options.db, options.config.sessionDays);
  const housekeeping = setInterval(() => {
    rateLimits.sweep(clock.now());
    sessions.sweep(clock.now());
    engine.housekeeping().catch((error) => logger.error("housekeeping failed", { error }));
  }, 15_000);
  housekeeping.unref();
  if (mail) {
    notices = new OrganizerNotices({
      ...options.mail?.timings?.notices,
      db: options.db,
      engine,
      clock,
      logger,
      onMail: () => mail.nudge(),
    });
    notices.start();
  }
  mail?.start();
  return {
    db: options.db,
    clock,
    config,
    engine,
    mail,
    get notices() {
      return notices;
    },
    logger,
    rateLimits,
    sessions,
    writerStats: () => writer.stats(),
    async stop() {
      clearInterval(housekeeping);
      notices?.stop();
      await engine.stop();
      await writer.close();
      // After the last commit: one last try at what it (and anything before it) wrote.
      await mail?.stop();
    },
  };
}

function createDispatcher(
  db: Db,
  mail: MailOptions,
  clock: Clock,
  logger: Logger,
  origin: () => string,
) {
  return new MailDispatcher({
    ...mail.timings,
    broadcastsPerMinute: mail.broadcastsPerMinute ?? mail.timings?.broadcastsPerMinute,
    store: createOutboxStore(db),
    transport: mail.sender ?? createMailTransport(mail, logger),
    clock,
    logger,
    origin,
    passesFor: walletPassesFor(db, origin),
  });
}

/** Commits that can sell an event out or grow its queue: the organizer may hear of them. */
const NOTICE_EVENTS: ReadonlySet<EventEvent["type"]> = new Set<EventEvent["type"]>([
  "BookingConfirmed",
  "WaitlistAutoBooked",
  "WaitlistJoined",
]);

/**
 * The writer, telling the dispatcher after a commit that wrote mail to look now, and the
 * notices job after one that may have sold the event out or grown its waitlist.
 */
function nudgingAfterCommit(
  writer: GroupCommitWriter,
  mail: MailDispatcher,
  notice: (eventId: string) => void,
): Journal<EventEvent> {
  return {
    async commit(eventId, events) {
      await writer.commit(eventId, events);
      if (events.some((e) => NOTIFYING_EVENTS.has(e.type))) mail.nudge();
      if (events.some((e) => NOTICE_EVENTS.has(e.type))) notice(eventId);
    },
  };
}
