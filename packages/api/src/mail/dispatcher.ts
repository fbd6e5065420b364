/**
 * Delivers the outbox. The event actor's commit wrote each row in the same transaction as the
 * change it tells about; this sends the rows that are due, marks them sent, and reschedules
 * failures with exponential backoff until it gives up (`failed_at`).
 *
 * Exactly once from this process: one pump runs at a time and a row is in flight at most once
 * (an in-memory set); its outcome is written before the pump looks for due rows again. A crash
 * between the server's "250 OK" and that write leaves the row pending, so after a restart it is
 * sent again: delivery is at-least-once across crashes, and never zero times.
 */
import type { Clock } from "@boxoffice/core";
import type { DueRowOf, MailOutcome, OutboxStore } from "@boxoffice/db";
import type { Logger } from "../logger.ts";
import { renderMail } from "@boxoffice/mail";
import type { MailTransport } from "./transports.ts";

export interface DispatcherTimings {
  /** How often due rows are looked for (retries come due without a commit to nudge). */
  readonly pollMs?: number;
  /** The first retry waits this long; each further one twice as long as the previous. */
  readonly backoffBaseMs?: number;
  readonly backoffCapMs?: number;
  /** Attempts before a row is given up (marked failed). */
  readonly maxAttempts?: number;
  /** Rows sent together; their outcomes are written in one transaction. */
  readonly batchSize?: number;
  /**
   * How long a nudge waits before looking. Under an on-sale rush every commit nudges; waiting a
   * little gathers their mails into one batch, whose outcomes cost one transaction (one fsync).
   */
  readonly nudgeDelayMs?: number;
}

export interface DispatcherOptions extends DispatcherTimings {
  readonly store: OutboxStore;
  readonly transport: MailTransport;
  readonly clock: Pick<Clock, "now">;
  readonly logger: Logger;
  /** The app's origin for links in mails (order pages), asked at send time. */
  readonly origin?: () => string;
}

export interface DispatchStats {
  sent: number;
  failedAttempts: number;
  gaveUp: number;
}

/** Delay before the retry that follows the `attempts`-th failed attempt. */
export function backoffDelay(attempts: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

const describe = (error: unknown): string =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 1000);

export class MailDispatcher {
  readonly stats: DispatchStats = { sent: 0, failedAttempts: 0, gaveUp: 0 };
  private readonly inFlight = new Set<number>();
  private pump: Promise<void> | null = null;
  private again = false;
  private interval: ReturnType<typeof setInterval> | null = null;
  private nudged = false;
  private closed = false;
  private readonly pollMs: number;
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly maxAttempts: number;
  private readonly batchSize: number;
  private readonly nudgeDelayMs: number;

  constructor(private readonly options: DispatcherOptions) {
    this.pollMs = options.pollMs ?? 500;
    this.baseMs = options.backoffBaseMs ?? 5_000;
    this.capMs = options.backoffCapMs ?? 3_600_000;
    this.maxAttempts = options.maxAttempts ?? 15;
    this.batchSize = options.batchSize ?? 200;
    this.nudgeDelayMs = options.nudgeDelayMs ?? 100;
  }

  /** Polls every `pollMs` from now on. */
  start(): void {
    if (this.interval || this.closed) return;
    this.interval = setInterval(() => void this.tick(), this.pollMs);
    this.interval.unref?.();
    this.nudge();
  }

  /** Something was committed: look soon, without waiting for the next poll. Coalesced. */
  nudge(): void {
    if (this.nudged || this.closed) return;
    this.nudged = true;
    setTimeout(() => {
      this.nudged = false;
      void this.tick();
    }, this.nudgeDelayMs);
  }

  /** Sends everything due now; resolves when there is nothing due left (or sending failed). */
  tick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.pump) {
      this.again = true;
      return this.pump;
    }
    this.pump = this.run().finally(() => {
      this.pump = null;
    });
    return this.pump;
  }

  /**
   * Stops polling, makes a last attempt at what is due (bounded by `flushMs`), then closes the
   * transport. Rows still unsent stay in the outbox for the next start.
   */
  async stop(flushMs = 5_000): Promise<void> {
    if (this.interval) clearInterval(this.interval);
    this.interval = null;
    if (this.closed) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, flushMs);
    });
    await Promise.race([this.tick().then(() => this.tick()), deadline]);
    clearTimeout(timer);
    this.closed = true;
    this.options.transport.close();
  }

  private async run(): Promise<void> {
    try {
      do {
        this.again = false;
        let count: number;
        do count = await this.sendBatch();
        while (count === this.batchSize && !this.closed);
      } while (this.again && !this.closed);
    } catch (error) {
      // The database said no (busy, closed): the next poll tries again.
      this.options.logger.error("mail dispatch failed", { error });
    }
  }

  /** Sends one batch of due rows; returns how many there were. */
  private async sendBatch(): Promise<number> {
    const { store, clock } = this.options;
    const due = store.due(clock.now(), this.batchSize, this.inFlight);
    if (due.length === 0) return 0;
    for (const row of due) this.inFlight.add(row.id);
    try {
      // One recipient's mails go one after the other, in outbox order, so that an offer never
      // arrives after its expiry; different recipients' mails go out side by side.
      const byRecipient = new Map<string, (typeof due)[number][]>();
      for (const row of due) {
        const key = "missing" in row ? `#${row.id}` : row.recipient.email;
        const rows = byRecipient.get(key);
        if (rows) rows.push(row);
        else byRecipient.set(key, [row]);
      }
      const outcomes = (
        await Promise.all(
          [...byRecipient.values()].map(async (rows) => {
            const done: MailOutcome[] = [];
            for (const row of rows) done.push(await this.send(row));
            return done;
          }),
        )
      ).flat();
      // After stop's deadline the database may be closed: the rows stay pending instead.
      if (!this.closed) store.record(outcomes, clock.now());
    } finally {
      for (const row of due) this.inFlight.delete(row.id);
    }
    return due.length;
  }

  private async send(row: DueRowOf): Promise<MailOutcome> {
    const { clock, logger, transport } = this.options;
    if ("missing" in row) {
      this.stats.gaveUp += 1;
      return { id: row.id, error: "The event of this notification does not exist", retryAt: null };
    }
    try {
      await transport.send(
        await renderMail(row, { origin: this.options.origin?.() ?? "http://localhost:3000" }),
      );
      this.stats.sent += 1;
      return { id: row.id, sentAt: clock.now() };
    } catch (error) {
      const attempts = row.attempts + 1;
      const giveUp = attempts >= this.maxAttempts;
      const retryAt = giveUp ? null : clock.now() + backoffDelay(attempts, this.baseMs, this.capMs);
      this.stats.failedAttempts += 1;
      if (giveUp) this.stats.gaveUp += 1;
      logger.warn(giveUp ? "mail given up" : "mail attempt failed", {
        outboxId: row.id,
        kind: row.message.kind,
        attempts,
        retryAt,
        error: describe(error),
      });
      return { id: row.id, error: describe(error), retryAt };
    }
  }
}
